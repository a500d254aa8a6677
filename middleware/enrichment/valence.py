"""Lexicon valence: a compact re-implementation of VADER's rules over one token list.

Uses the VADER lexicon shipped in the ``vaderSentiment`` package (MIT licence, Hutto & Gilbert,
ICWSM 2014) read straight from its data file, without importing the package. The rules kept are
the ones that carry most of VADER's accuracy: capitalised emphasis, booster words, negation in
the three preceding tokens, the "but" shift, and !/? amplification. ``compound`` is normalised to
-1..1 the same way (x / sqrt(x^2 + 15)).
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path

CAPS_BOOST = 0.733
BOOST = 0.293
NEGATION_SCALE = -0.74
NEGATIONS = frozenset(
    "aint arent cannot cant couldnt darent didnt doesnt dont hadnt hasnt havent isnt mightnt mustnt "
    "neither needn't neednt never none nope nor not nothing nowhere oughtnt shant shouldnt wasnt werent "
    "without wont wouldnt rarely seldom despite ain't aren't can't couldn't didn't doesn't don't hadn't "
    "hasn't haven't isn't mightn't mustn't shan't shouldn't wasn't weren't won't wouldn't".split())
BOOSTERS_UP = frozenset(
    "absolutely amazingly awfully completely considerably decidedly deeply enormously entirely especially "
    "exceptionally extremely fabulously fully greatly highly hugely incredibly intensely majorly more most "
    "particularly purely quite really remarkably so substantially thoroughly totally tremendously "
    "uber unbelievably unusually utterly very fucking freaking frigging".split())
BOOSTERS_DOWN = frozenset(
    "almost barely hardly slightly somewhat partly scarcely marginally occasionally less little "
    "kinda sorta".split())
DECAY = (1.0, 0.95, 0.9)


@dataclass(frozen=True)
class Valence:
    """Summed lexicon valence of a text: overall compound in -1..1 and the positive/negative sums."""

    compound: float
    positive: float
    negative: float


def _lexicon_path() -> Path:
    spec = importlib.util.find_spec("vaderSentiment")
    return Path(next(iter(spec.submodule_search_locations))) / "vader_lexicon.txt"


def load_lexicon() -> dict[str, float]:
    """word -> mean valence (-4..4) from VADER's lexicon file."""
    lexicon = {}
    with _lexicon_path().open(encoding="utf-8") as handle:
        for line in handle:
            word, mean = line.split("\t", 2)[:2]
            lexicon[word] = float(mean)
    return lexicon


def _shift(lowered: list[str], i: int, value: float) -> float:
    """Apply boosters and negation from the three tokens before position ``i``."""
    for distance in (1, 2, 3):
        if i < distance:
            break
        before = lowered[i - distance]
        if before in NEGATIONS:
            value *= NEGATION_SCALE
        elif before in BOOSTERS_UP:
            value += math.copysign(BOOST * DECAY[distance - 1], value)
        elif before in BOOSTERS_DOWN:
            value -= math.copysign(BOOST * DECAY[distance - 1], value)
    return value


def _punctuation(lowered: list[str], total: float) -> float:
    bangs = min(lowered.count("!"), 4) * 0.292
    questions = lowered.count("?")
    asks = 0.0 if questions < 2 else (questions * 0.18 if questions <= 3 else 0.96)
    return total + math.copysign(bangs + asks, total) if total else total


def score(tokens: list[str], lowered: list[str], lexicon: dict[str, float]) -> Valence:
    """Lexicon valence of one text given its tokens and their lower-case forms."""
    shouting = any(t.isupper() for t in tokens) and not all(t.isupper() for t in tokens if t.isalpha())
    but = lowered.index("but") if "but" in lowered else -1
    positive = negative = 0.0
    for i, word in enumerate(lowered):
        value = lexicon.get(word)
        if value is None or word in BOOSTERS_UP:
            continue
        if shouting and len(word) > 1 and tokens[i].isupper():
            value += math.copysign(CAPS_BOOST, value)
        value = _shift(lowered, i, value)
        if but >= 0:
            value *= 0.5 if i < but else 1.5 if i > but else 1.0
        if value > 0:
            positive += value
        else:
            negative += value
    total = _punctuation(lowered, positive + negative)
    return Valence(total / math.sqrt(total * total + 15), positive, -negative)
