"""What users do to alerts, by name: the library behind ``embargo alerts`` and the API.

Each action names the acting user (who must exist in the store); the user's role and the
monitor's four-eyes level decide what is allowed (see :mod:`embargo.alerts.workflow`).
"""

from __future__ import annotations

import re

from embargo.alerts import workflow as wf
from embargo.alerts.types import Alert
from embargo.errors import UsageError
from embargo.store import Store
from embargo.store.alerts import AlertStore
from embargo.store.monitoring import load_config
from embargo.store.users import UserStore

_REASON = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")


def check_reason(reason: str | None, required: bool) -> str | None:
    if reason is None or not reason.strip():
        if required:
            raise UsageError("a decision needs a reason code (--reason)")
        return None
    if not _REASON.fullmatch(reason.strip()):
        raise UsageError(f"invalid reason code {reason!r}: letters, digits, _ . : -")
    return reason.strip()


def take(store: Store, alert_id: int, user: str, comment: str | None = None,
         revision: int | None = None) -> Alert:
    """Start reviewing an open alert."""
    UserStore(store.engine).get(user)
    return AlertStore(store.engine).act(
        alert_id, user, lambda a: wf.take(a.id, a.state, a.pending_decision),
        comment=comment, expected_revision=revision)


def decide(store: Store, alert_id: int, user: str, decision: str, reason: str | None,
           comment: str | None = None, revision: int | None = None) -> Alert:
    """Clear, confirm or escalate; confirming, and clearing above the level, await approval."""
    UserStore(store.engine).get(user)
    code = check_reason(reason, required=True)
    level = load_config(store.engine).four_eyes_above
    return AlertStore(store.engine).act(
        alert_id, user,
        lambda a: wf.decide(a.id, a.state, a.pending_decision, decision, a.score, level),
        reason=code, comment=comment, expected_revision=revision)


def approve(store: Store, alert_id: int, user: str, comment: str | None = None,
            revision: int | None = None) -> Alert:
    """A second user lets the pending decision take effect (never the deciding user)."""
    role = UserStore(store.engine).get(user).role
    return AlertStore(store.engine).act(
        alert_id, user,
        lambda a: wf.approve(a.id, a.state, a.pending_decision, a.pending_by, user, role),
        comment=comment, expected_revision=revision)


def reject(store: Store, alert_id: int, user: str, comment: str | None = None,
           revision: int | None = None) -> Alert:
    """A second user turns the pending decision down; the alert returns to review."""
    role = UserStore(store.engine).get(user).role
    return AlertStore(store.engine).act(
        alert_id, user,
        lambda a: wf.reject(a.id, a.state, a.pending_decision, a.pending_by, user, role),
        comment=comment, expected_revision=revision)
