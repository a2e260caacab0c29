"""Rendering screening hits and entities as the service's JSON (native and yente shapes)."""

from __future__ import annotations

from typing import Any

from embargo.matching.screen import Hit
from embargo.model import Entity
from embargo.model.ftm_export import to_ftm
from embargo.service.holder import Loaded
from embargo.service.topics import entity_topics

ROUND = 4


def ftm_properties(entity: Entity) -> dict[str, list[str]]:
    """FtM properties, with ``topics`` derived from the entry's programmes as yente has it."""
    props: dict[str, list[str]] = to_ftm(entity).to_dict()["properties"]
    out = {key: [str(v) for v in values] for key, values in props.items()}
    topics = entity_topics(entity)
    if topics:
        out["topics"] = topics
    return out


def entity_response(entity: Entity) -> dict[str, Any]:
    """An entity in yente's ``EntityResponse`` form (FtM properties)."""
    return {
        "id": entity.id, "caption": entity.caption, "schema": str(entity.schema),
        "properties": ftm_properties(entity), "datasets": [entity.source], "referents": [],
        "target": True, "first_seen": None, "last_seen": None,
        "last_change": entity.modified_on,
    }


def scored_entity(hit: Hit, threshold: float) -> dict[str, Any]:
    """A hit in yente's ``ScoredEntityResponse`` form."""
    data = entity_response(hit.entity)
    data["score"] = round(hit.score, ROUND)
    data["match"] = hit.score >= threshold
    data["features"] = {f.name: round(f.value, ROUND) for f in hit.match.features}
    data["explanations"] = {
        f.name: {"value": round(f.value, ROUND), "contribution": round(f.contribution, ROUND),
                 "detail": f.detail}
        for f in hit.match.features
    }
    return data


def native_hit(hit: Hit, loaded: Loaded) -> dict[str, Any]:
    """A hit as ``embargo screen`` writes it."""
    entity = hit.entity
    snap = loaded.snapshot_of(entity.source)
    return {
        "entity_id": entity.id, "score": round(hit.score, ROUND), "schema": str(entity.schema),
        "caption": entity.caption, "source": entity.source,
        "snapshot": snap.id if snap else None,
        "programs": [p.code for p in entity.programs],
        "explanation": hit.match.explanation(),
    }
