"""The store's tables (SQLAlchemy Core), shared by migrations and queries.

``entity_versions`` holds each distinct version of an entity once, keyed by
(entity id, content hash); ``snapshot_members`` says which version each
snapshot listed. Snapshot order is by ``published`` date, not import order, so
lists may be imported out of order.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(100), nullable=False),
    Column("kind", String(100), nullable=False),
    Column("published", Date, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("content_hash", String(128), nullable=False),
    Column("parser_version", String(100), nullable=False),
    Column("entity_count", Integer, nullable=False),
    Column("counts", Text, nullable=False),  # JSON object
    Column("label", Text),
    Column("files", Text, nullable=False),  # JSON array
    UniqueConstraint("source", "content_hash", name="uq_snapshots_source_hash"),
    Index("ix_snapshots_source_published", "source", "published", "id"),
)

entity_versions = Table(
    "entity_versions",
    metadata,
    Column("entity_id", String(300), primary_key=True),
    Column("content_hash", String(64), primary_key=True),
    Column("source", String(100), nullable=False),
    Column("schema", String(50), nullable=False),
    Column("caption", Text, nullable=False),
    Column("data", Text, nullable=False),  # canonical JSON (embargo.model.codec)
)

snapshot_members = Table(
    "snapshot_members",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id"), primary_key=True),
    Column("entity_id", String(300), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    ForeignKeyConstraint(
        ["entity_id", "content_hash"],
        ["entity_versions.entity_id", "entity_versions.content_hash"],
        name="fk_members_version",
    ),
    Index("ix_members_entity", "entity_id", "snapshot_id"),
)
