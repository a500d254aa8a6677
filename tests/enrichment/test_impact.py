"""Business impact on labelled IT-support tickets.

No public data set covers blocked work, deadlines, people affected, outages, security incidents or
VIP requesters, so the examples below were written for this project from realistic IT-support
situations; each states the level a service-desk lead would give it.
"""

from __future__ import annotations

import dataclasses
import itertools

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
    # Ways office staff say the same things without the textbook words.
    ("None of our tills can take card payments and the shop is full.", {"high", "critical"}, {"blocked"}),
    ("Reception phones have no dial tone, 12 people at the front desk are sat idle.", {"high", "critical"},
     {"people_affected", "blocked", "outage"}),
    ("Is the website down? Customers say checkout gives a 503 Service Unavailable.", {"high", "critical"},
     {"outage"}),
    ("Laptop won't boot, just a black screen after the logo.", {"high"}, {"blocked"}),
    ("Someone rang saying they were from IT and I typed my password into their page.", {"high", "critical"},
     {"security"}),
    ("I left my work laptop in a taxi last night, it has the customer list on it.", {"high", "critical"},
     {"security"}),
    ("Got a text saying my account will be closed unless I log in via a link. Is this legit?",
     {"high", "critical"}, {"security"}),
    ("Hundreds of emails are going out from my account with a zip attached, I never sent them.",
     {"high", "critical"}, {"security"}),
    ("My second screen flickers. I'm fine for now using just the laptop screen.", {"low", "medium"},
     {"workaround"}),
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


# The graded lower tier: ordinary requests for help where no blocked / outage / people / security / VIP
# signal fires. Written for this project from ordinary IT-support requests; each row is ranked by a
# service-desk lead answering "what is this stopping you from doing right now?" (higher rank = more
# impact). A comment or a thank-you is lowest; a question needing an answer is above it; an explicit
# inability to go on is above that; an inability with a time horizon is highest.
GRADED = [
    (0, "Thanks for the new keyboard, it arrived this morning."),
    (0, "Just letting you know the kitchen screen shows last week's menu."),
    (1, "Is there a dark mode for the expenses app?"),
    (1, "Could you tell me which printer driver to use for the new copier?"),
    (2, "The shared budget spreadsheet shows an error when I open it. Can you help?"),
    (2, "I get an error when I upload my timesheet. What should I do?"),
    (3, "I can't submit my expense claim and it is due this week. Could you check my account?"),
    (3, "The training video doesn't load and I need to finish the course before the audit on Friday. "
        "Can someone help?"),
]


def test_graded_tier_orders_ordinary_requests(enrich):
    scores = {rank: [] for rank, _ in GRADED}
    for rank, text in GRADED:
        scores[rank].append(enrich(text)["impact"]["score"])
    for lower, higher in itertools.pairwise(sorted(scores)):
        assert max(scores[lower]) < min(scores[higher]), (lower, higher, scores)


def test_graded_tier_signals_carry_evidence(enrich):
    result = enrich("I get an error when I upload my timesheet, it is due this week. Can you help?")
    assert signal(result, "cannot_proceed")["evidence"][0]["phrase"] == "get an error"
    assert signal(result, "needs_answer")["evidence"][0]["phrase"] == "Can you help"
    assert result["impact"]["level"] in ("medium", "high")


def test_question_evidence_is_the_whole_question(enrich):
    question = "Which form do I use for a new starter's laptop?"
    result = enrich(f"Hello. {question}")
    assert signal(result, "needs_answer")["evidence"][0]["phrase"] == question


def test_stronger_signal_supersedes_its_graded_form(enrich):
    result = enrich("I can't log in to SAP and the month-end close is due by end of day.")
    assert signal(result, "blocked") and signal(result, "cannot_proceed") is None
    assert signal(result, "deadline") and signal(result, "time_reference") is None


def test_resolved_message_lowers_the_score(enrich):
    open_ticket = enrich("I can't open the shared budget spreadsheet. Can you help?")
    resolved = enrich("I can't open the shared budget spreadsheet. Never mind, it's working now.")
    assert resolved["impact"]["score"] < open_ticket["impact"]["score"]
    assert resolved["impact"]["level"] == "low"
    assert signal(resolved, "resolved") is not None


def test_a_request_that_can_wait_is_not_called_a_workaround(enrich):
    result = enrich("Could I get Visio installed? No rush, whenever you get a chance.")
    names = [s["name"] for s in result["impact"]["signals"]]
    assert "not_urgent" in names and "workaround" not in names
    assert result["impact"]["level"] == "low"


def test_praise_for_the_whole_team_is_not_people_affected(enrich):
    result = enrich("Thanks to the whole team for setting up the new starters so quickly!")
    assert signal(result, "people_affected") is None
