"""The Freshdesk connector: each fixture's exact TicketEvent, Basic auth, the tag merge, the requests sent."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import FIXTURES
from openapi_check import FRESHDESK, assert_conforms
from responses import matchers

from connectors.base import Action, ConnectorError, SignatureError
from connectors.freshdesk import NOTE_MARKER, TEMPLATE, FreshdeskConnector, note_html, triggered
from middleware.config import ConfigError
from middleware.events import Comment, Requester, TicketEvent

URL = "https://acme.freshdesk.com"
API = URL + "/api/v2"
SETTINGS = {"url": URL, "api_key": "fd-api-key-5ecret", "webhook_secret": "fd-webhook-5ecret"}
BOB = Requester(email="requester-bob@example.com", name="Requester Bob")
SUBJECT = "Test ticket subject"
DESCRIPTION = "Test ticket description."


def load(name: str) -> dict:
    return json.loads((FIXTURES / "freshdesk" / f"{name}.json").read_text())


def parse(name: str) -> TicketEvent | None:
    connector = FreshdeskConnector(SETTINGS)
    payload = load(name)
    return connector.parse(payload, {})


def delivery(name: str) -> str:
    return FreshdeskConnector(SETTINGS).delivery_id(load(name), {})


def zulip_event(name: str, event_type: str, **fields) -> TicketEvent:
    base = dict(source="freshdesk", delivery_id=delivery(name), event_type=event_type, ticket_id="11",
                subject=SUBJECT, description=DESCRIPTION, requester=BOB)
    return TicketEvent(**{**base, **fields})


EXPECTED = {
    "ticket_created": lambda: zulip_event(
        "ticket_created", "ticket_created", subject="Test ticket subject \u2603",
        description="Test ticket description \u2603.", priority="high", status="pending",
        requester=Requester(email="requester-bob@example.com", name="Requester \u2603 Bob")),
    "private_note": lambda: zulip_event("private_note", "comment_added", priority="normal", status="open"),
    "public_note": lambda: zulip_event("public_note", "comment_added", priority="normal", status="open"),
    "status_changed": lambda: zulip_event(
        "status_changed", "status_changed", subject="Test ticket subject \u2603",
        description="Test ticket description \u2603.", priority="low", status="pending",
        changed_fields=["status"]),
    "priority_changed": lambda: zulip_event("priority_changed", "priority_changed", priority="low",
                                            status="solved", changed_fields=["priority"]),
    "ticket_created__payroll_blocked": lambda: TicketEvent(
        source="freshdesk", delivery_id=delivery("ticket_created__payroll_blocked"),
        event_type="ticket_created", ticket_id="5201", subject="VPN keeps dropping - cannot run payroll",
        description="This is the third time I am reporting this. The VPN drops every few minutes and I "
                    "cannot run payroll, which is due by 2pm today. The whole finance team is blocked.\n"
                    "Still no reply after 3 days - this is unacceptable!",
        requester=Requester(email="dana.reyes@customer.example", name="Dana Reyes"), priority="high",
        status="open", tags=["payroll", "vpn"],
        first_response_due=datetime(2026, 11, 20, 9, 45, 1, tzinfo=UTC),
        resolution_due=datetime(2026, 11, 20, 13, 15, 1, tzinfo=UTC)),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_becomes_exact_event(name):
    event = parse(name)
    assert event == EXPECTED[name]()
    assert TicketEvent.from_dict(event.to_dict()) == event


def test_delivery_id_is_ticket_event_and_body_digest():
    assert delivery("status_changed").startswith("11:status:from:4to:6:")
    assert delivery("status_changed") == delivery("status_changed")
    assert delivery("private_note") != delivery("public_note")


def test_attunes_own_note_is_an_echo():
    connector = FreshdeskConnector(SETTINGS)
    event = connector.parse(load("private_note__by_attune"), {})
    assert event.comment == Comment(body="Critical impact urgent request: frustration high, sentiment "
                                         f"negative.\n{NOTE_MARKER}", author_role="agent", public=False)
    assert connector.is_own_echo(event, "42")
    assert not connector.is_own_echo(parse("private_note"), "42")


def test_own_agent_is_read_from_agents_me(http):
    http.get(f"{API}/agents/me", json={"id": 43000000042, "contact": {"name": "Attune"}})
    assert FreshdeskConnector(SETTINGS).fetch_own_actor_id() == "43000000042"


@pytest.mark.parametrize("text, key, value", [
    ("{ticket_action:created}", "ticket_action", "created"),
    ("{note_type:private}", "note_type", "private"),
    ("{priority:{from:3,to:1}}", "priority", "{from:3,to:1}"),
    ("something else", "something else", ""),
])
def test_triggered_event_is_split_into_key_and_value(text, key, value):
    assert triggered(text) == (key, value)


def test_unknown_triggered_events_are_ignored():
    payload = load("status_changed")
    payload["freshdesk_webhook"]["triggered_event"] = "{responder_id:{from:1,to:2}}"
    assert FreshdeskConnector(SETTINGS).parse(payload, {}) is None


def test_template_rendered_with_friendly_times_is_read_in_the_helpdesk_zone():
    rendered = json.dumps(TEMPLATE)
    for placeholder, value in (("{{triggered_event}}", "{ticket_action:created}"), ("{{ticket.id}}", "77"),
                               ("{{ticket.due_by_time}}", "Fri, 20 Nov, 2026 at 5:00 PM"),
                               ("{{ticket.fr_due_by_time}}", "")):
        rendered = rendered.replace(placeholder, value)
    rendered = json.loads(rendered)
    event = FreshdeskConnector({**SETTINGS, "timezone": "Europe/Paris"}).parse(rendered, {})
    assert event.resolution_due == datetime(2026, 11, 20, 17, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert event.first_response_due is None
    assert event.subject == "{{ticket.subject}}"


# authentication --------------------------------------------------------------------------------
def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_basic_password_is_the_webhook_secret():
    FreshdeskConnector(SETTINGS).verify(basic("attune", SETTINGS["webhook_secret"]), b"{}", datetime.now(UTC))


@pytest.mark.parametrize("headers", [{}, basic("attune", "wrong"), {"Authorization": "Basic !!!"},
                                     {"Authorization": "Bearer fd-webhook-5ecret"}])
def test_other_credentials_are_refused(headers):
    with pytest.raises(SignatureError):
        FreshdeskConnector(SETTINGS).verify(headers, b"{}", datetime.now(UTC))


# writes ------------------------------------------------------------------------------------------
TICKET = {"id": 5201, "tags": ["payroll", "vpn"], "updated_at": "2026-11-20T09:15:01Z"}
ACTIONS = [Action("add_tags", ["attune_impact_critical", "vpn"]), Action("set_priority", "urgent"),
           Action("assign_group", "Escalations"), Action("add_internal_note", "Critical impact."),
           Action("add_internal_note", "Escalated <now>.")]


def test_tags_are_merged_and_written_with_priority_and_group_in_one_update(http):
    http.get(f"{API}/groups", json=[{"id": 9001, "name": "Escalations"}],
             match=[matchers.query_param_matcher({"per_page": "100"})])
    reads = http.get(f"{API}/tickets/5201", json=TICKET)
    update = http.put(f"{API}/tickets/5201", json=TICKET, match=[matchers.json_params_matcher(
        {"priority": 4, "group_id": 9001, "tags": ["payroll", "vpn", "attune_impact_critical"]})])
    note = http.post(f"{API}/tickets/5201/notes", status=201, json={"id": 1, "private": True},
                     match=[matchers.json_params_matcher({
                         "body": "<div>Critical impact.<br><br>Escalated &lt;now&gt;.<br><br>"
                                 f"{NOTE_MARKER}</div>",
                         "private": True})])
    FreshdeskConnector(SETTINGS).apply("5201", ACTIONS)
    assert reads.call_count == 2, "read, merge, then read again right before the write"
    assert [c.request.method for c in http.calls] == ["GET", "GET", "GET", "PUT", "POST"]
    assert_conforms(FRESHDESK, update.calls[0].request)
    assert_conforms(FRESHDESK, note.calls[0].request)


def test_a_concurrent_change_restarts_the_merge(http):
    changed = dict(TICKET, tags=["payroll", "vpn", "billing"], updated_at="2026-11-20T09:15:30Z")
    http.get(f"{API}/tickets/5201", json=TICKET)
    http.get(f"{API}/tickets/5201", json=changed)
    http.get(f"{API}/tickets/5201", json=changed)
    http.put(f"{API}/tickets/5201", json=changed, match=[matchers.json_params_matcher(
        {"tags": ["payroll", "vpn", "billing", "attune_blocked"]})])
    FreshdeskConnector(SETTINGS).add_tags("5201", ["attune_blocked"])


def test_a_ticket_that_keeps_changing_is_retried_later(http):
    for second in range(4):
        http.get(f"{API}/tickets/5201", json=dict(TICKET, updated_at=f"2026-11-20T09:15:0{second}Z"))
    with pytest.raises(ConnectorError) as exc:
        FreshdeskConnector(SETTINGS).add_tags("5201", ["attune_blocked"])
    assert exc.value.retryable


def test_tags_already_there_are_not_written_again(http):
    http.get(f"{API}/tickets/5201", json=TICKET)
    FreshdeskConnector(SETTINGS).add_tags("5201", ["vpn"])
    assert [c.request.method for c in http.calls] == ["GET", "GET"]


def test_unknown_group_name_is_a_permanent_error(http):
    http.get(f"{API}/groups", json=[{"id": 9001, "name": "Escalations"}])
    with pytest.raises(ConnectorError, match="no Freshdesk group named 'Billing'") as exc:
        FreshdeskConnector(SETTINGS).assign_group("5201", "Billing")
    assert not exc.value.retryable


def test_note_html_escapes_text_and_ends_with_the_marker():
    assert note_html("a < b\nsecond") == f"<div>a &lt; b<br>second<br><br>{NOTE_MARKER}</div>"


def test_bad_timezone_is_a_config_error():
    with pytest.raises(ConfigError):
        FreshdeskConnector({**SETTINGS, "timezone": "Mars/Olympus"})
