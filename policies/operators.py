"""The one table of condition operators: what each compares and which values it accepts.

Every operator returns False when the field is missing, so a condition never raises on a ticket
that lacks a field. `contains` looks into lists (for signals and evidence, at each item's `name` or
`phrase`) and into text; `regex` searches text with a pattern compiled once, at load.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from policies.fields import Field


@dataclass(frozen=True)
class Operator:
    name: str
    test: Callable[[object, object, Field], bool]
    takes_list: bool = False
    comparison: bool = False


def _rank(value: object, field: Field) -> object:
    if field.ordered and value in field.values:
        return field.values.index(value)
    return value


def _compare(op: Callable[[object, object], bool]) -> Callable[[object, object, Field], bool]:
    def test(actual: object, expected: object, field: Field) -> bool:
        if actual is None:
            return False
        try:
            return bool(op(_rank(actual, field), _rank(expected, field)))
        except TypeError:
            return False

    return test


def _contains(actual: object, expected: object, _: Field) -> bool:
    if isinstance(actual, str):
        return str(expected) in actual
    if isinstance(actual, list):
        names = [_name(item) for item in actual]
        return expected in names
    return False


def _name(item: object) -> object:
    if isinstance(item, dict):
        return item.get("name", item.get("phrase"))
    return item


def _regex(actual: object, expected: object, _: Field) -> bool:
    return isinstance(actual, str) and bool(expected.search(actual))


OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Operator("eq", lambda a, e, _: a == e),
    Operator("ne", lambda a, e, _: a != e),
    Operator("lt", _compare(operator.lt), comparison=True),
    Operator("lte", _compare(operator.le), comparison=True),
    Operator("gt", _compare(operator.gt), comparison=True),
    Operator("gte", _compare(operator.ge), comparison=True),
    Operator("in", lambda a, e, _: a is not None and a in e, takes_list=True),
    Operator("not_in", lambda a, e, _: a not in e, takes_list=True),
    Operator("contains", _contains),
    Operator("regex", _regex),
)}


def check_value(op: Operator, path: str, field: Field, value: object) -> tuple[object, list[str]]:
    """The value as the operator will use it (a compiled pattern for `regex`) and any problems."""
    if op.name == "regex":
        try:
            return re.compile(str(value)), []
        except re.error as exc:
            return None, [f"invalid regular expression {value!r}: {exc}"]
    if op.takes_list and not isinstance(value, list):
        return value, [f"{op.name} expects a list of values, got {value!r}"]
    if op.comparison and not (field.ordered or field.kind == "number"):
        return value, [f"{op.name} compares numbers or ranked levels; {path} is neither"]
    if op.comparison and field.kind == "number" and not isinstance(value, int | float):
        return value, [f"{op.name} on {path} expects a number, got {value!r}"]
    return value, _check_known(path, field, value if isinstance(value, list) else [value])


def _check_known(path: str, field: Field, values: list) -> list[str]:
    if not field.values:
        return []
    return [f"unknown value {v!r} for {path} (expected one of {', '.join(field.values)})"
            for v in values if v not in field.values and v is not None]
