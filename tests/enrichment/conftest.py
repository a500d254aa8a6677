"""Fixtures for the enrichment tests: one engine for the session and a fixed clock."""

from __future__ import annotations

import pytest

from enrichment.helpers import NOW
from middleware.enrichment import Enricher


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher()


@pytest.fixture()
def enrich(enricher):
    """Enrich a ticket given as keyword fields, at the fixed time NOW."""

    def _enrich(description: str = "", subject: str = "", **fields) -> dict:
        ticket = {"id": fields.pop("id", 1), "subject": subject, "description": description, **fields}
        return enricher.enrich(ticket, NOW)

    return _enrich

