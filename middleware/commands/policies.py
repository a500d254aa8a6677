"""`python -m middleware policies check|test|explain`: validate, test and explain policy files.

    policies check FILE...                 exit 0 when every file is valid, 1 otherwise
    policies test CASES.yaml...            run policy test cases; a diff for each failure
    policies explain --event FILE [--at +45m] [--enrichment FILE] [--neutral] [--policy FILE]

Nothing here writes to a helpdesk or reaches the network.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml
from marshmallow import ValidationError

from connectors.base import PayloadError
from middleware.config import ROOT
from policies import PolicyError, load_policy
from policies.cases import run_file
from policies.durations import parse_offset
from policies.explain import explain
from policies.simulate import DEFAULT_START, enrichment_for, read_event, simulate


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("policies", help="check, test and explain escalation policies")
    commands = parser.add_subparsers(dest="policies_command", required=True, metavar="ACTION")
    check = commands.add_parser("check", help="load policy files strictly; list every error")
    check.add_argument("files", nargs="+", type=Path)
    check.set_defaults(func=run_check)
    test = commands.add_parser("test", help="run policy test cases")
    test.add_argument("cases", nargs="+", type=Path)
    test.add_argument("--policy", type=Path, help="test this policy instead of the file's own")
    test.set_defaults(func=run_test)
    add_explain(commands)
    parser.set_defaults(func=run)


def add_explain(commands: argparse._SubParsersAction) -> None:
    explain_ = commands.add_parser("explain", help="show how the policy decides one event")
    explain_.add_argument("--event", type=Path, required=True, help="a TicketEvent JSON/YAML file")
    explain_.add_argument("--at", default="+0s", help="decide this long after the event (+45m)")
    explain_.add_argument("--policy", type=Path, help="default: ATTUNE_POLICIES or the default")
    explain_.add_argument("--enrichment", type=Path, help="YAML/JSON overrides for the enrichment")
    explain_.add_argument("--neutral", action="store_true",
                          help="start from a neutral enrichment instead of the engine's output")
    explain_.set_defaults(func=run_explain)


def run(args: argparse.Namespace) -> int:
    return args.func(args)


def run_check(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            policy = load_policy(path)
        except PolicyError as exc:
            failed = True
            print("\n".join(exc.errors), file=sys.stderr)
            continue
        print(f"{path}: ok ({len(policy.rules)} rules, {len(policy.sla.ladder)} ladder steps)")
    return 1 if failed else 0


def run_test(args: argparse.Namespace) -> int:
    failures = total = 0
    for path in args.cases:
        try:
            results = run_file(path, args.policy)
        except PolicyError as exc:
            print("\n".join(exc.errors), file=sys.stderr)
            return 1
        for result in results:
            total += 1
            failures += not result.passed
            print(f"{'PASS' if result.passed else 'FAIL'} {path}: {result.name}")
            if result.diff:
                print(result.diff)
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


def run_explain(args: argparse.Namespace) -> int:
    policy_path = args.policy or Path(os.environ.get("ATTUNE_POLICIES") or
                                      ROOT / "policies" / "default.yaml")
    try:
        policy = load_policy(policy_path)
        offset = parse_offset(args.at)
    except (PolicyError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        event = read_event(args.event.name, args.event.parent)
    except (OSError, ValueError, ValidationError, PayloadError) as exc:
        print(f"{args.event}: {exc}", file=sys.stderr)
        return 1
    overrides = yaml.safe_load(args.enrichment.read_text()) if args.enrichment else None
    enrichment = enrichment_for(event, overrides, not args.neutral,
                                event.updated_at or event.created_at or DEFAULT_START)
    outcome = simulate(policy, event, enrichment, offset)
    print(explain(outcome, offset, str(policy_path)))
    return 0
