"""Jira Service Management (Jira Cloud): admin webhooks in, REST API v3 and JSM API writes out.

Vendor behaviour this module relies on (see ../shared/reference/FACTS.md section 2):
- An admin webhook with a secret signs the raw body: `X-Hub-Signature: sha256=<hex HMAC-SHA256>`.
  https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks
- `X-Atlassian-Webhook-Identifier` is the same on every retry of one delivery, so it is the
  delivery id; Jira retries on 408, 409, 425, 429, 5xx and network failures, up to ~30 min late.
  https://developer.atlassian.com/cloud/jira/platform/webhooks/#retry-policy
- Bodies arrive in REST v2 form even on Cloud: descriptions and comments are wiki markup, which
  `plain_text` strips before enrichment. Comment events have no top-level `user`; the actor is
  the comment's author (or its `updateAuthor` for an edit). Jira Server comment events may carry
  no `issue` object, so the issue id is read from the comment's `self` URL.
- A comment also fires `jira:issue_updated` (`issue_event_type_name: issue_commented`); that
  copy is ignored so a comment is processed once, through `comment_created`.
- Labels are added with `update.labels` add operations on `PUT /rest/api/3/issue/{key}`, so no
  one else's label is replaced; labels, priority (by name) and group go in one combined update,
  because Jira limits writes per issue (`RateLimit-Reason: jira-per-issue-on-write`).
  https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
- `Comment.jsdPublic` is read-only in the platform API; an internal note on a service desk
  request goes through `POST /rest/servicedeskapi/request/{key}/comment` with `public: false`.
  For a project that is not a service desk (404 there), or with `JIRA_COMMENT_MODE=platform`, the
  note is a platform comment restricted by `JIRA_COMMENT_VISIBILITY` (`role:Administrators` or
  `group:<name>`); without that setting Attune refuses rather than post a comment all can read.
  https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post
- Loop prevention: events whose actor is Attune's own account (`GET /rest/api/3/myself`) are
  dropped by the pipeline, and a changelog that only adds `attune_*` labels is not acted on.
- JSM SLA custom fields, when the webhook includes them, carry `ongoingCycle.breachTime`; the
  "first response" and "resolution" ones become the event's due times.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from dateutil.parser import isoparse

from connectors.base import Action, Connector, ConnectorError, PayloadError, SignatureError, WriteRefused
from middleware.config import ConfigError
from middleware.events import Comment, Requester, TicketEvent

ID_HEADER = "X-Atlassian-Webhook-Identifier"
SIGNATURE_HEADER = "X-Hub-Signature"
DEFAULT_PRIORITY_MAP = "urgent=Highest,high=High,normal=Medium,low=Low"
OWN_LABEL_PREFIX = "attune_"
COMMENT_MODES = ("servicedesk", "platform")
ISSUE_EVENTS = {"jira:issue_created", "jira:issue_updated"}
COMMENT_EVENTS = {"comment_created", "comment_updated"}
COMMENT_ECHOES = {"issue_commented", "issue_comment_edited", "issue_comment_deleted"}
# Jira's own default priority names that the configured map may not mention.
PRIORITY_NAMES = {"highest": "urgent", "blocker": "urgent", "critical": "urgent", "high": "high",
                  "major": "high", "medium": "normal", "low": "low", "minor": "low",
                  "lowest": "low", "trivial": "low"}
STATUS_NAMES = {"open": "open", "reopened": "open", "in progress": "open", "waiting for support": "open",
                "escalated": "open", "waiting for customer": "pending", "pending": "pending",
                "on hold": "on_hold", "resolved": "solved", "done": "solved", "closed": "closed",
                "canceled": "closed", "cancelled": "closed", "to do": "new", "backlog": "new"}
STATUS_CATEGORIES = {"new": "new", "indeterminate": "open", "done": "solved"}
TEXT_FIELDS = {"summary", "description"}


class JiraConnector(Connector):
    name = "jira"
    title = "Jira"

    def __init__(self, settings: Mapping[str, str], **kwargs: object):
        super().__init__(settings, **kwargs)
        self.priority_levels = parse_priority_map(self.settings.get("priority_map") or DEFAULT_PRIORITY_MAP)
        self.priority_names = {name.lower(): level for level, name in self.priority_levels.items()}
        self.comment_mode = (self.settings.get("comment_mode") or "servicedesk").strip().lower()
        if self.comment_mode not in COMMENT_MODES:
            raise ConfigError([f"JIRA_COMMENT_MODE: expected servicedesk or platform, "
                               f"got {self.comment_mode!r}"])
        self.visibility = parse_visibility(self.settings.get("comment_visibility") or "")

    # inbound -------------------------------------------------------------------------------
    def verify(self, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
        signature = _header(headers, SIGNATURE_HEADER)
        if not signature.startswith("sha256="):
            raise SignatureError("missing X-Hub-Signature header of the form sha256=<hex>")
        digest = hmac.new(self.settings["webhook_secret"].encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(digest, signature[len("sha256="):].strip().lower()):
            raise SignatureError("signature does not match the webhook secret")

    def delivery_id(self, payload: dict, headers: Mapping[str, str]) -> str:
        identifier = _header(headers, ID_HEADER)
        if identifier:
            return identifier
        issue, comment = _dict(payload, "issue"), _dict(payload, "comment")
        parts = (payload.get("webhookEvent"), issue.get("id"), comment.get("id"),
                 _dict(payload, "changelog").get("id"), payload.get("timestamp"))
        return "sha256-" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]

    def parse(self, payload: dict, headers: Mapping[str, str]) -> TicketEvent | None:
        kind = payload.get("webhookEvent")
        if not isinstance(kind, str) or not kind:
            raise PayloadError({"webhookEvent": "missing: expected e.g. jira:issue_created"})
        if kind in ISSUE_EVENTS:
            return self._issue_event(payload, headers)
        if kind in COMMENT_EVENTS:
            return self._comment_event(payload, headers)
        return None

    def _issue_event(self, payload: dict, headers: Mapping[str, str]) -> TicketEvent | None:
        if payload.get("issue_event_type_name") in COMMENT_ECHOES:
            return None
        items = _changelog(payload)
        if payload["webhookEvent"] == "jira:issue_updated" and only_own_labels(items):
            return None
        changed = sorted({str(i.get("fieldId") or str(i.get("field") or "").lower()) for i in items} - {""})
        kind = "ticket_created" if payload["webhookEvent"] == "jira:issue_created" else _update_kind(changed)
        user = _dict(payload, "user")
        return self._event(payload, headers, kind, _account(user), None, changed)

    def _comment_event(self, payload: dict, headers: Mapping[str, str]) -> TicketEvent:
        raw = _dict(payload, "comment")
        if not raw:
            raise PayloadError({"comment": "missing: expected the comment object"})
        who = _dict(raw, "updateAuthor") if payload["webhookEvent"] == "comment_updated" else {}
        author = who or _dict(raw, "author")
        return self._event(payload, headers, "comment_added", _account(author),
                           self._comment(raw, author, payload), [])

    def _event(self, payload: dict, headers: Mapping[str, str], kind: str, actor: str | None,
               comment: Comment | None, changed: list[str]) -> TicketEvent:
        fields = _dict(_dict(payload, "issue"), "fields")
        first_response, resolution = sla_due_times(fields)
        return TicketEvent(
            source=self.name, delivery_id=self.delivery_id(payload, headers), event_type=kind,
            ticket_id=_ticket_id(payload), subject=str(fields.get("summary") or ""),
            description=plain_text(fields.get("description") or ""), comment=comment,
            actor_id=actor, requester=_requester(fields), priority=self._priority(fields),
            status=_status(fields), tags=[str(x) for x in fields.get("labels") or []],
            created_at=_time(fields.get("created")), updated_at=_time(fields.get("updated")),
            first_response_due=first_response, resolution_due=resolution, changed_fields=changed,
        )

    def _comment(self, raw: dict, author: dict, payload: dict) -> Comment | None:
        body = plain_text(raw.get("body") or "")
        if not body:
            return None
        public = raw.get("jsdPublic") is not False
        reporter = _account(_dict(_dict(_dict(payload, "issue"), "fields"), "reporter"))
        if author.get("accountType") == "customer" or (reporter and reporter == _account(author)):
            role = "requester"
        elif author.get("accountType") == "app" or not public:
            role = "agent"
        else:
            role = "unknown"
        return Comment(body=body, author_role=role, public=public, author_id=_account(author))

    def _priority(self, fields: dict) -> str | None:
        name = str(_dict(fields, "priority").get("name") or "").strip().lower()
        return self.priority_names.get(name) or PRIORITY_NAMES.get(name)

    # loop avoidance ------------------------------------------------------------------------
    def fetch_own_actor_id(self) -> str:
        return str(self.request("GET", "/rest/api/3/myself", read=True)["accountId"])

    # outbound ------------------------------------------------------------------------------
    def auth(self) -> tuple[str, str]:
        return (self.settings.get("email", ""), self.settings.get("api_token", ""))

    def secrets(self) -> list[str]:
        return [v for k in ("api_token", "webhook_secret") if len(v := self.settings.get(k) or "") >= 4]

    def fetch(self, ticket_id: str) -> dict:
        return self.request("GET", f"/rest/api/3/issue/{ticket_id}", read=True)

    def add_tags(self, ticket_id: str, tags: list[str]) -> None:
        self._edit(ticket_id, {"update": {"labels": [{"add": t} for t in dict.fromkeys(tags)]}})

    def add_internal_note(self, ticket_id: str, body: str) -> None:
        if self.comment_mode == "platform":
            self._platform_comment(ticket_id, body)
            return
        try:
            self.request("POST", f"/rest/servicedeskapi/request/{ticket_id}/comment",
                         body={"body": body, "public": False})
        except ConnectorError as exc:
            if exc.status != 404 or self.visibility is None:
                raise
            self._platform_comment(ticket_id, body)

    def set_priority(self, ticket_id: str, priority: str) -> None:
        self._edit(ticket_id, {"fields": {"priority": {"name": self._priority_name(priority)}}})

    def assign_group(self, ticket_id: str, group: str) -> None:
        self._edit(ticket_id, {"fields": self._group_fields(group)})

    def apply(self, ticket_id: str, actions: list[Action]) -> None:
        """Labels, priority and group in one issue update, then the notes as one comment."""
        update = self.combined_update(actions)
        if update:
            self._edit(ticket_id, update)
        notes = [str(a.value) for a in actions if a.verb == "add_internal_note"]
        if notes:
            self.add_internal_note(ticket_id, "\n\n".join(notes))

    def combined_update(self, actions: list[Action]) -> dict:
        """The editIssue body for every label, priority and group action in `actions`."""
        labels = [str(t) for a in actions if a.verb == "add_tags" for t in a.value]
        fields: dict = {}
        for action in actions:
            if action.verb == "set_priority":
                fields["priority"] = {"name": self._priority_name(str(action.value))}
            elif action.verb == "assign_group":
                fields.update(self._group_fields(str(action.value)))
        update: dict = {"update": {"labels": [{"add": t} for t in dict.fromkeys(labels)]}} if labels else {}
        if fields:
            update["fields"] = fields
        return update

    def _edit(self, ticket_id: str, body: dict) -> None:
        self.request("PUT", f"/rest/api/3/issue/{ticket_id}", body=body, params={"notifyUsers": "false"})

    def _platform_comment(self, ticket_id: str, body: str) -> None:
        if self.visibility is None:
            raise ConnectorError(f"{self.name}: a platform comment needs JIRA_COMMENT_VISIBILITY "
                                 "(e.g. role:Administrators) so customers cannot read it", retryable=False)
        self.request("POST", f"/rest/api/3/issue/{ticket_id}/comment",
                     body={"body": adf_document(body), "visibility": self.visibility})

    def check(self, action: Action) -> None:
        if action.verb == "assign_group":
            self._group_fields(str(action.value))
        elif action.verb == "set_priority":
            self._priority_name(str(action.value))

    def _priority_name(self, priority: str) -> str:
        if priority not in self.priority_levels:
            raise WriteRefused(f"{self.name}: no Jira priority is mapped to {priority!r} "
                               "in JIRA_PRIORITY_MAP")
        return self.priority_levels[priority]

    def _group_fields(self, group: str) -> dict:
        field = (self.settings.get("group_field") or "").strip()
        if not field:
            raise WriteRefused(f"{self.name}: assign_group needs JIRA_GROUP_FIELD, the id of a group "
                               "picker field such as customfield_10050")
        return {field: {"name": group}}


# settings --------------------------------------------------------------------------------------
def parse_priority_map(raw: str) -> dict[str, str]:
    """`urgent=Highest,high=High,...` -> {"urgent": "Highest", "high": "High", ...}."""
    levels = {}
    for part in filter(str.strip, raw.split(",")):
        level, _, name = (s.strip() for s in part.partition("="))
        if level not in PRIORITY_NAMES.values() or not name:
            raise ConfigError([f"JIRA_PRIORITY_MAP: expected level=Name pairs for the levels low, normal, "
                               f"high and urgent, e.g. {DEFAULT_PRIORITY_MAP}; got {raw!r}"])
        levels[level] = name
    return levels


def parse_visibility(raw: str) -> dict | None:
    """`role:Administrators` -> {"type": "role", "value": "Administrators"}; empty -> None."""
    if not raw.strip():
        return None
    kind, _, value = raw.strip().partition(":")
    if kind not in ("role", "group") or not value.strip():
        raise ConfigError([f"JIRA_COMMENT_VISIBILITY: expected role:<name> or group:<name>, got {raw!r}"])
    return {"type": kind, "value": value.strip()}


# payload helpers -------------------------------------------------------------------------------
def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name.lower()), "")
    return str(value or "").strip()


def _dict(payload: Mapping, key: str) -> dict:
    value = payload.get(key)
    return value if isinstance(value, dict) else {}


def _account(user: dict) -> str | None:
    value = user.get("accountId") or user.get("name")
    return str(value) if value else None


def _changelog(payload: dict) -> list[dict]:
    items = _dict(payload, "changelog").get("items")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def only_own_labels(items: list[dict]) -> bool:
    """True when the changelog only adds labels that start with `attune_` (Attune's own write)."""
    if not items or any(str(i.get("field") or "").lower() != "labels" for i in items):
        return False
    added: set[str] = set()
    for item in items:
        before = set(str(item.get("fromString") or "").split())
        after = set(str(item.get("toString") or "").split())
        if before - after:
            return False
        added |= after - before
    return bool(added) and all(label.startswith(OWN_LABEL_PREFIX) for label in added)


def _update_kind(changed: list[str]) -> str:
    if TEXT_FIELDS & set(changed):
        return "ticket_updated"
    for field, kind in (("status", "status_changed"), ("priority", "priority_changed"),
                        ("labels", "tags_changed")):
        if field in changed:
            return kind
    return "ticket_updated"


def _ticket_id(payload: dict) -> str:
    issue = _dict(payload, "issue")
    if issue.get("key") or issue.get("id"):
        return str(issue.get("key") or issue.get("id"))
    match = re.search(r"/issue/([^/]+)/comment/", str(_dict(payload, "comment").get("self") or ""))
    if match:
        return match.group(1)
    raise PayloadError({"issue": "missing: expected the issue object with its key"})


def _requester(fields: dict) -> Requester:
    reporter = _dict(fields, "reporter")
    return Requester(id=_account(reporter), email=reporter.get("emailAddress") or None,
                     name=reporter.get("displayName") or None)


def _status(fields: dict) -> str | None:
    status = _dict(fields, "status")
    name = str(status.get("name") or "").strip().lower()
    category = str(_dict(status, "statusCategory").get("key") or "")
    return STATUS_NAMES.get(name) or STATUS_CATEGORIES.get(category)


def _time(value: object) -> datetime | None:
    if not value:
        return None
    try:
        parsed = isoparse(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def sla_due_times(fields: dict) -> tuple[datetime | None, datetime | None]:
    """(first response due, resolution due) from JSM SLA fields with an ongoing cycle."""
    first_response = resolution = None
    for value in fields.values():
        if not isinstance(value, dict) or not isinstance(value.get("ongoingCycle"), dict):
            continue
        millis = _dict(value["ongoingCycle"], "breachTime").get("epochMillis")
        if not isinstance(millis, int):
            continue
        due = datetime.fromtimestamp(millis / 1000, UTC)
        name = str(value.get("name") or "").lower()
        if "first response" in name:
            first_response = due
        elif "resolution" in name:
            resolution = due
    return first_response, resolution


# text ------------------------------------------------------------------------------------------
_MACRO = re.compile(r"\{(?:code|noformat|quote|panel|color|anchor)(?::[^}]*)?\}")
_IMAGE = re.compile(r"![^!\s][^!\n]*!")
_MENTION = re.compile(r"\[~(?:accountid:)?([^\]]+)\]")
_LINK = re.compile(r"\[(?:([^|\]]*)\|)?([^\]]*)\]")
_LINE_PREFIX = re.compile(r"^\s*(?:h[1-6]\.|bq\.|[*#-]+(?=\s))\s*", re.M)
_EMPHASIS = re.compile(r"(?<!\w)([*_+^~]|\?\?|-)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_TABLE = re.compile(r"\s*\|\|?\s*")


def plain_text(markup: object) -> str:
    """Jira wiki markup as plain text for enrichment: macros, links, emphasis and lists removed."""
    text = _MACRO.sub("", str(markup))
    text = _IMAGE.sub("", text)
    text = _MENTION.sub(lambda m: "@" + m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _LINE_PREFIX.sub("", text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    lines = [" ".join(_TABLE.sub(" ", line).split()) for line in text.splitlines()]
    return "\n".join(lines).strip()


def adf_document(text: str) -> dict:
    """Plain text as an Atlassian Document Format document, one paragraph per non-empty line."""
    paragraphs = [{"type": "paragraph", "content": [{"type": "text", "text": line}]}
                  for line in text.splitlines() if line.strip()]
    return {"type": "doc", "version": 1, "content": paragraphs}
