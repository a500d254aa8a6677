"""Each Zendesk fixture Attune accepts becomes exactly this TicketEvent; the others are ignored."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest import FIXTURES

from connectors.zendesk import ZendeskConnector
from middleware.events import Comment, Requester, TicketEvent

CONNECTOR = ZendeskConnector({"url": "https://acme.zendesk.com", "webhook_secret": "s"})
PAYROLL_TEXT = ("This is the third time I am reporting this. The VPN drops every few minutes and I "
                "cannot run payroll, which is due by 2pm today. The whole finance team is blocked. "
                "Still no reply after 3 days - this is unacceptable!")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def payroll(**fields: object) -> TicketEvent:
    base = dict(source="zendesk", ticket_id="5201", subject="VPN keeps dropping - cannot run payroll",
                description=PAYROLL_TEXT, priority="high", status="open", tags=["payroll", "vpn"],
                requester=Requester(id="8447388090111", organization="8447346622462"),
                created_at=at("2026-11-20T09:15:01Z"))
    return TicketEvent(**{**base, **fields})


EXPECTED = {
    "ticket_created__captured": TicketEvent(
        source="zendesk", delivery_id="cbe4028c-7239-495d-b020-f22348516046", event_type="ticket_created",
        ticket_id="5158", subject="ticketinfo_2294a6e9ece2", description="ticket_info_desc_2294a6e9ece2",
        actor_id="8447388090494", requester=Requester(id="8447388090494", organization="8447346622462"),
        priority="low", status="open", tags=["ticket-info-test-tag"], created_at=at("2025-01-08T10:12:07Z"),
        updated_at=at("2025-01-08T10:12:07Z")),
    "ticket_created__payroll_blocked": payroll(
        delivery_id="5f0b7c1e-2f4a-4c53-9a57-0d1c2e3f4a51", event_type="ticket_created",
        actor_id="8447388090111", status="new", updated_at=at("2026-11-20T09:15:01Z")),
    "comment_added__requester": payroll(
        delivery_id="7d2e9a40-6b1c-4f0e-8a3d-5c4b3a291b02", event_type="comment_added",
        actor_id="8447388090111", updated_at=at("2026-11-20T10:02:44Z"), changed_fields=["comment"],
        comment=Comment(body="Hello?? Still waiting. Nobody has answered and payroll is due in four hours. "
                             "If this is not fixed today I am escalating to the CFO.",
                        author_role="requester", public=True, author_id="8447388090111")),
    "status_changed__solved": payroll(
        delivery_id="c5e4d3b2-a190-4f8e-b7d6-c5b4a3928170", event_type="status_changed",
        actor_id="8447388090494", status="solved", description="This is the third time I am reporting this.",
        updated_at=at("2026-11-20T12:40:00Z"), changed_fields=["current", "previous"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_becomes_this_ticket_event(name):
    payload = json.loads((FIXTURES / "zendesk" / f"{name}.json").read_text())
    assert CONNECTOR.parse(payload, {}) == EXPECTED[name]
    assert CONNECTOR.accept(payload, {}) == EXPECTED[name].delivery_id


def test_agent_comment_is_marked_as_an_agent_reply():
    payload = json.loads((FIXTURES / "zendesk" / "comment_added__agent_reply.json").read_text())
    comment = CONNECTOR.parse(payload, {}).comment
    assert (comment.author_role, comment.public, comment.author_id) == ("agent", True, "8447388090494")


def test_event_attune_does_not_act_on_is_ignored():
    payload = json.loads((FIXTURES / "zendesk" / "attachment_linked_to_comment.json").read_text())
    assert CONNECTOR.parse(payload, {}) is None
    assert CONNECTOR.accept(payload, {}) is None
