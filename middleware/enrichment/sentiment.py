"""Sentiment of the requester's latest message: a label and a score in -1..1.

The score blends the lexicon compound (VADER rules) with the learned model's polarity
(P(positive) - P(negative)), then lowers it for frustration cues such as waiting and repeat contact,
which customers state as facts ("on hold for 40 minutes") and a lexicon alone scores as neutral.
A message stating a complaint (a cue of one of the policy's ``complaint_kinds``: waiting, contempt,
a threat, blocked work, an outage, something lost, cancelled or never delivered) is labelled negative
unless its score is still clearly positive.
"""

from __future__ import annotations

from middleware.enrichment.valence import Valence


def score(valence: Valence, probabilities: dict[str, float], blend: float, cue_pull: float) -> float:
    """Blended sentiment score; ``cue_pull`` (0..1) is how strongly frustration cues push it down."""
    polarity = probabilities["positive"] - probabilities["negative"]
    value = blend * valence.compound + (1 - blend) * polarity - cue_pull
    return max(-1.0, min(1.0, value))


def label(value: float, config: dict, complaint: bool = False) -> str:
    if value > config["positive_above"]:
        return "positive"
    return "negative" if complaint or value < config["negative_below"] else "neutral"


def assess(valence: Valence, probabilities: dict[str, float], blend: float,
           cue_strength: float, config: dict, complaint: bool = False) -> dict:
    """The sentiment block of an enrichment: {"label", "score"}."""
    value = score(valence, probabilities, blend, config["cue_weight"] * cue_strength)
    return {"label": label(value, config, complaint), "score": round(value, 3)}
