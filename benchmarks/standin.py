"""A stand-in Freshdesk API on 127.0.0.1 that answers Attune's calls and timestamps its writes.

Run as `python -m benchmarks.standin PORT`. It answers what the Freshdesk connector asks
(`GET /api/v2/tickets/{id}`, `PUT /api/v2/tickets/{id}`, `POST /api/v2/tickets/{id}/notes`,
`GET /api/v2/agents/me`, `GET /api/v2/groups`) and a chat webhook (`POST /notify`). For each
ticket it keeps the wall-clock time of the first write (ticket update or note);
`GET /_bench/writes` returns them and `POST /_bench/reset` forgets them.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TICKET = re.compile(r"^/api/v2/tickets/([^/?]+)(/notes)?$")
UPDATED_AT = "2026-11-20T09:00:00Z"


class Writes:
    """First-write times per ticket, shared by the handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.first: dict[str, float] = {}
        self.count = 0

    def record(self, ticket_id: str) -> None:
        now = time.time()
        with self.lock:
            self.first.setdefault(ticket_id, now)
            self.count += 1

    def snapshot(self) -> dict:
        with self.lock:
            return {"first": dict(self.first), "count": self.count}

    def reset(self) -> None:
        with self.lock:
            self.first.clear()
            self.count = 0


WRITES = Writes()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        if self.path == "/_bench/writes":
            return self._reply(200, WRITES.snapshot())
        if self.path == "/api/v2/agents/me":
            return self._reply(200, {"id": 900001, "contact": {"name": "Attune"}})
        if self.path.startswith("/api/v2/groups"):
            return self._reply(200, [{"id": 42, "name": "Escalations"}])
        match = TICKET.match(self.path)
        if match and not match.group(2):
            return self._reply(200, {"id": int(match.group(1)), "tags": [], "updated_at": UPDATED_AT})
        self._reply(404, {"message": "not found"})

    def do_PUT(self) -> None:
        self._read_body()
        match = TICKET.match(self.path)
        if match and not match.group(2):
            WRITES.record(match.group(1))
            return self._reply(200, {"id": int(match.group(1)), "updated_at": UPDATED_AT})
        self._reply(404, {"message": "not found"})

    def do_POST(self) -> None:
        self._read_body()
        if self.path == "/_bench/reset":
            WRITES.reset()
            return self._reply(200, {})
        if self.path == "/notify":
            return self._reply(200, {})
        match = TICKET.match(self.path)
        if match and match.group(2):
            WRITES.record(match.group(1))
            return self._reply(201, {"id": 1, "private": True})
        self._reply(404, {"message": "not found"})

    def _read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _reply(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
