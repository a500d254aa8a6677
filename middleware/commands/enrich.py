"""`python -m middleware enrich`: enrich JSON-lines tickets from stdin, one JSON line out per line in.

Each input line is a ticket (`id`, `subject`, `description`, optional `comments` and `requester`).
Output keeps the input order. A line that is not valid JSON or not a readable ticket gives
`{"id", "line", "error"}` on its own line and the rest continue; the exit code is then 1. When
stderr is a terminal and the input is large, a progress bar is drawn on stderr.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from typing import IO

from middleware.enrichment import Enricher, EnrichmentConfigError, load_config

PROGRESS_MIN_BYTES = 1_000_000


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("enrich", help="enrich JSON-lines tickets from stdin to stdout")
    parser.add_argument("--config", help="enrichment policy file (default: policies/enrichment.yaml)")
    parser.add_argument("--now", type=datetime.fromisoformat,
                        help="reference time for deadlines, ISO 8601 (default: the current time)")
    parser.set_defaults(func=run)


def enrich_line(enricher: Enricher, line: str, number: int, now: datetime | None) -> tuple[dict, bool]:
    """The output object for one input line and whether it succeeded."""
    try:
        ticket = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "line": number, "error": f"invalid JSON: {exc}"}, False
    try:
        return enricher.enrich(ticket, now), True
    except (ValueError, TypeError) as exc:
        ticket_id = ticket.get("id") if isinstance(ticket, dict) else None
        return {"id": ticket_id, "line": number, "error": str(exc)}, False


class Progress:
    """A one-line progress bar on stderr, drawn only for large inputs on a terminal."""

    def __init__(self, source: IO, stream: IO) -> None:
        self.stream = stream
        self.total = _size(source)
        self.enabled = stream.isatty() and (self.total or 0) >= PROGRESS_MIN_BYTES
        self.done = 0

    def advance(self, count: int, nbytes: int) -> None:
        self.done += nbytes
        if self.enabled and count % 500 == 0:
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 30)
            self.stream.write(f"\r[{bar:<30}] {share:4.0%} {count} tickets")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def _size(source: IO) -> int | None:
    try:
        return os.fstat(source.fileno()).st_size or None
    except (OSError, ValueError, AttributeError):
        return None


def enrich_stream(enricher: Enricher, source: IO, sink: IO, now: datetime | None,
                  progress: Progress | None = None) -> int:
    """Enrich every non-blank line of ``source`` into ``sink``; returns the number of failed lines."""
    failed = 0
    for number, line in enumerate(source, 1):
        if progress:
            progress.advance(number, len(line.encode("utf-8")))
        if not line.strip():
            continue
        result, ok = enrich_line(enricher, line, number, now)
        failed += not ok
        sink.write(json.dumps(result, ensure_ascii=False) + "\n")
    return failed


def run(args) -> int:
    try:
        enricher = Enricher(load_config(args.config))
    except EnrichmentConfigError as exc:
        print(f"Attune cannot start: the enrichment policy has problems:\n{exc}", file=sys.stderr)
        return 2
    progress = Progress(sys.stdin, sys.stderr)
    failed = enrich_stream(enricher, sys.stdin, sys.stdout, args.now, progress)
    progress.close()
    return 1 if failed else 0
