"""`python -m middleware policies check|test|explain`: exit codes, listed errors, diffs."""

from __future__ import annotations

import textwrap
from pathlib import Path

from middleware.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
DEFAULT = ROOT / "policies" / "default.yaml"
CASES = ROOT / "policies" / "cases" / "default.yaml"


def test_check_accepts_the_default_policy(capsys):
    assert main(["policies", "check", str(DEFAULT)]) == 0
    assert "ok (3 rules, 3 ladder steps)" in capsys.readouterr().out


def test_check_lists_every_error_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {name: a, when: {ticket.x: {eq: 1}}, then: [{shout: hi}]}\n")
    assert main(["policies", "check", str(DEFAULT), str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{bad}: rules[0].when.ticket.x: unknown field 'ticket.x'",
                   f"{bad}: rules[0].then[0].shout: unknown action 'shout' (expected one of "
                   "add_tags, add_internal_note, set_priority, assign_group, notify)"]


def test_the_default_policy_cases_pass(capsys):
    assert main(["policies", "test", str(CASES)]) == 0
    assert " 0 failed" in capsys.readouterr().out


def test_a_failing_case_prints_a_diff(tmp_path, capsys):
    cases = tmp_path / "cases.yaml"
    cases.write_text(textwrap.dedent(f"""
        policy: {DEFAULT}
        cases:
          - name: wrong-expectation
            event: {{source: zendesk, ticket_id: "1", status: open, priority: normal}}
            enrichment: {{frustration: {{level: high}}, impact: {{level: critical}}}}
            expect:
              matched: [annotate]
    """))
    assert main(["policies", "test", str(cases)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "+- frustrated-high-impact" in out and "1 failed" in out


def test_explain_shows_rules_clocks_and_connector_calls(capsys):
    code = main(["policies", "explain", "--event", str(FIXTURES / "zendesk_outage.json"),
                 "--enrichment", str(FIXTURES / "outage_enrichment.yaml"), "--at", "+20m"])
    assert code == 0
    out = capsys.readouterr().out
    assert "MATCH frustrated-high-impact: enrichment.impact.level in [high, critical]" in out
    assert "skip  frustration-worsening: not reached" in out
    assert "first_response: running, 67% of target used, due 2026-01-05T10:30+00:00" in out
    assert "fires first_response sla-at-risk" in out
    assert "PUT /api/v2/tickets/35436/tags" in out
    assert "POST https://chat.example.com/hooks/attune-oncall" in out


def test_explain_reads_a_helpdesk_webhook_payload_with_the_engine(capsys):
    payload = Path(__file__).parent.parent / "fixtures" / "zendesk" / "ticket_created__payroll_blocked.json"
    assert main(["policies", "explain", "--event", str(payload), "--at", "+10m"]) == 0
    out = capsys.readouterr().out
    assert "Event: zendesk ticket 5201 (ticket_created)" in out
    assert "MATCH frustrated-high-impact" in out
    assert "“by 2pm today”" in out or "by 2pm today" in out
    assert "PUT /api/v2/tickets/5201" in out


def test_explain_names_an_event_attune_does_not_act_on(capsys):
    payload = Path(__file__).parent.parent / "fixtures" / "zendesk" / "attachment_linked_to_comment.json"
    assert main(["policies", "explain", "--event", str(payload)]) == 1
    assert "does not act on" in capsys.readouterr().err
