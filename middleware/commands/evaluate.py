"""`python -m middleware evaluate`: score the enrichment engine on the labelled datasets.

Writes the table, with the VADER baseline beside each figure, to `docs/evaluation.md`.
Exit code 0 whatever the scores: the figures are reported, not enforced.
"""

from __future__ import annotations

import sys
from pathlib import Path

from middleware.enrichment import EnrichmentConfigError
from middleware.evaluate import ROOT, run_evaluation


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("evaluate", help="score enrichment on ../shared/datasets")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "evaluation.md",
                        help="where to write the report (default: docs/evaluation.md)")
    parser.set_defaults(func=run)


def run(args) -> int:
    try:
        run_evaluation(args.output)
    except EnrichmentConfigError as exc:
        print(f"Attune cannot start: the enrichment policy has problems:\n{exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"Datasets not found: {exc}", file=sys.stderr)
        return 2
    return 0
