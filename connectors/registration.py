"""Create, or find and update, the webhook each helpdesk sends to Attune.

Each `register_*` function is safe to run twice: it looks for a webhook pointing at the same
endpoint and updates it instead of adding a second one. With a dry-run connector nothing is sent
(not even the lookup, so a dry run needs no network); the caller prints `connector.calls`.

- Zendesk: `GET /api/v2/webhooks?filter[name_contains]=Attune`, then `PUT /api/v2/webhooks/{id}`
  or `POST /api/v2/webhooks` subscribed to the ticket events Attune reads; the signing secret
  Zendesk generates is read back from `/api/v2/webhooks/{id}/signing_secret`.
  https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/
- Jira: admin webhooks live outside the platform OpenAPI, at `/rest/webhooks/1.0/webhook`
  (list, create; `PUT .../webhook/{id}` to update), with an optional JQL filter. The secret is
  `JIRA_WEBHOOK_SECRET` when set, so a second run keeps it; otherwise one is generated. The
  `secret` field of that API is documented for the admin screen; that the REST endpoint accepts it
  was not verified, so check the webhook's signature setting after the first run.
  https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-a-webhook-using-the-jira-rest-api
- Freshdesk has no API for automation rules: `freshdesk_rule` is the text an admin follows.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from connectors.base import Connector
from connectors.freshdesk import NOTE_MARKER, TEMPLATE
from connectors.jira import COMMENT_EVENTS, ISSUE_EVENTS
from connectors.zendesk import EVENT_TYPES

NAME = "Attune"


@dataclass
class Registration:
    """What a registration did: the webhook id, whether it was new, and a secret to show once."""

    webhook_id: str
    created: bool
    secret: str | None = None


def endpoint(base_url: str, source: str) -> str:
    return f"{base_url.rstrip('/')}/webhooks/{source}"


def register_zendesk(connector: Connector, base_url: str) -> Registration:
    """Create or update Attune's event-subscription webhook; read back its signing secret."""
    url = endpoint(base_url, "zendesk")
    webhook = {"name": NAME, "status": "active", "endpoint": url, "http_method": "POST",
               "request_format": "json", "subscriptions": sorted(EVENT_TYPES)}
    listing = connector.request("GET", "/api/v2/webhooks", params={"filter[name_contains]": NAME}) or {}
    found = next((w for w in listing.get("webhooks", []) if w.get("endpoint") == url), None)
    if found:
        update = {k: v for k, v in webhook.items() if k != "subscriptions"}
        connector.request("PUT", f"/api/v2/webhooks/{found['id']}", body={"webhook": update})
        webhook_id = str(found["id"])
    else:
        created = connector.request("POST", "/api/v2/webhooks", body={"webhook": webhook}) or {}
        webhook_id = str((created.get("webhook") or {}).get("id") or "<new webhook id>")
    secret = connector.request("GET", f"/api/v2/webhooks/{webhook_id}/signing_secret") or {}
    return Registration(webhook_id, not found, (secret.get("signing_secret") or {}).get("secret"))


def register_jira(connector: Connector, base_url: str, jql: str = "") -> Registration:
    """Create or update Attune's admin webhook with a secret and an optional JQL filter."""
    url = endpoint(base_url, "jira")
    kept = connector.settings.get("webhook_secret") or ""
    secret = kept or secrets.token_urlsafe(32)
    webhook = {"name": NAME, "url": url, "events": sorted(ISSUE_EVENTS | COMMENT_EVENTS),
               "filters": {"issue-related-events-section": jql}, "excludeBody": False, "secret": secret}
    listing = connector.request("GET", "/rest/webhooks/1.0/webhook") or []
    found = next((w for w in listing if w.get("url") == url), None)
    if found:
        webhook_id = str(found.get("self", "")).rstrip("/").rsplit("/", 1)[-1]
        connector.request("PUT", f"/rest/webhooks/1.0/webhook/{webhook_id}", body=webhook)
    else:
        created = connector.request("POST", "/rest/webhooks/1.0/webhook", body=webhook) or {}
        webhook_id = str(created.get("self", "<new webhook>")).rstrip("/").rsplit("/", 1)[-1]
    return Registration(webhook_id, not found, None if kept else secret)


def freshdesk_rule(base_url: str) -> str:
    """The automation-rule settings and JSON body an admin pastes into Freshdesk."""
    return "\n".join([
        "Freshdesk has no API for automation rules. In Admin > Workflows > Automations, create one rule",
        "under 'Ticket creation' and one under 'Ticket updates' (events: 'Note is added', 'Status is",
        "changed', 'Priority is changed'), each with these conditions and this action:",
        "",
        "  Condition: 'Performed by' is not the agent whose API key Attune uses (ticket updates rule;",
        f"             Attune also ignores a note ending in {NOTE_MARKER}, its own)",
        "  Action:    Trigger webhook",
        "    Request type:             POST",
        f"    URL:                      {endpoint(base_url, 'freshdesk')}",
        "    Requires authentication:  yes",
        "      Username:               attune",
        "      Password:               the value of FRESHDESK_WEBHOOK_SECRET",
        "    Encoding:                 JSON",
        "    Content:                  Advanced, with this body:",
        "",
        json.dumps(TEMPLATE, indent=2),
    ])
