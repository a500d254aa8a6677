"""Coaching check of agents' public replies, and readability that works with no network."""

from __future__ import annotations

import socket
import subprocess
import sys

FRUSTRATED = "This is the third time I ask and the VPN is still down. Unacceptable."


def reply(enrich, body: str, public: bool = True, requester: str = FRUSTRATED) -> dict:
    comments = [{"author_role": "agent", "body": body, "public": public}]
    return enrich(requester, subject="VPN", comments=comments)


def test_jargon_heavy_unacknowledging_reply_is_flagged(enrich):
    result = reply(enrich, "Flush the DNS cache, re-sync the LDAP tenant and check the SSO proxy "
                           "config for the endpoint.")
    check = result["reply_check"]
    assert {"dns", "ldap", "sso", "proxy"} <= set(check["jargon"])
    assert {"jargon", "no_acknowledgement", "no_next_step"} <= set(check["issues"])
    assert {"attune_reply_jargon", "attune_reply_no_acknowledgement", "attune_reply_no_next_step"} <= set(
        result["tags"])


def test_good_reply_to_a_frustrated_requester_passes(enrich):
    result = reply(enrich, "I'm sorry you have had to ask three times. I have restarted the VPN "
                           "server and I will call you at 2pm to check it works.")
    check = result["reply_check"]
    assert check["acknowledges_feeling"] and check["states_next_step"]
    assert check["issues"] == []


def test_thanking_for_patience_counts_as_acknowledgement(enrich):
    for opening in ("Thanks so much for your patience.", "Thank you very much for bearing with us."):
        body = f"{opening} I have restarted the VPN server; please try again now."
        assert reply(enrich, body)["reply_check"]["acknowledges_feeling"], opening


def test_hard_to_read_reply(enrich):
    body = ("Notwithstanding the aforementioned organisational considerations, remediation of the "
            "authentication infrastructure necessitates comprehensive reconfiguration of "
            "interdependent synchronisation mechanisms across geographically distributed environments.")
    result = reply(enrich, body, requester="My password reset link does not arrive.")
    assert "hard_to_read" in result["reply_check"]["issues"]
    assert "attune_reply_hard_to_read" in result["tags"]


def test_only_the_latest_public_agent_reply_is_checked(enrich):
    assert reply(enrich, "Internal: flush DNS.", public=False)["reply_check"] is None
    assert enrich(FRUSTRATED)["reply_check"] is None


def test_readability_needs_no_network_and_no_nltk():
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network disabled')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from middleware.enrichment.reply_check import readability\n"
        "ease, grade = readability('We fixed your laptop. Please restart it today.')\n"
        "assert ease > 50, ease\n"
        "assert 'nltk' not in sys.modules\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr
    assert socket.socket.connect is not None
