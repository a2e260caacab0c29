"""Tables of the web console (migration 7): password hashes, sign-in sessions, assignments.

``user_passwords`` holds one argon2 hash per user; ``console_sessions`` one row per signed-in
browser, keyed by the SHA-256 of its cookie token (the token itself is never stored), with its
CSRF token and when it was last used (the idle timeout); ``alert_assignments`` who an alert is
assigned to ("assign to me" in the queue).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from embargo.store.monitor_tables import alerts
from embargo.store.tables import metadata

user_passwords = Table(
    "user_passwords",
    metadata,
    Column("user_name", String(100), ForeignKey("users.name"), primary_key=True),
    Column("hash", Text, nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
)

console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 hex of the cookie token
    Column("user_name", String(100), ForeignKey("users.name"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Index("ix_console_sessions_user", "user_name"),
)

alert_assignments = Table(
    "alert_assignments",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id"), primary_key=True),
    Column("user_name", String(100), ForeignKey("users.name"), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Index("ix_alert_assignments_user", "user_name", "alert_id"),
)

CONSOLE_TABLES = [user_passwords, console_sessions, alert_assignments]
QUEUE_INDEXES = [Index("ix_alerts_queue_score", alerts.c.score, alerts.c.id),
                 Index("ix_alerts_queue_created", alerts.c.created_at, alerts.c.id),
                 Index("ix_alerts_queue_state_score", alerts.c.state, alerts.c.score,
                       alerts.c.id),
                 Index("ix_alerts_queue_state_created", alerts.c.state, alerts.c.created_at,
                       alerts.c.id)]
