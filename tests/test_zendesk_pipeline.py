"""End to end on Zendesk: signed webhook → inbox → real rq worker on real Redis → Zendesk API.

Outbound HTTP goes through `responses`, matching the exact JSON Attune sends.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from conftest import (
    ZENDESK_ENV,
    drain,
    json_body,
    post_zendesk,
    run_scheduled_now,
    scheduled_retry,
    zendesk_me,
)
from responses import matchers
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from middleware import audit, store

API = ZENDESK_ENV["ZENDESK_URL"] + "/api/v2"
PAYROLL = "zendesk/ticket_created__payroll_blocked.json"
PAYROLL_TAGS = ["attune_sentiment_negative", "attune_impact_critical", "attune_frustration_high",
                "attune_blocked", "attune_deadline", "attune_people_affected",
                "attune_scenario_urgent_request", "attune_escalated"]
ONCALL = "https://chat.example.com/hooks/attune-oncall"


def expect_payroll_writes(http, *, ticket_status: int = 200, headers: dict | None = None):
    http.put(f"{API}/tickets/5201/tags", json={"tags": PAYROLL_TAGS},
             match=[matchers.json_params_matcher({"tags": PAYROLL_TAGS})])
    http.get(f"{API}/groups", json={"groups": [{"id": 360001, "name": "Escalations"}]})
    return http.put(f"{API}/tickets/5201", status=ticket_status, headers=headers or {},
                    json={"ticket": {"id": 5201}} if ticket_status == 200 else {"error": "x"})


def process_payroll(client, runtime, http, *, oncall: bool = True) -> None:
    """The payroll ticket delivered and processed, with every write it makes answered 200."""
    zendesk_me(http)
    expect_payroll_writes(http)
    if oncall:
        http.post(ONCALL, json={"ok": True})
    post_zendesk(client, PAYROLL)
    drain(runtime)


def note_of(call) -> str:
    body = json_body(call)["ticket"]
    assert body["comment"]["public"] is False
    return body["comment"]["body"]


def test_ticket_is_tagged_noted_and_escalated(client, zendesk, http):
    zendesk_me(http)
    update = expect_payroll_writes(http)
    notify = http.post(ONCALL, json={"ok": True})
    assert post_zendesk(client, PAYROLL).status_code == 202
    drain(zendesk)
    body = json_body(update.calls[0])
    assert body["ticket"]["priority"] == "urgent"
    assert body["ticket"]["group_id"] == 360001
    note = note_of(update.calls[0])
    for phrase in ("third time", "unacceptable", "by 2pm today", "whole finance team"):
        assert phrase in note
    assert "2026-11-20T14:00:00+00:00" in note, "the deadline is read from when the ticket was written"
    assert "Acknowledge" in note and "Reassure" in note
    assert json_body(notify.calls[0]) == {
        "text": "Frustrated customer, critical impact, zendesk ticket 5201.", "ticket": "5201",
        "source": "zendesk", "rule": "frustrated-high-impact"}


def test_same_event_processed_twice_writes_one_note(client, zendesk, http):
    zendesk_me(http)
    update = expect_payroll_writes(http)
    http.post(ONCALL, json={"ok": True})
    post_zendesk(client, PAYROLL)
    drain(zendesk)
    job_id = zendesk.queue.finished_job_registry.get_job_ids()[0]
    zendesk.queue.enqueue_job(zendesk.queue.fetch_job(job_id))
    drain(zendesk)
    notes = [c for c in http.calls if c.request.url.endswith("/tickets/5201")
             and "comment" in json_body(c)["ticket"]]
    assert len(notes) == 1
    assert "comment" not in json_body(update.calls[-1])["ticket"]
    results = [e["result"] for e in audit.read(zendesk.redis, "zendesk", "5201")
               if e.get("action") == "add_internal_note"]
    assert "duplicate" in results


def test_attunes_own_note_coming_back_is_ignored(client, zendesk, http):
    zendesk_me(http)
    assert post_zendesk(client, "zendesk/comment_added__by_attune.json").status_code == 202
    drain(zendesk)
    assert [c.request.url for c in http.calls] == [f"{API}/users/me"]


def test_own_actor_is_resolved_once(client, zendesk, http):
    zendesk_me(http)
    post_zendesk(client, "zendesk/comment_added__by_attune.json")
    drain(zendesk)
    post_zendesk(client, "zendesk/status_changed__solved.json")
    drain(zendesk)
    assert len([c for c in http.calls if c.request.url.endswith("/users/me")]) == 1


def test_rate_limited_write_is_retried_after_retry_after(client, zendesk, http):
    zendesk_me(http)
    expect_payroll_writes(http, ticket_status=429, headers={"Retry-After": "93"})
    before = datetime.now(UTC)
    post_zendesk(client, PAYROLL)
    drain(zendesk)
    job, when = scheduled_retry(zendesk)
    assert before + timedelta(seconds=92) <= when <= datetime.now(UTC) + timedelta(seconds=94)
    assert job.kwargs == {"attempt": 2}
    assert FailedJobRegistry(queue=zendesk.queue).count == 0


def test_retry_writes_the_note_that_failed(client, zendesk, http):
    zendesk_me(http)
    expect_payroll_writes(http, ticket_status=503)
    http.put(f"{API}/tickets/5201/tags", json={"tags": PAYROLL_TAGS})
    retry = http.put(f"{API}/tickets/5201", json={"ticket": {"id": 5201}})
    http.post(ONCALL, json={"ok": True})
    post_zendesk(client, PAYROLL)
    drain(zendesk)
    run_scheduled_now(zendesk)
    assert "whole finance team" in note_of(retry.calls[0])
    assert zendesk.redis.llen(store.history_key("zendesk", "5201")) == 1, "a retry adds no message"


def test_a_retry_after_the_note_was_written_writes_no_second_note(client, zendesk, http):
    zendesk_me(http)
    for _ in range(2):
        http.put(f"{API}/tickets/5201/tags", json={})
        http.put(f"{API}/tickets/5201", json={"ticket": {"id": 5201}})
    http.get(f"{API}/groups", json={"groups": [{"id": 360001, "name": "Escalations"}]})
    http.post(ONCALL, status=503)
    http.post(ONCALL, json={"ok": True})
    post_zendesk(client, "zendesk/comment_added__requester.json")
    drain(zendesk)
    run_scheduled_now(zendesk)
    updates = [json_body(c)["ticket"] for c in http.calls if c.request.url == f"{API}/tickets/5201"]
    assert len(updates) == 2, "the retry repeats the idempotent writes"
    assert ["comment" in u for u in updates] == [True, False], "but not the note"


def test_unauthorized_fails_at_once_and_replay_reruns_it(client, zendesk, http, caplog):
    zendesk_me(http)
    expect_payroll_writes(http, ticket_status=401)
    post_zendesk(client, PAYROLL)
    with caplog.at_level(logging.ERROR):
        drain(zendesk)
    failed = FailedJobRegistry(queue=zendesk.queue)
    assert failed.count == 1
    assert ScheduledJobRegistry(queue=zendesk.queue).count == 0
    assert "HTTP 401" in caplog.text and "replay" in caplog.text
    assert zendesk.connector("zendesk").calls == [], "a live connector keeps no record of its calls"
    assert ZENDESK_ENV["ZENDESK_API_TOKEN"] not in caplog.text

    from middleware.commands import replay

    http.put(f"{API}/tickets/5201/tags", json={"tags": PAYROLL_TAGS})
    fixed = http.put(f"{API}/tickets/5201", json={"ticket": {"id": 5201}})
    http.post(ONCALL, json={"ok": True})
    assert replay.run(type("Args", (), {"job_ids": [], "list": False})()) == 0
    drain(zendesk)
    assert failed.count == 0
    assert "third time" in note_of(fixed.calls[0])


@pytest.mark.parametrize("status", [500, 502])
def test_server_errors_back_off(client, zendesk, http, status):
    zendesk_me(http)
    expect_payroll_writes(http, ticket_status=status)
    before = datetime.now(UTC)
    post_zendesk(client, PAYROLL)
    drain(zendesk)
    _, when = scheduled_retry(zendesk)
    assert before + timedelta(seconds=4) <= when <= datetime.now(UTC) + timedelta(seconds=6)


def test_agent_reply_gets_a_coaching_note_only(client, zendesk, http):
    zendesk_me(http, actor="9000000000001")
    http.put(f"{API}/tickets/5201/tags", json={})
    coaching = http.put(f"{API}/tickets/5201", json={"ticket": {"id": 5201}})
    post_zendesk(client, "zendesk/comment_added__agent_reply.json")
    drain(zendesk)
    tags = json_body(http.calls[1])["tags"]
    assert "attune_reply_jargon" in tags
    note = note_of(coaching.calls[0])
    assert "Reply coaching" in note
    assert "dns" in note.lower() and "dhcp" in note.lower()
    assert "priority" not in json_body(coaching.calls[0])["ticket"]


def test_dry_run_records_but_writes_nothing(make_env, http):
    from conftest import create_app

    runtime = make_env(dict(ZENDESK_ENV, ATTUNE_DRY_RUN="1"))
    zendesk_me(http)
    client = create_app(runtime).test_client()
    assert post_zendesk(client, PAYROLL).status_code == 202
    drain(runtime)
    assert [c.request.method for c in http.calls] == ["GET"]
    entries = audit.read(runtime.redis, "zendesk", "5201")
    assert {e["result"] for e in entries if e["kind"] == "write"} == {"dry_run"}
    [calls] = [e["calls"] for e in entries if e["kind"] == "dry_run_calls"]
    assert [c["path"] for c in calls] == ["/api/v2/tickets/5201/tags", "/api/v2/tickets/5201"]


def test_chat_webhook_url_stays_out_of_the_audit_trail(client, zendesk, http):
    process_payroll(client, zendesk, http)
    trail = str(audit.read(zendesk.redis, "zendesk", "5201"))
    assert "notify" in trail
    assert ONCALL not in trail


def test_notify_without_a_configured_url_posts_nothing(client, zendesk, http, monkeypatch):
    monkeypatch.delenv("ATTUNE_ONCALL_WEBHOOK_URL")
    process_payroll(client, zendesk, http, oncall=False)
    results = {e["action"]: e["result"] for e in audit.read(zendesk.redis, "zendesk", "5201")
               if e["kind"] == "write"}
    assert results["notify"] == "no_url_configured"
    assert results["set_priority"] == "done"


def test_requests_sent_match_the_zendesk_support_api_spec(client, zendesk, http):
    from openapi_check import ZENDESK, assert_conforms, load
    from openapi_check import operation as find_operation

    process_payroll(client, zendesk, http)
    me, groups, tags, update = [c.request for c in http.calls
                                if c.request.url.startswith(ZENDESK_ENV["ZENDESK_URL"])]
    for request in (me, groups, update):
        assert_conforms(ZENDESK, request)
    # Add Tags documents its body in prose only: {"tags": [...]}, optionally with safe_update.
    _, operation = find_operation(load(ZENDESK), tags.method, tags.url)
    assert operation["operationId"] == "PutTagsTicket"
    assert set(json.loads(tags.body)) <= {"tags", "safe_update", "updated_stamp"}


def test_unknown_group_is_skipped_and_the_rest_is_written(client, zendesk, http, caplog):
    zendesk_me(http)
    http.get(f"{API}/groups", json={"groups": [{"id": 7, "name": "Service desk"}]})
    http.put(f"{API}/tickets/5201/tags", json={"tags": PAYROLL_TAGS},
             match=[matchers.json_params_matcher({"tags": PAYROLL_TAGS})])
    update = http.put(f"{API}/tickets/5201", json={"ticket": {"id": 5201}})
    http.post(ONCALL, json={"ok": True})
    post_zendesk(client, PAYROLL)
    drain(zendesk)
    body = json_body(update.calls[0])["ticket"]
    assert body["priority"] == "urgent" and "group_id" not in body
    assert "whole finance team" in body["comment"]["body"]
    assert "no Zendesk group named 'escalations'" in caplog.text
    results = {e["action"]: e["result"] for e in audit.read(zendesk.redis, "zendesk", "5201")
               if e["kind"] == "write"}
    assert results["assign_group"].startswith("refused: zendesk: no Zendesk group named")
    assert FailedJobRegistry(queue=zendesk.queue).count == 0
