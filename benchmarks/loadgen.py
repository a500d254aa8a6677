"""Two load generators, both on 127.0.0.1 and both bounded in count and time.

- `closed_loop` drives wrk: a fixed number of connections, each sending its next request as soon
  as the last one is answered, for a fixed duration; it measures the most requests/s a server
  sustains. A generated Lua script gives every request its own ticket id.
- `fixed_rate` sends a fixed number of requests at a fixed rate, each on its own connection
  (gunicorn's sync workers close every connection anyway), whatever the server's pace. Latency is
  counted from when a request was due, not from when it went out, so a server that falls behind
  shows it in p99 instead of slowing the generator down.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlparse

from benchmarks import payloads
from benchmarks.servers import CACHE

PATH = "/webhooks/freshdesk"
WRK_CONNECTIONS = 8
REQUEST_TIMEOUT = 10.0
WRK_SCRIPT = """
local halves = {%(halves)s}
local path = "%(path)s"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "%(auth)s"
local threads = {}
local started = 0

function setup(thread)
  thread:set("base", %(base)d + started * 10000000)
  started = started + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  accepted = 0
end

function request()
  counter = counter + 1
  local id = base + counter
  local half = halves[(id %% #halves) + 1]
  return wrk.format(nil, path, nil, half[1] .. id .. half[2])
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("accepted")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %%d, "duration_s": %%f, "p50_ms": %%f, "p99_ms": %%f, ' ..
    '"accepted": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, total, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _lua_halves() -> str:
    return ", ".join(f"{{[==[{before}]==], [==[{after}]==]}}" for before, after in payloads.templates())


def write_wrk_script(base: int) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "webhook.lua"
    path.write_text(WRK_SCRIPT % {"halves": _lua_halves(), "path": PATH, "auth": payloads.basic_auth(),
                                  "base": base})
    return str(path)


def closed_loop(url: str, seconds: int, base: int, connections: int = WRK_CONNECTIONS) -> dict:
    """Run wrk (one thread) against `url` for `seconds`; requests/s, p50, p99 and 202s."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{REQUEST_TIMEOUT:.0f}s",
            "-s", write_wrk_script(base), url]
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    result["rps"] = result["requests"] / result["duration_s"]
    return result


@dataclass
class Sent:
    """One request of a fixed-rate run: when it was due (wall clock), its status and latency."""

    due_at: float
    status: int
    latency_ms: float


def request_bytes(url: str, body: bytes) -> bytes:
    host = urlparse(url).netloc
    head = (f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Authorization: {payloads.basic_auth()}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n")
    return head.encode() + body


def fixed_rate(url: str, bodies: list[bytes], rate: float) -> list[Sent]:
    """POST each body to `url` at `rate` per second; one `Sent` per body, in order."""
    return asyncio.run(_drive(url, [request_bytes(url, b) for b in bodies], rate))


async def _drive(url: str, requests: list[bytes], rate: float) -> list[Sent]:
    parsed = urlparse(url)
    loop = asyncio.get_running_loop()
    start, wall_start = loop.time() + 0.05, time.time() + 0.05
    tasks = []
    for i, raw in enumerate(requests):
        due = start + i / rate
        if due > loop.time():
            await asyncio.sleep(due - loop.time())
        tasks.append(asyncio.create_task(_send(parsed.hostname, parsed.port, raw, due, wall_start - start)))
    return await asyncio.gather(*tasks)


async def _send(host: str, port: int, raw: bytes, due: float, wall_offset: float) -> Sent:
    loop = asyncio.get_running_loop()
    try:
        status = await asyncio.wait_for(_exchange(host, port, raw), REQUEST_TIMEOUT)
    except (OSError, TimeoutError, ValueError):
        status = 0
    return Sent(due + wall_offset, status, (loop.time() - due) * 1000)


async def _exchange(host: str, port: int, raw: bytes) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(raw)
        response = await reader.read()
    finally:
        writer.close()
    return int(response.split(b" ", 2)[1])
