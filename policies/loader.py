"""Load a policy file strictly: every problem is found in one pass and reported together.

Each problem reads `FILE: path.to.key: message`, with list items by index (`rules[2].when.all[0]`).
Unknown keys, unknown fields, operators and actions, values a field never takes, bad durations,
bad regular expressions, unsafe templates, duplicate names and rules that can never be reached
are all errors; the policy loads only when there are none.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from middleware.events import PRIORITIES
from policies.conditions import AllOf, AnyOf, Leaf, Not
from policies.fields import FIELDS
from policies.model import ActionSpec, Policy, Rule
from policies.operators import OPERATORS, check_value
from policies.problems import PolicyError, Problems
from policies.slaconfig import load_sla
from policies.templates import check as check_template

TOP_KEYS = {"version", "description", "notify", "sla", "rules"}
RULE_KEYS = {"name", "description", "when", "then", "continue"}
ACTIONS = ("add_tags", "add_internal_note", "set_priority", "assign_group", "notify")
NAME = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


class StrictLoader(yaml.SafeLoader):
    """YAML loading that records duplicate keys instead of silently keeping the last one."""

    duplicates: list[tuple[str, int]]


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            loader.duplicates.append((str(key), key_node.start_mark.line + 1))
        seen.add(key)
    return loader.construct_mapping(node)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_policy(path: str | Path) -> Policy:
    """The policy in `path`; raise `PolicyError` listing every problem."""
    path = Path(path)
    problems = Problems(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.add("", f"cannot read the file ({exc.strerror})")
        raise PolicyError(problems.errors) from exc
    policy = parse_policy(text, problems, path)
    if problems.errors:
        raise PolicyError(problems.errors)
    return policy


def parse_policy(text: str, problems: Problems, path: Path) -> Policy | None:
    """Build a policy from YAML text, adding every problem found to `problems`."""
    data = _read_yaml(text, problems)
    if data is None:
        return None
    problems.keys(data, "", TOP_KEYS, required={"rules"})
    if data.get("version", 1) != 1:
        problems.add("version", f"unsupported version {data.get('version')!r} (expected 1)")
    notify = _notify(data.get("notify") or {}, problems)
    sla = load_sla(data.get("sla") or {}, problems, lambda node, p: _parts(node, p, notify,
                                                                           problems))
    rules = _rules(data.get("rules"), notify, problems)
    _check_names(data, problems)
    return Policy(path=path, rules=tuple(rules), sla=sla, notify=notify)


def _read_yaml(text: str, problems: Problems) -> dict | None:
    loader = StrictLoader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        problems.add("", f"not valid YAML: {exc}".replace("\n", " "))
        return None
    finally:
        loader.dispose()
    for key, line in loader.duplicates:
        problems.add(key, f"duplicate key on line {line}")
    if not isinstance(data, dict):
        problems.add("", "expected a mapping with a `rules` list at the top")
        return None
    return data


def _notify(node: object, problems: Problems) -> dict[str, str]:
    """Named chat webhooks: `url` in the file, or `url_env` naming the variable that holds it
    (chat webhook URLs are secrets). A target whose variable is unset posts nothing."""
    targets = {}
    if not isinstance(node, dict):
        problems.add("notify", "expected a mapping of target names to {url: ...} or {url_env: ...}")
        return targets
    for name, spec in node.items():
        path = f"notify.{name}"
        if not problems.keys(spec, path, {"url", "url_env"}):
            continue
        if ("url" in spec) == ("url_env" in spec):
            problems.add(path, "expected exactly one of url or url_env")
            continue
        url = spec["url"] if "url" in spec else os.environ.get(str(spec["url_env"]), "")
        where = f"{path}.url" if "url" in spec else f"{path}.url_env ({spec['url_env']})"
        if url and not (isinstance(url, str) and re.match(r"https?://[^/\s]+", url)):
            problems.add(where, "expected an http(s) URL")
        targets[str(name)] = str(url or "")
    return targets


def _rules(node: object, notify: dict, problems: Problems) -> list[Rule]:
    if not isinstance(node, list):
        problems.add("rules", "expected a list of rules")
        return []
    rules = []
    for index, item in enumerate(node):
        rule = _rule(item, f"rules[{index}]", notify, problems)
        if rule:
            rules.append(rule)
    _check_reachable(node, problems)
    return rules


def _rule(node: object, path: str, notify: dict, problems: Problems) -> Rule | None:
    if not problems.keys(node, path, RULE_KEYS, required={"name", "then"}):
        return None
    when, then = _parts(node, path, notify, problems)
    cont = node.get("continue", False)
    if not isinstance(cont, bool):
        problems.add(f"{path}.continue", f"expected true or false, got {cont!r}")
    return Rule(str(node.get("name")), str(node.get("description", "")), when, then, cont is True)


def _parts(node: dict, path: str, notify: dict, problems: Problems) -> tuple:
    """The `when` and `then` of a rule or ladder step."""
    when = node.get("when")
    condition = _condition(when, f"{path}.when", problems) if when else None
    return condition, _actions(node.get("then"), f"{path}.then", notify, problems)


def _condition(node: object, path: str, problems: Problems) -> object | None:
    if not isinstance(node, dict) or len(node) != 1:
        problems.add(path, "expected one of all / any / not, or one `field: {operator: value}`")
        return None
    key, value = next(iter(node.items()))
    if key in ("all", "any"):
        return _group(key, value, f"{path}.{key}", problems)
    if key == "not":
        inner = _condition(value, f"{path}.not", problems)
        return Not(inner) if inner else None
    return _leaf(str(key), value, f"{path}.{key}", problems)


def _group(key: str, value: object, path: str, problems: Problems) -> object | None:
    if not isinstance(value, list) or not value:
        problems.add(path, "expected a non-empty list of conditions")
        return None
    items = [_condition(item, f"{path}[{i}]", problems) for i, item in enumerate(value)]
    if None in items:
        return None
    return (AllOf if key == "all" else AnyOf)(tuple(items))


def _leaf(field_path: str, value: object, path: str, problems: Problems) -> Leaf | None:
    field = FIELDS.get(field_path)
    if field is None:
        problems.add(path, f"unknown field {field_path!r}")
        return None
    if not isinstance(value, dict) or len(value) != 1:
        problems.add(path, "expected exactly one operator, as {operator: value}")
        return None
    name, expected = next(iter(value.items()))
    op = OPERATORS.get(name)
    if op is None:
        problems.add(f"{path}.{name}", f"unknown operator {name!r} "
                                      f"(expected one of {', '.join(OPERATORS)})")
        return None
    compiled, errors = check_value(op, field_path, field, expected)
    for error in errors:
        problems.add(f"{path}.{name}", error)
    return None if errors else Leaf(field_path, op, compiled, field, expected)


def _actions(node: object, path: str, notify: dict, problems: Problems) -> tuple:
    if not isinstance(node, list) or not node:
        problems.add(path, "expected a non-empty list of actions")
        return ()
    specs = []
    for index, item in enumerate(node):
        item_path = f"{path}[{index}]"
        if not isinstance(item, dict) or len(item) != 1:
            problems.add(item_path, "expected one action, as {action: value}")
            continue
        verb, value = next(iter(item.items()))
        if verb not in ACTIONS:
            problems.add(f"{item_path}.{verb}", f"unknown action {verb!r} "
                                               f"(expected one of {', '.join(ACTIONS)})")
            continue
        for error in _check_action(verb, value, notify):
            problems.add(f"{item_path}.{verb}", error)
        specs.append(ActionSpec(verb, value))
    return tuple(specs)


def _check_action(verb: str, value: object, notify: dict) -> list[str]:
    if verb == "add_tags":
        if not isinstance(value, list) or not value:
            return ["expected a non-empty list of tags"]
        return [e for tag in value for e in check_template(tag)]
    if verb == "add_internal_note":
        return check_template(value)
    if verb == "set_priority":
        return [] if value in PRIORITIES else [
            f"unknown priority {value!r} (expected one of {', '.join(PRIORITIES)})"]
    if verb == "assign_group":
        return [] if isinstance(value, str) and value else ["expected a group id or name"]
    return _check_notify(value, notify)


def _check_notify(value: object, notify: dict) -> list[str]:
    if not isinstance(value, dict) or set(value) - {"target", "message"}:
        return ["expected {target: NAME, message: TEXT}"]
    problems = check_template(value.get("message", ""))
    if value.get("target") not in notify:
        known = ", ".join(notify) or "none are defined"
        problems.append(f"unknown notify target {value.get('target')!r} ({known})")
    return problems


def _check_reachable(node: list, problems: Problems) -> None:
    blocker = None
    for index, item in enumerate(node):
        if not isinstance(item, dict):
            continue
        if blocker:
            problems.add(f"rules[{index}]", f"unreachable: rule {blocker!r} above always matches "
                                            "and does not continue")
        elif not item.get("when") and item.get("continue") is not True:
            blocker = item.get("name")


def _check_names(data: dict, problems: Problems) -> None:
    seen: dict[str, str] = {}
    ladder = (data.get("sla") or {}).get("ladder") if isinstance(data.get("sla"), dict) else None
    named = _named(data.get("rules"), "rules") + _named(ladder, "sla.ladder")
    for path, name in named:
        if not NAME.fullmatch(name):
            problems.add(f"{path}.name", f"{name!r}: use lower-case kebab-case or snake_case")
        if name in seen:
            problems.add(f"{path}.name", f"duplicate name {name!r} (first used at {seen[name]})")
        seen.setdefault(name, path)


def _named(node: object, prefix: str) -> list[tuple[str, str]]:
    if not isinstance(node, list):
        return []
    return [(f"{prefix}[{i}]", str(item["name"])) for i, item in enumerate(node)
            if isinstance(item, dict) and "name" in item]
