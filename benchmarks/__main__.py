"""`python -m benchmarks [--quick] [--only NAME ...]`: run the suite, write benchmarks/RESULTS.md.

The suite starts its own Redis, runs each benchmark in turn (a failing one is reported as not
measured, the others still run) and stops every process it started. Raw figures go to
benchmarks/.cache/results.json; `--render` writes the report again from them without measuring.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import end_to_end, external, machine, report, scale_out, servers, webhook, webhook_steps
from benchmarks.loadgen import wrk_available

RESULTS = servers.ROOT / "benchmarks" / "RESULTS.md"
RAW = servers.CACHE / "results.json"


def _external(name: str) -> Callable[[str, bool], dict]:
    return lambda redis_url, quick: external.run(name, redis_url)


BENCHMARKS: dict[str, Callable[[str, bool], dict]] = {
    "webhook": webhook.run,
    "webhook_steps": webhook_steps.run,
    "end_to_end": end_to_end.run,
    "enrichment": _external("enrichment"),
    "sla_sweep": _external("sla_sweep"),
    "scale_out": scale_out.run,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter rounds (about 3 minutes)")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="run only these benchmarks")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the report")
    parser.add_argument("--render", action="store_true", help=f"only write the report from {RAW.name}")
    return parser.parse_args(argv)


def ensure_wrk() -> bool:
    if not wrk_available():
        subprocess.run(["bash", str(servers.ROOT / "benchmarks" / "setup.sh")], check=False)
    return wrk_available()


def run_one(name: str, redis_url: str, quick: bool) -> dict:
    if name == "webhook" and not ensure_wrk():
        return {"missing": "not measured: wrk is not installed (run benchmarks/setup.sh as root)"}
    print(f"benchmarks: {name} ...", file=sys.stderr, flush=True)
    started = time.monotonic()
    try:
        result = BENCHMARKS[name](redis_url, quick)
    except Exception as exc:
        result = {"failed": f"{type(exc).__name__}: {exc}"}
    print(f"benchmarks: {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return result


def measure(args: argparse.Namespace) -> dict:
    started = time.monotonic()
    with servers.Processes() as processes:
        redis_url = servers.start_redis(processes)
        results: dict = {"machine": machine.facts(redis_url), "quick": args.quick}
        for name in args.only or BENCHMARKS:
            results[name] = run_one(name, redis_url, args.quick)
    results.update(duration_s=time.monotonic() - started, load_after=machine.load_average())
    RAW.write_text(json.dumps(results, indent=1, default=str))
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = json.loads(RAW.read_text()) if args.render else measure(args)
    args.output.write_text(report.render(results))
    print(f"benchmarks: wrote {args.output}", file=sys.stderr)
    failed = [name for name in BENCHMARKS if "failed" in (results.get(name) or {})]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
