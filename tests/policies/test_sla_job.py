"""The rq job that fires ladder steps: audited, dry-run safe, and released when a write fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connectors.base import ConnectorError
from middleware import audit, sla, store
from middleware.__main__ import main
from middleware.events import TicketEvent

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
HIGH = {"impact": {"level": "high"}, "frustration": {"level": "none"}}
ZENDESK = "https://acme.zendesk.com"


def ticket() -> TicketEvent:
    return TicketEvent(source="zendesk", delivery_id="d", event_type="ticket_created",
                       ticket_id="5", subject="Checkout down", status="open", priority="normal",
                       created_at=T0)


def test_dry_run_decides_and_records_but_writes_nothing(make_env, capsys):
    runtime = make_env({"ATTUNE_DRY_RUN": "1"})
    sla.track(runtime.redis, runtime.policy, ticket(), HIGH, T0)
    at = (T0 + timedelta(minutes=46)).isoformat()
    entries = sla.fire_step("zendesk", "5", "first_response", now=at)
    decisions = [e for e in entries if e["kind"] == "decision"]
    assert [d["rule"] for d in decisions] == ["sla-at-risk", "sla-raise-priority"]
    writes = [e for e in entries if e["kind"] == "write"]
    assert {w["result"] for w in writes} == {"dry_run"}
    assert [w["action"] for w in writes] == ["add_tags", "add_internal_note", "set_priority"]
    trail = audit.read(runtime.redis, "zendesk", "5")
    assert [e["kind"] for e in trail][:2] == ["decision", "write"]
    assert main(["audit", "zendesk", "5"]) == 0
    out = capsys.readouterr().out
    assert "sla-at-risk" in out and "set_priority \"high\" -> dry_run" in out


def test_audit_json_output(make_env, capsys):
    runtime = make_env({"ATTUNE_DRY_RUN": "1"})
    audit.record(runtime.redis, "zendesk", "9", {"kind": "write", "rule": "r", "action":
                 "add_tags", "value": ["x"], "result": "done"}, 60)
    assert main(["audit", "zendesk", "9", "--json"]) == 0
    assert '"result": "done"' in capsys.readouterr().out


def test_a_failed_write_is_tried_again_after_a_pause(zendesk, http):
    runtime = zendesk
    sla.track(runtime.redis, runtime.policy, ticket(), HIGH, T0)
    http.put(f"{ZENDESK}/api/v2/tickets/5/tags", status=503)
    at = T0 + timedelta(minutes=31)
    [entry] = sla.fire_step("zendesk", "5", "first_response", now=at.isoformat())
    assert entry["kind"] == "deferred" and entry["retry_in"] == sla.RETRY_SECONDS
    assert sla.sweep(runtime.redis, at + timedelta(seconds=15)) == []
    [due] = sla.sweep(runtime.redis, at + timedelta(seconds=sla.RETRY_SECONDS))
    assert due.clock == "first_response"


def test_a_rate_limited_step_waits_for_retry_after(zendesk, http):
    runtime = zendesk
    sla.track(runtime.redis, runtime.policy, ticket(), HIGH, T0)
    http.put(f"{ZENDESK}/api/v2/tickets/5/tags", status=429, headers={"Retry-After": "120"})
    at = T0 + timedelta(minutes=31)
    sla.fire_step("zendesk", "5", "first_response", now=at.isoformat())
    assert sla.sweep(runtime.redis, at + timedelta(seconds=119)) == []
    assert len(sla.sweep(runtime.redis, at + timedelta(seconds=120))) == 1


def test_a_write_no_retry_can_fix_fails_the_job(zendesk, http):
    runtime = zendesk
    sla.track(runtime.redis, runtime.policy, ticket(), HIGH, T0)
    http.put(f"{ZENDESK}/api/v2/tickets/5/tags", status=401)
    at = T0 + timedelta(minutes=31)
    with pytest.raises(ConnectorError):
        sla.fire_step("zendesk", "5", "first_response", now=at.isoformat())
    member = store.sla_member("zendesk", "first_response", "5")
    assert runtime.redis.zscore(store.SLA_CHECKPOINTS, member) == (T0 + timedelta(minutes=30)).timestamp()
