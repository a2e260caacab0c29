"""Request and response models: they validate requests and document the OpenAPI schema.

Responses are rendered straight to JSON (see :mod:`embargo.service.results`); the test suite
checks them against these models through the OpenAPI document (schemathesis).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from embargo.service.guard import check_body

PropertyValues = str | list[Any]


class ErrorDetail(BaseModel):
    code: str = Field(examples=["validation_error"])
    message: str
    details: dict[str, Any] = {}


class ErrorBody(BaseModel):
    error: ErrorDetail


# --- yente dialect -----------------------------------------------------------------------

class EntityExample(BaseModel):
    """A query entity in FollowTheMoney form, as yente clients send it."""

    model_config = ConfigDict(populate_by_name=True)
    id: str | None = Field(None, examples=["q1"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, PropertyValues] = Field(
        examples=[{"name": ["Vladimir Putin"], "birthDate": ["1952-10-07"]}])


class GuardedBody(BaseModel):
    """A request body refused whole (422) if it holds text that is not Unicode or is too deep."""

    @model_validator(mode="before")
    @classmethod
    def _guard(cls, data: Any) -> Any:
        return check_body(data)


class MatchRequest(GuardedBody):
    queries: dict[str, EntityExample]
    weights: dict[str, float] = {}
    config: dict[str, Any] = {}
    exclude_entity_ids: list[str] = Field(
        [], description="Embargo extension: entries to leave out, like the query parameter "
                        "of that name, without the length limits of a URL")


class Total(BaseModel):
    value: int
    relation: str = "eq"


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str = Field(examples=["ofac-sdn-31920"])
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str] = []
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class Explanation(BaseModel):
    value: float
    contribution: float
    detail: str


class ScoredEntity(EntityResponse):
    score: float
    match: bool
    features: dict[str, float]
    explanations: dict[str, Explanation]


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntity]
    total: Total
    query: dict[str, Any]
    error: ErrorDetail | None = None
    warnings: list[str] = []


class FeatureDoc(BaseModel):
    description: str
    coefficient: float | None = None
    url: str | None = None


class AlgorithmUsed(BaseModel):
    requested: str = Field(examples=["best"])
    name: str = Field(examples=["embargo"])


class MatchResponse(BaseModel):
    id: str
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int
    algorithm: AlgorithmUsed


class SearchResult(EntityResponse):
    score: float


class SearchResponse(BaseModel):
    id: str
    limit: int
    offset: int
    total: Total
    results: list[SearchResult]
    facets: dict[str, Any] = {}


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    load: bool = True
    version: str
    index_version: str | None = None
    index_current: bool = True
    children: list[str]
    entity_count: int
    snapshot: int | None = None


class CatalogResponse(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool


class AlgorithmModel(BaseModel):
    name: str
    version: str
    threshold: float
    description: str
    features: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[AlgorithmModel]
    default: str
    best: str


# --- native ------------------------------------------------------------------------------

class ScreenRequest(GuardedBody):
    queries: list[dict[str, Any]] = Field(
        min_length=1, examples=[[{"id": "c-1", "schema": "Person",
                                  "properties": {"name": ["Vladimir Putin"]}}]])
    threshold: float | None = Field(None, ge=0.0, le=1.0)
    limit: int = Field(10, ge=1)
    as_of: date | None = None
    sources: list[str] | None = None


class Hit(BaseModel):
    entity_id: str
    score: float
    schema_: str = Field(alias="schema")
    caption: str
    source: str
    snapshot: int | None
    programs: list[str]
    explanation: dict[str, Any]


class QueryResult(BaseModel):
    id: str
    hits: list[Hit]
    error: str | None
    warnings: list[str] = []


class ScreenResponse(BaseModel):
    id: str
    snapshots: list[int]
    algorithm: str
    threshold: float
    as_of: str | None
    results: list[QueryResult]


class SnapshotModel(BaseModel):
    id: int
    source: str
    kind: str
    published: str
    imported_at: str
    content_hash: str
    parser_version: str
    entity_count: int
    counts: dict[str, int]
    label: str | None
    files: list[str]
    held: str | None = None  # why it is held (not in force until released)


class ListsResponse(BaseModel):
    snapshots: list[SnapshotModel]
    in_force: list[int]


class ChangeModel(BaseModel):
    id: str
    caption: str
    fields: list[str]


class DiffResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    source: str
    from_: SnapshotModel = Field(alias="from")
    to: SnapshotModel
    added: list[ChangeModel]
    removed: list[ChangeModel]
    changed: list[ChangeModel]


class HistoryModel(BaseModel):
    snapshot: int
    published: str
    change: str
    fields: list[str]


class EntityDetail(EntityResponse):
    properties: dict[str, list[Any]]  # nested=true: adjacent entities as objects
    listed: bool
    as_of: str | None
    snapshot: SnapshotModel | None
    entity: dict[str, Any] | None
    history: list[HistoryModel]


class ScreeningModel(BaseModel):
    id: str
    key_id: str | None
    created_at: str
    endpoint: str
    dataset: str | None
    snapshot_ids: list[int]
    algorithm: str
    threshold: float | None
    limit: int
    as_of: str | None
    request: Any
    response: Any


class ReplayResponse(BaseModel):
    id: str
    same: bool
    algorithm_changed: bool
    snapshot_ids: list[int]
    original: Any
    replayed: Any


class ImportRequest(GuardedBody):
    path: str = Field(min_length=1, examples=["/srv/lists/SDN.XML"])
    kind: str | None = None
    published: date | None = None
    max_removed: float | None = Field(default=None, ge=0.0, le=1.0)
    backfill: bool = False


class ImportItem(BaseModel):
    path: str
    source: str
    created: bool
    held: str | None = None
    snapshot: SnapshotModel
    warnings: list[str]


class ImportResponse(BaseModel):
    results: list[ImportItem]
    swapped: bool
    in_force: list[int]


class UpdateRequest(GuardedBody):
    sources: list[str] = []
    max_removed: float | None = Field(default=None, ge=0.0, le=1.0)


class UpdateItem(BaseModel):
    source: str
    ok: bool
    message: str
    snapshots: list[int]
    held: list[int] = []
    warnings: list[str] = []


class ReleaseRequest(BaseModel):
    user: str = Field(min_length=1, max_length=200)


class ReleaseResponse(BaseModel):
    snapshot: SnapshotModel
    released_by: str
    was_held: str | None
    swapped: bool
    in_force: list[int]


class SourceAge(BaseModel):
    source: str
    snapshot: int
    published: str
    age_days: int


class UpdateResponse(BaseModel):
    results: list[UpdateItem]
    swapped: bool
    in_force: list[int]


class HealthResponse(BaseModel):
    status: str


class SnapshotRef(BaseModel):
    id: int
    source: str
    published: str


class ReadyResponse(BaseModel):
    status: str
    snapshots: list[SnapshotRef]
    entities: int
    algorithm: str
    built_at: str
    last_error: str | None = None
    sources: list[SourceAge] = []
