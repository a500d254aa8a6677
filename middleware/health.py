"""`GET /healthz`: is Redis reachable, how much work is waiting, which helpdesks are enabled."""

from __future__ import annotations

import redis
from flask import Blueprint, current_app, jsonify
from rq import Worker
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from middleware.inbox import Inbox

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    runtime = current_app.extensions["attune"]
    body = {"connectors": sorted(runtime.connectors), "dry_run": runtime.settings.dry_run,
            "demo": runtime.settings.demo}
    try:
        queue = runtime.queue
        body["redis"] = {"ok": bool(runtime.redis.ping())}
        body["queue"] = {"inbox": Inbox(runtime.redis).depth(), "queued": queue.count,
                         "scheduled": ScheduledJobRegistry(queue=queue).count,
                         "failed": FailedJobRegistry(queue=queue).count,
                         "workers": Worker.count(queue=queue)}
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        body["redis"] = {"ok": False, "error": type(exc).__name__}
        return jsonify(status="degraded", **body), 503
    return jsonify(status="ok", **body), 200
