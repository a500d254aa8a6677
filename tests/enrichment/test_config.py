"""Strict loading of policies/enrichment.yaml: every problem named with its file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from middleware.enrichment import EnrichmentConfigError, load_config
from middleware.enrichment.config import DEFAULT_PATH


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "enrichment.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def policy() -> dict:
    return yaml.safe_load(DEFAULT_PATH.read_text())


def test_default_policy_loads_from_any_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ATTUNE_ENRICHMENT", raising=False)
    assert load_config().path == "policies/enrichment.yaml"


def test_environment_variable_selects_the_file(monkeypatch, tmp_path):
    path = write(tmp_path, policy())
    monkeypatch.setenv("ATTUNE_ENRICHMENT", str(path))
    assert load_config().path == str(path)


def test_every_problem_is_reported_with_file_and_key(tmp_path):
    data = policy()
    data["impact"]["vip"]["domains"] = "board.example.com"
    data["frustration"]["cues"]["waiting"].append("on hold (for")
    data["sentiment"]["colour"] = "blue"
    data["impact"]["thresholds"]["high"] = "very"
    del data["reply_check"]["jargon"]
    path = write(tmp_path, data)
    with pytest.raises(EnrichmentConfigError) as error:
        load_config(path)
    lines = str(error.value).splitlines()
    assert f"{path}: impact.vip.domains: expected a list of strings" in lines
    assert f"{path}: sentiment.colour: unknown key" in lines
    assert f"{path}: impact.thresholds.high: expected a number" in lines
    assert f"{path}: reply_check.jargon: missing" in lines
    assert any(line.startswith(f"{path}: frustration.cues.waiting: bad regular expression") for line in lines)
    assert len(lines) == 5


def test_cross_checks_after_types(tmp_path):
    data = policy()
    data["scenario"]["default"] = "printer_jam"
    data["impact"]["thresholds"] = {"medium": 0.9, "high": 0.5, "critical": 0.8}
    data["scenario"]["weights"]["system_delay"]["snails"] = 1
    with pytest.raises(EnrichmentConfigError) as error:
        load_config(write(tmp_path, data))
    message = str(error.value)
    assert "scenario.default: expected one of" in message
    assert "impact.thresholds: expected medium <= high <= critical" in message
    assert "scenario.weights.system_delay.snails: unknown cue kind" in message


def test_unreadable_file(tmp_path):
    with pytest.raises(EnrichmentConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")


def test_complaint_kinds_must_be_cue_kinds(tmp_path):
    data = policy()
    data["sentiment"]["complaint_kinds"].append("sulking")
    with pytest.raises(EnrichmentConfigError, match="sentiment.complaint_kinds: unknown cue kind 'sulking'"):
        load_config(write(tmp_path, data))
