"""`python -m middleware serve` on a fresh data folder: embedded Redis, web and worker, /healthz."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import requests

from middleware import store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_everything_and_stops_cleanly(tmp_path):
    port = free_port()
    env = {"PATH": os.environ["PATH"], "ATTUNE_DATA_DIR": str(tmp_path)}
    serve = subprocess.Popen([sys.executable, "-m", "middleware", "serve", "--port", str(port)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        health = _wait_for_health(f"http://127.0.0.1:{port}/healthz", seconds=30)
    finally:
        serve.send_signal(signal.SIGTERM)
        output, _ = serve.communicate(timeout=60)
    assert health is not None, output[-2000:]
    assert health["status"] == "ok" and health["demo"] is True
    assert health["redis"] == {"ok": True}
    assert "No helpdesk is configured: running in demo mode" in output
    assert serve.returncode == 0
    assert not store.ping(f"unix://{store.socket_path(tmp_path)}"), "the embedded Redis stopped too"
    assert (tmp_path / "appendonlydir").exists() or any(tmp_path.glob("*.aof")), "Redis kept an AOF"


def _wait_for_health(url: str, seconds: float) -> dict | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            response = requests.get(url, timeout=1)
            if response.status_code == 200 and response.json()["queue"]["workers"] >= 1:
                return response.json()
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return None
