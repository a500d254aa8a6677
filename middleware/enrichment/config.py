"""Load and validate the enrichment policy (``policies/enrichment.yaml``).

The file is read once at start. Every problem is collected in one pass and raised together in an
``EnrichmentConfigError`` whose message has one line per problem, ``<file>: <key.path>: <what is wrong>``.
Unknown keys, missing keys, wrong types and patterns that do not compile are all errors.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "policies" / "enrichment.yaml"
SCENARIOS = ("technical_issue", "system_delay", "user_confusion", "helpdesk_error", "urgent_request")
GRADED = ("cannot_proceed", "time_reference", "request", "resolved", "question")
KIND_NAME = re.compile(r"^[a-z][a-z_]*$")

class EnrichmentConfigError(ValueError):
    """The enrichment policy file is missing or invalid; str() lists every problem, one per line."""


@dataclass(frozen=True)
class EnrichmentConfig:
    """A validated enrichment policy; each section is the plain mapping from the file."""

    path: str
    sentiment: dict
    frustration: dict
    impact: dict
    scenario: dict
    reply_check: dict


def _number(value: Any) -> str | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return None if ok else "expected a number"


def _unit(value: Any) -> str | None:
    return _number(value) or (None if 0 <= value <= 1 else "expected a number between 0 and 1")


def _count(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "expected a whole number >= 0"


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "expected a non-empty string"


def _strings(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    return None if ok else "expected a list of strings"


def _patterns(value: Any) -> str | None:
    problem = _strings(value) or (None if value else "expected at least one pattern")
    if problem:
        return problem
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"bad regular expression {pattern!r}: {exc}"
    return None


class MapOf:
    """Schema node: a mapping with free-form lower-case keys whose values all follow one schema."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema


GUIDANCE = {step: _text for step in ("acknowledge", "clarify", "resolve", "reassure")}
SCHEMA: dict = {
    "version": _count,
    "sentiment": {"negative_below": _number, "positive_above": _number, "cue_weight": _unit,
                  "cue_weights": MapOf(_unit), "complaint_kinds": _strings},
    "frustration": {
        "thresholds": {"mild": _unit, "high": _unit},
        "trend_delta": _unit,
        "weights": {k: _unit for k in ("waiting", "repeat_contact", "contempt", "threat", "intensity")},
        "cues": {k: _patterns for k in ("waiting", "repeat_contact", "contempt", "threat")},
        "intensity": {"caps_words": _count, "exclamations": _count},
    },
    "impact": {
        "thresholds": {"medium": _unit, "high": _unit, "critical": _unit},
        "weights": {k: _unit for k in (
            "blocked", "deadline", "deadline_soon", "people_affected", "many_people",
            "outage", "security", "vip", "problem", "frustration", "cannot_proceed", "time_reference",
            "needs_answer")},
        "workaround_factor": _unit,
        "not_urgent_factor": _unit,
        "resolved_factor": _unit,
        "many_people": _count,
        "soon_hours": _count,
        "end_of_day_hour": _count,
        "cues": {k: _patterns for k in ("blocked", "workaround", "not_urgent", "outage", "security", "people",
                                        "failure", "problem")},
        "graded_cues": {k: _patterns for k in GRADED},
        "systems": _strings,
        "vip": {"emails": _strings, "domains": _strings, "organizations": _strings},
    },
    "scenario": {
        "default": _text,
        "weights": {k: MapOf(_number) for k in SCENARIOS},
        "cues": MapOf(_patterns),
        "guidance": {k: GUIDANCE for k in SCENARIOS},
        "vague": {"min_words": _count, "specific_words": _count, "question": _text},
    },
    "reply_check": {
        "min_reading_ease": _number,
        "max_grade": _number,
        "max_jargon_density": _unit,
        "jargon": _patterns,
        "acknowledgement": _patterns,
        "next_step": _patterns,
    },
}


def _validate(value: Any, schema: Any, key: str, errors: list[str]) -> None:
    if isinstance(schema, dict):
        _validate_mapping(value, schema, key, errors)
    elif isinstance(schema, MapOf):
        if not isinstance(value, dict):
            errors.append(f"{key}: expected a mapping")
            return
        for name, item in value.items():
            if not isinstance(name, str) or not KIND_NAME.match(name):
                errors.append(f"{key}.{name}: expected a lower-case name (letters and _)")
            else:
                _validate(item, schema.schema, f"{key}.{name}", errors)
    else:
        problem = schema(value)
        if problem:
            errors.append(f"{key}: {problem}")


def _validate_mapping(value: Any, schema: dict, key: str, errors: list[str]) -> None:
    prefix = f"{key}." if key else ""
    if not isinstance(value, dict):
        errors.append(f"{key or '(top level)'}: expected a mapping")
        return
    for name in value:
        if name not in schema:
            errors.append(f"{prefix}{name}: unknown key")
    for name, child in schema.items():
        if name not in value:
            errors.append(f"{prefix}{name}: missing")
        else:
            _validate(value[name], child, f"{prefix}{name}", errors)


def _cross_check(data: dict, errors: list[str]) -> None:
    """Rules spanning several keys, checked only once every key has the right type."""
    sc = data["scenario"]
    if sc["default"] not in SCENARIOS:
        errors.append(f"scenario.default: expected one of {', '.join(SCENARIOS)}")
    kinds = _cue_kinds(data)
    for kind in data["sentiment"]["cue_weights"]:
        if kind not in kinds:
            errors.append(f"sentiment.cue_weights.{kind}: unknown cue kind")
    for kind in data["sentiment"]["complaint_kinds"]:
        if kind not in kinds:
            errors.append(f"sentiment.complaint_kinds: unknown cue kind {kind!r}")
    for scenario, weights in sc["weights"].items():
        for kind in weights:
            if kind not in kinds:
                errors.append(f"scenario.weights.{scenario}.{kind}: unknown cue kind")
    for kind in sc["cues"]:
        if kind in data["frustration"]["cues"] or kind in data["impact"]["cues"] or kind in GRADED:
            errors.append(f"scenario.cues.{kind}: name already used by another section")
    _check_order(data["frustration"]["thresholds"], ("mild", "high"), "frustration.thresholds", errors)
    _check_order(data["impact"]["thresholds"], ("medium", "high", "critical"), "impact.thresholds", errors)


def _cue_kinds(data: dict) -> set[str]:
    kinds = set(data["frustration"]["cues"]) | set(data["impact"]["cues"]) | set(data["scenario"]["cues"])
    kinds |= set(data["impact"]["graded_cues"])
    return kinds | {"deadline", "intensity", "system"}


def _check_order(thresholds: dict, names: tuple, key: str, errors: list[str]) -> None:
    values = [thresholds[n] for n in names]
    if values != sorted(values):
        errors.append(f"{key}: expected {' <= '.join(names)}")


def load_config(path: str | os.PathLike | None = None) -> EnrichmentConfig:
    """Read and strictly validate the policy file (default: ``$ATTUNE_ENRICHMENT`` or the repo's)."""
    path = Path(path or os.environ.get("ATTUNE_ENRICHMENT") or DEFAULT_PATH)
    name = str(path) if path != DEFAULT_PATH else "policies/enrichment.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EnrichmentConfigError(f"{name}: cannot read: {exc}") from exc
    errors: list[str] = []
    _validate(data, SCHEMA, "", errors)
    if not errors:
        _cross_check(data, errors)
    if errors:
        raise EnrichmentConfigError("\n".join(f"{name}: {e}" for e in errors))
    sections = {k: v for k, v in data.items() if k != "version"}
    return EnrichmentConfig(path=name, **sections)
