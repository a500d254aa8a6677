"""A small learned text model scored in pure Python.

``model.json`` holds logistic-regression weights for three outputs (negative, positive, frustration)
over word unigrams and bigrams plus three lexicon features. It is trained by ``train.py`` on the
GoEmotions training split (the negative output also on the training rows of the VADER ground truth);
scoring is one dictionary lookup per n-gram.
"""

from __future__ import annotations

import json
import math
from itertools import pairwise
from pathlib import Path

from middleware.enrichment.valence import Valence

MODEL_PATH = Path(__file__).with_name("model.json")
OUTPUTS = ("negative", "positive", "frustration")


def ngrams(lowered: list[str]) -> set[str]:
    """The distinct unigrams and bigrams of a token list (the model's sparse features)."""
    grams = set(lowered)
    grams.update(map(" ".join, pairwise(lowered)))
    return grams


def dense(valence: Valence) -> tuple[float, float, float]:
    """The lexicon features, in the order stored in the model file."""
    return valence.compound, math.log1p(valence.positive), math.log1p(valence.negative)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


class TextModel:
    """Loaded weights; ``predict`` returns the probability of each output."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.weights: dict[str, list[float]] = data["ngrams"]
        self.dense: list[list[float]] = data["dense"]
        self.bias: list[float] = data["bias"]
        self.blend: float = data["blend"]

    def predict(self, lowered: list[str], valence: Valence) -> dict[str, float]:
        found = [w for w in map(self.weights.get, ngrams(lowered)) if w is not None]
        columns = zip(*found, strict=True) if found else ((), (), ())
        totals = [sum(column, b) for b, column in zip(self.bias, columns, strict=True)]
        for value, w in zip(dense(valence), self.dense, strict=True):
            totals[0] += value * w[0]
            totals[1] += value * w[1]
            totals[2] += value * w[2]
        return {name: _sigmoid(t) for name, t in zip(OUTPUTS, totals, strict=True)}
