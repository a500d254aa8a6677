"""`python -m middleware serve`: everything on one machine: gunicorn serving the webhooks and one
worker (with the inbox pump, rq's scheduler and the SLA sweeper), sharing one Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from middleware.runtime import get_runtime


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("serve", help="run the web server and a worker on this machine")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
    parser.set_defaults(func=run)


def banner(runtime, host: str, port: int) -> str:
    settings = runtime.settings
    where = "REDIS_URL" if settings.redis_url else f"embedded server, data in {settings.data_dir}"
    lines = [f"Attune listening on http://{host}:{port}  (health: /healthz)", f"Redis: {where}"]
    if settings.demo:
        lines.append("No helpdesk is configured: running in demo mode (dry run, nothing is written).")
        lines.append("Try it: make demo   (posts a sample ticket and shows what Attune would write)")
    else:
        dry = "  (dry run: decisions are recorded, nothing is written)" if settings.dry_run else ""
        lines.append(f"Helpdesks: {', '.join(runtime.connectors)}{dry}")
    return "\n".join(lines)


def run(args) -> int:
    runtime = get_runtime()
    env = dict(os.environ, REDIS_URL=runtime.redis_url)
    bind = f"{args.host}:{args.port}"
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", bind,
                            "--workers", str(args.web_workers), "--access-logfile", "-"], env=env)
    worker = subprocess.Popen([sys.executable, "-m", "middleware", "worker"], env=env)
    print(banner(runtime, args.host, args.port), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for child in (web, worker):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in (web, worker):
            child.wait(timeout=30)
