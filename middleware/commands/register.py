"""`python -m middleware register zendesk|jira|freshdesk`: point a helpdesk's webhook at Attune.

    register zendesk --url https://attune.example.com [--dry-run]
    register jira --url https://attune.example.com [--jql "project = SUP"] [--dry-run]
    register freshdesk --url https://attune.example.com

Credentials come from the same environment variables the server reads (ZENDESK_URL, ...). The
webhook secret is printed once, to be set as ZENDESK_WEBHOOK_SECRET / JIRA_WEBHOOK_SECRET.
With --dry-run the requests are printed and nothing is sent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping

from connectors import REGISTRY, SPECS
from connectors.base import Connector, ConnectorError
from connectors.registration import Registration, freshdesk_rule, register_jira, register_zendesk
from middleware.config import ConfigError

CREDENTIALS = {"zendesk": ("url", "email", "api_token"), "jira": ("url", "email", "api_token")}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("register", help="create or update a helpdesk's webhook to Attune")
    parser.add_argument("helpdesk", choices=["zendesk", "jira", "freshdesk"])
    parser.add_argument("--url", required=True, help="Attune's public base URL, e.g. https://attune.example.com")
    parser.add_argument("--jql", default="", help="Jira only: send events only for issues matching this JQL")
    parser.add_argument("--dry-run", action="store_true", help="print the requests instead of sending them")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    if args.helpdesk == "freshdesk":
        print(freshdesk_rule(args.url))
        return 0
    connector = build_connector(args.helpdesk, os.environ if env is None else env, args.dry_run)
    try:
        if args.helpdesk == "zendesk":
            result = register_zendesk(connector, args.url)
        else:
            result = register_jira(connector, args.url, args.jql)
    except ConnectorError as exc:
        print(f"Registration failed: {exc}", file=sys.stderr)
        return 1
    report(args.helpdesk, connector, result, args.dry_run)
    return 0


def build_connector(name: str, env: Mapping[str, str], dry_run: bool) -> Connector:
    """The connector built from its environment variables; the webhook secret may be missing."""
    spec = next(s for s in SPECS if s.name == name)
    settings = {key: env.get(var, "").strip() or spec.optional_defaults.get(key, "")
                for key, var in spec.env.items()}
    missing = [spec.env[key] for key in CREDENTIALS[name] if not settings.get(key)]
    if missing and not dry_run:
        raise ConfigError([f"{var}: required to register the {name} webhook" for var in missing])
    settings["url"] = settings["url"] or f"https://{name}.example.invalid"
    return REGISTRY[name](settings, dry_run=dry_run)


def report(name: str, connector: Connector, result: Registration, dry_run: bool) -> None:
    if dry_run:
        print(f"Dry run: these requests would be sent to {connector.base_url} (nothing was sent).")
        print("If a webhook for this URL already exists, it is updated with PUT instead of created.")
        for call in connector.calls:
            query = "?" + "&".join(f"{k}={v}" for k, v in call.params.items()) if call.params else ""
            print(f"\n{call.method} {call.path}{query}")
            if call.body is not None:
                print(connector.redact(json.dumps(call.body, indent=2)))
        return
    print(f"{'Created' if result.created else 'Updated'} the {name} webhook {result.webhook_id}.")
    if result.secret:
        print("Set this in Attune's environment (shown once):")
        print(f"{name.upper()}_WEBHOOK_SECRET={result.secret}")
