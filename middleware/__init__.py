"""Attune: helpdesk webhooks in, enriched tags and private notes out."""

from __future__ import annotations

import logging

from flask import Flask

from middleware.runtime import Runtime, get_runtime


def create_app(runtime: Runtime | None = None) -> Flask:
    """The web app; `runtime` defaults to the one built from the environment."""
    from middleware import health, webhooks

    app = Flask(__name__)
    app.extensions["attune"] = runtime or get_runtime()
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(health.bp)
    return app


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
