"""Every answer `POST /webhooks/zendesk` and `GET /healthz` can give, with real Zendesk payloads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from conftest import ZENDESK_ENV, fixture_bytes, post_zendesk, sign_zendesk

from middleware import create_app, store
from middleware.inbox import Inbox, unpack

CREATED = "zendesk/ticket_created__captured.json"


def test_signed_ticket_created_is_accepted_and_stored(client, zendesk):
    response = post_zendesk(client, CREATED)
    assert response.status_code == 202
    assert response.json == {"status": "accepted", "id": "cbe4028c-7239-495d-b020-f22348516046"}
    meta, body = unpack(zendesk.redis.lindex(store.INBOX, 0))
    assert meta["source"] == "zendesk"
    assert body == fixture_bytes(CREATED), "the raw body is stored exactly as it was signed"


def test_redelivery_is_acknowledged_once(client, zendesk):
    assert post_zendesk(client, CREATED).status_code == 202
    again = post_zendesk(client, CREATED)
    assert again.status_code == 200
    assert again.json["status"] == "duplicate"
    assert Inbox(zendesk.redis).depth() == 1


def test_event_attune_does_not_act_on_gets_200_and_a_log_line(client, zendesk, caplog):
    response = post_zendesk(client, "zendesk/attachment_linked_to_comment.json")
    assert response.status_code == 200
    assert response.json["status"] == "ignored"
    assert "ticket.attachment_linked_to_comment" in caplog.text
    assert Inbox(zendesk.redis).depth() == 0


def test_malformed_json_is_400_naming_the_body(client):
    body = b'{"type": "zen:event-type:ticket.created", '
    response = client.post("/webhooks/zendesk", data=body, headers=sign_zendesk(body))
    assert response.status_code == 400
    assert "body" in response.json["fields"]


def test_payload_without_a_ticket_is_400_naming_the_fields(client):
    body = json.dumps({"type": "zen:event-type:ticket.created", "detail": {"status": "OPEN"}}).encode()
    response = client.post("/webhooks/zendesk", data=body, headers=sign_zendesk(body))
    assert response.status_code == 400
    assert set(response.json["fields"]) == {"id", "detail.id"}


def test_trigger_templated_body_is_400_naming_what_an_event_needs(client):
    response = post_zendesk(client, "zendesk/trigger_payload__zulip.json")
    assert response.status_code == 400
    assert set(response.json["fields"]) == {"type", "id", "detail"}
    assert "zen:event-type" in response.json["fields"]["type"]


def test_wrong_secret_is_401(client):
    response = post_zendesk(client, CREATED, secret="not-the-secret")
    assert response.status_code == 401
    assert "signature" in response.json["error"]


def test_missing_signature_is_401(client):
    response = client.post("/webhooks/zendesk", data=fixture_bytes(CREATED))
    assert response.status_code == 401


def test_signature_older_than_five_minutes_is_401(client):
    response = post_zendesk(client, CREATED, when=datetime.now(UTC) - timedelta(minutes=6))
    assert response.status_code == 401
    assert "5 minutes" in response.json["error"]


def test_tampered_body_is_401(client):
    body = fixture_bytes(CREATED)
    headers = sign_zendesk(body)
    response = client.post("/webhooks/zendesk", data=body.replace(b"5158", b"5159"), headers=headers)
    assert response.status_code == 401


def test_body_over_one_mib_is_413(client):
    body = b'{"pad": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.post("/webhooks/zendesk", data=body, headers=sign_zendesk(body))
    assert response.status_code == 413


def test_unconfigured_helpdesk_is_404(client):
    response = client.post("/webhooks/servicenow", data=b"{}")
    assert response.status_code == 404
    assert "servicenow" in response.json["error"]


def test_redis_down_is_503_with_retry_after(make_env):
    runtime = make_env(dict(ZENDESK_ENV))
    runtime.redis_url = "redis://127.0.0.1:1/0"
    client = create_app(runtime).test_client()
    response = post_zendesk(client, CREATED)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["redis"]["ok"] is False


def test_web_process_answers_503_while_redis_restarts_then_recovers(make_env, tmp_path):
    url = store.embedded_url(tmp_path)
    try:
        runtime = make_env(dict(ZENDESK_ENV))
        runtime.redis_url = url
        client = create_app(runtime).test_client()
        assert post_zendesk(client, CREATED).status_code == 202
        store.stop_embedded(tmp_path)
        assert post_zendesk(client, "zendesk/ticket_created__payroll_blocked.json").status_code == 503
        store.embedded_url(tmp_path)
        assert post_zendesk(client, "zendesk/ticket_created__payroll_blocked.json").status_code == 202
        assert Inbox(store.connect(url)).depth() == 2, "the delivery before the restart is still there"
    finally:
        store.stop_embedded(tmp_path)


def test_healthz_reports_redis_and_queue(client):
    post_zendesk(client, CREATED)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["redis"] == {"ok": True}
    assert response.json["queue"]["inbox"] == 1
    assert response.json["connectors"] == ["zendesk"]


def test_secrets_never_reach_the_log(client, caplog):
    post_zendesk(client, CREATED, secret="not-the-secret")
    post_zendesk(client, CREATED)
    for value in ZENDESK_ENV.values():
        if "5ecret" in value:
            assert value not in caplog.text
