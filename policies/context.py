"""The policy context: the one dict that conditions and templates read.

    {"source", "now", "event": {"type"}, "ticket": {...}, "enrichment": {...},
     "sla": {"first_response": {"state", "elapsed_fraction", "due"}, "resolution": {...}}}

Fields are addressed by dotted path (`enrichment.frustration.level`); `policies.fields` lists
every path a policy may name.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from middleware.events import TicketEvent
from policies.fields import CLOCKS

NO_CLOCK = {"state": "none", "elapsed_fraction": None, "due": None}


def context(event: TicketEvent, enrichment: dict | None, sla: dict | None,
            now: datetime) -> dict:
    """Everything a policy may look at for one event, at `now`."""
    return {
        "source": event.source,
        "now": now,
        "event": {"type": event.event_type},
        "ticket": ticket_fields(event),
        "enrichment": dict(enrichment or {}),
        "sla": {clock: dict((sla or {}).get(clock) or NO_CLOCK) for clock in CLOCKS},
    }


def ticket_fields(event: TicketEvent) -> dict:
    """The ticket part of the context."""
    comment = event.comment
    return {
        "id": event.ticket_id,
        "subject": event.subject,
        "description": event.description,
        "priority": event.priority,
        "status": event.status,
        "tags": list(event.tags),
        "requester": asdict(event.requester),
        "comment": comment.body if comment else None,
        "comment_author_role": comment.author_role if comment else None,
        "comment_public": comment.public if comment else None,
    }


def apply_writes(ctx: dict, actions: list) -> dict:
    """The context as it will be once Attune's own writes land (priority, tags), so a later
    ladder step sees them even though Attune ignores the echo of its own changes."""
    ticket = dict(ctx.get("ticket") or {})
    for action in actions:
        if action.verb == "set_priority":
            ticket["priority"] = action.value
        elif action.verb == "add_tags":
            ticket["tags"] = list(dict.fromkeys([*ticket.get("tags", []), *action.value]))
    return {**ctx, "ticket": ticket}
