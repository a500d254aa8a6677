"""The engine's output contract and the `enrich` command."""

from __future__ import annotations

import io
import json
from argparse import Namespace
from pathlib import Path

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


class TerminalBuffer(io.StringIO):
    """A text stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def big_input(tmp_path, count: int = 1500):
    line = json.dumps({"id": 1, "subject": "VPN", "description": "The VPN drops every few minutes. " * 20})
    path = tmp_path / "tickets.jsonl"
    path.write_text((line + "\n") * count)
    assert path.stat().st_size >= enrich_command.PROGRESS_MIN_BYTES
    return path


def test_progress_bar_is_drawn_on_a_terminal(enricher, tmp_path):
    err = TerminalBuffer()
    with big_input(tmp_path).open(encoding="utf-8") as source:
        progress = enrich_command.Progress(source, err)
        failed = enrich_command.enrich_stream(enricher, source, io.StringIO(), None, progress)
        progress.close()
    assert failed == 0
    drawn = err.getvalue()
    assert "\r[" in drawn and "1000 tickets" in drawn and "1500 tickets" in drawn
    assert "100%" in drawn and drawn.endswith("\n")


def test_no_progress_bar_when_stderr_is_not_a_terminal(enricher, tmp_path):
    err = io.StringIO()
    with big_input(tmp_path).open(encoding="utf-8") as source:
        progress = enrich_command.Progress(source, err)
        enrich_command.enrich_stream(enricher, source, io.StringIO(), None, progress)
        progress.close()
    assert err.getvalue() == ""


def test_progress_bar_under_a_real_pty(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    primary, secondary = pty.openpty()
    with big_input(tmp_path).open("rb") as source:
        proc = subprocess.Popen([sys.executable, "-m", "middleware", "enrich"], stdin=source,
                                stdout=subprocess.DEVNULL, stderr=secondary,
                                cwd=Path(__file__).resolve().parents[2])
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the pty closes when the child exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert proc.wait(timeout=60) == 0
    drawn = b"".join(chunks).decode()
    assert "1500 tickets" in drawn and "100%" in drawn
