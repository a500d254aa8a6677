"""The enrichment engine: one ticket in, one JSON-serialisable enrichment out.

``Enricher`` compiles everything once (the combined cue pattern, the lexicon, the model); ``enrich``
is then a pure function of the ticket and ``now``. Each requester text is lower-cased, tokenized and
scanned once; the signal modules only read the results. Agent comments are not scored, except the
latest one when it is a public reply, which gets the reply check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from middleware.enrichment import deadlines, frustration, impact, scenario, sentiment
from middleware.enrichment.config import EnrichmentConfig, load_config
from middleware.enrichment.model import TextModel
from middleware.enrichment.reply_check import ReplyChecker
from middleware.enrichment.text import (
    TOKEN,
    Cue,
    CueScanner,
    lower,
    lower_tokens,
    ticket_segments,
)
from middleware.enrichment.valence import Valence, load_lexicon
from middleware.enrichment.valence import score as valence_score

DIGIT = re.compile(r"\d")
SIGNAL_TAGS = {"blocked": "attune_blocked", "deadline": "attune_deadline", "people_affected":
               "attune_people_affected", "outage": "attune_outage", "security": "attune_security",
               "vip": "attune_vip"}


@dataclass
class Message:
    """What one requester message shows: cues, deadlines, lexicon valence and model probabilities."""

    cues: list[Cue]
    deadlines: list[deadlines.Deadline]
    valence: Valence
    probabilities: dict[str, float]
    words: int
    has_number: bool


class Enricher:
    """Construct once per process; ``enrich`` is safe to call for any number of tickets."""

    def __init__(self, config: EnrichmentConfig | None = None) -> None:
        self.config = config or load_config()
        cfg = self.config
        self.scanner = CueScanner({**cfg.frustration["cues"], **cfg.impact["cues"], **cfg.scenario["cues"]})
        # Scanned on their own, so that an outage phrase ("is the website down") never hides the name.
        systems = [re.escape(s.lower()) for s in cfg.impact["systems"]] or ["(?!)"]
        self.systems = CueScanner({"system": systems})
        self.graded = CueScanner(cfg.impact["graded_cues"])
        self.intensity = frustration.IntensityFinder(cfg.frustration["intensity"])
        self.lexicon = load_lexicon()
        self.model = TextModel()
        self.replies = ReplyChecker(cfg.reply_check)
        self.complaint_kinds = frozenset(cfg.sentiment["complaint_kinds"])

    def analyse(self, parts: list[tuple[str, str]], now: datetime) -> Message:
        """Scan, tokenize and score the fields of one message."""
        cues, found, tokens, lowered = [], [], [], []
        end_of_day = self.config.impact["end_of_day_hour"]
        for field, text in parts:
            low = lower(text)
            cues += self.scanner.scan(text, low, field) + self.systems.scan(text, low, field)
            cues += self.intensity.find(text, field)
            cues += [_whole_question(c, text) for c in self.graded.scan(text, low, field)]
            found += deadlines.find(text, low, field, now, end_of_day)
            found_tokens = TOKEN.findall(text)
            tokens += found_tokens
            lowered += lower_tokens(found_tokens)
        valence = valence_score(tokens, lowered, self.lexicon)
        has_number = any(DIGIT.search(text) for _, text in parts)
        return Message(cues, found, valence, self.model.predict(lowered, valence),
                       sum(t[0].isalnum() for t in tokens), has_number)

    def frustration_score(self, message: Message) -> float:
        weights = self.config.frustration["weights"]
        return frustration.message_score(message.probabilities["frustration"], message.cues, weights)

    def enrich(self, ticket: dict, now: datetime | None = None) -> dict:
        """The enrichment of one ticket (see the package docstring for the shape)."""
        check_ticket(ticket)
        now = now or datetime.now().astimezone()
        messages = [self.analyse(parts, now) for parts in requester_messages(ticket)]
        messages = messages or [self.analyse([], now)]
        return self._assemble(ticket, messages, now)

    def _assemble(self, ticket: dict, messages: list[Message], now: datetime) -> dict:
        cfg = self.config
        cues = [c for m in messages for c in m.cues]
        found = [d for m in messages for d in m.deadlines]
        latest = messages[-1]
        cue_pull = frustration.cue_strength(latest.cues, cfg.sentiment["cue_weights"])
        complaint = any(c.kind in self.complaint_kinds for c in latest.cues)
        mood = sentiment.assess(latest.valence, latest.probabilities, self.model.blend, cue_pull,
                                cfg.sentiment, complaint)
        scores = [self.frustration_score(m) for m in messages]
        upset = frustration.assess(scores, cues, cfg.frustration)
        effect = impact.assess(cues, found, ticket.get("requester"), upset["score"], now, cfg.impact)
        kind = scenario.classify(cues + [d.cue for d in found], cfg.scenario)
        words = sum(m.words for m in messages)
        vague = scenario.is_vague(words, any(m.has_number for m in messages), cues, cfg.scenario["vague"])
        due = next((s.get("due") for s in effect["signals"] if s["name"] == "deadline"), None)
        result = {
            "id": ticket.get("id"), "sentiment": mood, "frustration": upset, "impact": effect,
            "scenario": kind, "guidance": scenario.guidance(kind, vague, cues, due, cfg.scenario),
            "vague": vague, "reply_check": self._reply_check(ticket, upset["level"] != "none"),
        }
        result["tags"] = tags(result)
        return result

    def _reply_check(self, ticket: dict, frustrated: bool) -> dict | None:
        comments = ticket.get("comments") or []
        last = comments[-1] if comments else None
        if not last or last.get("author_role") != "agent" or last.get("public", True) is False:
            return None
        return self.replies.check(last.get("body") or "", frustrated)


def _whole_question(cue: Cue, text: str) -> Cue:
    """A question cue matches only its opening word; its evidence is the question up to the "?"."""
    if cue.kind != "question":
        return cue
    end = text.find("?", cue.end) + 1
    return Cue(cue.kind, text[cue.start:end], cue.start, end, cue.field) if end else cue


def requester_messages(ticket: dict) -> list[list[tuple[str, str]]]:
    """Requester texts grouped by message: subject and description first, then each comment."""
    messages: list[list[tuple[str, str]]] = [[]]
    for field, role, text in ticket_segments(ticket):
        if role == "agent":
            continue
        if field.startswith("comment:"):
            messages.append([])
        messages[-1].append((field, text))
    return [m for m in messages if m]


def check_ticket(ticket: object) -> None:
    """Reject input the engine cannot read, with a message naming the field."""
    if not isinstance(ticket, dict):
        raise ValueError("ticket: expected a JSON object")
    for name in ("subject", "description"):
        if not isinstance(ticket.get(name) or "", str):
            raise ValueError(f"{name}: expected a string")
    comments = ticket.get("comments") or []
    if not isinstance(comments, list):
        raise ValueError("comments: expected a list")
    for i, comment in enumerate(comments):
        if not isinstance(comment, dict) or not isinstance(comment.get("body") or "", str):
            raise ValueError(f"comments[{i}]: expected an object with a string body")
    if not isinstance(ticket.get("requester") or {}, dict):
        raise ValueError("requester: expected an object")


def tags(result: dict) -> list[str]:
    """The helpdesk tags for an enrichment, in a stable order."""
    out = [f"attune_sentiment_{result['sentiment']['label']}", f"attune_impact_{result['impact']['level']}"]
    if result["frustration"]["level"] != "none":
        out.append(f"attune_frustration_{result['frustration']['level']}")
    if result["frustration"]["trend"] == "worsening":
        out.append("attune_frustration_worsening")
    out += [SIGNAL_TAGS[s["name"]] for s in result["impact"]["signals"] if s["name"] in SIGNAL_TAGS]
    out.append(f"attune_scenario_{result['scenario']}")
    if result["vague"]:
        out.append("attune_vague")
    out += [f"attune_reply_{issue}" for issue in (result["reply_check"] or {}).get("issues", [])]
    return out
