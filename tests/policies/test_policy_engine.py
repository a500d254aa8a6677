"""Rule evaluation, the operator table, safe templates, durations and business calendars."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from middleware.events import Comment, TicketEvent
from policies import context, load_policy
from policies.calendar import Calendar
from policies.durations import format_duration, parse_duration, parse_offset
from policies.fields import FIELDS
from policies.operators import OPERATORS
from policies.templates import check, render

ROOT = Path(__file__).resolve().parents[2]
MONDAY = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def event(**kwargs) -> TicketEvent:
    data = {"source": "zendesk", "delivery_id": "d", "event_type": "ticket_created",
            "ticket_id": "7", "subject": "Refund", "status": "open", "priority": "normal"}
    return TicketEvent(**{**data, **kwargs})


def enrichment(**kwargs) -> dict:
    base = {"frustration": {"level": "none", "trend": None}, "impact": {"level": "low"},
            "tags": ["attune_sentiment_neutral"], "note": "the note"}
    return {**base, **kwargs}


@pytest.mark.parametrize(("name", "actual", "expected", "path", "result"), [
    ("eq", "high", "high", "ticket.priority", True),
    ("ne", "high", "low", "ticket.priority", True),
    ("lt", "normal", "high", "ticket.priority", True),
    ("lte", "high", "high", "ticket.priority", True),
    ("gt", "critical", "medium", "enrichment.impact.level", True),
    ("gte", "mild", "high", "enrichment.frustration.level", False),
    ("gt", 0.8, 0.5, "enrichment.frustration.score", True),
    ("gt", None, 0.5, "enrichment.frustration.score", False),
    ("in", "open", ["open", "new"], "ticket.status", True),
    ("not_in", "pending", ["open", "new"], "ticket.status", True),
    ("contains", ["vip", "billing"], "vip", "ticket.tags", True),
    ("contains", [{"name": "outage"}], "outage", "enrichment.impact.signals", True),
    ("contains", "Refund please", "Refund", "ticket.subject", True),
    ("regex", "URGENT: down", re.compile(r"(?i)urgent"), "ticket.subject", True),
    ("regex", None, re.compile("x"), "ticket.subject", False),
])
def test_operator_table(name, actual, expected, path, result):
    assert OPERATORS[name].test(actual, expected, FIELDS[path]) is result


def test_operator_table_is_the_documented_set():
    assert list(OPERATORS) == ["eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "contains",
                               "regex"]


def test_first_match_wins_unless_continue_and_the_trace_says_why():
    policy = load_policy(ROOT / "policies" / "default.yaml")
    hot = enrichment(frustration={"level": "high", "trend": "worsening"},
                     impact={"level": "critical", "signals": [{"name": "outage"}]})
    decision = policy.evaluate(context(event(), hot, None, MONDAY))
    assert decision.matched == ["annotate", "frustrated-high-impact"]
    assert decision.trace[2] == {"rule": "frustration-worsening", "matched": False,
                                 "reason": "not reached: frustrated-high-impact matched"}
    assert "enrichment.impact.level in [high, critical]: was 'critical'" in \
        decision.trace[1]["reason"]
    assert [a.verb for a in decision.actions][:2] == ["add_tags", "add_internal_note"]
    assert decision.actions[0].value == ["attune_sentiment_neutral"]
    assert decision.actions[1].value == "the note"


def test_skipped_rule_names_the_condition_that_failed():
    policy = load_policy(ROOT / "policies" / "default.yaml")
    decision = policy.evaluate(context(event(), enrichment(), None, MONDAY))
    assert decision.matched == ["annotate"]
    assert decision.trace[1]["reason"] == "enrichment.frustration.level eq 'high': was 'none'"


def test_agent_reply_is_not_worsening_frustration():
    policy = load_policy(ROOT / "policies" / "default.yaml")
    reply = event(comment=Comment("On it", author_role="agent"))
    worse = enrichment(frustration={"level": "mild", "trend": "worsening"})
    assert policy.evaluate(context(reply, worse, None, MONDAY)).matched == ["annotate"]


def test_templates_render_named_fields_only():
    ctx = context(event(subject="Printer {on fire}"), enrichment(), None, MONDAY)
    assert render("#{ticket.id}: {ticket.subject} {{literal}}", ctx) == \
        "#7: Printer {on fire} {literal}"
    assert render("{enrichment.tags}", ctx) == "attune_sentiment_neutral"
    assert check("{ticket.id.__class__}") == ["unknown template field {ticket.id.__class__}"]
    assert check("{0}") == ["unknown template field {0}"]
    assert check("{ticket.id:>99999}")
    assert check("unclosed {")


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("4h", 14400),
                                               ("2d", 172800), ("1h30m", 5400)])
def test_durations(text, seconds):
    assert parse_duration(text).total_seconds() == seconds
    assert format_duration(parse_duration(text)) == text


@pytest.mark.parametrize("bad", ["4 hours", "1w", "", "0m", 5, "h4"])
def test_bad_durations(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_offsets():
    assert parse_offset("+45m") == timedelta(minutes=45)
    assert parse_offset("-1h") == timedelta(hours=-1)
    assert parse_offset("0s") == timedelta(0)


BERLIN = Calendar("Europe/Berlin", frozenset(range(5)), 9 * 60, 17 * 60,
                  frozenset({date(2026, 12, 25)}))


def test_business_time_skips_nights_weekends_and_holidays():
    friday_4pm = datetime(2026, 12, 18, 16, 0, tzinfo=UTC)  # 17:00 in Berlin, after hours
    monday_9am = datetime(2026, 12, 21, 8, 0, tzinfo=UTC)
    assert BERLIN.between(friday_4pm, monday_9am) == 0
    thursday = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)  # 16:00 Berlin, Christmas Eve
    due = BERLIN.add(thursday, 2 * 3600)
    assert due == datetime(2026, 12, 28, 9, 0, tzinfo=UTC)  # Monday 10:00 Berlin
    assert BERLIN.between(thursday, due) == 2 * 3600


def test_business_time_follows_daylight_saving():
    before = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # Friday 08:00 CET
    monday_start = BERLIN.add(before, 8 * 3600 + 1)
    assert monday_start == datetime(2026, 3, 30, 7, 0, 1, tzinfo=UTC)  # 09:00:01 CEST


def test_always_calendar_counts_wall_time():
    assert Calendar().add(MONDAY, 90) == MONDAY + timedelta(seconds=90)
    assert Calendar().between(MONDAY, MONDAY + timedelta(hours=1)) == 3600
