"""SLA ladders on a real Redis, with time driven forward by the test (nothing sleeps)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rq import Queue

from connectors.base import Action
from middleware import sla, store
from middleware.events import Comment, TicketEvent
from policies import load_policy

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # a Monday, inside business hours
HIGH = {"impact": {"level": "high"}, "frustration": {"level": "none"}}
SWEEP_EVERY = timedelta(seconds=15)


@pytest.fixture
def policy():
    return load_policy(ROOT / "policies" / "default.yaml")


def ticket(ticket_id: str = "1", **kwargs) -> TicketEvent:
    data = {"source": "zendesk", "delivery_id": f"d-{ticket_id}", "event_type": "ticket_created",
            "ticket_id": ticket_id, "subject": "Checkout down", "status": "open",
            "priority": "normal", "created_at": T0}
    return TicketEvent(**{**data, **kwargs})


def later(event: TicketEvent, **kwargs) -> TicketEvent:
    return replace(event, **{"event_type": "ticket_updated", **kwargs})


def run_sweeper(r, policy, start: datetime, end: datetime) -> list[tuple[datetime, str, str]]:
    """Sweep every 15 s from `start` to `end`, firing what is due; returns (time, clock, step)."""
    fired, now = [], start
    while now <= end:
        for due in sla.sweep(r, now):
            for item in sla.fire(r, policy, due.source, due.ticket_id, due.clock, now):
                fired.append((now, item.clock, item.step))
        now += SWEEP_EVERY
    return fired


def checkpoint(r, clock: str, ticket_id: str = "1") -> float | None:
    return r.zscore(store.SLA_CHECKPOINTS, store.sla_member("zendesk", clock, ticket_id))


def test_each_step_fires_once_in_order_before_the_deadline(redis_client, policy):
    sla.track(redis_client, policy, ticket(), HIGH, T0)
    fired = run_sweeper(redis_client, policy, T0, T0 + timedelta(hours=3))
    first = [(when, step) for when, clock, step in fired if clock == "first_response"]
    assert [step for _, step in first] == ["sla-at-risk", "sla-raise-priority", "sla-escalate"]
    checkpoints = [T0 + timedelta(minutes=m) for m in (30, 45, 54)]
    for (when, _), due in zip(first, checkpoints, strict=True):
        assert due <= when < due + timedelta(seconds=30)
        assert when < T0 + timedelta(hours=1)
    assert checkpoint(redis_client, "first_response") is None
    assert [s for _, c, s in fired if c == "resolution"] == []


def test_the_resolution_ladder_counts_business_hours(redis_client, policy):
    sla.track(redis_client, policy, ticket(), HIGH, T0)
    due = datetime.fromtimestamp(checkpoint(redis_client, "resolution"), UTC)
    assert due == datetime(2026, 1, 5, 14, 0, tzinfo=UTC)  # 50% of 8 business hours
    snapshot = sla.snapshot(redis_client, policy, "zendesk", "1", T0 + timedelta(hours=4))
    assert snapshot["resolution"]["due"] == datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
    assert snapshot["resolution"]["elapsed_fraction"] == pytest.approx(0.5)


def test_pending_pauses_and_open_resumes(redis_client, policy):
    event = ticket()
    sla.track(redis_client, policy, event, HIGH, T0)
    sla.track(redis_client, policy, later(event, status="pending"), HIGH, T0 + timedelta(minutes=20))
    assert checkpoint(redis_client, "first_response") is None
    paused = sla.snapshot(redis_client, policy, "zendesk", "1", T0 + timedelta(hours=5))
    assert paused["first_response"]["state"] == "paused"
    assert paused["first_response"]["elapsed_fraction"] == pytest.approx(20 / 60)
    assert run_sweeper(redis_client, policy, T0, T0 + timedelta(hours=2)) == []
    resume = T0 + timedelta(hours=2)
    sla.track(redis_client, policy, later(event, status="open"), HIGH, resume)
    fired = run_sweeper(redis_client, policy, resume, resume + timedelta(hours=1))
    first = [(when - resume, step) for when, clock, step in fired if clock == "first_response"]
    assert [step for _, step in first] == ["sla-at-risk", "sla-raise-priority", "sla-escalate"]
    assert first[0][0] == timedelta(minutes=10)  # 30 min of target minus the 20 already used


def test_on_hold_pauses_too(redis_client, policy):
    event = ticket()
    sla.track(redis_client, policy, later(event, status="on_hold"), HIGH, T0)
    assert sla.snapshot(redis_client, policy, "zendesk", "1", T0)["resolution"]["state"] == \
        "paused"


def test_public_agent_reply_stops_the_first_response_clock_only(redis_client, policy):
    event = ticket()
    sla.track(redis_client, policy, event, HIGH, T0)
    note = later(event, event_type="comment_added",
                 comment=Comment("internal", author_role="agent", public=False))
    sla.track(redis_client, policy, note, HIGH, T0 + timedelta(minutes=5))
    assert checkpoint(redis_client, "first_response") is not None
    reply = later(event, event_type="comment_added",
                  comment=Comment("We are on it", author_role="agent", public=True))
    sla.track(redis_client, policy, reply, HIGH, T0 + timedelta(minutes=10))
    assert checkpoint(redis_client, "first_response") is None
    assert checkpoint(redis_client, "resolution") is not None
    fired = run_sweeper(redis_client, policy, T0, T0 + timedelta(hours=2))
    assert [c for _, c, _ in fired] == []


@pytest.mark.parametrize("status", ["solved", "closed"])
def test_solving_removes_every_checkpoint(redis_client, policy, status):
    event = ticket()
    sla.track(redis_client, policy, event, HIGH, T0)
    sla.track(redis_client, policy, later(event, status=status), HIGH, T0 + timedelta(minutes=5))
    assert redis_client.zcard(store.SLA_CHECKPOINTS) == 0
    assert run_sweeper(redis_client, policy, T0, T0 + timedelta(days=2)) == []


def test_a_reopened_ticket_resumes_its_resolution_clock(redis_client, policy):
    event = ticket()
    sla.track(redis_client, policy, event, HIGH, T0)
    sla.track(redis_client, policy, later(event, status="solved"), HIGH, T0 + timedelta(hours=1))
    reopened = T0 + timedelta(hours=2)
    sla.track(redis_client, policy, later(event, status="open"), HIGH, reopened)
    assert checkpoint(redis_client, "first_response") is None
    assert datetime.fromtimestamp(checkpoint(redis_client, "resolution"), UTC) == \
        reopened + timedelta(hours=3)  # 4h to 50% minus the hour already used


def test_helpdesk_due_time_wins(redis_client, policy):
    event = ticket(first_response_due=T0 + timedelta(minutes=20))
    sla.track(redis_client, policy, event, HIGH, T0)
    assert datetime.fromtimestamp(checkpoint(redis_client, "first_response"), UTC) == \
        T0 + timedelta(minutes=10)
    moved = later(event, first_response_due=T0 + timedelta(minutes=60))
    sla.track(redis_client, policy, moved, HIGH, T0 + timedelta(minutes=5))
    assert datetime.fromtimestamp(checkpoint(redis_client, "first_response"), UTC) == \
        T0 + timedelta(minutes=30)


def test_two_sweepers_never_claim_the_same_checkpoint(redis_client, redis_url, policy):
    for n in range(300):
        sla.track(redis_client, policy, ticket(str(n)), HIGH, T0)
    now = T0 + timedelta(minutes=31)
    claims: list[list] = [[], []]
    barrier = threading.Barrier(2)

    def sweeper(index: int) -> None:
        client = store.connect(redis_url)
        barrier.wait()
        while batch := sla.sweep(client, now, limit=7):
            claims[index].extend(batch)

    threads = [threading.Thread(target=sweeper, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both = claims[0] + claims[1]
    assert len(both) == len(set(both)) == 300
    assert all(d.clock == "first_response" for d in both)


def test_a_step_fires_once_even_when_its_job_runs_twice(redis_client, policy):
    sla.track(redis_client, policy, ticket(), HIGH, T0)
    now = T0 + timedelta(minutes=31)
    first = sla.fire(redis_client, policy, "zendesk", "1", "first_response", now)
    again = sla.fire(redis_client, policy, "zendesk", "1", "first_response", now)
    assert [f.step for f in first] == ["sla-at-risk"] and again == []


def test_state_survives_a_restart_and_a_lost_job_comes_back(redis_client, redis_url, policy):
    sla.track(redis_client, policy, ticket(), HIGH, T0)
    due = T0 + timedelta(minutes=30)
    assert len(sla.sweep(redis_client, due)) == 1  # claimed, then the process dies
    restarted = store.connect(redis_url)
    assert sla.sweep(restarted, due + timedelta(seconds=15)) == []
    lease_over = due + timedelta(seconds=sla.LEASE_SECONDS)
    [again] = sla.sweep(restarted, lease_over)
    fired = sla.fire(restarted, policy, again.source, again.ticket_id, again.clock, lease_over)
    assert [f.step for f in fired] == ["sla-at-risk"]


def test_enqueue_due_puts_one_job_per_due_checkpoint(redis_client, policy):
    for n in range(3):
        sla.track(redis_client, policy, ticket(str(n)), HIGH, T0)
    queue = Queue("sla-test", connection=redis_client)
    assert sla.enqueue_due(redis_client, queue, T0 + timedelta(minutes=30)) == 3
    assert sla.enqueue_due(redis_client, queue, T0 + timedelta(minutes=30)) == 0
    assert {job.args[2] for job in queue.jobs} == {"first_response"}


def test_later_steps_see_attunes_own_writes(redis_client, policy):
    urgent = [Action("set_priority", "urgent", "frustrated-high-impact")]
    sla.track(redis_client, policy, ticket(), HIGH, T0, actions=urgent)
    now = T0 + timedelta(minutes=46)
    fired = sla.fire(redis_client, policy, "zendesk", "1", "first_response", now)
    assert [(f.step, f.matched) for f in fired] == [("sla-at-risk", True),
                                                   ("sla-raise-priority", False)]
    assert "ticket.priority in [low, normal]: was 'urgent'" in fired[1].reason
