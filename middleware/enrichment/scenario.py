"""Scenario, agent guidance and vagueness.

The scenario is the one whose configured weights sum highest over the cue kinds the ticket shows (impact and
frustration cues count too: waiting points to a system delay, repeat contact to a help-desk error).
Guidance follows Acknowledge -> Clarify -> Resolve -> Reassure, from the policy file, adjusted for
repeat contact and deadlines. A ticket with too little to act on is vague and gets the clarifying
question instead of the usual "clarify" line.
"""

from __future__ import annotations

from middleware.enrichment.text import Cue

# Order breaks ties: the more specific scenario wins.
SCENARIOS = ("helpdesk_error", "urgent_request", "system_delay", "user_confusion", "technical_issue")
STEPS = ("acknowledge", "clarify", "resolve", "reassure")
SIGNAL_KINDS = frozenset({"blocked", "outage", "security", "people", "deadline", "system"})


def classify(cues: list[Cue], config: dict) -> str:
    kinds = {c.kind for c in cues}
    best, best_score = config["default"], 0.0
    for name in SCENARIOS:
        total = sum(weight for kind, weight in config["weights"][name].items() if kind in kinds)
        if total > best_score:
            best, best_score = name, total
    return best


def is_vague(words: int, has_number: bool, cues: list[Cue], config: dict) -> bool:
    """Too little to act on: very short, or short with no system, number or impact signal named."""
    if words < config["min_words"]:
        return True
    specific = has_number or any(c.kind in SIGNAL_KINDS for c in cues)
    return words < config["specific_words"] and not specific


def guidance(scenario: str, vague: bool, cues: list[Cue], due: str | None, config: dict) -> dict:
    """Four agent-facing lines for the scenario, adjusted to what the ticket shows."""
    lines = dict(config["guidance"][scenario])
    if any(c.kind == "repeat_contact" for c in cues):
        lines["acknowledge"] += " Say you can see they have had to ask more than once."
    if vague:
        lines["clarify"] = f"Ask: \u201c{config['vague']['question']}\u201d"
    if due:
        lines["reassure"] += f" Confirm the plan meets their deadline ({due})."
    return {step: lines[step] for step in STEPS}
