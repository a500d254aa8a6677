"""Scenario, guidance (Acknowledge -> Clarify -> Resolve -> Reassure) and vague tickets.

Examples written for this project from realistic IT-support situations.
"""

from __future__ import annotations

import pytest

QUESTION = "What is this stopping you from doing right now?"


@pytest.mark.parametrize(("text", "scenario"), [
    ("Excel crashes with an error code every time I open the budget file.", "technical_issue"),
    ("The CRM is very slow, every page takes minutes to load since Monday.", "system_delay"),
    ("How do I set up the shared mailbox on my phone? The instructions are confusing.", "user_confusion"),
    ("You closed my ticket without fixing anything and reset the wrong account.", "helpdesk_error"),
    ("URGENT: we need the board pack printer working by 2pm today, it is critical.", "urgent_request"),
])
def test_scenario(enrich, text, scenario):
    result = enrich(text)
    assert result["scenario"] == scenario
    assert f"attune_scenario_{scenario}" in result["tags"]


def test_guidance_has_four_steps_and_owns_a_helpdesk_error(enrich):
    guidance = enrich("You closed my ticket without fixing anything.")["guidance"]
    assert list(guidance) == ["acknowledge", "clarify", "resolve", "reassure"]
    assert "apologise" in guidance["acknowledge"]
    assert "what happens next" in guidance["resolve"]


@pytest.mark.parametrize(("subject", "text"), [("Help", "not working"), ("Problem", "It broke again.")])
def test_vague_ticket_gets_the_clarifying_question(enrich, subject, text):
    result = enrich(text, subject=subject)
    assert result["vague"] is True
    assert QUESTION in result["guidance"]["clarify"]
    assert "attune_vague" in result["tags"]


def test_specific_ticket_is_not_vague(enrich):
    result = enrich("Outlook on my laptop shows error 0x800CCC0E when sending since this morning.")
    assert result["vague"] is False
    assert QUESTION not in result["guidance"]["clarify"]
