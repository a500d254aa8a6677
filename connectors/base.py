"""The interface every helpdesk connector implements, and the HTTP plumbing they share.

Inbound, a connector verifies a delivery on its raw bytes, names its delivery id and turns the
payload into a `TicketEvent`. Outbound, each write is a domain verb that is also a policy action
name (`add_tags`, `add_internal_note`, `set_priority`, `assign_group`), so a dry run can print the
exact calls it would make. Every outbound failure says whether it is worth retrying: network
errors, timeouts, 429 and 5xx are; other 4xx and malformed responses are not.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests

from middleware.events import TicketEvent

DEFAULT_TIMEOUT = (5, 30)
REDACTED = "[redacted]"


class SignatureError(Exception):
    """The delivery is not signed by the helpdesk we share a secret with."""


class PayloadError(Exception):
    """The delivery is well signed but not a payload we can read; `fields` names what is wrong."""

    def __init__(self, fields: Mapping[str, object]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = dict(fields)


class ConnectorError(Exception):
    """An outbound call failed; `retryable` says whether trying again may succeed."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None,
                 retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


class WriteRefused(ConnectorError):
    """A write this helpdesk cannot do as configured (an unknown group, an unmapped priority).
    Attune skips that one write, says why, and still makes the ticket's other writes."""

    def __init__(self, message: str):
        super().__init__(message, retryable=False)


@dataclass
class Action:
    """One write the pipeline wants done: a connector verb and its argument."""

    verb: str
    value: object
    rule: str | None = None

    def to_dict(self) -> dict:
        """For audit entries and results; a notify action's URL (a secret) is left out."""
        value = self.value
        if self.verb == "notify" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "url"}
        return {"verb": self.verb, "value": value, "rule": self.rule}


@dataclass
class Call:
    """One HTTP request a connector made or, in a dry run, would make."""

    method: str
    path: str
    body: object = None
    params: dict = field(default_factory=dict)


class Connector(ABC):
    """Base class: subclasses set `name` and implement the abstract methods."""

    name: str = ""
    title: str = ""

    def __init__(self, settings: Mapping[str, str], *, session: requests.Session | None = None,
                 dry_run: bool = False):
        self.settings = dict(settings)
        self.base_url = self.settings.get("url", "").rstrip("/")
        self.session = session or requests.Session()
        self.dry_run = dry_run
        self.calls: list[Call] = []
        self._groups: dict[str, object] | None = None

    # inbound -------------------------------------------------------------------------------
    @abstractmethod
    def verify(self, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
        """Raise `SignatureError` unless the raw body is signed with our webhook secret."""

    @abstractmethod
    def delivery_id(self, payload: dict, headers: Mapping[str, str]) -> str:
        """A key that is the same for every redelivery of this delivery and for no other."""

    @abstractmethod
    def parse(self, payload: dict, headers: Mapping[str, str]) -> TicketEvent | None:
        """The normalized event, or None for an event type Attune does not act on."""

    def accept(self, payload: dict, headers: Mapping[str, str]) -> str | None:
        """What the webhook must know before its 202: the delivery id, or None for an event type
        Attune does not act on; raises `PayloadError` naming what is missing. The worker parses
        the whole event later, so connectors override this with a check cheaper than `parse`."""
        event = self.parse(payload, headers)
        return event.delivery_id if event is not None else None

    def event_type(self, payload: dict) -> str:
        """The vendor's own name for the event, for log lines."""
        return str(payload.get("type") or payload.get("webhookEvent") or "unknown")

    # loop avoidance ------------------------------------------------------------------------
    @abstractmethod
    def fetch_own_actor_id(self) -> str:
        """The id of the API user Attune writes as (one request; callers cache it)."""

    def is_own_echo(self, event: TicketEvent, own_actor_id: str | None) -> bool:
        """True when the event was caused by Attune's own write."""
        return bool(own_actor_id) and event.actor_id == own_actor_id

    # outbound ------------------------------------------------------------------------------
    @abstractmethod
    def fetch(self, ticket_id: str) -> dict:
        """The ticket as the helpdesk's API returns it."""

    @abstractmethod
    def add_tags(self, ticket_id: str, tags: list[str]) -> None:
        """Add tags without removing any tag someone else set."""

    @abstractmethod
    def add_internal_note(self, ticket_id: str, body: str) -> None:
        """Add a note only agents can see."""

    @abstractmethod
    def set_priority(self, ticket_id: str, priority: str) -> None:
        """Set the priority, given as low / normal / high / urgent."""

    @abstractmethod
    def assign_group(self, ticket_id: str, group: str) -> None:
        """Assign the ticket to a group, by the helpdesk's group id or name."""

    def check(self, action: Action) -> None:
        """Raise `WriteRefused` when this helpdesk cannot do `action` as configured."""
        if action.verb == "assign_group":
            self.group_id(str(action.value))

    def group_id(self, group: str) -> int | str:
        """A group given by id is used as is; by name it is looked up once (not in a dry run)."""
        if str(group).isdigit():
            return int(group)
        if self.dry_run:
            return group
        if self._groups is None:
            self._groups = {name.lower(): gid for name, gid in self.list_groups().items()}
        try:
            return self._groups[str(group).lower()]
        except KeyError:
            raise WriteRefused(f"{self.name}: no {self.title} group named {group!r}") from None

    def list_groups(self) -> dict[str, object]:
        """The helpdesk's groups, name -> id, for `group_id` (helpdesks with named groups)."""
        raise WriteRefused(f"{self.name}: groups cannot be looked up by name here; give the group id")

    def apply(self, ticket_id: str, actions: list[Action]) -> None:
        """Run the actions; connectors whose API can combine writes override this."""
        for action in actions:
            getattr(self, action.verb)(ticket_id, action.value)

    # HTTP ----------------------------------------------------------------------------------
    def secrets(self) -> list[str]:
        """Values that must never appear in a log line or error message."""
        return [v for k, v in self.settings.items() if k != "url" and v and len(v) >= 4]

    def redact(self, text: str) -> str:
        for secret in self.secrets():
            text = text.replace(secret, REDACTED)
        return text

    def auth(self) -> object:
        return None

    def request(self, method: str, path: str, *, body: object = None,
                params: dict | None = None, read: bool = False) -> object:
        """Send one API request; returns the decoded JSON body (None when empty).

        In a dry run every request is recorded in `self.calls` (what `explain`, `register
        --dry-run` and the audit trail show); writes are not sent, reads still go out.
        """
        if self.dry_run:
            self.calls.append(Call(method, path, body, params or {}))
            if not read:
                return None
        try:
            response = self.session.request(
                method, self.base_url + path, json=body, params=params, auth=self.auth(),
                timeout=DEFAULT_TIMEOUT, headers={"Accept": "application/json"},
            )
        except requests.Timeout as exc:
            raise self._error(f"{method} {path}: timed out", True) from exc
        except requests.RequestException as exc:
            raise self._error(f"{method} {path}: network error ({type(exc).__name__})", True) from exc
        return self._decode(method, path, response)

    def _decode(self, method: str, path: str, response: requests.Response) -> object:
        status = response.status_code
        if status == 429 or status >= 500:
            raise self._error(f"{method} {path}: HTTP {status} {self._detail(response)}", True,
                              status, retry_after_seconds(response.headers.get("Retry-After")))
        if status >= 400:
            raise self._error(f"{method} {path}: HTTP {status} {self._detail(response)}", False,
                              status)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise self._error(f"{method} {path}: HTTP {status} with a malformed JSON body",
                              False, status) from exc

    def _detail(self, response: requests.Response) -> str:
        text = response.text[:200].replace("\n", " ")
        return text

    def _error(self, message: str, retryable: bool, status: int | None = None,
               retry_after: float | None = None) -> ConnectorError:
        return ConnectorError(f"{self.name}: {self.redact(message)}", retryable=retryable,
                              status=status, retry_after=retry_after)


def retry_after_seconds(value: str | None) -> float | None:
    """Read a Retry-After header given in seconds or as an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def load_json(body: bytes) -> dict:
    """Decode a webhook body; raise `PayloadError` naming the problem."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError({"body": f"not valid JSON ({exc.__class__.__name__}: {exc})"}) from exc
    if not isinstance(payload, dict):
        raise PayloadError({"body": "expected a JSON object"})
    return payload
