"""Realistic Freshdesk webhook bodies: Attune's documented template, rendered for new tickets.

A body is about 3 KB (an HTML description of a few paragraphs, as ticket forms send). Each has its
own ticket id, so each is a new delivery: Freshdesk's delivery id is made of the ticket id, the
event and a digest of the body.
"""

from __future__ import annotations

import base64
import json
import random

SECRET = "bench-webhook-secret"
TICKET_PLACEHOLDER = "__TICKET_ID__"
PARAGRAPHS = [
    "Since this morning's update my laptop will not connect to the VPN; it drops every few minutes "
    "and I lose whatever I was editing on the shared drive.",
    "This is the third time I am reporting this. Nobody answered my ticket from last week and I "
    "have been on hold for 40 minutes today.",
    "The payroll export is blocked and it is due by 2pm today. The whole finance team cannot work "
    "until it runs.",
    "Outlook keeps asking for my password and then crashes. I tried restarting twice, clearing the "
    "credential manager and signing in through the browser, with no change.",
    "The error code is 0x80070005 when I try to install the update; the installer log says access "
    "is denied on C:\\Program Files\\VPNClient\\drivers.",
    "Could you tell me how to set up the new MFA app on my phone? The guide on the intranet shows "
    "screens that no longer match what I see.",
    "For now I can use my phone as a hotspot, so it is not urgent, but I would like it fixed before "
    "the training on Friday.",
    "The CRM is very slow and pages take minutes to load for everyone on the second floor; the "
    "sales team cannot log calls.",
]
SUBJECTS = ["VPN keeps dropping - cannot run payroll", "Outlook crashes after password prompt",
            "CRM very slow for the sales floor", "Cannot install the VPN client update",
            "How do I set up the new MFA app?", "Shared drive permissions, third request"]
TARGET_BYTES = 3000


def basic_auth(secret: str = SECRET) -> str:
    """The Authorization header value a Freshdesk rule sends ("Requires authentication")."""
    return "Basic " + base64.b64encode(f"attune:{secret}".encode()).decode()


def template(variant: int) -> str:
    """A ~3 KB ticket-created body with `TICKET_PLACEHOLDER` where the ticket id goes."""
    rng = random.Random(variant)
    paragraphs: list[str] = []
    while sum(len(p) + 11 for p in paragraphs) < TARGET_BYTES - 560:
        paragraphs.append(rng.choice(PARAGRAPHS))
    body = {"freshdesk_webhook": {
        "triggered_event": "{ticket_action:created}",
        "ticket_id": TICKET_PLACEHOLDER,
        "ticket_subject": SUBJECTS[variant % len(SUBJECTS)],
        "ticket_description": "".join(f"<div>{p}</div>" for p in paragraphs),
        "ticket_status": "Open",
        "ticket_priority": rng.choice(["Low", "Medium", "High", "Urgent"]),
        "ticket_tags": "vpn, remote-access",
        "requester_name": "Dana Reyes",
        "requester_email": f"requester{variant}@customer.example",
        "due_by": "2026-11-20T13:15:01Z",
        "fr_due_by": "2026-11-20T09:45:01Z",
        "latest_public_comment": "",
        "latest_private_comment": "",
    }}
    return json.dumps(body, indent=1)


def templates(count: int = 8) -> list[tuple[str, str]]:
    """(before, after) halves of `count` body variants, split at the ticket id."""
    return [tuple(template(v).split(TICKET_PLACEHOLDER)) for v in range(count)]


def body(ticket_id: int, variant: int | None = None) -> bytes:
    """The body for one ticket; the variant defaults to one chosen by the ticket id."""
    before, after = _HALVES[(ticket_id if variant is None else variant) % len(_HALVES)]
    return f"{before}{ticket_id}{after}".encode()


_HALVES = templates()
