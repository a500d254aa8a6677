"""Freshdesk: automation-rule webhooks in, API v2 writes out.

Vendor behaviour this module relies on (see ../shared/reference/FACTS.md section 3):
- Freshdesk has no webhook API, no fixed webhook body and no signature. A "Trigger Webhook"
  action in an automation rule POSTs whatever JSON the admin writes with placeholders, and can
  send HTTP Basic credentials ("Requires authentication"); Attune checks the password against
  `FRESHDESK_WEBHOOK_SECRET`. `TEMPLATE` is the body admins paste (docs/helpdesks.md); the same
  `freshdesk_webhook` shape, with fewer fields, is what Zulip's integration documents.
  https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules
- `{{triggered_event}}` renders like `{ticket_action:created}`, `{note_type:private}`,
  `{status:{from:4,to:6}}` or `{priority:{from:3,to:1}}`; other events are answered 200 and ignored.
  Status and priority placeholders render names ("Open", "Medium"); due times render without a
  reliable zone, so a time with no offset is read in `FRESHDESK_TIMEZONE` (default UTC).
- Freshdesk retries a failed webhook after 5, 30 and 60 minutes with the same body, and the body
  has no delivery id, so the delivery id is the ticket id, the triggered event and a digest of the
  whole body (which carries the due times and the latest notes).
- `tags` on `PUT /api/v2/tickets/{id}` replaces the list, and Freshdesk has no conditional
  update. Attune reads the ticket, merges its tags with the current ones, reads it again just
  before the write and starts over if `updated_at` moved. This narrows the window in which an
  agent's concurrent tag change can be lost to the time between that last read and the write; it
  cannot close it. Tags, priority (1 low .. 4 urgent) and group go in that one update.
  https://developers.freshdesk.com/api/#update_ticket
- A private note is `POST /api/v2/tickets/{id}/notes` with `private: true` and an HTML body. Its
  last line is `NOTE_MARKER`, so a rule can exclude it and Attune recognises its own note when a
  "note added" rule sends it back. Rules should also exclude events performed by the API agent
  (`GET /api/v2/agents/me`), whose id Attune compares with the event's actor when one is sent.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import json
import re
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateparser

from connectors.base import Action, Connector, PayloadError, SignatureError
from middleware.config import ConfigError
from middleware.events import Comment, Requester, TicketEvent

NOTE_MARKER = "#attune-note"
MERGE_ATTEMPTS = 3
TEMPLATE = {"freshdesk_webhook": {
    "triggered_event": "{{triggered_event}}",
    "ticket_id": "{{ticket.id}}",
    "ticket_subject": "{{ticket.subject}}",
    "ticket_description": "{{ticket.description}}",
    "ticket_status": "{{ticket.status}}",
    "ticket_priority": "{{ticket.priority}}",
    "ticket_tags": "{{ticket.tags}}",
    "requester_name": "{{ticket.requester.name}}",
    "requester_email": "{{ticket.requester.email}}",
    "due_by": "{{ticket.due_by_time}}",
    "fr_due_by": "{{ticket.fr_due_by_time}}",
    "latest_public_comment": "{{ticket.latest_public_comment}}",
    "latest_private_comment": "{{ticket.latest_private_comment}}",
}}
EVENTS = {("ticket_action", "created"): "ticket_created", ("note_type", "private"): "comment_added",
          ("note_type", "public"): "comment_added", ("status", None): "status_changed",
          ("priority", None): "priority_changed"}
PRIORITY = {"low": "low", "1": "low", "medium": "normal", "2": "normal", "high": "high", "3": "high",
            "urgent": "urgent", "4": "urgent"}
PRIORITY_NUMBERS = {"low": 1, "normal": 2, "high": 3, "urgent": 4}
STATUS = {"open": "open", "2": "open", "pending": "pending", "3": "pending", "resolved": "solved",
          "4": "solved", "closed": "closed", "5": "closed", "waiting on customer": "pending",
          "waiting on third party": "on_hold"}
_EVENT = re.compile(r"^\{\s*(\w+)\s*:\s*(.*?)\s*\}$", re.S)
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?>", re.I)


class FreshdeskConnector(Connector):
    name = "freshdesk"
    title = "Freshdesk"

    def __init__(self, settings: Mapping[str, str], **kwargs: object):
        super().__init__(settings, **kwargs)
        zone = self.settings.get("timezone") or "UTC"
        try:
            self.zone = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError([f"FRESHDESK_TIMEZONE: expected an IANA zone such as Europe/Paris, "
                               f"got {zone!r}"]) from None

    # inbound -------------------------------------------------------------------------------
    def verify(self, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
        scheme, _, encoded = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic" or not encoded:
            raise SignatureError("missing HTTP Basic credentials (set them in the automation rule)")
        try:
            _, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise SignatureError("the Authorization header is not valid HTTP Basic") from None
        if not hmac.compare_digest(password.encode(), self.settings["webhook_secret"].encode()):
            raise SignatureError("the Basic password is not the webhook secret")

    def delivery_id(self, payload: dict, headers: Mapping[str, str]) -> str:
        data = _data(payload)
        event = re.sub(r"[^A-Za-z0-9_:.-]", "", str(data.get("triggered_event") or ""))
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
        return f"{data.get('ticket_id')}:{event}:{digest}"

    def event_type(self, payload: dict) -> str:
        return str(_data(payload).get("triggered_event") or "unknown")

    def accept(self, payload: dict, headers: Mapping[str, str]) -> str | None:
        return self.delivery_id(payload, headers) if _kind(_data(payload))[0] else None

    def parse(self, payload: dict, headers: Mapping[str, str]) -> TicketEvent | None:
        data = _data(payload)
        kind, key, value = _kind(data)
        if kind is None:
            return None
        return TicketEvent(
            source=self.name, delivery_id=self.delivery_id(payload, headers), event_type=kind,
            ticket_id=str(data["ticket_id"]).strip(), subject=str(data.get("ticket_subject") or ""),
            description=plain_text(data.get("ticket_description")), comment=_comment(data, key, value),
            actor_id=_str(data.get("performer_id")), requester=_requester(data),
            priority=PRIORITY.get(str(data.get("ticket_priority") or "").strip().lower()),
            status=STATUS.get(str(data.get("ticket_status") or "").strip().lower()),
            tags=_tags(data.get("ticket_tags")), first_response_due=self._time(data.get("fr_due_by")),
            resolution_due=self._time(data.get("due_by")),
            changed_fields=[key] if kind in ("status_changed", "priority_changed") else [],
        )

    def _time(self, value: object) -> datetime | None:
        text = str(value or "").strip()
        if not text or "{{" in text:
            return None
        try:
            parsed = dateparser.parse(text.replace(" at ", " "))
        except (ValueError, OverflowError):
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=self.zone)

    # loop avoidance ------------------------------------------------------------------------
    def fetch_own_actor_id(self) -> str:
        return str(self.request("GET", "/api/v2/agents/me", read=True)["id"])

    def is_own_echo(self, event: TicketEvent, own_actor_id: str | None) -> bool:
        marked = event.comment is not None and NOTE_MARKER in event.comment.body
        return marked or super().is_own_echo(event, own_actor_id)

    # outbound ------------------------------------------------------------------------------
    def auth(self) -> tuple[str, str]:
        return (self.settings.get("api_key", ""), "X")

    def secrets(self) -> list[str]:
        return [v for k in ("api_key", "webhook_secret") if len(v := self.settings.get(k) or "") >= 4]

    def fetch(self, ticket_id: str) -> dict:
        return self.request("GET", f"/api/v2/tickets/{ticket_id}", read=True)

    def add_tags(self, ticket_id: str, tags: list[str]) -> None:
        self.apply(ticket_id, [Action("add_tags", list(tags))])

    def add_internal_note(self, ticket_id: str, body: str) -> None:
        self.request("POST", f"/api/v2/tickets/{ticket_id}/notes",
                     body={"body": note_html(body), "private": True})

    def set_priority(self, ticket_id: str, priority: str) -> None:
        self._update(ticket_id, {"priority": PRIORITY_NUMBERS[priority]})

    def assign_group(self, ticket_id: str, group: str) -> None:
        self._update(ticket_id, {"group_id": self.group_id(group)})

    def apply(self, ticket_id: str, actions: list[Action]) -> None:
        """Tags, priority and group in one ticket update, then the notes as one private note."""
        fields: dict = {}
        for action in actions:
            if action.verb == "set_priority":
                fields["priority"] = PRIORITY_NUMBERS[str(action.value)]
            elif action.verb == "assign_group":
                fields["group_id"] = self.group_id(str(action.value))
        tags = [str(t) for a in actions if a.verb == "add_tags" for t in a.value]
        merged = self.merged_tags(ticket_id, tags) if tags else None
        if merged is not None:
            fields["tags"] = merged
        if fields:
            self._update(ticket_id, fields)
        notes = [str(a.value) for a in actions if a.verb == "add_internal_note"]
        if notes:
            self.add_internal_note(ticket_id, "\n\n".join(notes))

    def merged_tags(self, ticket_id: str, tags: list[str]) -> list[str] | None:
        """The ticket's tags plus `tags`, read twice to catch a concurrent change; None if nothing is new."""
        current = self.fetch(ticket_id) or {}
        for _ in range(MERGE_ATTEMPTS):
            have = [str(t) for t in current.get("tags") or []]
            merged = list(dict.fromkeys(have + tags))
            latest = self.fetch(ticket_id) or {}
            if latest.get("updated_at") == current.get("updated_at"):
                return merged if merged != have else None
            current = latest
        raise self._error(f"ticket {ticket_id} kept changing while its tags were merged", True)

    def list_groups(self) -> dict[str, int]:
        listing = self.request("GET", "/api/v2/groups", params={"per_page": 100}, read=True) or []
        return {str(g["name"]): g["id"] for g in listing}

    def _update(self, ticket_id: str, fields: dict) -> None:
        self.request("PUT", f"/api/v2/tickets/{ticket_id}", body=fields)


def _data(payload: dict) -> dict:
    inner = payload.get("freshdesk_webhook")
    return inner if isinstance(inner, dict) else payload


def _kind(data: dict) -> tuple[str | None, str, str]:
    """The normalized event type (None: not acted on) and the raw triggered event's key/value."""
    problems = {key: f"missing: expected the rendered {{{{{placeholder}}}}} placeholder"
                for key, placeholder in (("ticket_id", "ticket.id"), ("triggered_event", "triggered_event"))
                if not str(data.get(key) or "").strip()}
    if problems:
        raise PayloadError(problems)
    key, value = triggered(str(data["triggered_event"]))
    return EVENTS.get((key, value)) or EVENTS.get((key, None)), key, value


def triggered(text: str) -> tuple[str, str]:
    """`{note_type:private}` -> ("note_type", "private"); `{status:{from:4,to:6}}` -> ("status", ...)."""
    match = _EVENT.match(text.strip())
    return (match.group(1), match.group(2)) if match else (text.strip(), "")


def plain_text(markup: object) -> str:
    """An HTML body as plain text: line breaks kept, tags dropped, entities decoded."""
    text = _TAG.sub("", _BREAK.sub("\n", str(markup or "")))
    lines = [" ".join(html.unescape(line).split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def note_html(text: str) -> str:
    """A plain-text note as Freshdesk's HTML body, with the marker as its last line."""
    lines = [html.escape(line) for line in text.splitlines()] + ["", NOTE_MARKER]
    return "<div>" + "<br>".join(lines) + "</div>"


def _comment(data: dict, key: str, value: str) -> Comment | None:
    if key != "note_type":
        return None
    public = value == "public"
    body = plain_text(data.get("latest_public_comment" if public else "latest_private_comment"))
    return Comment(body=body, author_role="agent", public=public) if body else None


def _requester(data: dict) -> Requester:
    return Requester(email=_str(data.get("requester_email")), name=_str(data.get("requester_name")))


def _tags(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(t) for t in value if str(t).strip()]
    return [t.strip() for t in str(value or "").split(",") if t.strip()]


def _str(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None
