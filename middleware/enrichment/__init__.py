"""Ticket enrichment: sentiment, frustration, business impact, scenario, guidance and reply coaching.

Pure Python and offline: ``Enricher(config).enrich(ticket, now)`` returns a JSON-serialisable dict::

    {"id", "sentiment": {"label", "score"},
     "frustration": {"level", "score", "evidence": [{"phrase", "start", "end", "kind", "field"}],
                     "trend", "per_message"},
     "impact": {"level", "score", "signals": [{"name", "evidence", ...}]},
     "scenario", "guidance": {"acknowledge", "clarify", "resolve", "reassure"}, "vague",
     "tags": [...], "reply_check": {...} or None}

Words, systems, VIPs and thresholds come from ``policies/enrichment.yaml`` (see ``config``).
"""

from middleware.enrichment.config import EnrichmentConfig, EnrichmentConfigError, load_config
from middleware.enrichment.engine import Enricher

__all__ = ["EnrichmentConfig", "EnrichmentConfigError", "Enricher", "load_config"]
