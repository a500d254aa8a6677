"""The private note agents read: a summary, why each tag was set, guidance and reply coaching.

Rendered only from the enrichment dict, so it can never contain anything else (no credentials, no
payload fields), and deterministically, so the same enrichment always gives the same text and the
worker can skip a note it has already written.
"""

from __future__ import annotations

STEPS = ("acknowledge", "clarify", "resolve", "reassure")
MAX_QUOTES = 5
SIGNAL_NAMES = {"blocked": "Blocked", "deadline": "Deadline", "people_affected": "People affected",
                "outage": "Outage", "security": "Security", "vip": "VIP requester",
                "workaround": "Workaround", "not_urgent": "Not urgent", "cannot_proceed": "Cannot proceed",
                "time_reference": "Time reference", "needs_answer": "Needs an answer",
                "resolved": "Resolved"}
ISSUES = {
    "hard_to_read": "Hard to read: use shorter sentences and everyday words.",
    "jargon": "Jargon: explain or replace the technical terms.",
    "no_acknowledgement": "The requester is frustrated: acknowledge how they feel before the fix.",
    "no_next_step": "No next step: say what happens next and when.",
}


def quote(evidence: list[dict]) -> str:
    """Distinct evidence phrases in curly quotes, in order of appearance, at most five."""
    seen: list[str] = []
    for item in evidence:
        phrase = " ".join(str(item.get("phrase", "")).split())
        if phrase and phrase not in seen:
            seen.append(phrase)
    return ", ".join(f"\u201c{p}\u201d" for p in seen[:MAX_QUOTES])


def summary(e: dict) -> str:
    scenario = e["scenario"].replace("_", " ").replace("helpdesk", "help-desk")
    return (f"{e['impact']['level'].capitalize()} impact {scenario}: frustration "
            f"{e['frustration']['level']}, sentiment {e['sentiment']['label']}.")


def _signal_line(signal: dict) -> str:
    name = SIGNAL_NAMES.get(signal["name"], signal["name"])
    if signal["name"] == "vip":
        matched = ", ".join(f"{i['field'].split('.')[-1]} {i['phrase']}" for i in signal["evidence"])
        return f"- {name}: {matched}"
    extra = [f"due {signal['due']}"] if signal.get("due") else []
    extra += [f"{signal['count']} people"] if signal.get("count") else []
    extra += [", ".join(signal["systems"])] if signal.get("systems") else []
    suffix = f" ({'; '.join(extra)})" if extra else ""
    return f"- {name}: {quote(signal['evidence'])}{suffix}"


def reasons(e: dict) -> list[str]:
    f, i = e["frustration"], e["impact"]
    lines = [f"Sentiment {e['sentiment']['label']} (score {e['sentiment']['score']:+.2f})."]
    evidence = f": {quote(f['evidence'])}" if f["evidence"] else ""
    lines.append(f"Frustration {f['level']} ({f['score']:.2f}){evidence}")
    if f.get("trend") == "worsening":
        steps = " \u2192 ".join(f"{s:.2f}" for s in f["per_message"])
        lines.append(f"Frustration worsening across messages: {steps}")
    lines.append(f"Impact {i['level']} ({i['score']:.2f}):")
    lines += [_signal_line(s) for s in i["signals"]] or ["- no impact signal found"]
    return lines


def coaching(check: dict) -> list[str]:
    lines = ["Reply coaching (private):",
             f"- Reading ease {check['flesch_reading_ease']:.0f}, grade {check['grade']:.1f}."]
    if check["jargon"]:
        lines.append("- Jargon: " + ", ".join(check["jargon"]) + ".")
    lines += [f"- {ISSUES[i]}" for i in check["issues"] if i in ISSUES]
    return lines


def render_note(enrichment: dict) -> str:
    """Plain-text private note for agents, deterministic for a given enrichment."""
    e = enrichment
    lines = [summary(e), "", "Why these tags:", *reasons(e), "",
             "Suggested reply (Acknowledge \u2192 Clarify \u2192 Resolve \u2192 Reassure):"]
    lines += [f"{step.capitalize()}: {e['guidance'][step]}" for step in STEPS]
    if e.get("vague"):
        lines += ["", "This ticket is too vague to act on; ask the clarifying question first."]
    if e.get("reply_check"):
        lines += ["", *coaching(e["reply_check"])]
    if e.get("tags"):
        lines += ["", "Tags: " + ", ".join(e["tags"])]
    return "\n".join(lines)
