"""Jira and Freshdesk end to end, as tests/test_zendesk_pipeline.py does for Zendesk.

Signed webhook through the Flask test client -> inbox -> real rq worker on real Redis -> the
helpdesk API, mocked with `responses` matching the exact JSON Attune writes back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from conftest import drain, fixture_bytes, json_body, scheduled_retry
from responses import matchers
from rq.registry import FailedJobRegistry

from middleware import create_app

JIRA_ENV = {"JIRA_URL": "https://acme.atlassian.net", "JIRA_EMAIL": "attune@acme.example",
            "JIRA_API_TOKEN": "jira-token-5ecret-value", "JIRA_WEBHOOK_SECRET": "jira-webhook-5ecret-value",
            "JIRA_GROUP_FIELD": "customfield_10050"}
FRESHDESK_ENV = {"FRESHDESK_URL": "https://acme.freshdesk.com",
                 "FRESHDESK_API_KEY": "fd-api-key-5ecret-value",
                 "FRESHDESK_WEBHOOK_SECRET": "fd-webhook-5ecret-value"}
JIRA_ACTOR = "712020:0a0b0c0d-aaaa-4bbb-8ccc-attune000001"
FRESHDESK_ACTOR = 43000000042
PAYROLL_TAGS = ["attune_sentiment_negative", "attune_impact_critical", "attune_frustration_high",
                "attune_blocked", "attune_deadline", "attune_people_affected",
                "attune_scenario_urgent_request", "attune_escalated"]
ONCALL = "https://chat.example.com/hooks/attune-oncall"
PHRASES = ("third time", "unacceptable", "whole finance team", "Attune escalated this ticket")


class Jira:
    name, env, fixture, ticket_id = "jira", JIRA_ENV, "jira/issue_created__payroll_blocked.json", "SUP-5201"
    api = JIRA_ENV["JIRA_URL"]

    @staticmethod
    def headers(body: bytes, delivery: str = "d6f1a3c2-0001") -> dict[str, str]:
        digest = hmac.new(JIRA_ENV["JIRA_WEBHOOK_SECRET"].encode(), body, hashlib.sha256).hexdigest()
        return {"X-Hub-Signature": f"sha256={digest}", "X-Atlassian-Webhook-Identifier": delivery,
                "Content-Type": "application/json"}

    def me(self, http) -> None:
        http.get(f"{self.api}/rest/api/3/myself", json={"accountId": JIRA_ACTOR, "accountType": "atlassian"})

    def expect_writes(self, http, status: int = 204, headers: dict | None = None):
        edit = http.put(f"{self.api}/rest/api/3/issue/SUP-5201", status=status, headers=headers or {},
                        match=[matchers.json_params_matcher({
                            "update": {"labels": [{"add": tag} for tag in PAYROLL_TAGS]},
                            "fields": {"priority": {"name": "Highest"},
                                       "customfield_10050": {"name": "escalations"}}})])
        note = None
        if status < 400:
            note = http.post(f"{self.api}/rest/servicedeskapi/request/SUP-5201/comment", status=201,
                             json={"id": "30001", "public": False})
        return edit, note

    def note_text(self, call) -> str:
        body = json_body(call)
        assert body["public"] is False
        return body["body"]


class Freshdesk:
    name, env, ticket_id = "freshdesk", FRESHDESK_ENV, "5201"
    fixture = "freshdesk/ticket_created__payroll_blocked.json"
    api = FRESHDESK_ENV["FRESHDESK_URL"] + "/api/v2"
    ticket = {"id": 5201, "tags": ["payroll", "vpn"], "updated_at": "2026-11-20T09:15:01Z"}

    @staticmethod
    def headers(body: bytes, delivery: str = "") -> dict[str, str]:
        token = base64.b64encode(f"attune:{FRESHDESK_ENV['FRESHDESK_WEBHOOK_SECRET']}".encode()).decode()
        return {"Authorization": f"Basic {token}", "Content-Type": "application/json"}

    def me(self, http) -> None:
        http.get(f"{self.api}/agents/me", json={"id": FRESHDESK_ACTOR, "contact": {"name": "Attune"}})

    def expect_writes(self, http, status: int = 200, headers: dict | None = None):
        http.get(f"{self.api}/groups", json=[{"id": 9001, "name": "Escalations"}])
        http.get(f"{self.api}/tickets/5201", json=self.ticket)
        edit = http.put(f"{self.api}/tickets/5201", status=status, headers=headers or {}, json=self.ticket,
                        match=[matchers.json_params_matcher({"priority": 4, "group_id": 9001,
                                                             "tags": ["payroll", "vpn", *PAYROLL_TAGS]})])
        note = None
        if status < 400:
            note = http.post(f"{self.api}/tickets/5201/notes", status=201, json={"id": 1, "private": True})
        return edit, note

    def note_text(self, call) -> str:
        body = json_body(call)
        assert body["private"] is True
        return body["body"]


HELPDESKS = [Jira(), Freshdesk()]


@pytest.fixture(params=HELPDESKS, ids=lambda h: h.name)
def desk(request, make_env):
    helpdesk = request.param
    helpdesk.runtime = make_env(dict(helpdesk.env))
    helpdesk.client = create_app(helpdesk.runtime).test_client()
    return helpdesk


def post(desk, path: str | None = None, **headers: str):
    body = fixture_bytes(path or desk.fixture)
    return desk.client.post(f"/webhooks/{desk.name}", data=body, headers=desk.headers(body, **headers))


def test_ticket_is_labelled_noted_and_escalated(desk, http):
    desk.me(http)
    edit, note = desk.expect_writes(http)
    notify = http.post(ONCALL, json={"ok": True})
    assert post(desk).status_code == 202
    drain(desk.runtime)
    text = desk.note_text(note.calls[0])
    for phrase in PHRASES:
        assert phrase in text
    assert json_body(notify.calls[0])["text"] == (
        f"Frustrated customer, critical impact, {desk.name} ticket {desk.ticket_id}.")


def test_redelivery_writes_nothing_new(desk, http):
    desk.me(http)
    desk.expect_writes(http)
    http.post(ONCALL, json={"ok": True})
    assert post(desk).status_code == 202
    drain(desk.runtime)
    sent = len(http.calls)
    again = post(desk)
    assert (again.status_code, again.get_json()["status"]) == (200, "duplicate")
    drain(desk.runtime)
    assert len(http.calls) == sent


OWN_CHANGES = {"jira": "jira/comment_created__by_attune.json",
               "freshdesk": "freshdesk/private_note__by_attune.json"}


def test_attunes_own_change_is_not_acted_on(desk, http):
    desk.me(http)
    assert post(desk, OWN_CHANGES[desk.name], delivery="own-1").status_code == 202
    drain(desk.runtime)
    assert [c.request.method for c in http.calls] == ["GET"]


def test_attunes_own_labels_coming_back_are_ignored_at_the_door(make_env, http):
    runtime = make_env(dict(JIRA_ENV))
    client = create_app(runtime).test_client()
    body = fixture_bytes("jira/issue_updated__attune_labels.json")
    reply = client.post("/webhooks/jira", data=body, headers=Jira.headers(body, "labels-1"))
    assert (reply.status_code, reply.get_json()["status"]) == (200, "ignored")


def test_rate_limited_write_is_retried_after_retry_after(desk, http):
    desk.me(http)
    desk.expect_writes(http, status=429, headers={"Retry-After": "93"})
    before = datetime.now(UTC)
    post(desk)
    drain(desk.runtime)
    job, when = scheduled_retry(desk.runtime)
    assert before + timedelta(seconds=92) <= when <= datetime.now(UTC) + timedelta(seconds=94)
    assert job.kwargs == {"attempt": 2}
    assert FailedJobRegistry(queue=desk.runtime.queue).count == 0


def test_unsigned_delivery_is_refused(desk):
    body = fixture_bytes(desk.fixture)
    reply = desk.client.post(f"/webhooks/{desk.name}", data=body,
                             headers={"Content-Type": "application/json"})
    assert reply.status_code == 401
    assert desk.env[f"{desk.name.upper()}_WEBHOOK_SECRET"] not in json.dumps(reply.get_json())
