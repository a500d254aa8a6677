"""Coaching check of an agent's public reply: readability, jargon, acknowledgement, next step.

Readability uses textstat 0.7.4, which counts syllables with pyphen and needs no download (later
textstat releases fetch NLTK's CMU dictionary on first use and fail offline). textstat is imported on
the first check, so tickets without agent replies never pay for it. Results are for a private
coaching note only; the requester never sees them.
"""

from __future__ import annotations

import re

from middleware.enrichment.text import WORD, alternation


def _compile(patterns: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w'])(?:" + alternation(patterns) + r")(?![\w'])")


def readability(text: str) -> tuple[float, float]:
    """Flesch reading ease and Flesch-Kincaid grade of a text."""
    import textstat

    return float(textstat.flesch_reading_ease(text)), float(textstat.flesch_kincaid_grade(text))


class ReplyChecker:
    """Compiled reply-check rules from the policy's ``reply_check`` section."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.jargon = _compile(config["jargon"])
        self.acknowledgement = _compile(config["acknowledgement"])
        self.next_step = _compile(config["next_step"])

    def check(self, body: str, requester_frustrated: bool) -> dict:
        lowered = body.lower().replace("\u2019", "'")
        ease, grade = readability(body)
        terms = sorted({m.group() for m in self.jargon.finditer(lowered)})
        hits = sum(1 for _ in self.jargon.finditer(lowered))
        density = hits / max(len(WORD.findall(body)), 1)
        result = {
            "flesch_reading_ease": round(ease, 1), "grade": round(grade, 1),
            "jargon": terms, "jargon_density": round(density, 3),
            "acknowledges_feeling": bool(self.acknowledgement.search(lowered)),
            "states_next_step": bool(self.next_step.search(lowered)),
        }
        result["issues"] = self._issues(result, requester_frustrated)
        return result

    def _issues(self, result: dict, frustrated: bool) -> list[str]:
        c = self.config
        issues = []
        if result["flesch_reading_ease"] < c["min_reading_ease"] or result["grade"] > c["max_grade"]:
            issues.append("hard_to_read")
        if result["jargon_density"] > c["max_jargon_density"]:
            issues.append("jargon")
        if frustrated and not result["acknowledges_feeling"]:
            issues.append("no_acknowledgement")
        if frustrated and not result["states_next_step"]:
            issues.append("no_next_step")
        return issues
