"""The baseline: a bare Flask endpoint that only parses the JSON body and answers 202.

Served by gunicorn with the same settings as Attune (`gunicorn benchmarks.bare_app:app`), it is
the floor a webhook endpoint on this stack cannot go below.
"""

from __future__ import annotations

import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/webhooks/<source>")
def receive(source: str):
    payload = json.loads(request.get_data(cache=False))
    return jsonify(status="accepted", id=str(len(payload))), 202


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
