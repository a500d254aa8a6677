"""The helpdesk connectors. A connector's name is its module, its URL segment
(`/webhooks/<name>`), its registry key and its test-fixture folder."""

from __future__ import annotations

from connectors.base import Connector
from connectors.freshdesk import FreshdeskConnector
from connectors.jira import JiraConnector
from connectors.zendesk import ZendeskConnector
from middleware.config import ConnectorSpec

REGISTRY: dict[str, type[Connector]] = {
    "zendesk": ZendeskConnector,
    "jira": JiraConnector,
    "freshdesk": FreshdeskConnector,
}

SPECS: tuple[ConnectorSpec, ...] = (
    ConnectorSpec(
        name="zendesk",
        env={"url": "ZENDESK_URL", "email": "ZENDESK_EMAIL", "api_token": "ZENDESK_API_TOKEN",
             "webhook_secret": "ZENDESK_WEBHOOK_SECRET"},
        required=("email", "api_token", "webhook_secret"),
    ),
    ConnectorSpec(
        name="jira",
        env={"url": "JIRA_URL", "email": "JIRA_EMAIL", "api_token": "JIRA_API_TOKEN",
             "webhook_secret": "JIRA_WEBHOOK_SECRET", "priority_map": "JIRA_PRIORITY_MAP",
             "comment_mode": "JIRA_COMMENT_MODE", "comment_visibility": "JIRA_COMMENT_VISIBILITY",
             "group_field": "JIRA_GROUP_FIELD"},
        required=("email", "api_token", "webhook_secret"),
        optional_defaults={"priority_map": "urgent=Highest,high=High,normal=Medium,low=Low",
                           "comment_mode": "servicedesk"},
    ),
    ConnectorSpec(
        name="freshdesk",
        env={"url": "FRESHDESK_URL", "api_key": "FRESHDESK_API_KEY",
             "webhook_secret": "FRESHDESK_WEBHOOK_SECRET", "timezone": "FRESHDESK_TIMEZONE"},
        required=("api_key", "webhook_secret"),
        optional_defaults={"timezone": "UTC"},
    ),
)
