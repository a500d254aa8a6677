"""SLA clocks as pure data: how each ticket event starts, pauses, resumes and stops them.

Two clocks run per ticket: `first_response` (satisfied by the first public agent reply) and
`resolution` (satisfied when the ticket is solved or closed). Both pause while the ticket is
pending or on hold and resume when it is open again; a reopened ticket resumes its resolution
clock. Time counts in the policy's business calendar. A clock's target is the helpdesk's own due
time when the event carries one (and the policy allows it), otherwise the strictest policy target
for the ticket's impact and priority, fixed when the clock starts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime

from middleware.events import TicketEvent
from policies.fields import CLOCKS
from policies.model import Policy, Step

PAUSING = ("pending", "on_hold")
RUNNING = ("new", "open")
DONE = ("solved", "closed")
TOLERANCE = 1.0


@dataclass(frozen=True)
class Clock:
    """One clock: `elapsed` business seconds counted before `since` (set while running)."""

    state: str = "none"
    target: float = 0.0
    elapsed: float = 0.0
    since: str | None = None
    due: str | None = None
    reason: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Clock:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def used(self, policy: Policy, now: datetime) -> float:
        if self.state != "running" or not self.since:
            return self.elapsed
        return self.elapsed + policy.sla.calendar.between(_time(self.since), now)

    def at(self, policy: Policy, share: float) -> datetime | None:
        """When the clock reaches `share` of its target, while it runs."""
        if self.state != "running" or not self.since:
            return None
        left = max(share * self.target - self.elapsed, 0.0)
        return policy.sla.calendar.add(_time(self.since), left)

    def view(self, policy: Policy, now: datetime) -> dict:
        """The clock as the policy context shows it."""
        fraction = self.used(policy, now) / self.target if self.target else None
        return {"state": self.state, "elapsed_fraction": fraction, "due": self.at(policy, 1.0)}


def apply_event(policy: Policy, clocks: dict[str, Clock], event: TicketEvent,
                enrichment: dict | None, now: datetime) -> dict[str, Clock]:
    """The clocks after `event`, processed at `now`."""
    out = {}
    for name in CLOCKS:
        clock = clocks.get(name) or Clock()
        clock = _retarget(policy, name, clock, event, enrichment, now)
        out[name] = _transition(policy, name, clock, event, now)
    return out


def _retarget(policy: Policy, name: str, clock: Clock, event: TicketEvent,
              enrichment: dict | None, now: datetime) -> Clock:
    due = _helpdesk_due(policy, name, event)
    if clock.state == "none":
        return _start(policy, name, event, enrichment, due, now)
    if due and due.isoformat() != clock.due and clock.state in ("running", "paused"):
        used = clock.used(policy, now)
        target = used + policy.sla.calendar.between(now, due)
        return replace(clock, target=max(target, 1.0), due=due.isoformat())
    return clock


def _start(policy: Policy, name: str, event: TicketEvent, enrichment: dict | None,
           due: datetime | None, now: datetime) -> Clock:
    start = min(event.created_at or now, now)
    if due:
        target = policy.sla.calendar.between(start, due)
    else:
        impact = ((enrichment or {}).get("impact") or {}).get("level")
        targets = policy.sla.targets.get(name)
        target = targets.pick(impact, event.priority) if targets else None
    if target is None:
        return Clock()
    return Clock("running", max(target, 1.0), 0.0, start.isoformat(),
                 due.isoformat() if due else None)


def _helpdesk_due(policy: Policy, name: str, event: TicketEvent) -> datetime | None:
    if not policy.sla.helpdesk_due:
        return None
    return event.first_response_due if name == "first_response" else event.resolution_due


def _transition(policy: Policy, name: str, clock: Clock, event: TicketEvent,
                now: datetime) -> Clock:
    if clock.state == "none":
        return clock
    if event.status in DONE:
        return _stop(policy, clock, now, event.status)
    if name == "first_response" and _first_reply(event):
        return _stop(policy, clock, now, "first public agent reply")
    if event.status in PAUSING and clock.state == "running":
        return replace(clock, state="paused", elapsed=clock.used(policy, now), since=None,
                       reason=event.status)
    if event.status in RUNNING and _resumable(name, clock):
        return replace(clock, state="running", since=now.isoformat(), reason="")
    return clock


def _first_reply(event: TicketEvent) -> bool:
    comment = event.comment
    return bool(comment and comment.author_role == "agent" and comment.public)


def _resumable(name: str, clock: Clock) -> bool:
    if clock.state == "paused":
        return True
    return name == "resolution" and clock.state == "stopped" and clock.reason in DONE


def _stop(policy: Policy, clock: Clock, now: datetime, reason: str) -> Clock:
    if clock.state == "stopped":
        return clock
    return replace(clock, state="stopped", elapsed=clock.used(policy, now), since=None,
                   reason=reason)


def due_steps(policy: Policy, name: str, clock: Clock, fired: set[str],
              now: datetime) -> list[Step]:
    """The clock's unfired ladder steps whose checkpoint has passed, in ladder order."""
    if clock.state != "running":
        return []
    used = clock.used(policy, now)
    return [s for s in policy.sla.steps_for(name)
            if s.name not in fired and used >= s.at * clock.target - TOLERANCE]


def next_checkpoint(policy: Policy, name: str, clock: Clock,
                    fired: set[str]) -> tuple[Step, datetime] | None:
    """The first unfired step of the clock and when it is due, while the clock runs."""
    for step in policy.sla.steps_for(name):
        if step.name not in fired:
            when = clock.at(policy, step.at)
            return (step, when) if when else None
    return None


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def views(policy: Policy, clocks: dict[str, Clock], now: datetime) -> dict:
    """Every clock as the policy context shows it (`sla` in the context)."""
    return {name: (clocks.get(name) or Clock()).view(policy, now) for name in CLOCKS}


def step_context(policy: Policy, ctx: dict, clocks: dict[str, Clock], step: Step, clock: str,
                 now: datetime) -> dict:
    """A ticket context at `now`, with the clocks and the firing step's own fields."""
    ctx = {**ctx, "now": now, "sla": views(policy, clocks, now)}
    ctx["step"] = {"name": step.name, "clock": clock.replace("_", " "),
                   "at": f"{step.at:.0%}", "due": ctx["sla"][clock]["due"]}
    return ctx
