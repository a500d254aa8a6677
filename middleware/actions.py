"""Carry out a decision's actions on one ticket: never twice, never in a dry run, always audited.

A private note is claimed in Redis before it is written, under a key made of the ticket and the
note's text; the same event processed twice therefore writes one note. If the write fails the
claim is released, so a retry can write it. Tags, priority and group are idempotent on every
helpdesk and need no claim. `notify` POSTs a JSON message to a chat webhook named in the policy.
"""

from __future__ import annotations

import logging

import requests

from connectors.base import Action, ConnectorError, WriteRefused, retry_after_seconds
from middleware import audit, store

log = logging.getLogger("attune.actions")
NOTIFY_TIMEOUT = (5, 15)


def execute(runtime, source: str, ticket_id: str, actions: list[Action], *, cause: str) -> list[dict]:
    """Run `actions` against the ticket; returns one audit entry per action."""
    connector = runtime.connector(source)
    dry = runtime.settings.dry_run or connector.dry_run
    held = _held_back(connector, actions)
    actions = [a for a in actions if all(a is not h for h, _ in held)]
    todo, skipped = (actions, []) if dry else _claim_notes(runtime, source, ticket_id, actions)
    calls = _run(runtime, connector, source, ticket_id, todo, dry)
    result = "dry_run" if dry else "done"
    entries = ([_entry(a, cause, result) for a in todo] + [_entry(a, cause, "duplicate") for a in skipped]
               + [_entry(a, cause, why) for a, why in held])
    if dry and calls:
        entries.append({"kind": "dry_run_calls", "cause": cause, "calls": calls})
        log.info("dry run: %s ticket %s would send %d request(s)", source, ticket_id, len(calls))
    audit.record_many(runtime.redis, source, ticket_id, entries, runtime.settings.audit_days * 86400)
    return entries


def _held_back(connector, actions: list[Action]) -> list[tuple[Action, str]]:
    """Actions not to attempt, with the result to audit: a notify with no URL, a refused write."""
    unset = [(a, "no_url_configured") for a in actions if a.verb == "notify" and not a.value.get("url")]
    refused = refusals(connector, [a for a in actions if a.verb != "notify"])
    return unset + [(a, f"refused: {reason}") for a, reason in refused]


def _run(runtime, connector, source: str, ticket_id: str, todo: list[Action], dry: bool) -> list[dict]:
    """Make the writes, then the notifications; returns the HTTP calls made (or, dry, not made)."""
    start = len(connector.calls)
    try:
        connector.apply(ticket_id, [a for a in todo if a.verb != "notify"])
    except Exception:
        _release_notes(runtime, source, ticket_id, todo)
        raise
    finally:
        calls = [vars(c) for c in connector.calls[start:]]
        del connector.calls[start:]
    for action in todo:
        if action.verb == "notify":
            _notify(action, source, ticket_id, dry)
    return calls


def refusals(connector, actions: list[Action]) -> list[tuple[Action, str]]:
    """The writes this helpdesk cannot do as configured; each is logged and skipped, and the
    ticket's other writes still happen (an unknown group must not cost the ticket its note)."""
    refused = []
    for action in actions:
        try:
            connector.check(action)
        except WriteRefused as exc:
            log.error("%s (skipped; the other writes go ahead)", exc)
            refused.append((action, str(exc)))
    return refused


def _entry(action: Action, cause: str, result: str) -> dict:
    shown = action.to_dict()
    return {"kind": "write", "cause": cause, "rule": action.rule, "action": action.verb,
            "value": shown["value"], "result": result}


def _note_key(source: str, ticket_id: str, action: Action) -> str:
    return store.write_key(source, ticket_id, action.verb, str(action.value))


def _claim_notes(runtime, source: str, ticket_id: str,
                 actions: list[Action]) -> tuple[list[Action], list[Action]]:
    todo, skipped = [], []
    for action in actions:
        if action.verb == "add_internal_note":
            claimed = runtime.redis.set(_note_key(source, ticket_id, action), "1", nx=True,
                                        ex=store.WRITE_TTL)
            (todo if claimed else skipped).append(action)
        else:
            todo.append(action)
    return todo, skipped


def _release_notes(runtime, source: str, ticket_id: str, actions: list[Action]) -> None:
    keys = [_note_key(source, ticket_id, a) for a in actions if a.verb == "add_internal_note"]
    if keys:
        runtime.redis.delete(*keys)


def notify_message(action: Action, source: str, ticket_id: str) -> dict:
    """The JSON a `notify` action posts to its chat webhook."""
    return {"text": action.value.get("text", ""), "ticket": ticket_id, "source": source,
            "rule": action.rule}


def _notify(action: Action, source: str, ticket_id: str, dry: bool) -> None:
    value, message = dict(action.value), notify_message(action, source, ticket_id)
    if dry:
        return
    try:
        response = requests.post(value["url"], json=message, timeout=NOTIFY_TIMEOUT)
    except requests.RequestException as exc:
        raise ConnectorError(f"notify {value.get('target')}: network error ({type(exc).__name__})",
                             retryable=True) from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise ConnectorError(f"notify {value.get('target')}: HTTP {response.status_code}",
                             retryable=True, status=response.status_code,
                             retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if response.status_code >= 400:
        raise ConnectorError(f"notify {value.get('target')}: HTTP {response.status_code}",
                             retryable=False, status=response.status_code)
