"""FollowTheMoney topics for listed entries, as yente gives them (``sanction``, ...).

Official lists carry programmes, not topics. A programme's measure in the programme
catalogue (``rules/data/programmes.toml``) says what being listed under it means, and maps
to topics; a tag the catalogue does not know falls back to what being on its list means.
Entries from FtM sources keep the topics their publisher gave them. An entry for which no
topic can be derived has none: the ``topics`` filter of ``/match`` keeps such hits and says
so in a warning, rather than dropping them unseen.
"""

from __future__ import annotations

from collections.abc import Iterable

from followthemoney import registry

from embargo.errors import UsageError
from embargo.model import Entity
from embargo.rules.catalogue import Catalogue, default_catalogue

MEASURE_TOPICS: dict[str, tuple[str, ...]] = {
    "blocking": ("sanction",),
    "restricted": ("sanction",),  # sectoral and other non-SDN restrictions are sanctions too
    "regional": ("sanction",),
    "export": ("export.control",),
    "watchlist": ("sanction.linked",),  # tied to a sanctions regime, not designated under it
    "other": (),
}
# programmes whose listing means more than their measure says
PROGRAMME_TOPICS: dict[str, tuple[str, ...]] = {
    "BIS-DPL": ("export.control", "debarment"),  # export privileges denied by order
}


def _measure_topics(entity: Entity, catalogue: Catalogue) -> set[str]:
    topics: set[str] = set()
    for program in entity.programs:
        programme = catalogue.get(program)
        if programme is not None:
            topics.update(MEASURE_TOPICS.get(programme.measure, ()))
            topics.update(PROGRAMME_TOPICS.get(programme.code, ()))
    if not topics:
        info = catalogue.list_info(entity.source)
        if info is not None:
            topics.update(MEASURE_TOPICS.get(info.measure, ()))
    return topics


def entity_topics(entity: Entity, catalogue: Catalogue | None = None) -> list[str]:
    """The entry's topics, sorted: its publisher's (FtM sources) and its programmes'."""
    topics = {n.value for n in entity.notes if n.label == "topics"}
    topics |= _measure_topics(entity, catalogue or default_catalogue())
    return sorted(t for t in topics if t in registry.topic.names)


def check_topics(names: Iterable[str]) -> frozenset[str]:
    """The requested topics, each a FollowTheMoney topic (UsageError, a 400, if not)."""
    chosen = frozenset(n.strip() for n in names if n.strip())
    unknown = sorted(chosen - set(registry.topic.names))
    if unknown:
        raise UsageError(f"unknown topic(s) {', '.join(unknown)}; topics are FollowTheMoney's "
                         "(sanction, sanction.linked, debarment, export.control, ...)",
                         topics=unknown)
    return chosen
