"""Sentiment on support messages, including frustration stated as fact.

Examples written for this project from realistic IT-support situations.
"""

from __future__ import annotations

import pytest

from middleware.enrichment import load_config
from middleware.enrichment.sentiment import label


@pytest.mark.parametrize("text", [
    "I have been on hold for 40 minutes and still no reply.",
    "Still no reply after 3 days.",
    "This is the third time I ask and the laptop is still broken.",
    "Terrible service, my account has been locked for two days.",
])
def test_negative(enrich, text):
    result = enrich(text)
    assert result["sentiment"]["label"] == "negative"
    assert "attune_sentiment_negative" in result["tags"]


@pytest.mark.parametrize("text", [
    "Thank you so much, the new laptop is great and everything works!",
    "Brilliant, thanks for sorting the printer so quickly.",
])
def test_positive(enrich, text):
    assert enrich(text)["sentiment"]["label"] == "positive"


def test_score_is_bounded(enrich):
    score = enrich("AWFUL AWFUL AWFUL!!!! worst, horrible, hate it, disgusting")["sentiment"]["score"]
    assert -1.0 <= score < -0.5


# Complaints stated as facts, with no emotional word in them: the core case of a support queue. Written
# for this project from ordinary IT-support and service situations.
@pytest.mark.parametrize("text", [
    "I lost all my files after the update last night.",
    "My laptop repair appointment was cancelled without notice.",
    "The replacement charger never arrived.",
    "I waited 2 hours on the phone yesterday and nobody answered.",
    "The VPN keeps disconnecting during calls.",
    "Outlook is down again.",
    "I have been on hold for 25 minutes.",
    "The new starter's laptop delivery was delayed again.",
    "I was charged twice for the software licence.",
    "Still no reply after 3 days.",
    "I can't log in to the payroll portal.",
])
def test_complaint_stated_as_fact_is_negative(enrich, text):
    assert enrich(text)["sentiment"]["label"] == "negative"


@pytest.mark.parametrize("text", [
    "How do I add a shared calendar in Outlook?",
    "Please install Visio on my new laptop.",
    "The new monitor arrived on Tuesday.",
])
def test_plain_request_is_not_negative(enrich, text):
    assert enrich(text)["sentiment"]["label"] != "negative"


def test_complaint_label_keeps_a_clearly_positive_message_positive():
    config = load_config().sentiment
    assert label(0.0, config, complaint=True) == "negative"
    assert label(0.0, config, complaint=False) == "neutral"
    assert label(config["positive_above"] + 0.1, config, complaint=True) == "positive"
