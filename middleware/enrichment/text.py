"""Text shared by every signal: a ticket's messages, one tokenizer and one cue scanner.

Each piece of text is lower-cased once (curly apostrophes straightened, so offsets stay the same)
and scanned once with a single combined pattern whose named groups are the cue kinds from the
policy file. Signals then read the cues they care about instead of running their own patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*|[!?]|[:;=][-']?[()\[\]DPp/|]|<3")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*")


@dataclass(frozen=True)
class Cue:
    """One phrase found in a text: its kind (a policy cue name) and where it is."""

    kind: str
    phrase: str
    start: int
    end: int
    field: str

    def evidence(self) -> dict:
        return {"phrase": self.phrase, "start": self.start, "end": self.end,
                "kind": self.kind, "field": self.field}


def lower(text: str) -> str:
    """Lower-case with straight apostrophes; same length as the input so offsets carry over."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower()[:1] for c in text)
    return low.replace("’", "'")


def tokenize(text: str) -> list[str]:
    """Word, emoticon and !/? tokens in their original case."""
    return TOKEN.findall(text)


def lower_tokens(tokens: list[str]) -> list[str]:
    """Tokens as the lexicon and the model see them: lower-case, straight apostrophes."""
    return [t.lower().replace("’", "'") for t in tokens]


def alternation(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


class CueScanner:
    """All cue kinds in one compiled pattern; ``scan`` returns the cues in order of position."""

    def __init__(self, kinds: dict[str, list[str]]) -> None:
        groups = (f"(?P<{kind}>{alternation(patterns)})" for kind, patterns in kinds.items())
        self.pattern = re.compile(r"(?<![\w'])(?:" + "|".join(groups) + r")(?![\w'])")

    def scan(self, text: str, lowered: str, field_name: str) -> list[Cue]:
        return [Cue(m.lastgroup, text[m.start():m.end()], m.start(), m.end(), field_name)
                for m in self.pattern.finditer(lowered)]


def ticket_segments(ticket: dict) -> list[tuple[str, str, str]]:
    """Every text of a ticket as (field, role, text): subject and description are the requester's."""
    out = [(name, "requester", ticket.get(name) or "") for name in ("subject", "description")]
    for index, comment in enumerate(ticket.get("comments") or ()):
        out.append((f"comment:{index}", comment.get("author_role") or "requester", comment.get("body") or ""))
    return [item for item in out if item[2].strip()]
