"""The engine against a service-desk lead's labels on realistic IT-support tickets.

``support_tickets.jsonl`` (two batches of 80, ids t.. and b..) was written and labelled by people
who had not seen the engine's cue lists; the cue lists were then corrected against it, so it is a
tuning set and the floors below guard what was reached. ``support_tickets_heldout.jsonl`` is only
measured (`make eval`), never scored here.
"""

from __future__ import annotations

import pytest

from enrichment.helpers import NOW
from middleware.enrichment import agreement
from middleware.evaluate import SUPPORT as FIXTURES
from middleware.evaluate import SUPPORT_SETS

FLOORS = {"sentiment": 0.53, "frustration": 0.72, "impact": 0.76, "scenario": 0.77,
          "signal precision": 0.90, "signal recall": 0.72}


@pytest.fixture(scope="module")
def tuning():
    return agreement.load(FIXTURES / "support_tickets.jsonl")


def test_the_engine_agrees_with_the_lead_on_the_tuning_tickets(enricher, tuning):
    figures, disagreements = agreement.compare(enricher, tuning, NOW)
    below = {name: round(figures[name], 3) for name, floor in FLOORS.items() if figures[name] < floor}
    detail = "\n".join(f"{d.id} {d.output}: lead {d.lead!r}, engine {d.engine!r}" for d in disagreements)
    assert not below, f"agreement fell below the floor: {below}\n{detail}"


def test_every_labelled_set_is_well_formed():
    for name, _ in SUPPORT_SETS:
        tickets = agreement.load(FIXTURES / name)
        assert len(tickets) >= 50
        assert len({t.ticket["id"] for t in tickets}) == len(tickets)


def test_a_security_scare_is_tagged_and_treated_as_urgent(enricher, tuning):
    clicked = next(t for t in tuning if t.ticket["id"] == "t23")
    result = enricher.enrich(clicked.ticket, NOW)
    assert "attune_security" in result["tags"]
    assert result["scenario"] == "urgent_request"
    assert result["impact"]["level"] in ("high", "critical")


@pytest.mark.parametrize(("line", "message"), [
    ('{"id": "x", "description": "VPN down", "sentiment": "angry", "frustration": "none", '
     '"impact": ["low"], "signals": [], "scenario": "technical_issue"}',
     "tickets.jsonl:3: sentiment must be one of negative, neutral, positive (got 'angry')"),
    ('{"id": "x", "description": "VPN down", "sentiment": "neutral", "frustration": "none", '
     '"impact": [], "signals": [], "scenario": "technical_issue"}',
     "tickets.jsonl:3: impact must be a non-empty list"),
    ('{"id": "x", "description": "VPN down", "sentiment": "neutral", "frustration": "none", '
     '"impact": ["low"], "signals": ["outages"], "scenario": "technical_issue"}',
     "tickets.jsonl:3: signals has unknown values ['outages']"),
    ('{"id": "x", "subject": " ", "sentiment": "neutral"}',
     "tickets.jsonl:3: a ticket needs a subject or a description"),
    ('{"id": 7, "description": "VPN down"}', "tickets.jsonl:3: id must be a non-empty string"),
    ("not json", "tickets.jsonl:3: invalid JSON"),
])
def test_a_bad_label_line_is_named_with_file_line_and_key(line, message):
    with pytest.raises(ValueError) as error:
        agreement.parse(line, "tickets.jsonl:3")
    assert str(error.value).startswith(message)
