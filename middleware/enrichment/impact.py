"""Business impact: what is this stopping the requester from doing right now?

Signals, each with its evidence: blocked work, a deadline (with its due time when it could be
resolved), people affected (with a count when one is stated), an outage of a named system, a security
incident, and a VIP requester (configured emails, domains or organisations). Below those sits a graded
tier for ordinary requests for help: an explicit inability to go on ("I can't submit", "error when
saving"), a time reference ("this week", "before the review") and a question or request that needs a
staff answer. Each signal adds its configured strength as an independent chance; a frustrated tone
adds a little; an explicit workaround, a requester saying it can wait, or a message saying the problem
is gone, scales the score down. The level follows the configured thresholds.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from middleware.enrichment.deadlines import Deadline
from middleware.enrichment.text import Cue

NUMBER = re.compile(r"\d+")
MANY_WORDS = ("whole", "entire", "everyone", "everybody", "all", "nobody", "hundreds", "dozens")


def _combine(strengths: list[float]) -> float:
    remaining = 1.0
    for s in strengths:
        remaining *= 1.0 - s
    return 1.0 - remaining


def _signal(name: str, cues: list[Cue], **extra: object) -> dict:
    return {"name": name, "evidence": [c.evidence() for c in cues], **extra}


def _by_kind(cues: list[Cue]) -> dict[str, list[Cue]]:
    groups: dict[str, list[Cue]] = {}
    for cue in cues:
        groups.setdefault(cue.kind, []).append(cue)
    return groups


def people_count(cues: list[Cue]) -> int | None:
    counts = [int(m.group()) for c in cues for m in NUMBER.finditer(c.phrase)]
    return max(counts) if counts else None


def _people(cues: list[Cue], config: dict) -> tuple[dict, float]:
    count = people_count(cues)
    many = (count or 0) >= config["many_people"] or any(
        w in c.phrase.lower() for c in cues for w in MANY_WORDS)
    weight = config["weights"]["many_people" if many else "people_affected"]
    return _signal("people_affected", cues, count=count), weight


def _deadline(found: list[Deadline], now: datetime, config: dict) -> tuple[dict, float]:
    dues = sorted(d.due for d in found if d.due is not None)
    due = dues[0] if dues else None
    soon = due is not None and due - now <= timedelta(hours=config["soon_hours"])
    weight = config["weights"]["deadline_soon" if soon else "deadline"]
    return _signal("deadline", [d.cue for d in found], due=due and due.isoformat()), weight


def _outage(outages: list[Cue], systems: list[Cue], config: dict) -> tuple[dict, float]:
    fields = {c.field for c in outages}
    named = [s for s in systems if s.field in fields] or systems
    names = sorted({s.phrase.lower() for s in named})
    return _signal("outage", outages + named[:3], systems=names), config["weights"]["outage"]


def vip_evidence(requester: dict | None, vip: dict) -> list[dict]:
    """Why the requester counts as a VIP: matching email, domain or organisation."""
    requester = requester or {}
    email = (requester.get("email") or "").strip().lower()
    organization = (requester.get("organization") or "").strip().casefold()
    domain = email.rpartition("@")[2]
    found = []
    if email and email in {e.lower() for e in vip["emails"]}:
        found.append(("email", requester["email"]))
    elif domain and any(domain == d.lower() or domain.endswith("." + d.lower()) for d in vip["domains"]):
        found.append(("domain", domain))
    if organization and organization in {o.casefold() for o in vip["organizations"]}:
        found.append(("organization", requester["organization"]))
    return [{"phrase": value, "kind": "vip", "field": f"requester.{key}"} for key, value in found]


def _signals(cues: list[Cue], found: list[Deadline], requester: dict | None,
             now: datetime, config: dict) -> list[tuple[dict, float]]:
    kinds = _by_kind(cues)
    weights = config["weights"]
    out = [(_signal(name, kinds[name]), weights[name]) for name in ("blocked", "security") if name in kinds]
    if found:
        out.append(_deadline(found, now, config))
    if "people" in kinds:
        out.append(_people(kinds["people"], config))
    if "outage" in kinds and "system" in kinds:
        out.append(_outage(kinds["outage"], kinds["system"], config))
    vip = vip_evidence(requester, config["vip"])
    if vip:
        out.append(({"name": "vip", "evidence": vip}, weights["vip"]))
    return out + _graded(kinds, bool(found), weights)


def _graded(kinds: dict[str, list[Cue]], deadline: bool, weights: dict) -> list[tuple[dict, float]]:
    """The lower tier, each only when the stronger signal of the same nature is absent; a time
    reference counts only as the horizon of a request for help, not in a comment."""
    out = []
    if "cannot_proceed" in kinds and "blocked" not in kinds:
        out.append((_signal("cannot_proceed", kinds["cannot_proceed"]), weights["cannot_proceed"]))
    asking = "cannot_proceed" in kinds or "request" in kinds or "question" in kinds
    if "time_reference" in kinds and not deadline and asking:
        out.append((_signal("time_reference", kinds["time_reference"]), weights["time_reference"]))
    asks = kinds.get("request", []) + kinds.get("question", [])
    if asks:
        asks.sort(key=lambda c: (c.field, c.start))
        out.append((_signal("needs_answer", asks), weights["needs_answer"]))
    return out


def assess(cues: list[Cue], found: list[Deadline], requester: dict | None,
           frustration: float, now: datetime, config: dict) -> dict:
    """The impact block of an enrichment: {"level", "score", "signals"}."""
    signals = _signals(cues, found, requester, now, config)
    strengths = [w for _, w in signals] + [config["weights"]["frustration"] * frustration]
    if any(c.kind in ("problem", "failure", "outage", "cannot_proceed") for c in cues):
        strengths.append(config["weights"]["problem"])
    value = _combine(strengths)
    for kind in ("workaround", "not_urgent", "resolved"):
        found = [c for c in cues if c.kind == kind]
        if found:
            value *= config[f"{kind}_factor"]
            signals.append((_signal(kind, found), 0.0))
    return {"level": level(value, config["thresholds"]), "score": round(value, 3),
            "signals": [s for s, _ in signals]}


def level(value: float, thresholds: dict[str, float]) -> str:
    for name in ("critical", "high", "medium"):
        if value >= thresholds[name]:
            return name
    return "low"
