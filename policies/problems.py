"""Collecting policy problems, each as `FILE: path.to.key: message`."""

from __future__ import annotations


class PolicyError(Exception):
    """The policy file is invalid; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


class Problems:
    """The problems found so far in one file."""

    def __init__(self, filename: str):
        self.filename = filename
        self.errors: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.errors.append(f"{self.filename}: {path or '(top)'}: {message}")

    def keys(self, node: object, path: str, allowed: set[str],
             required: set[str] = frozenset()) -> bool:
        """Check a mapping's keys; False (with a problem added) when it is not a mapping."""
        if not isinstance(node, dict):
            self.add(path, f"expected a mapping, got {node!r}")
            return False
        for key in node:
            if key not in allowed:
                self.add(_join(path, key), f"unknown key (expected {', '.join(sorted(allowed))})")
        for key in sorted(required - set(node)):
            self.add(_join(path, key), "required key is missing")
        return True


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
