"""The private note: summary first, evidence quoted, guidance in four lines, deterministic."""

from __future__ import annotations

import copy

from middleware.enrichment.note import render_note

TEXT = "This is the third time I ask. Unacceptable. Payroll is blocked and due by 2pm today."


def test_note_quotes_the_evidence(enrich):
    note = render_note(enrich(TEXT, subject="Payroll"))
    lines = note.splitlines()
    assert lines[0].endswith(".") and "impact" in lines[0]
    assert "Frustration high" in note
    assert "\u201cthird time\u201d" in note and "\u201cUnacceptable\u201d" in note
    assert "\u201cby 2pm today\u201d" in note and "due 2026-03-11T14:00:00" in note
    for step in ("Acknowledge:", "Clarify:", "Resolve:", "Reassure:"):
        assert any(line.startswith(step) for line in lines)


def test_note_is_deterministic(enrich):
    result = enrich(TEXT)
    assert render_note(result) == render_note(copy.deepcopy(result))
    assert render_note(enrich(TEXT)) == render_note(result)


def test_vague_note_asks_the_question(enrich):
    note = render_note(enrich("not working", subject="help"))
    assert "What is this stopping you from doing right now?" in note


def test_reply_coaching_section(enrich):
    comments = [{"author_role": "agent", "body": "Clear the DNS cache and re-run the LDAP sync."}]
    note = render_note(enrich(TEXT, comments=comments))
    assert "Reply coaching (private):" in note
    assert "Jargon: cache, dns, ldap." in note
