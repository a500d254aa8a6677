"""The embedded Redis keeps what was queued across a restart, and the inbox loses nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from middleware import store
from middleware.inbox import Inbox, unpack


def test_embedded_redis_keeps_the_inbox_across_a_restart(tmp_path):
    url = store.embedded_url(tmp_path)
    Inbox(store.connect(url)).accept("zendesk", "delivery-1", b'{"id": "delivery-1"}', {})
    store.stop_embedded(tmp_path)
    assert not store.ping(url)
    url = store.embedded_url(tmp_path)
    try:
        meta, body = unpack(store.connect(url).lindex(store.INBOX, 0))
        assert meta["delivery_id"] == "delivery-1"
        assert body == b'{"id": "delivery-1"}'
    finally:
        store.stop_embedded(tmp_path)


def test_a_running_embedded_server_is_reused(tmp_path):
    first = store.embedded_url(tmp_path)
    try:
        assert store.embedded_url(tmp_path) == first
        assert store.socket_path(tmp_path) in store._embedded
    finally:
        store.stop_embedded(tmp_path)


def test_pump_moves_the_inbox_into_rq_jobs(zendesk):
    inbox = Inbox(zendesk.redis)
    for n in range(3):
        assert inbox.accept("zendesk", f"d{n}", b"{}", {})
    assert inbox.pump(zendesk.queue, batch=2) == 2
    assert inbox.pump(zendesk.queue) == 1
    assert zendesk.queue.count == 3 and inbox.depth() == 0
    assert sorted(zendesk.queue.job_ids) == ["zendesk-d0", "zendesk-d1", "zendesk-d2"]


def test_payloads_taken_by_a_stopped_pump_are_recovered(zendesk):
    inbox = Inbox(zendesk.redis)
    inbox.accept("zendesk", "d1", b"{}", {})
    zendesk.redis.lmove(store.INBOX, store.INBOX_PROCESSING, "RIGHT", "LEFT")
    assert inbox.recover() == 1
    assert inbox.pump(zendesk.queue) == 1


def test_processes_starting_together_share_one_embedded_server(tmp_path):
    code = ("import sys, time; from pathlib import Path; from middleware import store; "
            "url = store.embedded_url(Path(sys.argv[1])); "
            "print(store.connect(url).info()['process_id'], flush=True); time.sleep(2)")
    starters = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                                 text=True, cwd=Path(__file__).resolve().parents[1]) for _ in range(3)]
    server_pids = {starter.communicate(timeout=60)[0].strip() for starter in starters}
    assert len(server_pids) == 1 and server_pids != {""}
