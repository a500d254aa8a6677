"""A real `python -m middleware worker` process: the pump, rq and the write-back, end to end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from conftest import fixture_bytes, sign_zendesk

from middleware import create_app, store
from middleware.runtime import DEMO_SECRET


def test_worker_process_turns_a_delivery_into_a_decision(make_env, redis_url, tmp_path):
    runtime = make_env({})  # no helpdesk configured: demo mode, dry run
    client = create_app(runtime).test_client()
    body = fixture_bytes("zendesk/ticket_created__payroll_blocked.json")
    assert client.post("/webhooks/zendesk", data=body,
                       headers=sign_zendesk(body, secret=DEMO_SECRET)).status_code == 202
    env = {"PATH": os.environ["PATH"], "REDIS_URL": redis_url, "ATTUNE_DATA_DIR": str(tmp_path),
           "ATTUNE_ONCALL_WEBHOOK_URL": os.environ["ATTUNE_ONCALL_WEBHOOK_URL"]}
    worker = subprocess.Popen([sys.executable, "-m", "middleware", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        result = _wait_for(runtime.redis, store.result_key("zendesk", "5201"), seconds=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
    assert result is not None, errors[-2000:]
    assert result["matched"] == ["annotate", "frustrated-high-impact"]
    assert {w["result"] for w in result["writes"] if w["kind"] == "write"} == {"dry_run"}
    assert worker.returncode == 0, "a SIGTERM is a warm shutdown"


def _wait_for(redis, key: str, seconds: float) -> dict | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        raw = redis.get(key)
        if raw:
            return json.loads(raw)
        time.sleep(0.1)
    return None
