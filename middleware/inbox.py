"""The durable inbox between the webhook and the rq queue.

Before answering 202 the webhook makes one Redis round trip: a Lua script that records the
delivery id (so a redelivery is recognised) and pushes the raw payload onto a list. That is all
that must be durable before the helpdesk hears back. A pump, running beside every worker, moves
payloads from the inbox into rq jobs in batches (`enqueue_many` in one pipeline); an entry
stays in a processing list until its job exists, so a pump that dies mid-batch loses nothing.
"""

from __future__ import annotations

import json
import logging
import re
import time

import redis
from rq import Queue

from middleware import store

log = logging.getLogger("attune.inbox")
BATCH = 200
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")

_ACCEPT = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  redis.call('LPUSH', KEYS[2], ARGV[3])
  return 1
end
return 0
"""


class Inbox:
    def __init__(self, r: redis.Redis):
        self.redis = r
        self._accept = r.register_script(_ACCEPT)

    def accept(self, source: str, delivery_id: str, body: bytes, headers: dict[str, str]) -> bool:
        """Store a verified delivery; False when this delivery id was seen before."""
        item = pack({"source": source, "delivery_id": delivery_id, "received_at": time.time(),
                     "headers": headers}, body)
        keys = [store.seen_key(source, delivery_id), store.INBOX]
        return bool(self._accept(keys=keys, args=[1, store.DEDUPE_TTL, item]))

    def depth(self) -> int:
        return int(self.redis.llen(store.INBOX)) + int(self.redis.llen(store.INBOX_PROCESSING))

    def pump(self, queue: Queue, *, wait: float = 0, batch: int = BATCH) -> int:
        """Move up to `batch` payloads into rq jobs; blocks up to `wait` seconds for the first."""
        items = self._take(wait, batch)
        if not items:
            return 0
        from middleware.jobs import process_delivery

        jobs = [Queue.prepare_data(process_delivery, args=(item,), job_id=_job_id(item),
                                   timeout=300, result_ttl=3600, failure_ttl=30 * 86400)
                for item in items]
        with self.redis.pipeline() as pipe:
            queue.enqueue_many(jobs, pipeline=pipe)
            for item in items:
                pipe.lrem(store.INBOX_PROCESSING, 1, item)
            pipe.execute()
        return len(items)

    def recover(self) -> int:
        """Put back payloads a stopped pump had taken but not yet enqueued."""
        moved = 0
        while self.redis.lmove(store.INBOX_PROCESSING, store.INBOX, "LEFT", "RIGHT"):
            moved += 1
        if moved:
            log.warning("recovered %d payload(s) from an interrupted pump", moved)
        return moved

    def _take(self, wait: float, batch: int) -> list[bytes]:
        if wait:
            first = self.redis.blmove(store.INBOX, store.INBOX_PROCESSING, wait, "RIGHT", "LEFT")
        else:
            first = self.redis.lmove(store.INBOX, store.INBOX_PROCESSING, "RIGHT", "LEFT")
        if first is None:
            return []
        items = [first]
        while len(items) < batch:
            item = self.redis.lmove(store.INBOX, store.INBOX_PROCESSING, "RIGHT", "LEFT")
            if item is None:
                break
            items.append(item)
        return items


def pack(meta: dict, body: bytes) -> bytes:
    """One inbox entry: a JSON line of metadata, then the raw body exactly as it was signed."""
    return json.dumps(meta).encode() + b"\n" + body


def unpack(item: bytes) -> tuple[dict, bytes]:
    meta, _, body = item.partition(b"\n")
    return json.loads(meta), body


def _job_id(item: bytes) -> str:
    meta, _ = unpack(item)
    return _UNSAFE.sub("_", f"{meta['source']}-{meta['delivery_id']}")[:200]
