"""`python -m middleware register`: creates once, updates on the second run, prints, or sends nothing."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest
from openapi_check import assert_conforms
from responses import matchers

from connectors.freshdesk import TEMPLATE
from middleware.commands import register
from middleware.config import ConfigError

ZENDESK = {"ZENDESK_URL": "https://acme.zendesk.com", "ZENDESK_EMAIL": "attune@acme.example",
           "ZENDESK_API_TOKEN": "zd-token-5ecret-value"}
JIRA = {"JIRA_URL": "https://acme.atlassian.net", "JIRA_EMAIL": "attune@acme.example",
        "JIRA_API_TOKEN": "jira-token-5ecret-value"}
BASE = "https://attune.example.com"
DOCS = Path(__file__).resolve().parents[2] / "docs"
ZENDESK_WEBHOOKS = "openapi-webhooks.yaml"
SUBSCRIPTIONS = ["zen:event-type:ticket.comment_added", "zen:event-type:ticket.created",
                 "zen:event-type:ticket.description_changed", "zen:event-type:ticket.priority_changed",
                 "zen:event-type:ticket.sla_policy_changed", "zen:event-type:ticket.status_changed",
                 "zen:event-type:ticket.subject_changed", "zen:event-type:ticket.tags_changed"]
WEBHOOK = {"name": "Attune", "status": "active", "endpoint": f"{BASE}/webhooks/zendesk",
           "http_method": "POST", "request_format": "json"}
JIRA_HOOK = {"name": "Attune", "url": f"{BASE}/webhooks/jira",
             "events": ["comment_created", "comment_updated", "jira:issue_created", "jira:issue_updated"],
             "filters": {"issue-related-events-section": "project = SUP"}, "excludeBody": False}


def args(helpdesk: str, dry_run: bool = False) -> argparse.Namespace:
    return argparse.Namespace(helpdesk=helpdesk, url=BASE, jql="project = SUP", dry_run=dry_run)


def zendesk_listing(http, webhooks: list[dict]) -> None:
    http.get("https://acme.zendesk.com/api/v2/webhooks", json={"webhooks": webhooks, "meta": {}},
             match=[matchers.query_param_matcher({"filter[name_contains]": "Attune"})])


def signing_secret(http, webhook_id: str) -> None:
    http.get(f"https://acme.zendesk.com/api/v2/webhooks/{webhook_id}/signing_secret",
             json={"signing_secret": {"secret": "zd-signing-5ecret", "algorithm": "SHA256"}})


def test_zendesk_webhook_is_created_and_its_secret_printed_once(http, capsys):
    zendesk_listing(http, [])
    create = http.post("https://acme.zendesk.com/api/v2/webhooks", status=201,
                       json={"webhook": {"id": "01HANAHBMTDTB8Q98K38YZ5ZQS"}},
                       match=[matchers.json_params_matcher(
                           {"webhook": {**WEBHOOK, "subscriptions": SUBSCRIPTIONS}})])
    signing_secret(http, "01HANAHBMTDTB8Q98K38YZ5ZQS")
    assert register.run(args("zendesk"), ZENDESK) == 0
    out = capsys.readouterr().out
    assert "Created the zendesk webhook 01HANAHBMTDTB8Q98K38YZ5ZQS" in out
    assert out.count("ZENDESK_WEBHOOK_SECRET=zd-signing-5ecret") == 1
    assert_conforms(ZENDESK_WEBHOOKS, create.calls[0].request)


def test_zendesk_second_run_updates_instead_of_duplicating(http, capsys):
    zendesk_listing(http, [{"id": "01HANAHBMTDTB8Q98K38YZ5ZQS", "name": "Attune",
                            "endpoint": f"{BASE}/webhooks/zendesk"}])
    update = http.put("https://acme.zendesk.com/api/v2/webhooks/01HANAHBMTDTB8Q98K38YZ5ZQS", status=204,
                      match=[matchers.json_params_matcher({"webhook": WEBHOOK})])
    signing_secret(http, "01HANAHBMTDTB8Q98K38YZ5ZQS")
    assert register.run(args("zendesk"), ZENDESK) == 0
    assert "Updated the zendesk webhook" in capsys.readouterr().out
    assert [c.request.method for c in http.calls] == ["GET", "PUT", "GET"]
    assert_conforms(ZENDESK_WEBHOOKS, update.calls[0].request)


def test_jira_webhook_is_created_with_a_generated_secret(http, capsys):
    http.get("https://acme.atlassian.net/rest/webhooks/1.0/webhook", json=[])
    create = http.post("https://acme.atlassian.net/rest/webhooks/1.0/webhook", status=201,
                       json={"self": "https://acme.atlassian.net/rest/webhooks/1.0/webhook/7"})
    assert register.run(args("jira"), JIRA) == 0
    body = json.loads(create.calls[0].request.body)
    secret = body.pop("secret")
    assert body == JIRA_HOOK and len(secret) >= 32
    assert f"JIRA_WEBHOOK_SECRET={secret}" in capsys.readouterr().out


def test_jira_second_run_updates_and_keeps_the_configured_secret(http, capsys):
    http.get("https://acme.atlassian.net/rest/webhooks/1.0/webhook",
             json=[{"name": "Attune", "url": f"{BASE}/webhooks/jira",
                    "self": "https://acme.atlassian.net/rest/webhooks/1.0/webhook/7"}])
    http.put("https://acme.atlassian.net/rest/webhooks/1.0/webhook/7",
             match=[matchers.json_params_matcher({**JIRA_HOOK, "secret": "kept-jira-5ecret"})])
    assert register.run(args("jira"), {**JIRA, "JIRA_WEBHOOK_SECRET": "kept-jira-5ecret"}) == 0
    out = capsys.readouterr().out
    assert "Updated the jira webhook 7" in out and "kept-jira-5ecret" not in out


@pytest.mark.parametrize("helpdesk, env", [("zendesk", ZENDESK),
                                           ("jira", {**JIRA, "JIRA_WEBHOOK_SECRET": "s-5ecret"})])
def test_dry_run_prints_the_requests_and_sends_nothing(http, capsys, helpdesk, env):
    assert register.run(args(helpdesk, dry_run=True), env) == 0
    out = capsys.readouterr().out
    assert "nothing was sent" in out and "POST " in out and f"{BASE}/webhooks/{helpdesk}" in out
    assert "5ecret" not in out
    assert not http.calls


def test_missing_credentials_are_named():
    with pytest.raises(ConfigError, match="JIRA_API_TOKEN"):
        register.run(args("jira"), {"JIRA_URL": "https://acme.atlassian.net", "JIRA_EMAIL": "a@b.c"})


def test_freshdesk_prints_the_rule_and_the_template(capsys):
    assert register.run(args("freshdesk"), {}) == 0
    out = capsys.readouterr().out
    assert f"{BASE}/webhooks/freshdesk" in out
    assert json.dumps(TEMPLATE, indent=2) in out


def test_the_documented_freshdesk_template_is_the_one_attune_reads():
    docs = (DOCS / "helpdesks.md").read_text()
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", docs, re.S)]
    assert TEMPLATE in blocks
