"""Frustration: a level, a score in 0..1 and the phrases that show it, per message and over a ticket.

A message's score combines the learned model's probability of anger / annoyance / disappointment /
disapproval with the policy's cues (waiting, repeat contact, contempt, threats to leave or escalate)
and shouting (runs of capitals, "!!"); each kind of cue adds its configured strength as an
independent chance. Across a ticket the latest requester message counts most, and the trend compares
the last requester message with the first.
"""

from __future__ import annotations

import re

from middleware.enrichment.text import Cue

KINDS = ("waiting", "repeat_contact", "contempt", "threat", "intensity")


class IntensityFinder:
    """Finds shouting: runs of capitalised words and repeated exclamation marks."""

    def __init__(self, config: dict) -> None:
        words, self.bangs = max(config["caps_words"], 1), max(config["exclamations"], 1)
        # Each alternative opens with a character class, so the engine skips other characters fast;
        # the lookbehind after the first capital is the word boundary in front of it.
        caps = rf"[A-Z](?<![\w][A-Z])[A-Z]+(?:[\s,]+[A-Z]{{2,}}\b){{{words - 1},}}"
        self.pattern = re.compile(rf"{caps}|[!?]+")

    def find(self, text: str, field: str) -> list[Cue]:
        return [Cue("intensity", m.group(), m.start(), m.end(), field)
                for m in self.pattern.finditer(text) if self._counts(m.group())]

    def _counts(self, phrase: str) -> bool:
        if phrase[0] in "!?":
            return phrase.count("!") >= self.bangs
        return _shouting(phrase)


def _shouting(phrase: str) -> bool:
    return "!" in phrase or sum(len(w) for w in re.findall(r"[A-Z]+", phrase)) >= 6


def cue_strength(cues: list[Cue], weights: dict[str, float]) -> float:
    """Combined strength (0..1) of the distinct cue kinds present that have a weight."""
    remaining = 1.0
    for kind in {c.kind for c in cues if c.kind in weights}:
        remaining *= 1.0 - weights[kind]
    return 1.0 - remaining


def message_score(probability: float, cues: list[Cue], weights: dict[str, float]) -> float:
    return 1.0 - (1.0 - probability) * (1.0 - cue_strength(cues, weights))


def level(value: float, thresholds: dict[str, float]) -> str:
    if value >= thresholds["high"]:
        return "high"
    return "mild" if value >= thresholds["mild"] else "none"


def trend(scores: list[float], delta: float) -> str | None:
    if len(scores) < 2:
        return None
    change = scores[-1] - scores[0]
    return "worsening" if change >= delta else "improving" if change <= -delta else "steady"


def assess(scores: list[float], cues: list[Cue], config: dict) -> dict:
    """The frustration block of an enrichment from per-message scores and every frustration cue."""
    value = max(scores[-1], 0.85 * max(scores)) if scores else 0.0
    return {
        "level": level(value, config["thresholds"]),
        "score": round(value, 3),
        "evidence": [c.evidence() for c in cues if c.kind in KINDS],
        "trend": trend(scores, config["trend_delta"]),
        "per_message": [round(s, 3) for s in scores],
    }
