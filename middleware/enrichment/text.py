"""Text shared by every signal: a ticket's messages, one tokenizer and one cue scanner.

Each piece of text is lower-cased once (curly apostrophes straightened, so offsets stay the same)
and scanned once with a single combined pattern whose named groups are the cue kinds from the
policy file. Signals then read the cues they care about instead of running their own patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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
    return "|".join(f"(?:{alt})" for alt in spellings(patterns))


def spellings(patterns: Iterable[str]) -> list[str]:
    """The patterns as alternatives that start with a literal where they can, in the same order.

    The regex engine skips an alternative whose first item is a literal character that does not
    match, without entering it; an alternative that opens with a group is entered at every position
    tried. So a leading group of plain words is distributed over the rest ("(?:is|are) down" becomes
    "is down|are down", "(?:yet )?again" becomes "yet again|again"): same matches, same order.
    """
    return [alt for p in patterns for top in _top_level(p) for alt in _distribute(top)]


def by_first_character(alternatives: list[str]) -> str:
    """An alternation grouped by each alternative's first literal character.

    Python's parser factors a group's shared first character out, so at a position the engine
    tries one group instead of every alternative. Only whether something matches at a position is
    kept: the order of alternatives across groups changes, so use it to find where a cue starts.
    """
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        plain = alt[0].isalnum() and (len(alt) == 1 or alt[1] not in "?*+{")
        groups.setdefault(alt[0] if plain else "", []).append(alt)
    return "|".join("(?:" + "|".join(f"(?:{a})" for a in alts) + ")" for alts in groups.values())


MAX_SPELLINGS = 32  # a pattern that would spread into more alternatives than this is left as it is


def _scan_groups(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) for each character outside escapes and classes."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            depth += (c == "(") - (c == ")")
            yield i, c, depth
        i += 1


def _top_level(pattern: str) -> list[str]:
    """The pattern's top-level alternatives (``|`` outside any group or character class)."""
    cuts = [i for i, c, depth in _scan_groups(pattern) if c == "|" and depth == 0]
    bounds = zip([-1, *cuts], [*cuts, len(pattern)], strict=True)
    return [pattern[start + 1:end] for start, end in bounds]


def _leading_group(pattern: str) -> tuple[list[str], bool, str] | None:
    """A leading non-capturing group: its alternatives, whether it is optional, and the rest."""
    if not pattern.startswith("(?:"):
        return None
    close = next(i for i, c, depth in _scan_groups(pattern) if c == ")" and depth == 0)
    rest = pattern[close + 1:]
    if rest[:1] in ("*", "+", "{") or rest.startswith(("??", "?+")):
        return None
    optional = rest.startswith("?")
    rest = rest[1:] if optional else rest
    alternatives = _top_level(pattern[3:close])
    if not all(a[:1].isalnum() or a[:1] == "'" or a[:2] == "\\d" for a in alternatives):
        return None  # spread, an alternative opening with a group or an assertion would cost more
    return alternatives, optional, rest


def _distribute(pattern: str) -> list[str]:
    """Spread a leading group over the rest: (?:a|b)c -> ac|bc, (?:a)?c -> ac|c, in that order."""
    group = _leading_group(pattern)
    if group is None:
        return [pattern]
    alternatives, optional, rest = group
    tails = _distribute(rest) if rest else [""]
    out = [a + t for a in alternatives for t in tails] + (tails if optional and rest else [])
    out = [alt for alt in out if alt]
    return out if 0 < len(out) <= MAX_SPELLINGS else [pattern]


NAMED_GROUP = re.compile(r"\(\?P<\w+>")


class Finder:
    """The matches of a pattern of whole-word phrases, found fast.

    ``pattern`` decides each match (which named group, which alternative first); ``finder`` has the
    same alternatives grouped by first character and only finds where the next match starts, which
    it does several times faster. ``finditer`` gives what ``pattern.finditer`` gives.
    """

    def __init__(self, body: str, alternatives: list[str] | None = None) -> None:
        self.pattern = re.compile(r"(?<![\w'])(?:" + body + r")(?![\w'])")
        alternatives = alternatives or spellings([NAMED_GROUP.sub("(?:", body)])
        self.finder = re.compile(r"(?<![\w'])(?:" + by_first_character(alternatives) + r")(?![\w'])")

    def finditer(self, lowered: str) -> Iterator[re.Match]:
        position = 0
        while hit := self.finder.search(lowered, position):
            # The two agree on where matches start; a search is the safe path for anything they don't.
            m = self.pattern.match(lowered, hit.start()) or self.pattern.search(lowered, hit.start())
            if m is None:
                return
            yield m
            position = max(m.end(), m.start() + 1)


class CueScanner:
    """All cue kinds in one compiled pattern; ``scan`` returns the cues in order of position.

    A cue's kind is the named group that matched, the kinds tried in the policy's order.
    """

    def __init__(self, kinds: dict[str, list[str]]) -> None:
        body = "|".join(f"(?P<{kind}>{alternation(patterns)})" for kind, patterns in kinds.items())
        self.finder = Finder(body, [alt for patterns in kinds.values() for alt in spellings(patterns)])
        self.pattern = self.finder.pattern

    def scan(self, text: str, lowered: str, field_name: str) -> list[Cue]:
        return [Cue(m.lastgroup, text[m.start():m.end()], m.start(), m.end(), field_name)
                for m in self.finder.finditer(lowered)]


def ticket_segments(ticket: dict) -> list[tuple[str, str, str]]:
    """Every text of a ticket as (field, role, text): subject and description are the requester's."""
    out = [(name, "requester", ticket.get(name) or "") for name in ("subject", "description")]
    for index, comment in enumerate(ticket.get("comments") or ()):
        out.append((f"comment:{index}", comment.get("author_role") or "requester", comment.get("body") or ""))
    return [item for item in out if item[2].strip()]
