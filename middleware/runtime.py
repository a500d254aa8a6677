"""What one process needs to run the pipeline, built once from the environment.

The web app, the worker, the sweeper and the CLI all ask `get_runtime()`; it reads and validates
the settings, reaches Redis (starting the embedded server when `REDIS_URL` is unset) and builds the
enabled connectors. The enrichment engine and the policy are loaded on first use, so the web
process, which never enriches, does not pay for them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

import redis
from rq import Queue

from connectors import REGISTRY
from connectors.base import Connector
from middleware import store
from middleware.config import Settings, load_settings

log = logging.getLogger("attune")
DEMO_SECRET = "attune-demo-secret"


@dataclass
class Runtime:
    settings: Settings
    redis_url: str
    connectors: dict[str, Connector] = field(default_factory=dict)

    @cached_property
    def redis(self) -> redis.Redis:
        return store.connect(self.redis_url)

    @cached_property
    def queue(self) -> Queue:
        return Queue(store.QUEUE_NAME, connection=self.redis)

    @cached_property
    def enricher(self):  # noqa: ANN201 - the enrichment engine is imported lazily
        from middleware.enrichment import Enricher

        return Enricher()

    @cached_property
    def policy(self):  # noqa: ANN201 - the policy engine is imported lazily
        from policies import load_policy

        return load_policy(self.settings.policies_path)

    def connector(self, source: str) -> Connector:
        try:
            return self.connectors[source]
        except KeyError:
            raise LookupError(f"the {source} connector is not configured") from None


def build_connectors(settings: Settings) -> dict[str, Connector]:
    """The enabled connectors; in demo mode (no helpdesk configured) a dry-run Zendesk."""
    if settings.demo:
        demo = {"url": "https://demo.invalid", "email": "", "api_token": "",
                "webhook_secret": DEMO_SECRET}
        return {"zendesk": REGISTRY["zendesk"](demo, dry_run=True)}
    return {name: REGISTRY[name](values, dry_run=settings.dry_run)
            for name, values in settings.connectors.items()}


_runtime: Runtime | None = None


def get_runtime() -> Runtime:
    """This process's runtime, built on first call."""
    global _runtime
    if _runtime is None:
        settings = load_settings()
        url = store.resolve_url(settings.redis_url, settings.data_dir)
        _runtime = Runtime(settings, url, build_connectors(settings))
    return _runtime


def set_runtime(runtime: Runtime | None) -> None:
    """Replace (or with None, forget) this process's runtime; tests and `serve` use it."""
    global _runtime
    _runtime = runtime
