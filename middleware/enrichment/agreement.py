"""Agreement of the engine with a service-desk lead on labelled IT-support tickets.

No public data set is IT-support text labelled for impact, signals or scenario, so the project keeps
its own, written by people who had not seen the engine's cue lists (``tests/fixtures/enrichment/``):
one JSON object per line with the ticket (``id``, ``subject``, ``description``) and the lead's
labels: ``sentiment``, ``frustration``, ``impact`` (the levels the lead accepts), ``signals`` and
``scenario``. ``support_tickets.jsonl`` is the tuning set (cue lists were corrected against it, in two
batches of 80); ``support_tickets_heldout.jsonl`` is only ever measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from middleware.enrichment.engine import Enricher
from middleware.enrichment.scenario import SCENARIOS
from policies.fields import FRUSTRATION_LEVELS, IMPACT_LEVELS, SENTIMENT_LABELS

# The impact signals a lead can label; the engine's graded tier (cannot_proceed, ...) is not one.
SIGNALS = ("blocked", "deadline", "people_affected", "outage", "security", "workaround")


@dataclass(frozen=True)
class Labelled:
    """One ticket and what the lead says of it."""

    ticket: dict
    sentiment: str
    frustration: str
    impact: frozenset[str]
    signals: frozenset[str]
    scenario: str


def _choice(row: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
    value = row.get(key)
    if value not in allowed:
        raise ValueError(f"{where}: {key} must be one of {', '.join(allowed)} (got {value!r})")
    return value


def _subset(row: dict, key: str, allowed: tuple[str, ...], where: str, empty: bool) -> frozenset[str]:
    value = row.get(key)
    if not isinstance(value, list) or (not value and not empty):
        raise ValueError(f"{where}: {key} must be a {'' if empty else 'non-empty '}list")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValueError(f"{where}: {key} has unknown values {unknown}; allowed: {', '.join(allowed)}")
    return frozenset(value)


def parse(line: str, where: str) -> Labelled:
    """One labelled ticket from a JSON line; ``where`` (file:line) prefixes every error."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: invalid JSON: {exc}") from None
    if not isinstance(row, dict):
        raise ValueError(f"{where}: expected a JSON object")
    if not isinstance(row.get("id"), str) or not row["id"].strip():
        raise ValueError(f"{where}: id must be a non-empty string")
    for key in ("subject", "description"):
        if not isinstance(row.get(key) or "", str):
            raise ValueError(f"{where}: {key} must be a string")
    if not (row.get("subject") or "").strip() and not (row.get("description") or "").strip():
        raise ValueError(f"{where}: a ticket needs a subject or a description")
    ticket = {"id": row["id"], "subject": row.get("subject") or "",
              "description": row.get("description") or ""}
    return Labelled(ticket, _choice(row, "sentiment", SENTIMENT_LABELS, where),
                    _choice(row, "frustration", FRUSTRATION_LEVELS, where),
                    _subset(row, "impact", IMPACT_LEVELS, where, empty=False),
                    _subset(row, "signals", SIGNALS, where, empty=True),
                    _choice(row, "scenario", SCENARIOS, where))


def load(path: Path) -> list[Labelled]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse(line, f"{path.name}:{n}") for n, line in enumerate(lines, 1) if line.strip()]


@dataclass(frozen=True)
class Disagreement:
    """A ticket where the engine and the lead differ on one output."""

    id: str
    output: str
    lead: str
    engine: str


def compare(enricher: Enricher, tickets: list[Labelled], now: datetime) -> tuple[dict, list[Disagreement]]:
    """Agreement figures (each 0..1) and every disagreement, in ticket order.

    sentiment, frustration and scenario: share of tickets with the lead's label; impact: share whose
    level is one the lead accepts; signals: micro precision and recall over ``SIGNALS``.
    """
    hits = {"sentiment": 0, "frustration": 0, "impact": 0, "scenario": 0}
    found = expected = matched = 0
    disagreements = []
    for item in tickets:
        result = enricher.enrich(item.ticket, now)
        engine = {"sentiment": result["sentiment"]["label"], "frustration": result["frustration"]["level"],
                  "impact": result["impact"]["level"], "scenario": result["scenario"]}
        lead = {"sentiment": item.sentiment, "frustration": item.frustration, "scenario": item.scenario,
                "impact": "/".join(level for level in IMPACT_LEVELS if level in item.impact)}
        for output, value in engine.items():
            agrees = value in item.impact if output == "impact" else value == lead[output]
            hits[output] += agrees
            if not agrees:
                disagreements.append(Disagreement(item.ticket["id"], output, lead[output], value))
        signals = {s["name"] for s in result["impact"]["signals"]} & set(SIGNALS)
        found, expected = found + len(signals), expected + len(item.signals)
        matched += len(signals & item.signals)
        if signals != item.signals:
            disagreements.append(Disagreement(item.ticket["id"], "signals", ",".join(sorted(item.signals)),
                                              ",".join(sorted(signals))))
    n = len(tickets)
    figures = {name: count / n for name, count in hits.items()}
    figures["signal precision"] = matched / found if found else 0.0
    figures["signal recall"] = matched / expected if expected else 0.0
    return figures, disagreements
