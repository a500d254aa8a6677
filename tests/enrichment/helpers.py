"""Shared values for the enrichment tests."""

from __future__ import annotations

from datetime import datetime

NOW = datetime(2026, 3, 11, 10, 30)  # a Wednesday morning


def signal(result: dict, name: str) -> dict | None:
    """The impact signal called ``name``, if the enrichment has one."""
    return next((s for s in result["impact"]["signals"] if s["name"] == name), None)
