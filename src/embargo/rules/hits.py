"""What a rule hit is, and the pure helpers that turn one into a reason's parts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from embargo.model.entity import Entity
from embargo.regions.gazetteer import RegionHit
from embargo.rules.decision import Reason, entity_ref, snapshot_ref
from embargo.rules.definitions import Rule
from embargo.rules.resolve import ListedMatch
from embargo.rules.targets import Applies
from embargo.rules.transaction import Party


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that reaches a party: through a listing, ownership, or a region."""

    rule: Rule
    party: Party
    entity: Entity | None = None
    match: ListedMatch | None = None
    paths: tuple[str, ...] = ()
    heads: tuple[Entity, ...] = ()  # the listed owners, for ownership hits
    region: RegionHit | None = None
    detail: str = ""
    doubt: str = ""  # why the hit cannot be certain (a generic role, a stale list ...)
    link: str | None = None  # the same party on another list, and why


def best_regions(hits: Iterable[RegionHit]) -> list[RegionHit]:
    """One hit per region, a certain one if there is one."""
    best: dict[str, RegionHit] = {}
    for hit in hits:
        if hit.region.id not in best or (hit.certain and not best[hit.region.id].certain):
            best[hit.region.id] = hit
    return list(best.values())


def first_false(results: list[Applies]) -> Applies:
    for result in results:
        if result.value is False:
            return result
    unknown = [r.why for r in results if r.value is None]
    return Applies(None, "; ".join(unknown)) if unknown else Applies(True)


def dates_text(rule: Rule, day: date) -> str:
    span = f"{rule.effective_from or '…'} to {rule.effective_until or '…'}"
    return f"in force {span}, not on {day}"


def uncertainty(hit: Hit) -> str:
    if hit.doubt:
        return hit.doubt
    if hit.match is not None and not hit.match.certain:
        return (f"possible match only ({hit.match.method}, score {hit.match.score:.2f}): "
                "confirm the party's identity")
    if hit.region is not None and not hit.region.certain:
        return f"place is ambiguous: {hit.region.why}"
    return ""


def party_label(party: Party) -> str:
    who = party.name or ", ".join(party.ids) or party.address or party.country
    return f"{party.role_text}: {who}"


def match_ref(match: ListedMatch | None) -> dict[str, object] | None:
    if match is None:
        return None
    return {"method": match.method, "score": round(match.score, 4), "certain": match.certain}


def plain_reason(outcome: str, message: str, party: Party, *,
            match: ListedMatch | None = None, rule: Rule | None = None) -> Reason:
    return Reason(outcome, message, rule=rule.id if rule else None,
                  citation=rule.citation if rule else None, party=party_label(party),
                  entity=entity_ref(match.entity) if match else None,
                  snapshot=snapshot_ref(match.snapshot) if match else None,
                  match=match_ref(match), link=match.link if match else None)
