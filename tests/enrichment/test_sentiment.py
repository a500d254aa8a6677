"""Sentiment on support messages, including frustration stated as fact.

Examples written for this project from realistic IT-support situations.
"""

from __future__ import annotations

import pytest


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
