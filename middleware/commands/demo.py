"""`python -m middleware demo`: post a signed sample ticket to a running Attune in demo mode and
show what it would write (tags, private note, priority and group changes)."""

from __future__ import annotations

import json
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests

from connectors import zendesk
from middleware import store
from middleware.runtime import DEMO_SECRET, get_runtime

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "zendesk_ticket_created.json"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="post a sample ticket to a running Attune (demo mode)")
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="where Attune listens")
    parser.add_argument("--ticket", type=Path, default=SAMPLE,
                        help="a Zendesk ticket.created payload (default: a sample ticket)")
    parser.add_argument("--wait", type=float, default=20.0, help="seconds to wait for the result")
    parser.set_defaults(func=run)


def run(args) -> int:
    payload = json.loads(args.ticket.read_text())
    payload["id"] = str(uuid.uuid4())
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    payload["time"] = payload["detail"]["created_at"] = payload["detail"]["updated_at"] = now
    body = json.dumps(payload).encode()
    try:
        response = requests.post(f"{args.url}/webhooks/zendesk", data=body, headers=_sign(body), timeout=10)
    except requests.ConnectionError:
        print(f"Nothing answers at {args.url}: start Attune first with `make run`.", file=sys.stderr)
        return 1
    if response.status_code == 401:
        print("Attune rejected the sample: it is connected to a real helpdesk, not in demo mode.",
              file=sys.stderr)
        return 1
    print(f"POST /webhooks/zendesk -> {response.status_code} {response.text.strip()}")
    result = _wait_for_result(payload["detail"]["id"], payload["id"], args.wait)
    if result is None:
        print("No result yet: is the worker running? (`make run` starts one)", file=sys.stderr)
        return 1
    print(render(result))
    return 0


def _sign(body: bytes) -> dict[str, str]:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"Content-Type": "application/json", "X-Zendesk-Webhook-Signature-Timestamp": stamp,
            "X-Zendesk-Webhook-Signature": zendesk.sign(DEMO_SECRET, stamp, body)}


def _wait_for_result(ticket_id: str, delivery_id: str, wait: float) -> dict | None:
    redis = get_runtime().redis
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        raw = redis.get(store.result_key("zendesk", ticket_id))
        if raw and json.loads(raw)["event"]["delivery_id"] == delivery_id:
            return json.loads(raw)
        time.sleep(0.2)
    return None


def render(result: dict) -> str:
    enrichment = result["enrichment"]
    lines = ["", f"Ticket {result['event']['ticket_id']}: {result['event']['subject']}",
             f"  sentiment   {enrichment['sentiment']['label']} ({enrichment['sentiment']['score']})",
             f"  frustration {enrichment['frustration']['level']} ({enrichment['frustration']['score']})",
             f"  impact      {enrichment['impact']['level']} ({enrichment['impact']['score']})",
             f"  rules       {', '.join(result['matched']) or 'none matched'}", "",
             "Attune would send (dry run, nothing was written):"]
    for entry in result["writes"]:
        for call in entry.get("calls", []):
            lines.append(f"  {call['method']} {call['path']}")
            lines.append("    " + json.dumps(_short(call["body"]), indent=2, ensure_ascii=False)
                         .replace("\n", "\n    "))
    lines += ["", "The private note:", "", enrichment.get("note", "")]
    return "\n".join(lines)


def _short(body: object) -> object:
    """The request body with a note's text replaced by a pointer to where it is printed."""
    comment = body.get("ticket", {}).get("comment") if isinstance(body, dict) else None
    if isinstance(comment, dict) and "body" in comment:
        return {"ticket": {**body["ticket"], "comment": {**comment, "body": "(the private note below)"}}}
    return body
