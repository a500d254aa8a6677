"""The cue scanner: patterns respelled to start with a literal, and a fast finder that changes nothing."""

from __future__ import annotations

import pytest

from middleware.enrichment import agreement, load_config
from middleware.enrichment.text import CueScanner, by_first_character, lower, spellings
from middleware.evaluate import SUPPORT as FIXTURES
from middleware.evaluate import SUPPORT_SETS


@pytest.mark.parametrize(("pattern", "expected"), [
    ("(?:is|are) (?:\\w+ )?down", ["is (?:\\w+ )?down", "are (?:\\w+ )?down"]),
    ("(?:yet )?again", ["yet again", "again"]),
    ("(?:been )?waiting (?:for )?ages", ["been waiting (?:for )?ages", "waiting (?:for )?ages"]),
    ("outage|(?:is|was) offline", ["outage", "is offline", "was offline"]),
    ("[|]x|y", ["[|]x", "y"]),
    ("(?:\\d+|all) users", ["\\d+ users", "all users"]),
    ("(?:a|b)+c", ["(?:a|b)+c"]),
    ("(?:ab)??c", ["(?:ab)??c"]),
    ("(?:(?<=x)y|z)w", ["(?:(?<=x)y|z)w"]),  # an assertion first would be entered everywhere
])
def test_leading_words_are_spread_over_the_rest(pattern, expected):
    assert spellings([pattern]) == expected


def test_alternatives_are_grouped_by_their_first_character():
    grouped = by_first_character(["is down", "are down", "is offline", "\\d+ users"])
    assert grouped == "(?:(?:is down)|(?:is offline))|(?:(?:are down))|(?:(?:\\d+ users))"


def _texts() -> list[str]:
    texts = ["Is the VPN down?? Still no reply after 3 days. THIS IS THE THIRD TIME!",
             "Yet again the printer is down; it's working again now, thanks to the whole team.",
             "can't log in, cannot print, won't boot", ""]
    for name, _ in SUPPORT_SETS:
        tickets = agreement.load(FIXTURES / name)
        texts += [t.ticket[field] for t in tickets for field in ("subject", "description")]
    return texts


@pytest.mark.parametrize("section", ["cues", "graded_cues"])
def test_the_finder_gives_exactly_what_the_single_pattern_gives(section):
    config = load_config()
    kinds = ({**config.frustration["cues"], **config.impact["cues"], **config.scenario["cues"]}
             if section == "cues" else config.impact["graded_cues"])
    scanner = CueScanner(kinds)
    found = 0
    for text in _texts():
        low = lower(text)
        expected = [(m.lastgroup, m.start(), m.end()) for m in scanner.pattern.finditer(low)]
        assert [(c.kind, c.start, c.end) for c in scanner.scan(text, low, "d")] == expected
        found += len(expected)
    assert found > 100
