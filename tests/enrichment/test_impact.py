"""Business impact on labelled IT-support tickets.

No public data set covers blocked work, deadlines, people affected, outages, security incidents or
VIP requesters, so the examples below were written for this project from realistic IT-support
situations; each states the level a service-desk lead would give it.
"""

from __future__ import annotations

import dataclasses

import pytest

from enrichment.helpers import signal
from middleware.enrichment import Enricher, load_config

LABELLED = [
    ("Payroll run blocked, due by 2pm today.", {"high", "critical"}, {"blocked", "deadline"}),
    ("The VPN is down for the whole office, 40 people cannot work.", {"critical"},
     {"outage", "people_affected", "blocked"}),
    ("Several staff clicked a phishing link in an email that looked like it came from HR.",
     {"high", "critical"}, {"security", "people_affected"}),
    ("Ransomware note on the file server, all our shared files are encrypted.", {"high", "critical"},
     {"security"}),
    ("Outlook is down for everyone on the 3rd floor.", {"high", "critical"}, {"outage", "people_affected"}),
    ("I can't log in to SAP and the month-end close is due by end of day.", {"high", "critical"},
     {"blocked", "deadline"}),
    ("Could you change the default font in my email signature when you have a moment?", {"low"}, set()),
    ("Please order a second monitor for my desk, no rush.", {"low"}, set()),
    ("My mouse is a bit sticky, not urgent.", {"low"}, set()),
    ("The shared calendar shows the wrong time zone for meetings next month.", {"low", "medium"}, set()),
]


@pytest.mark.parametrize(("text", "levels", "signals"), LABELLED)
def test_labelled_tickets(enrich, text, levels, signals):
    result = enrich(text)
    found = {s["name"] for s in result["impact"]["signals"]}
    assert result["impact"]["level"] in levels
    assert signals <= found


def test_deadline_today_at_2pm_is_resolved_against_now(enrich):
    result = enrich("payroll run blocked, due by 2pm today")
    deadline = signal(result, "deadline")
    assert result["impact"]["level"] in ("high", "critical")
    assert deadline["due"] == "2026-03-11T14:00:00"
    assert deadline["evidence"][0]["phrase"] == "by 2pm today"
    assert "attune_deadline" in result["tags"]


def test_people_affected_reports_the_count(enrich):
    result = enrich("Since the update 25 users in accounts payable cannot open invoices.")
    assert signal(result, "people_affected")["count"] == 25


def test_outage_names_the_system(enrich):
    result = enrich("Salesforce is down, the sales floor cannot log any calls.")
    assert signal(result, "outage")["systems"] == ["salesforce"]
    assert "attune_outage" in result["tags"]


def test_workaround_lowers_the_level(enrich):
    without = enrich("I can't print the shipping labels from the warehouse PC.")
    with_workaround = enrich("I can't print the shipping labels from the warehouse PC. "
                             "As a workaround I am printing from my colleague's laptop.")
    assert with_workaround["impact"]["score"] < without["impact"]["score"]
    assert signal(with_workaround, "workaround") is not None


@pytest.mark.parametrize("requester", [
    {"email": "CEO@example.com"},
    {"email": "jane@board.example.com"},
    {"email": "jane@subsidiary.org", "organization": "Example Holdings Board"},
])
def test_vip_by_email_domain_or_organisation(enrich, requester):
    result = enrich("My laptop battery drains quickly.", requester=requester)
    assert signal(result, "vip") is not None
    assert "attune_vip" in result["tags"]


def test_vip_comes_from_configuration(enrich):
    config = load_config()
    vip = {"emails": [], "domains": ["acme.test"], "organizations": []}
    custom = Enricher(dataclasses.replace(config, impact={**config.impact, "vip": vip}))
    ticket = {"id": 1, "subject": "", "description": "Teams is slow.",
              "requester": {"email": "ceo@example.com"}}
    assert signal(custom.enrich(ticket), "vip") is None
    ticket["requester"] = {"email": "ana@acme.test"}
    assert signal(custom.enrich(ticket), "vip") is not None


def test_ordinary_requester_is_not_vip(enrich):
    result = enrich("My laptop battery drains quickly.", requester={"email": "sam@example.com"})
    assert signal(result, "vip") is None
