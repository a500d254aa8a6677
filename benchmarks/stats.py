"""Summaries: percentiles of one run, and median / min / max across runs."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile of `values` (pct in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def spread(values: Sequence[float]) -> dict:
    """Median, min and max of one figure measured in several runs."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values)}
