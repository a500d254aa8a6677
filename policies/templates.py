"""Note and message templates: literal text with named fields such as `{ticket.id}`.

Templates are parsed with `string.Formatter` and checked against an allow-list of field names at
load; rendering looks each name up in the policy context by its dotted path. Nothing else is
evaluated: no attribute access, indexing, conversion (`!r`) or format spec, so a template cannot
reach into Python objects. Write `{{` and `}}` for literal braces.
"""

from __future__ import annotations

from datetime import datetime
from string import Formatter

from policies.fields import FIELDS, lookup

STEP_FIELDS = ("step.name", "step.clock", "step.at", "step.due")
ALLOWED = frozenset(FIELDS) | frozenset(STEP_FIELDS)


def check(template: object) -> list[str]:
    """Problems with a template; empty when it renders safely."""
    if not isinstance(template, str):
        return [f"expected text, got {template!r}"]
    try:
        parts = list(Formatter().parse(template))
    except ValueError as exc:
        return [f"malformed template ({exc}); write {{{{ and }}}} for literal braces"]
    problems = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion:
            problems.append(f"field {{{name}}} may not carry a format spec or conversion")
        elif name not in ALLOWED:
            problems.append(f"unknown template field {{{name}}}")
    return problems


def render(template: str, context: dict) -> str:
    """The template with each named field replaced by its value in the context."""
    out = []
    for literal, name, _, _ in Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(show(lookup(context, name)))
    return "".join(out)


def show(value: object) -> str:
    """A value as text in a note: lists comma-separated, times in ISO form, None as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(show(v.get("name", v) if isinstance(v, dict) else v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def single_field(template: str) -> str | None:
    """The field name when the template is exactly one field (`{enrichment.tags}`), else None."""
    parts = list(Formatter().parse(template))
    if len(parts) == 1 and not parts[0][0] and parts[0][1]:
        return parts[0][1]
    return None
