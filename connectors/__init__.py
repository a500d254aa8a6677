"""The helpdesk connectors. A connector's name is its module, its URL segment
(`/webhooks/<name>`), its registry key and its test-fixture folder."""

from __future__ import annotations

from connectors.base import Connector
from connectors.zendesk import ZendeskConnector
from middleware.config import ConnectorSpec

REGISTRY: dict[str, type[Connector]] = {
    "zendesk": ZendeskConnector,
}

SPECS: tuple[ConnectorSpec, ...] = (
    ConnectorSpec(
        name="zendesk",
        env={"url": "ZENDESK_URL", "email": "ZENDESK_EMAIL", "api_token": "ZENDESK_API_TOKEN",
             "webhook_secret": "ZENDESK_WEBHOOK_SECRET"},
        required=("email", "api_token", "webhook_secret"),
    ),
)
