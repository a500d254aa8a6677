"""The engine against a service-desk lead's labels on realistic IT-support tickets.

``support_tickets.jsonl`` was written and labelled by someone who had not seen the engine's cue
lists; it is the tuning set. ``support_tickets_heldout.jsonl`` is only measured (`make eval`), never
scored here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from middleware.enrichment import agreement

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "enrichment"


def test_every_labelled_set_is_well_formed():
    for name in ("support_tickets.jsonl", "support_tickets_heldout.jsonl"):
        tickets = agreement.load(FIXTURES / name)
        assert len(tickets) >= 50
        assert len({t.ticket["id"] for t in tickets}) == len(tickets)


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
    ('{"id": "x", "sentiment": "neutral"}', "tickets.jsonl:3: description must be a non-empty string"),
    ("not json", "tickets.jsonl:3: invalid JSON"),
])
def test_a_bad_label_line_is_named_with_file_line_and_key(line, message):
    with pytest.raises(ValueError) as error:
        agreement.parse(line, "tickets.jsonl:3")
    assert str(error.value).startswith(message)
