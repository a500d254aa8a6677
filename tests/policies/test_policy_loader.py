"""Strict loading: every kind of error, all reported in one pass as `FILE: path: message`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from policies import PolicyError, load_policy

ROOT = Path(__file__).resolve().parents[2]

BROKEN = """
version: 1
notify:
  oncall: {url: "https://chat.example.com/hooks/x"}
sla:
  calendar: {timezone: Mars/Olympus, hours: ["09:00", "17:00"]}
  targets:
    first_response: {impact: {high: 1hour}, default: 4h}
  ladder:
    - {name: at-risk, at: 150%, then: [{add_tags: [attune_sla_at_risk]}]}
rules:
  - name: catch-all
    then: [{add_tags: [x]}]
  - name: catch-all
    colour: red
    when: {ticket.priority: {equals: high}}
    then: [{page_someone: now}]
  - name: bad-regex
    when: {ticket.subject: {regex: "([unclosed"}}
    then: [{set_priority: critical}]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return caught.value.errors


def test_default_policy_loads():
    policy = load_policy(ROOT / "policies" / "default.yaml")
    assert [r.name for r in policy.rules][0] == "annotate"
    assert [s.at for s in policy.sla.ladder] == [0.5, 0.75, 0.9]


def test_every_error_is_reported_in_one_pass(tmp_path):
    path = write(tmp_path, BROKEN)
    errors = errors_of(path)
    expected = [
        "sla.calendar.timezone: unknown time zone 'Mars/Olympus'",
        "sla.targets.first_response.impact.high: expected a duration such as 30s",
        "sla.ladder[0].at: expected a share of the target",
        "rules[1].colour: unknown key",
        "rules[1].when.ticket.priority.equals: unknown operator 'equals'",
        "rules[1].then[0].page_someone: unknown action 'page_someone'",
        "rules[2].when.ticket.subject.regex: invalid regular expression",
        "rules[2].then[0].set_priority: unknown priority 'critical'",
        "rules[1]: unreachable: rule 'catch-all' above always matches",
        "rules[2]: unreachable: rule 'catch-all' above always matches",
        "rules[1].name: duplicate name 'catch-all' (first used at rules[0])",
    ]
    for fragment in expected:
        assert any(e.startswith(f"{path}: ") and fragment in e for e in errors), fragment
    assert len(errors) == len(expected), errors


@pytest.mark.parametrize(("body", "fragment"), [
    ("rules: [{name: a, then: [{add_tags: [x]}]}]\nextra: 1", "extra: unknown key"),
    ("rules: [{name: a, when: {ticket.colour: {eq: red}}, then: [{add_tags: [x]}]}]",
     "rules[0].when.ticket.colour: unknown field 'ticket.colour'"),
    ("rules: [{name: a, when: {enrichment.impact.level: {eq: hgh}}, then: [{add_tags: [x]}]}]",
     "unknown value 'hgh' for enrichment.impact.level"),
    ("rules: [{name: a, when: {ticket.subject: {gt: 3}}, then: [{add_tags: [x]}]}]",
     "gt compares numbers or ranked levels"),
    ("rules: [{name: a, when: {ticket.status: {in: open}}, then: [{add_tags: [x]}]}]",
     "in expects a list of values"),
    ("rules: [{name: a, then: [{add_internal_note: '{ticket.__class__}'}]}]",
     "unknown template field {ticket.__class__}"),
    ("rules: [{name: a, then: [{add_internal_note: '{ticket.id!r}'}]}]",
     "may not carry a format spec or conversion"),
    ("rules: [{name: a, then: [{add_internal_note: '{ticket.tags[0]}'}]}]",
     "unknown template field {ticket.tags[0]}"),
    ("rules: [{name: a, then: [{notify: {target: pager, message: hi}}]}]",
     "unknown notify target 'pager'"),
    ("rules: [{name: Bad Name, then: [{add_tags: [x]}]}]", "use lower-case kebab-case"),
    ("rules: [{name: a, then: []}]", "rules[0].then: expected a non-empty list of actions"),
    ("rules: [{name: a, then: [{add_tags: [x]}]}]\nrules: []", "rules: duplicate key on line"),
    ("sla: {ladder: [{name: s, at: 50%, then: [{add_tags: [x]}], clocks: [reply]}]}\nrules: []",
     "sla.ladder[0].clocks: expected a list of first_response, resolution"),
    ("sla: {targets: {resolution: {default: 0m}}}\nrules: []",
     "sla.targets.resolution.default: expected a duration longer than zero"),
    ("sla: {calendar: {hours: ['17:00', '09:00']}}\nrules: []", "must end after it starts"),
    ("rules: [{name: a, when: {any: []}, then: [{add_tags: [x]}]}]",
     "rules[0].when.any: expected a non-empty list"),
    ("rules: [{name: a, continue: yes please, then: [{add_tags: [x]}]}]",
     "rules[0].continue: expected true or false"),
    ("rules: [", "not valid YAML"),
])
def test_each_kind_of_error(tmp_path, body, fragment):
    errors = errors_of(write(tmp_path, body))
    assert any(fragment in e for e in errors), errors


def test_a_rule_after_a_continuing_catch_all_is_reachable(tmp_path):
    policy = load_policy(write(tmp_path, """
        rules:
          - {name: first, continue: true, then: [{add_tags: [a]}]}
          - {name: second, then: [{add_tags: [b]}]}
    """))
    assert [r.name for r in policy.rules] == ["first", "second"]


def test_missing_file_is_one_error(tmp_path):
    errors = errors_of(tmp_path / "nope.yaml")
    assert len(errors) == 1 and "cannot read the file" in errors[0]
