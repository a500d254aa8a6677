"""Deadline phrases resolved to timestamps relative to `now` (Wednesday 11 March 2026, 10:30)."""

from __future__ import annotations

import pytest

from enrichment.helpers import NOW
from middleware.enrichment import deadlines


@pytest.mark.parametrize(("text", "due"), [
    ("payroll run blocked, due by 2pm today", "2026-03-11T14:00:00"),
    ("we need it tomorrow 9am", "2026-03-12T09:00:00"),
    ("before end of quarter please", "2026-03-31T17:00:00"),
    ("by Friday", "2026-03-13T17:00:00"),
    ("by tomorrow morning", "2026-03-12T09:00:00"),
    ("within 2 hours", "2026-03-11T12:30:00"),
    ("by 17:00", "2026-03-11T17:00:00"),
    ("by EOD", "2026-03-11T17:00:00"),
    ("by end of the month", "2026-03-31T17:00:00"),
    ("the auditors need the export within the hour", "2026-03-11T11:30:00"),
    ("I have to send the quote in an hour", "2026-03-11T11:30:00"),
    ("needed in 3 hours for the client call", "2026-03-11T13:30:00"),
    ("the slides must be ready before tomorrow's board meeting at 8:30", "2026-03-12T08:30:00"),
    ("please fix it by Friday's payroll run", "2026-03-13T17:00:00"),
    ("on a call with the supplier in 20 mins", "2026-03-11T10:50:00"),
    ("our new starter starts Monday", "2026-03-16T17:00:00"),
    ("the workshop is next Thursday", "2026-03-12T17:00:00"),
    ("need the payslips printed by tomorrow lunchtime", "2026-03-12T12:00:00"),
])
def test_resolves_due_time(text, due):
    found = deadlines.find(text, text.lower(), "description", NOW, 17)
    assert [d.due.isoformat() for d in found] == [due]


def test_bare_deadline_has_no_time():
    found = deadlines.find("The deadline is close", "the deadline is close", "subject", NOW, 17)
    assert found[0].due is None and found[0].cue.phrase == "deadline"


@pytest.mark.parametrize("text", ["There's no deadline on this one.", "It crashed 3 times in 5 minutes.",
                                  "It dropped twice in 10 minutes."])
def test_no_deadline_where_none_is_stated(text):
    assert deadlines.find(text, text.lower(), "description", NOW, 17) == []
