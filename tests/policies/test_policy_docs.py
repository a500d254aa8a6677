"""The YAML examples in docs/policies.md load (policies) or pass (test cases), so they never rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from policies import load_policy
from policies.cases import run_case

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "policies.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
README_BLOCKS = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_doc_has_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("block", BLOCKS + README_BLOCKS, ids=lambda b: b.splitlines()[0][:40])
def test_every_example_is_valid(tmp_path, block):
    data = yaml.safe_load(block)
    if "cases" in data:
        policy = load_policy(ROOT / "policies" / "default.yaml")
        results = [run_case(policy, case, ROOT / "policies" / "cases") for case in data["cases"]]
        assert [r.diff for r in results if not r.passed] == []
        return
    if "rules" not in data:
        data["rules"] = []
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(data))
    load_policy(path)


def test_the_worked_example_behaves_as_described(tmp_path):
    from datetime import UTC, datetime, timedelta

    from middleware.events import TicketEvent
    from policies.simulate import simulate

    path = tmp_path / "worked.yaml"
    path.write_text(BLOCKS[0])
    policy = load_policy(path)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    event = TicketEvent(source="zendesk", delivery_id="d", event_type="ticket_created",
                        ticket_id="1", subject="Checkout is down again", priority="normal",
                        status="open", created_at=start)
    hot = {"frustration": {"level": "high"}, "impact": {"level": "critical"}, "tags": []}
    outcome = simulate(policy, event, hot, timedelta(minutes=28))
    assert outcome.decision.matched == ["annotate", "angry-and-serious"]
    steps = [(e["step"], e["matched"]) for e in outcome.ladder if e["clock"] == "first_response"]
    assert steps == [("at-risk", True), ("raise-priority", False), ("escalate", True)]
    assert outcome.context["sla"]["first_response"]["due"] == start + timedelta(minutes=30)


def test_the_readme_example_fires_its_ladder_when_it_says(tmp_path):
    from datetime import UTC, datetime, timedelta

    from middleware.events import TicketEvent
    from policies.simulate import simulate

    path = tmp_path / "readme.yaml"
    path.write_text(README_BLOCKS[0])
    policy = load_policy(path)
    monday_nine = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # Europe/London is UTC in January
    event = TicketEvent(source="zendesk", delivery_id="d", event_type="ticket_created",
                        ticket_id="1", subject="VPN down", priority="high", status="open",
                        created_at=monday_nine)
    calm = {"frustration": {"level": "none"}, "impact": {"level": "low"}, "tags": []}

    def fired(minutes: int) -> list[str]:
        outcome = simulate(policy, event, calm, timedelta(minutes=minutes))
        return [e["step"] for e in outcome.ladder if e["clock"] == "first_response" and e["matched"]]

    assert fired(29) == []
    assert fired(30) == ["warn-at-half"]
    assert fired(53) == ["warn-at-half"]
    assert fired(54) == ["warn-at-half", "escalate-at-90"]
