"""`python -m middleware audit SOURCE TICKET_ID [--json]`: a ticket's decisions and writes.

Each line is one audit entry, oldest first: when, what kind (decision, write, dry_run_calls),
the rule or ladder step, the action and its value, and the result.
"""

from __future__ import annotations

import argparse
import json

from middleware import audit
from middleware.runtime import get_runtime


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit", help="show a ticket's audit trail")
    parser.add_argument("source", help="the helpdesk: zendesk, jira or freshdesk")
    parser.add_argument("ticket_id")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    entries = audit.read(get_runtime().redis, args.source, args.ticket_id)
    if not entries:
        print(f"No audit entries for {args.source} ticket {args.ticket_id}.")
        return 0
    for entry in entries:
        print(json.dumps(entry, sort_keys=True) if args.json else line(entry))
    return 0


def line(entry: dict) -> str:
    """One entry as a readable line."""
    parts = [str(entry.get("time", "-")), f"{entry.get('kind', '-'):<9}"]
    parts.append(str(entry.get("rule") or entry.get("cause") or "-"))
    if entry.get("kind") == "decision":
        parts.append(_decision(entry))
    elif entry.get("kind") == "dry_run_calls":
        parts.append("; ".join(f"{c['method']} {c['path']}" for c in entry.get("calls", [])))
    else:
        parts.append(f"{entry.get('action', '-')} {_short(entry.get('value'))} "
                     f"-> {entry.get('result', '-')}")
    return "  ".join(parts)


def _short(value: object, width: int = 100) -> str:
    """A value on one line: a note's first line, cut to `width` (`--json` shows it whole)."""
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and "\n" in value:
        text = json.dumps(value.split("\n", 1)[0] + " …", ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _decision(entry: dict) -> str:
    if "matched" in entry and isinstance(entry["matched"], bool):
        verdict = "matched" if entry["matched"] else "skipped"
    else:
        verdict = "matched " + ", ".join(entry.get("matched") or []) if entry.get("matched") else ""
    verbs = ", ".join(a.get("verb", "?") for a in entry.get("actions") or [])
    reason = f" ({entry['reason']})" if entry.get("reason") else ""
    return f"{verdict}{reason}; actions: {verbs or 'none'}"
