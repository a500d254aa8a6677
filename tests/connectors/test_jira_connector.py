"""The Jira connector: every fixture's exact TicketEvent, signatures, loop guards and the requests sent."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import FIXTURES
from openapi_check import JIRA, JSM, assert_conforms
from responses import matchers

from connectors.base import Action, ConnectorError, PayloadError, SignatureError
from connectors.jira import JiraConnector, plain_text
from middleware.config import ConfigError
from middleware.events import Comment, Requester, TicketEvent

URL = "https://acme.atlassian.net"
SETTINGS = {"url": URL, "email": "attune@acme.example", "api_token": "jira-token-5ecret",
            "webhook_secret": "jira-webhook-5ecret"}
PST = timezone(timedelta(hours=-8))
PDT = timezone(timedelta(hours=-7))
ADMIN = "5c5f880629be9642ba529340"
SAMPLE = "5cedcb4355a88a0fc86388ba"
TEST_USER = Requester(id=ADMIN, email="some-instance-test@gmail.com", name="Test User")
CREATED = datetime(2019, 2, 15, 19, 1, 52, 971000, PST)
DESCRIPTION = "Unit test description, not that long, a little longer now"


def load(name: str) -> dict:
    return json.loads((FIXTURES / "jira" / f"{name}.json").read_text())


def parse(name: str, **settings: str) -> TicketEvent | None:
    connector = JiraConnector({**SETTINGS, **settings})
    return connector.parse(load(name), {"X-Atlassian-Webhook-Identifier": f"dlv-{name}"})


def tes41(name: str, event_type: str, updated: datetime, **fields) -> TicketEvent:
    """An event on TES-41, the issue most Mattermost fixtures share."""
    base = dict(source="jira", delivery_id=f"dlv-{name}", event_type=event_type, ticket_id="TES-41",
                subject="Unit test summary 1", description=DESCRIPTION, actor_id=ADMIN, requester=TEST_USER,
                priority="high", status="new", tags=["test-label"], created_at=CREATED, updated_at=updated)
    return TicketEvent(**{**base, **fields})


def tes41_comment(name: str, body: str) -> TicketEvent:
    return TicketEvent(source="jira", delivery_id=f"dlv-{name}", event_type="comment_added",
                       ticket_id="TES-41", subject="Unit test summary 1", actor_id=ADMIN, priority="high",
                       status="new",
                       comment=Comment(body=body, author_role="unknown", public=True, author_id=ADMIN))


EXPECTED = {
    "issue_created": TicketEvent(
        source="jira", delivery_id="dlv-issue_created", event_type="ticket_created", ticket_id="TES-41",
        subject="Unit test summary", description="Unit test description, not that long", actor_id=ADMIN,
        requester=TEST_USER, priority="high", status="new", tags=["test-label"], created_at=CREATED,
        updated_at=CREATED, changed_fields=["description", "priority", "reporter", "status", "summary"]),
    "issue_created__many_fields": TicketEvent(
        source="jira", delivery_id="dlv-issue_created__many_fields", event_type="ticket_created",
        ticket_id="KT-22", subject="Lots of fields selected", description="The good description",
        actor_id=SAMPLE, requester=Requester(id=SAMPLE, email="user@example.com", name="Sample User"),
        priority="normal", status="new", tags=["Label1", "Label2"],
        created_at=datetime(2019, 8, 27, 12, 43, 24, 193000, PDT),
        updated_at=datetime(2019, 8, 27, 12, 43, 24, 193000, PDT),
        changed_fields=["assignee", "customfield_10073", "customfield_10076", "description", "fixVersions",
                        "priority", "reporter", "status", "summary"]),
    "issue_created__server_2013": TicketEvent(
        source="jira", delivery_id="dlv-issue_created__server_2013", event_type="ticket_created",
        ticket_id="BUG-15", subject="New bug with hook", description="Fix me please",
        actor_id="99:27935d01-92a7-4687-8272-a9b8d3b2ae2e",
        requester=Requester(id="99:27935d01-92a7-4687-8272-a9b8d3b2ae2e", email="othello@zulip.com",
                            name="Leo Franchi"),
        priority="high", status="open", created_at=datetime(2013, 3, 27, 16, 53, 58, 301000, UTC),
        updated_at=datetime(2013, 3, 27, 16, 53, 58, 301000, UTC)),
    "issue_updated__labels": tes41(
        "issue_updated__labels", "tags_changed", datetime(2019, 2, 16, 13, 12, 10, 37000, PST),
        tags=["sad", "test-label"], changed_fields=["labels"]),
    "issue_updated__priority_lowered": tes41(
        "issue_updated__priority_lowered", "priority_changed", datetime(2019, 2, 16, 13, 13, 52, 522000, PST),
        priority="low", tags=["sad", "test-label"], changed_fields=["priority"]),
    "issue_updated__priority_raised": tes41(
        "issue_updated__priority_raised", "priority_changed", datetime(2019, 2, 16, 13, 15, 16, 37000, PST),
        tags=["sad", "test-label"], changed_fields=["priority"]),
    "issue_updated__resolved": tes41(
        "issue_updated__resolved", "status_changed", datetime(2019, 2, 15, 19, 15, 40, 477000, PST),
        status="solved", changed_fields=["resolution", "status"]),
    "issue_updated__assigned": tes41(
        "issue_updated__assigned", "ticket_updated", datetime(2019, 2, 15, 19, 18, 1, 707000, PST),
        changed_fields=["assignee"]),
    "issue_updated__multiple_values": tes41(
        "issue_updated__multiple_values", "ticket_updated", datetime(2019, 2, 15, 19, 7, 51, 756000, PST),
        description="Unit test description, not that long",
        changed_fields=["assignee", "customfield_10072", "fixVersions"]),
    "issue_updated__custom_field": TicketEvent(
        source="jira", delivery_id="dlv-issue_updated__custom_field", event_type="ticket_updated",
        ticket_id="TES-14", subject="v", description="s", actor_id=SAMPLE,
        requester=Requester(id=SAMPLE, email="test@example.com", name="Sample User"), priority="normal",
        status="new", tags=["Pickles"], created_at=datetime(2019, 7, 17, 17, 59, 42, 2000, PDT),
        updated_at=datetime(2019, 8, 11, 18, 49, 13, 412000, PDT), changed_fields=["customfield_10072"]),
    "comment_created": tes41_comment("comment_created", "Added a comment"),
    "comment_created__mention": tes41_comment("comment_created__mention",
                                              "Added a comment with mentioned user @user"),
    "comment_updated": tes41_comment("comment_updated", "Added a comment, then edited it"),
    "comment_created__zulip": TicketEvent(
        source="jira", delivery_id="dlv-comment_created__zulip", event_type="comment_added",
        ticket_id="ZUL-1", subject="A minor issue", actor_id="5a1b0e47748e770ed11f338c", priority="normal",
        status="new",
        comment=Comment(body="Leaving a comment here! :)", author_role="unknown", public=True,
                        author_id="5a1b0e47748e770ed11f338c")),
    "comment_created__server": TicketEvent(
        source="jira", delivery_id="dlv-comment_created__server", event_type="comment_added",
        ticket_id="10013", actor_id="levbrouk",
        comment=Comment(body="unik", author_role="unknown", public=True, author_id="levbrouk")),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_becomes_exact_event(name):
    event = parse(name)
    assert event == EXPECTED[name]
    assert TicketEvent.from_dict(event.to_dict()) == event


@pytest.mark.parametrize("name", ["issue_deleted", "comment_deleted", "issue_updated__attune_labels"])
def test_events_attune_does_not_act_on(name):
    assert parse(name) is None


def test_jsm_sla_fields_become_due_times():
    event = parse("issue_created__jsm_sla")
    assert event.first_response_due == datetime(2026, 11, 20, 9, 45, 1, tzinfo=UTC)
    assert event.resolution_due == datetime(2026, 11, 20, 13, 15, 1, tzinfo=UTC)


def test_comment_copy_on_issue_updated_is_ignored():
    payload = load("issue_updated__assigned") | {"issue_event_type_name": "issue_commented"}
    assert JiraConnector(SETTINGS).parse(payload, {}) is None


def test_labels_added_by_a_person_alongside_attunes_are_acted_on():
    payload = load("issue_updated__attune_labels")
    payload["changelog"]["items"][0]["toString"] += " customer-vip"
    assert JiraConnector(SETTINGS).parse(payload, {}).event_type == "tags_changed"


def test_configured_priority_names_are_read_back():
    event = parse("issue_updated__priority_raised", priority_map="urgent=P1,high=P2,normal=P3,low=High")
    assert event.priority == "low"


def test_payload_without_event_name_is_rejected():
    with pytest.raises(PayloadError) as exc:
        JiraConnector(SETTINGS).parse({"issue": {}}, {})
    assert "webhookEvent" in exc.value.fields


# delivery ids and signatures --------------------------------------------------------------------
def test_delivery_id_is_the_identifier_header_or_a_stable_hash():
    connector = JiraConnector(SETTINGS)
    payload = load("comment_created")
    assert connector.delivery_id(payload, {"X-Atlassian-Webhook-Identifier": "abc-1"}) == "abc-1"
    fallback = connector.delivery_id(payload, {})
    assert fallback == connector.delivery_id(json.loads(json.dumps(payload)), {})
    assert fallback != connector.delivery_id(load("comment_updated"), {})


def sign(body: bytes, secret: str = SETTINGS["webhook_secret"]) -> dict[str, str]:
    return {"X-Hub-Signature": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def test_signature_over_the_raw_body_verifies():
    body = (FIXTURES / "jira" / "comment_created.json").read_bytes()
    JiraConnector(SETTINGS).verify(sign(body), body, datetime.now(UTC))


@pytest.mark.parametrize("headers", [{}, {"X-Hub-Signature": "sha1=abc"}, "wrong-secret", "altered-body"])
def test_bad_signatures_are_refused(headers):
    body = (FIXTURES / "jira" / "comment_created.json").read_bytes()
    if headers == "wrong-secret":
        headers = sign(body, "another-secret")
    elif headers == "altered-body":
        headers = sign(body + b" ")
    with pytest.raises(SignatureError):
        JiraConnector(SETTINGS).verify(headers, body, datetime.now(UTC))


# loop prevention -----------------------------------------------------------------------------------
def test_own_comment_is_an_echo():
    connector = JiraConnector(SETTINGS)
    event = connector.parse(load("comment_created__by_attune"), {})
    assert connector.is_own_echo(event, "712020:0a0b0c0d-aaaa-4bbb-8ccc-attune000001")
    assert not connector.is_own_echo(parse("comment_created"), "712020:0a0b0c0d-aaaa-4bbb-8ccc-attune000001")


def test_own_account_is_read_from_myself(http):
    http.get(f"{URL}/rest/api/3/myself", json={"accountId": "712020:attune", "accountType": "atlassian"})
    assert JiraConnector(SETTINGS).fetch_own_actor_id() == "712020:attune"


# wiki markup -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("markup, text", [
    ("*bold* and _italic_ and -struck- and +under+", "bold and italic and struck and under"),
    ("h2. Heading\nbq. quoted line", "Heading\nquoted line"),
    ("* first\n** nested\n# numbered", "first\nnested\nnumbered"),
    ("see [the runbook|https://wiki.example/rb] or [https://status.example]",
     "see the runbook or https://status.example"),
    ("ping [~accountid:5c5f880629be] and [~jdoe]", "ping @5c5f880629be and @jdoe"),
    ("{code:python}print(1){code} {noformat}raw{noformat} {color:red}hot{color}", "print(1) raw hot"),
    ("||Name||State||\n|vpn|down|", "Name State\nvpn down"),
    ("!screenshot.png|thumbnail! it broke", "it broke"),
    ("not-that-long, a - b, 2*3*4", "not-that-long, a - b, 2*3*4"),
])
def test_wiki_markup_becomes_plain_text(markup, text):
    assert plain_text(markup) == text


# writes ----------------------------------------------------------------------------------------------
ACTIONS = [Action("add_tags", ["attune_impact_critical", "attune_blocked"]), Action("set_priority", "urgent"),
           Action("add_internal_note", "Critical impact."), Action("add_tags", ["attune_escalated"]),
           Action("add_internal_note", "Attune escalated this ticket.")]
COMBINED = {"update": {"labels": [{"add": "attune_impact_critical"}, {"add": "attune_blocked"},
                                  {"add": "attune_escalated"}]},
            "fields": {"priority": {"name": "Highest"}}}


def test_labels_and_priority_go_in_one_update_and_notes_in_one_internal_comment(http):
    edit = http.put(f"{URL}/rest/api/3/issue/SUP-5201", status=204,
                    match=[matchers.json_params_matcher(COMBINED),
                           matchers.query_param_matcher({"notifyUsers": "false"})])
    note = http.post(f"{URL}/rest/servicedeskapi/request/SUP-5201/comment", status=201, json={"id": "1"},
                     match=[matchers.json_params_matcher(
                         {"body": "Critical impact.\n\nAttune escalated this ticket.", "public": False})])
    JiraConnector(SETTINGS).apply("SUP-5201", ACTIONS)
    assert_conforms(JIRA, edit.calls[0].request)
    assert_conforms(JSM, note.calls[0].request)


def test_not_a_service_desk_falls_back_to_a_restricted_platform_comment(http):
    http.post(f"{URL}/rest/servicedeskapi/request/TES-41/comment", status=404,
              json={"errorMessage": "Request does not exist or you do not have permission to see it."})
    platform = http.post(f"{URL}/rest/api/3/issue/TES-41/comment", status=201, json={"id": "10020"},
                         match=[matchers.json_params_matcher({
                             "body": {"type": "doc", "version": 1, "content": [
                                 {"type": "paragraph", "content": [{"type": "text", "text": "Line one"}]},
                                 {"type": "paragraph", "content": [{"type": "text", "text": "Line two"}]}]},
                             "visibility": {"type": "role", "value": "Administrators"}})])
    connector = JiraConnector({**SETTINGS, "comment_visibility": "role:Administrators"})
    connector.add_internal_note("TES-41", "Line one\n\nLine two")
    assert_conforms(JIRA, platform.calls[0].request)


def test_without_a_visibility_the_fallback_is_refused(http):
    http.post(f"{URL}/rest/servicedeskapi/request/TES-41/comment", status=404, json={})
    with pytest.raises(ConnectorError) as exc:
        JiraConnector(SETTINGS).add_internal_note("TES-41", "Private")
    assert exc.value.status == 404 and not exc.value.retryable


def test_platform_mode_writes_a_platform_comment(http):
    platform = http.post(f"{URL}/rest/api/3/issue/TES-41/comment", status=201, json={"id": "1"})
    settings = {**SETTINGS, "comment_mode": "platform", "comment_visibility": "group:jira-servicedesk-users"}
    JiraConnector(settings).add_internal_note("TES-41", "Private")
    assert json.loads(platform.calls[0].request.body)["visibility"] == {
        "type": "group", "value": "jira-servicedesk-users"}


def test_group_goes_to_the_configured_group_picker_field(http):
    edit = http.put(f"{URL}/rest/api/3/issue/SUP-5201", status=204,
                    match=[matchers.json_params_matcher(
                        {"fields": {"customfield_10050": {"name": "Escalations"}}})])
    JiraConnector({**SETTINGS, "group_field": "customfield_10050"}).apply(
        "SUP-5201", [Action("assign_group", "Escalations")])
    assert_conforms(JIRA, edit.calls[0].request)


def test_group_without_a_field_is_a_clear_permanent_error():
    with pytest.raises(ConnectorError, match="JIRA_GROUP_FIELD") as exc:
        JiraConnector(SETTINGS).apply("SUP-5201", [Action("assign_group", "Escalations")])
    assert not exc.value.retryable


@pytest.mark.parametrize("setting, value", [
    ("priority_map", "urgent=P1,bogus=P2"), ("priority_map", "urgent"), ("comment_mode", "email"),
    ("comment_visibility", "everyone")])
def test_bad_settings_are_config_errors(setting, value):
    with pytest.raises(ConfigError):
        JiraConnector({**SETTINGS, setting: value})
