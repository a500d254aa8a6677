"""Settings are validated at start, with one clear line per bad value."""

from __future__ import annotations

import subprocess
import sys

import pytest

from middleware.config import ConfigError, load_settings


def problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_settings(env)
    return info.value.problems


def test_no_helpdesk_means_demo_mode_and_dry_run():
    settings = load_settings({})
    assert settings.demo and settings.dry_run
    assert settings.connectors == {}


def test_every_bad_value_is_reported_at_once():
    found = problems({"REDIS_URL": "http://localhost:6379", "ATTUNE_DRY_RUN": "maybe",
                      "ZENDESK_URL": "acme.zendesk.com", "ATTUNE_AUDIT_DAYS": "-3"})
    assert any(p.startswith("REDIS_URL: expected redis://") for p in found)
    assert any(p.startswith("ATTUNE_DRY_RUN: expected 1/0") for p in found)
    assert any(p.startswith("ZENDESK_URL: expected an http(s) base URL") for p in found)
    assert any(p.startswith("ATTUNE_AUDIT_DAYS: expected a positive number") for p in found)
    for missing in ("ZENDESK_EMAIL", "ZENDESK_API_TOKEN", "ZENDESK_WEBHOOK_SECRET"):
        assert f"{missing}: required when ZENDESK_URL is set" in found


def test_a_configured_helpdesk_is_enabled_and_not_a_demo():
    settings = load_settings({"ZENDESK_URL": "http://localhost:9999", "ZENDESK_EMAIL": "a@b.c",
                              "ZENDESK_API_TOKEN": "t0ken", "ZENDESK_WEBHOOK_SECRET": "s3cret"})
    assert settings.enabled == ["zendesk"]
    assert not settings.demo and not settings.dry_run


def test_missing_policy_file_is_named():
    assert problems({"ATTUNE_POLICIES": "/nowhere/policy.yaml"}) == [
        "ATTUNE_POLICIES: no policy file at /nowhere/policy.yaml"]


def test_cli_refuses_to_start_with_a_clear_message(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "ZENDESK_URL": "not a url", "ATTUNE_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "middleware", "replay", "--list"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "The configuration has problems" in done.stderr
    assert "ZENDESK_URL: expected an http(s) base URL" in done.stderr
