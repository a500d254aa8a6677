"""The facts a reader needs to compare figures: machine, software versions, load, date, commit."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import redis

from benchmarks.servers import ROOT, redis_binary

PACKAGES = ("flask", "gunicorn", "rq", "redis", "hiredis")


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _command(args: list[str]) -> str:
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=10, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "unavailable"


def facts(redis_url: str) -> dict:
    info = redis.Redis.from_url(redis_url).info("server")
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "redis": f"{info['redis_version']} ({redis_binary()}, AOF appendfsync everysec)",
        "packages": ", ".join(f"{name} {metadata.version(name)}" for name in PACKAGES),
        "wrk": _command(["wrk", "-v"]).split(" Copyright")[0],
        "commit": _command(["git", "rev-parse", "--short", "HEAD"]),
        "load_before": load_average(),
    }


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
