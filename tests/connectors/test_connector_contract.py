"""One contract for every connector: each outbound failure says whether to retry, and names no secret.

The same write (a private note) is sent by every connector against the same failures: connection
error, timeout, 429 with Retry-After, 500, 401, 404 and a malformed body. The helpdesk's error
text echoes the credentials back, so the test also proves they are redacted.
"""

from __future__ import annotations

import pytest
import requests

from connectors import REGISTRY
from connectors.base import ConnectorError

SETTINGS = {
    "zendesk": {"url": "https://acme.zendesk.com", "email": "attune@acme.example",
                "api_token": "zd-token-5ecret-value", "webhook_secret": "zd-webhook-5ecret-value"},
    "jira": {"url": "https://acme.atlassian.net", "email": "attune@acme.example",
             "api_token": "jira-token-5ecret-value", "webhook_secret": "jira-webhook-5ecret-value"},
    "freshdesk": {"url": "https://acme.freshdesk.com", "api_key": "fd-api-key-5ecret-value",
                  "webhook_secret": "fd-webhook-5ecret-value"},
}
NOTE_REQUEST = {
    "zendesk": ("PUT", "https://acme.zendesk.com/api/v2/tickets/5201"),
    "jira": ("POST", "https://acme.atlassian.net/rest/servicedeskapi/request/5201/comment"),
    "freshdesk": ("POST", "https://acme.freshdesk.com/api/v2/tickets/5201/notes"),
}
SECRETS = {name: [v for k, v in s.items() if k in ("api_token", "api_key", "webhook_secret")]
           for name, s in SETTINGS.items()}


def echo(name: str) -> str:
    return "rejected credentials " + " ".join(SECRETS[name])


FAILURES = {
    "connection error": (lambda n: {"body": requests.ConnectionError(echo(n))}, True, None, None),
    "timeout": (lambda n: {"body": requests.ReadTimeout(echo(n))}, True, None, None),
    "429 with Retry-After": (lambda n: {"status": 429, "headers": {"Retry-After": "42"},
                                        "json": {"error": echo(n)}}, True, 429, 42.0),
    "500": (lambda n: {"status": 500, "body": echo(n)}, True, 500, None),
    "401": (lambda n: {"status": 401, "json": {"error": echo(n)}}, False, 401, None),
    "404": (lambda n: {"status": 404, "json": {"error": echo(n)}}, False, 404, None),
    "malformed body": (lambda n: {"status": 200, "body": "{not json " + echo(n),
                                  "content_type": "application/json"}, False, 200, None),
}


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_failure_is_classified_and_redacted(http, name, failure):
    response, retryable, status, retry_after = FAILURES[failure]
    method, url = NOTE_REQUEST[name]
    http.add(method, url, **response(name))
    connector = REGISTRY[name](SETTINGS[name])
    with pytest.raises(ConnectorError) as exc:
        connector.add_internal_note("5201", "Attune: critical impact.")
    assert (exc.value.retryable, exc.value.status, exc.value.retry_after) == (retryable, status, retry_after)
    message = str(exc.value)
    assert message.startswith(f"{name}: ")
    for secret in SECRETS[name]:
        assert secret not in message


def test_every_registered_connector_is_under_contract():
    assert set(REGISTRY) == set(SETTINGS) == set(NOTE_REQUEST)
