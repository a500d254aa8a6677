"""The engine's output contract and the `enrich` command."""

from __future__ import annotations

import io
import json
from argparse import Namespace

import pytest

from middleware.commands import enrich as enrich_command
from middleware.enrichment.engine import tags

KEYS = {"id", "sentiment", "frustration", "impact", "scenario", "guidance", "vague", "tags", "reply_check"}


def test_output_shape_is_json_serialisable(enrich):
    result = enrich("VPN down for the whole office, by 2pm today please!!", subject="VPN",
                    requester={"email": "ceo@example.com"})
    assert set(result) == KEYS
    assert set(result["frustration"]) == {"level", "score", "evidence", "trend", "per_message"}
    assert json.loads(json.dumps(result)) == result
    assert all(t.startswith("attune_") and t == t.lower() for t in result["tags"])
    assert result["tags"] == tags(result)


def test_agent_comments_are_not_scored_as_the_requester(enrich):
    comments = [{"author_role": "agent", "body": "This is ridiculous and unacceptable, third time!"}]
    result = enrich("Please add me to the design team channel.", comments=comments)
    assert result["frustration"]["evidence"] == []


@pytest.mark.parametrize("ticket", [[], {"description": 5}, {"comments": "x"}, {"requester": "ceo"}])
def test_unreadable_ticket_is_rejected(enricher, ticket):
    with pytest.raises(ValueError):
        enricher.enrich(ticket)


def run_command(monkeypatch, lines: list[str]) -> tuple[int, list[dict]]:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    monkeypatch.setattr("sys.stdout", out)
    code = enrich_command.run(Namespace(config=None, now=None))
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_command_keeps_order_and_reports_bad_lines(monkeypatch):
    lines = [json.dumps({"id": "a", "subject": "VPN", "description": "VPN is down"}),
             "{not json",
             json.dumps({"id": "c", "description": 42}),
             json.dumps({"id": "d", "subject": "Thanks", "description": "All good now, thank you!"})]
    code, out = run_command(monkeypatch, lines)
    assert code == 1
    assert [o["id"] for o in out] == ["a", None, "c", "d"]
    assert out[1]["line"] == 2 and "invalid JSON" in out[1]["error"]
    assert out[2]["error"] == "description: expected a string"
    assert out[3]["sentiment"]["label"] == "positive"


def test_command_reports_a_bad_policy(monkeypatch, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: one\n")
    assert enrich_command.run(Namespace(config=str(bad), now=None)) == 2
    assert f"{bad}: version: expected a whole number" in capsys.readouterr().err
