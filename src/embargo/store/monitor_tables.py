"""Tables of customer monitoring: customers and their versions, users, alerts and their events.

``customers`` holds one row per monitored customer (its current version and the version last
screened against the lists); ``customer_versions`` keeps every version of the screened fields.
``alerts`` holds one row per raised (customer, listed entry) pair and generation (``seq``: a
cleared pair whose customer or entry changed is raised again as the next generation);
``alert_events`` is the append-only record of every change. ``monitor_state`` is a small
key/value table: whether monitoring is on, its levels, and which snapshot of each list the
customers were last screened against.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from embargo.store import keys as _keys  # noqa: F401  (api_keys, for key_users' foreign key)
from embargo.store.tables import metadata

customers = Table(
    "customers",
    metadata,
    Column("id", String(300), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("schema", String(50), nullable=False),
    Column("caption", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("removed_at", DateTime(timezone=True)),
    Column("screened_version", Integer),
    Column("screened_at", DateTime(timezone=True)),
    Index("ix_customers_screened", "removed_at", "screened_version"),
)

customer_versions = Table(
    "customer_versions",
    metadata,
    Column("customer_id", String(300), ForeignKey("customers.id"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("origin", Text),  # the file or request it came from
    Column("data", Text, nullable=False),  # canonical entity JSON (embargo.model.codec)
)

users = Table(
    "users",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

key_users = Table(
    "key_users",
    metadata,
    Column("key_id", String(12), ForeignKey("api_keys.id"), primary_key=True),
    Column("user_name", String(100), ForeignKey("users.name"), nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(300), ForeignKey("customers.id"), nullable=False),
    Column("entity_id", String(300), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("state", String(20), nullable=False),
    Column("score", Float, nullable=False),
    Column("source", String(100), nullable=False),
    Column("schema", String(50), nullable=False),
    Column("caption", Text, nullable=False),
    Column("programs", Text, nullable=False),  # JSON array of codes
    Column("hit", Text, nullable=False),  # JSON: the hit with its explanation
    Column("snapshot_id", Integer, ForeignKey("snapshots.id"), nullable=False),
    Column("published", Date, nullable=False),
    Column("entity_hash", String(64), nullable=False),
    Column("customer_version", Integer, nullable=False),
    Column("customer_hash", String(64), nullable=False),
    Column("supersedes", Integer),
    Column("changes", Text),  # JSON: what changed since the alert it supersedes
    Column("pending_decision", String(20)),
    Column("pending_by", String(100)),
    Column("pending_reason", String(100)),
    Column("delisted_on", Date),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("revision", Integer, nullable=False),
    UniqueConstraint("customer_id", "entity_id", "seq", name="uq_alerts_pair_seq"),
    Index("ix_alerts_state", "state", "id"),
    Index("ix_alerts_entity", "entity_id"),
)

alert_events = Table(
    "alert_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(100)),  # None: the monitor itself
    Column("action", String(30), nullable=False),
    Column("from_state", String(20)),
    Column("to_state", String(20)),
    Column("reason", String(100)),
    Column("comment", Text),
    Column("details", Text),  # JSON
    Index("ix_alert_events_alert", "alert_id", "id"),
)

monitor_state = Table(
    "monitor_state",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)

MONITOR_TABLES = [customers, customer_versions, users, key_users, alerts, alert_events,
                  monitor_state]

# Migration 6: the name keys of each customer's current version, for delta runs
# (embargo.monitoring.namekeys). ``customer_keys`` is an inverted table (key -> customers);
# ``customer_keyed`` names the version and the analysis fingerprint the keys were made from;
# ``term_probes`` maps each deletion-neighbourhood probe to the customer terms it comes from
# (once per distinct term, not per customer), ``probed_terms`` the terms already expanded.
customer_keys = Table(
    "customer_keys",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("customer_id", String(300), ForeignKey("customers.id"), primary_key=True),
    Index("ix_customer_keys_customer", "customer_id"),
)

customer_keyed = Table(
    "customer_keyed",
    metadata,
    Column("customer_id", String(300), ForeignKey("customers.id"), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("fingerprint", String(32), nullable=False),
)

term_probes = Table(
    "term_probes",
    metadata,
    Column("probe", String(120), primary_key=True),
    Column("term", String(120), primary_key=True),
)

probed_terms = Table(
    "probed_terms",
    metadata,
    Column("term", String(120), primary_key=True),
    Column("fingerprint", String(32), nullable=False),
)

# Migration 8: each customer's *witness*, one of its keys that seeds candidates in the list
# index it was screened against (on at least one entity, and not common there). A customer
# with a witness that still seeds in the current list index never falls back to searching by
# its common keys alone, so a delta run need not look at it for the changed entries' common
# keys (embargo.monitoring.entries). A cache, checked against the current index on every use.
customer_witnesses = Table(
    "customer_witnesses",
    metadata,
    Column("customer_id", String(300), ForeignKey("customers.id"), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("key", String(120), nullable=False),
)

KEY_TABLES = [customer_keys, customer_keyed, term_probes, probed_terms, customer_witnesses]

# Migration 6 too: what an alert was raised on, kept when a change behind the still-open alert
# moves its current hit, score, snapshot and versions (the ``alerts`` columns) on.
alert_origins = Table(
    "alert_origins",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id"), primary_key=True),
    Column("score", Float, nullable=False),
    Column("hit", Text, nullable=False),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id"), nullable=False),
    Column("published", Date, nullable=False),
    Column("entity_hash", String(64), nullable=False),
    Column("customer_version", Integer, nullable=False),
    Column("customer_hash", String(64), nullable=False),
)

V6_TABLES = [customer_keys, customer_keyed, term_probes, probed_terms, alert_origins]
V8_TABLES = [customer_witnesses]
