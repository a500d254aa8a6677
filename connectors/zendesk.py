"""Zendesk Support: event-subscription webhooks in, Support API v2 writes out.

Vendor behaviour this module relies on (see ../shared/reference/FACTS.md section 1):
- Signature: base64(HMAC-SHA256(secret, timestamp + raw body)) in `X-Zendesk-Webhook-Signature`,
  the timestamp (ISO-8601 UTC) in `X-Zendesk-Webhook-Signature-Timestamp`.
  https://developer.zendesk.com/documentation/webhooks/verifying/
- Event payloads (`zen:event-type:ticket.*`) carry the ticket snapshot in `detail`; ids are strings
  and enum values may be UPPERCASE there (`"status": "OPEN"`), unlike the REST API.
  https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events
- `tags` on Update Ticket replaces the list; `PUT /api/v2/tickets/{id}/tags` adds without removing.
- A private note is a comment with `public: false`, sent explicitly every time.
- The event's `detail.actor_id` names who made the change: Attune drops its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from dateutil.parser import isoparse

from connectors.base import Action, Connector, PayloadError, SignatureError
from middleware.events import Comment, Requester, TicketEvent

MAX_SKEW = timedelta(minutes=5)
STATUS = {"new": "new", "open": "open", "pending": "pending", "hold": "on_hold",
          "on-hold": "on_hold", "on_hold": "on_hold", "solved": "solved", "closed": "closed"}
PRIORITY = {"low": "low", "normal": "normal", "high": "high", "urgent": "urgent"}
EVENT_TYPES = {
    "zen:event-type:ticket.created": "ticket_created",
    "zen:event-type:ticket.comment_added": "comment_added",
    "zen:event-type:ticket.status_changed": "status_changed",
    "zen:event-type:ticket.priority_changed": "priority_changed",
    "zen:event-type:ticket.tags_changed": "tags_changed",
    "zen:event-type:ticket.sla_policy_changed": "sla_changed",
    "zen:event-type:ticket.subject_changed": "ticket_updated",
    "zen:event-type:ticket.description_changed": "ticket_updated",
}


class ZendeskConnector(Connector):
    name = "zendesk"
    title = "Zendesk"

    # inbound -------------------------------------------------------------------------------
    def verify(self, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
        signature = headers.get("X-Zendesk-Webhook-Signature", "")
        stamp = headers.get("X-Zendesk-Webhook-Signature-Timestamp", "")
        if not signature or not stamp:
            raise SignatureError("missing X-Zendesk-Webhook-Signature or -Timestamp header")
        if not hmac.compare_digest(sign(self.settings["webhook_secret"], stamp, body), signature.strip()):
            raise SignatureError("signature does not match the webhook signing secret")
        try:
            sent = isoparse(stamp)
        except ValueError as exc:
            raise SignatureError("signature timestamp is not an ISO-8601 time") from exc
        if sent.tzinfo is None or abs(now - sent) > MAX_SKEW:
            raise SignatureError("signature timestamp is more than 5 minutes from now")

    def delivery_id(self, payload: dict, headers: Mapping[str, str]) -> str:
        return str(payload.get("id") or "")

    def accept(self, payload: dict, headers: Mapping[str, str]) -> str | None:
        return str(payload["id"]) if self._event_type(payload) else None

    def parse(self, payload: dict, headers: Mapping[str, str]) -> TicketEvent | None:
        event_type = self._event_type(payload)
        if event_type is None:
            return None
        detail = payload["detail"]
        event = _mapping(payload, "event")
        comment = _comment(event, detail)
        return TicketEvent(
            source=self.name, delivery_id=str(payload["id"]), event_type=event_type,
            ticket_id=str(detail["id"]), subject=detail.get("subject") or "",
            description=detail.get("description") or "", comment=comment,
            actor_id=_str(detail.get("actor_id")), requester=_requester(detail),
            priority=PRIORITY.get(str(detail.get("priority") or "").lower()),
            status=STATUS.get(str(detail.get("status") or "").lower()),
            tags=list(detail.get("tags") or []), created_at=_time(detail.get("created_at")),
            updated_at=_time(detail.get("updated_at")), changed_fields=sorted(event),
        )

    def _event_type(self, payload: dict) -> str | None:
        problems = _envelope_problems(payload)
        if problems:
            raise PayloadError(problems)
        return EVENT_TYPES.get(payload["type"])

    # loop avoidance ------------------------------------------------------------------------
    def fetch_own_actor_id(self) -> str:
        me = self.request("GET", "/api/v2/users/me", read=True)
        return str(me["user"]["id"])

    # outbound ------------------------------------------------------------------------------
    def auth(self) -> tuple[str, str]:
        return (f"{self.settings['email']}/token", self.settings["api_token"])

    def list_groups(self) -> dict[str, int]:
        listing = self.request("GET", "/api/v2/groups", read=True) or {}
        return {g["name"]: g["id"] for g in listing.get("groups", [])}

    def fetch(self, ticket_id: str) -> dict:
        return self.request("GET", f"/api/v2/tickets/{ticket_id}", read=True)["ticket"]

    def add_tags(self, ticket_id: str, tags: list[str]) -> None:
        self.request("PUT", f"/api/v2/tickets/{ticket_id}/tags", body={"tags": list(tags)})

    def add_internal_note(self, ticket_id: str, body: str) -> None:
        self._update(ticket_id, {"comment": {"body": body, "public": False}})

    def set_priority(self, ticket_id: str, priority: str) -> None:
        self._update(ticket_id, {"priority": priority})

    def assign_group(self, ticket_id: str, group: str) -> None:
        self._update(ticket_id, {"group_id": self.group_id(group)})

    def apply(self, ticket_id: str, actions: list[Action]) -> None:
        """Tags through the add-tags endpoint; notes (as one), priority and group in one update."""
        tags = [tag for a in actions if a.verb == "add_tags" for tag in a.value]
        if tags:
            self.add_tags(ticket_id, list(dict.fromkeys(tags)))
        update: dict = {}
        notes = [str(a.value) for a in actions if a.verb == "add_internal_note"]
        if notes:
            update["comment"] = {"body": "\n\n".join(notes), "public": False}
        for action in actions:
            if action.verb == "set_priority":
                update["priority"] = action.value
            elif action.verb == "assign_group":
                update["group_id"] = self.group_id(action.value)
        if update:
            self._update(ticket_id, update)

    def _update(self, ticket_id: str, fields: dict) -> None:
        self.request("PUT", f"/api/v2/tickets/{ticket_id}", body={"ticket": fields})


def sign(secret: str, stamp: str, body: bytes) -> str:
    """The `X-Zendesk-Webhook-Signature` of `body` sent at `stamp`: base64(HMAC-SHA256(stamp + body))."""
    digest = hmac.new(secret.encode(), stamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _envelope_problems(payload: dict) -> dict[str, str]:
    problems = {}
    if not isinstance(payload.get("type"), str) or not payload.get("type"):
        problems["type"] = "missing: expected a zen:event-type:... string"
    if not payload.get("id"):
        problems["id"] = "missing: the event id is required"
    detail = payload.get("detail")
    if not isinstance(detail, dict):
        problems["detail"] = "missing: expected the ticket object"
    elif not detail.get("id"):
        problems["detail.id"] = "missing: the ticket id is required"
    return problems


def _mapping(payload: dict, key: str) -> dict:
    value = payload.get(key)
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _time(value: object) -> datetime | None:
    if not value:
        return None
    try:
        return isoparse(str(value))
    except ValueError:
        return None


def _requester(detail: dict) -> Requester:
    return Requester(id=_str(detail.get("requester_id")),
                     organization=_str(detail.get("organization_id")))


def _comment(event: dict, detail: dict) -> Comment | None:
    comment = event.get("comment")
    if not isinstance(comment, dict) or not comment.get("body"):
        return None
    author = comment.get("author") if isinstance(comment.get("author"), dict) else {}
    role = "agent" if author.get("is_staff") else "requester"
    return Comment(body=str(comment["body"]), author_role=role,
                   public=bool(comment.get("is_public", True)), author_id=_str(author.get("id")))
