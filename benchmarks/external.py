"""Benchmarks other modules own (`benchmarks/enrichment.py`, `benchmarks/sla_sweep.py`): each
exposes `run() -> dict` and runs here in a fresh interpreter, so whatever it does to its own process
(the enrichment benchmark pins itself to one core) does not touch the rest of the suite."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks.servers import CACHE, ROOT

MARK = "BENCH_RESULT "
CODE = ("import json, benchmarks.{name} as module; "
        "print({mark!r} + json.dumps(module.run(), default=str))")


def run(name: str, redis_url: str, timeout: float = 600) -> dict:
    """The module's `run()` result, or {"missing": ...} / {"failed": ...} saying why there is none."""
    if not (ROOT / "benchmarks" / f"{name}.py").exists():
        return {"missing": f"not measured: module missing (benchmarks/{name}.py)"}
    env = {"REDIS_URL": redis_url, "ATTUNE_DATA_DIR": str(CACHE / "var"), "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", CODE.format(name=name, mark=MARK)]
    try:
        out = subprocess.run(args, cwd=ROOT, env=dict(os.environ, **env), capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"failed": f"benchmarks/{name}.py did not finish within {timeout:.0f} s"}
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith(MARK)]
    if out.returncode or not lines:
        tail = (out.stderr or out.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"failed": f"benchmarks/{name}.py exited {out.returncode}: {tail[0]}"}
    return json.loads(lines[-1].removeprefix(MARK))

