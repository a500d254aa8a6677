"""Frustration: evidence with offsets, levels on labelled tickets, and the trend across comments.

The labelled tickets were written for this project from realistic IT-support situations (repeat
contact and waiting are not covered by any public data set).
"""

from __future__ import annotations

import pytest

from middleware.enrichment import frustration

LABELLED = [
    ("This is the third time I ask for access to the finance share. Unacceptable.", "high"),
    ("I have been on hold for 40 minutes and still no reply to my ticket from Monday.", {"mild", "high"}),
    ("Nobody has answered my ticket for a week. If this is not fixed I will escalate to your manager.",
     "high"),
    ("STILL NOT WORKING!!! This is ridiculous.", "high"),
    ("Could you add me to the marketing distribution list? Thanks.", "none"),
    ("The new monitor arrived and works great, thank you!", "none"),
    ("My password expires tomorrow, how do I change it?", "none"),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED)
def test_labelled_levels(enrich, text, expected):
    level = enrich(text)["frustration"]["level"]
    assert level in ({expected} if isinstance(expected, str) else expected)


def test_repeat_contact_evidence_has_offsets(enrich):
    text = "Hello again. This is the third time I ask about my broken dock."
    result = enrich(text)
    item = next(e for e in result["frustration"]["evidence"] if e["kind"] == "repeat_contact"
                and "third" in e["phrase"])
    assert text[item["start"]:item["end"]] == item["phrase"] == "third time"
    assert item["field"] == "description"


def test_evidence_offsets_refer_to_the_field(enrich):
    result = enrich(subject="Still waiting", description="Ticket 4411 is ridiculous.")
    by_field = {e["field"]: e for e in result["frustration"]["evidence"]}
    assert by_field["description"]["phrase"] == "ridiculous"
    assert by_field["description"]["start"] == len("Ticket 4411 is ")


@pytest.mark.parametrize(("text", "kind"), [
    ("We are waiting forever for the new laptop.", "waiting"),
    ("I will cancel our contract if the portal stays like this.", "threat"),
    ("Your support is a joke.", "contempt"),
    ("PLEASE FIX THIS NOW", "intensity"),
])
def test_cue_kinds(enrich, text, kind):
    assert kind in {e["kind"] for e in enrich(text)["frustration"]["evidence"]}


def test_worsening_trend_across_requester_comments(enrich):
    comments = [
        {"author_role": "agent", "body": "Thanks, we are looking into it."},
        {"author_role": "requester", "body": "Any update? Still not working."},
        {"author_role": "requester", "body": "Third time I ask. This is unacceptable, I will escalate to "
                                             "your manager."},
    ]
    result = enrich("The scanner on floor 2 does not send to email.", comments=comments)
    scores = result["frustration"]["per_message"]
    assert len(scores) == 3
    assert scores[-1] > scores[0]
    assert result["frustration"]["trend"] == "worsening"
    assert "attune_frustration_worsening" in result["tags"]


def test_single_message_has_no_trend(enrich):
    assert enrich("The scanner does not send to email.")["frustration"]["trend"] is None


def test_shouting_is_a_run_of_capitals_or_of_exclamation_marks():
    finder = frustration.IntensityFinder({"caps_words": 2, "exclamations": 2})
    text = "WHY HAS NOBODY CALLED ME BACK??? ok?! fine!!? aVPN DOWN, my PC"
    assert [c.phrase for c in finder.find(text, "description")] == ["WHY HAS NOBODY CALLED ME BACK", "!!?"]
