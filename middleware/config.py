"""Settings from the environment, validated once at start with one clear message per bad value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """One or more settings are wrong; the message lists every problem, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ConnectorSpec:
    """The environment variables one connector reads: setting name -> variable name."""

    name: str
    env: Mapping[str, str]
    required: tuple[str, ...]
    optional_defaults: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    redis_url: str | None
    data_dir: Path
    dry_run: bool
    policies_path: Path
    connectors: Mapping[str, Mapping[str, str]]
    demo: bool = False
    audit_days: float = 30.0

    @property
    def enabled(self) -> list[str]:
        return sorted(self.connectors)


def _bool(env: Mapping[str, str], name: str, problems: list[str]) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in TRUE:
        return True
    if raw not in FALSE:
        problems.append(f"{name}: expected 1/0, true/false, yes/no or on/off, got {raw!r}")
    return False


def _url(name: str, value: str, problems: list[str]) -> None:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(f"{name}: expected an http(s) base URL such as https://acme.example.com, "
                        f"got {value!r}")


def _redis_url(value: str | None, problems: list[str]) -> None:
    if value and urlparse(value).scheme not in ("redis", "rediss", "unix"):
        problems.append(f"REDIS_URL: expected redis://, rediss:// or unix://, got {value!r}")


def _connector(spec: ConnectorSpec, env: Mapping[str, str], problems: list[str]) -> dict | None:
    url = env.get(spec.env["url"], "").strip()
    if not url:
        return None
    _url(spec.env["url"], url, problems)
    settings = {key: env.get(var, "").strip() or spec.optional_defaults.get(key, "")
                for key, var in spec.env.items()}
    for key in spec.required:
        if not settings.get(key):
            problems.append(f"{spec.env[key]}: required when {spec.env['url']} is set")
    return settings


def _float(env: Mapping[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        problems.append(f"{name}: expected a positive number, got {raw!r}")
        return default
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every setting; raise `ConfigError` listing all problems."""
    from connectors import SPECS

    env = os.environ if env is None else env
    problems: list[str] = []
    redis_url = env.get("REDIS_URL", "").strip() or None
    _redis_url(redis_url, problems)
    dry_run = _bool(env, "ATTUNE_DRY_RUN", problems)
    connectors = {}
    for spec in SPECS:
        settings = _connector(spec, env, problems)
        if settings is not None:
            connectors[spec.name] = settings
    policies = Path(env.get("ATTUNE_POLICIES", "") or ROOT / "policies" / "default.yaml")
    if not policies.is_file():
        problems.append(f"ATTUNE_POLICIES: no policy file at {policies}")
    audit_days = _float(env, "ATTUNE_AUDIT_DAYS", 30.0, problems)
    if problems:
        raise ConfigError(problems)
    data_dir = Path(env.get("ATTUNE_DATA_DIR", "") or ROOT / "var")
    return Settings(redis_url=redis_url, data_dir=data_dir, dry_run=dry_run or not connectors,
                    policies_path=policies, connectors=connectors, demo=not connectors,
                    audit_days=audit_days)
