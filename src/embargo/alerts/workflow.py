"""The alert lifecycle as pure rules: states, decisions, four-eyes approval and roles.

An alert is raised ``open``. An analyst takes it (``review``) or decides at once:

* ``escalated`` takes effect at once;
* ``cleared`` (a false positive) takes effect at once when the alert's score is at or under
  the four-eyes level, else it waits for a second user's approval;
* ``confirmed`` (a true match) always waits for a second user's approval.

A decision that waits keeps the alert in ``review`` (or ``delisted``) with a pending decision;
an approver or admin other than the deciding user approves it (it takes effect) or rejects it
(back to ``review``). ``delisted`` marks an alert whose listed entry was removed from its list;
an analyst closes it with a decision like any other. ``cleared`` and ``confirmed`` are final.
"""

from __future__ import annotations

from dataclasses import dataclass

from embargo.errors import ConflictError, PermissionDenied, UsageError

OPEN, REVIEW, CLEARED, CONFIRMED, ESCALATED, DELISTED = (
    "open", "review", "cleared", "confirmed", "escalated", "delisted")
STATES = (OPEN, REVIEW, CLEARED, CONFIRMED, ESCALATED, DELISTED)
DECISIONS = (CLEARED, CONFIRMED, ESCALATED)
FINAL = frozenset({CLEARED, CONFIRMED})
ACTIVE = frozenset({OPEN, REVIEW, ESCALATED})  # states that a delisting moves to DELISTED

ANALYST, APPROVER, ADMIN = "analyst", "approver", "admin"
ROLES = (ANALYST, APPROVER, ADMIN)
APPROVING_ROLES = frozenset({APPROVER, ADMIN})

DEFAULT_FOUR_EYES_ABOVE = 0.9


@dataclass(frozen=True, slots=True)
class Transition:
    """What an action does: the new state, and the pending decision left behind (if any)."""

    action: str
    to_state: str
    pending: str | None = None


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}; use {', '.join(ROLES)}")
    return role


def check_state(state: str) -> str:
    if state not in STATES:
        raise UsageError(f"unknown alert state {state!r}; use {', '.join(STATES)}")
    return state


def needs_approval(decision: str, score: float, four_eyes_above: float) -> bool:
    """Confirming always needs a second user; clearing does above the four-eyes level."""
    return decision == CONFIRMED or (decision == CLEARED and score > four_eyes_above)


def _open_for_decision(alert_id: int, state: str, pending: str | None) -> None:
    if state in FINAL:
        raise ConflictError(f"alert {alert_id} is already {state}", alert_id=alert_id,
                            state=state)
    if pending is not None:
        raise ConflictError(f"alert {alert_id} awaits approval of its {pending} decision",
                            alert_id=alert_id, state=state, pending=pending)


def take(alert_id: int, state: str, pending: str | None) -> Transition:
    """An analyst starts reviewing an open alert."""
    _open_for_decision(alert_id, state, pending)
    if state != OPEN:
        raise ConflictError(f"alert {alert_id} is {state}, not open", alert_id=alert_id,
                            state=state)
    return Transition("review", REVIEW)


def decide(alert_id: int, state: str, pending: str | None, decision: str, score: float,
           four_eyes_above: float) -> Transition:
    """A user's decision on an alert that is not final and has no pending decision."""
    if decision not in DECISIONS:
        raise UsageError(f"unknown decision {decision!r}; use {', '.join(DECISIONS)}")
    _open_for_decision(alert_id, state, pending)
    if decision == state:
        raise ConflictError(f"alert {alert_id} is already {state}", alert_id=alert_id,
                            state=state)
    if needs_approval(decision, score, four_eyes_above):
        waiting = DELISTED if state == DELISTED else REVIEW
        return Transition("decide", waiting, pending=decision)
    return Transition("decide", decision)


def _check_approver(alert_id: int, state: str, pending: str | None, pending_by: str | None,
                    user: str, role: str) -> str:
    if pending is None:
        raise ConflictError(f"alert {alert_id} has no decision awaiting approval",
                            alert_id=alert_id, state=state)
    if role not in APPROVING_ROLES:
        raise PermissionDenied(f"user {user!r} is an {role}; only an approver or an admin "
                               "may approve or reject a decision", user=user, role=role)
    if user == pending_by:
        raise PermissionDenied(f"user {user!r} made this decision and cannot approve or reject "
                               "it: a second user must", user=user, alert_id=alert_id)
    return pending


def approve(alert_id: int, state: str, pending: str | None, pending_by: str | None,
            user: str, role: str) -> Transition:
    """A second user (approver or admin) lets the pending decision take effect."""
    decision = _check_approver(alert_id, state, pending, pending_by, user, role)
    return Transition("approve", decision)


def reject(alert_id: int, state: str, pending: str | None, pending_by: str | None,
           user: str, role: str) -> Transition:
    """A second user turns the pending decision down: the alert goes back to review."""
    _check_approver(alert_id, state, pending, pending_by, user, role)
    return Transition("reject", DELISTED if state == DELISTED else REVIEW)
