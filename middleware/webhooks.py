"""`POST /webhooks/<connector>`: verify -> check -> dedupe -> store -> 202, in milliseconds.

Before the 202 only what the answer depends on is checked (signature, JSON, event type, the ids);
the worker parses the full `TicketEvent` from the stored payload. What must be durable before
the 202 is the raw payload, nothing more.

Answers: 202 accepted (with the delivery id) · 200 duplicate or an event Attune does not act on ·
400 malformed JSON or payload, naming the fields · 401 bad or missing signature · 413 over 1 MiB ·
503 with Retry-After when Redis is unreachable (the helpdesk retries; nothing is lost) ·
404 for a helpdesk that is not configured.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import redis
from flask import Blueprint, Response, current_app, request

from connectors.base import PayloadError, SignatureError, load_json
from middleware import store
from middleware.inbox import Inbox

log = logging.getLogger("attune.webhooks")
bp = Blueprint("webhooks", __name__)
MAX_BODY = 1024 * 1024
RETRY_AFTER = "30"
KEPT_HEADERS = ("X-Atlassian-Webhook-Identifier", "X-Atlassian-Webhook-Retry", "X-Zendesk-Webhook-Id")


def _reply(code: int, **body: object) -> Response:
    """A JSON answer, serialised directly (this is the hot path; jsonify adds nothing here)."""
    return Response(json.dumps(body), code, mimetype="application/json")


@bp.post("/webhooks/<source>")
def receive(source: str):
    runtime = current_app.extensions["attune"]
    connector = runtime.connectors.get(source)
    if connector is None:
        return _reply(404, error=f"no {source} connector is configured on this Attune")
    if (request.content_length or 0) > MAX_BODY:
        return _reply(413, error="payload larger than 1 MiB")
    body, headers = request.get_data(cache=False), request.headers
    if len(body) > MAX_BODY:
        return _reply(413, error="payload larger than 1 MiB")
    try:
        connector.verify(headers, body, datetime.now(UTC))
        payload = load_json(body)
        delivery_id = connector.accept(payload, headers)
    except SignatureError as exc:
        log.warning("%s webhook rejected: %s", source, exc)
        return _reply(401, error=f"signature check failed: {exc}")
    except PayloadError as exc:
        log.warning("%s webhook with a malformed payload: %s", source, exc)
        return _reply(400, error="malformed payload", fields=exc.fields)
    if delivery_id is None:
        log.info("%s event %s is not one Attune acts on", source, connector.event_type(payload))
        return _reply(200, status="ignored")
    kept = {h: headers[h] for h in KEPT_HEADERS if h in headers}
    return _store(connector, delivery_id, body, kept)


def _store(connector, delivery_id: str, body: bytes, headers: dict[str, str]):
    try:
        accepted = _inbox().accept(connector.name, delivery_id, body, headers)
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        log.error("Redis unreachable, asking %s to retry: %s", connector.name, type(exc).__name__)
        response = _reply(503, error="temporarily unable to store the delivery; retry later")
        response.headers["Retry-After"] = RETRY_AFTER
        return response
    if not accepted:
        return _reply(200, status="duplicate", id=delivery_id)
    return _reply(202, status="accepted", id=delivery_id)


def _inbox() -> Inbox:
    """This process's inbox, on a Redis connection of its own: one round trip per delivery, no
    connection-pool bookkeeping. Made on first use (after gunicorn forks), so a web process starts
    and answers 503 while Redis is down; the client reconnects by itself once Redis is back."""
    inbox = current_app.extensions.get("attune.inbox")
    if inbox is None:
        client = store.connect(current_app.extensions["attune"].redis_url, single_connection_client=True)
        inbox = current_app.extensions["attune.inbox"] = Inbox(client)
    return inbox
