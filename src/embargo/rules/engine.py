"""The rule engine: a transaction, the lists in force and the ownership graph -> a decision."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from embargo.model.countries import country_code
from embargo.ownership.fifty import FiftyPercent
from embargo.ownership.graph import OwnershipGraph
from embargo.regions.gazetteer import Gazetteer, RegionHit, default_gazetteer
from embargo.rules.catalogue import Catalogue, default_catalogue
from embargo.rules.changes import LaterView, stale_changes
from embargo.rules.decision import (
    INFO,
    LICENSED,
    PROHIBITED,
    REVIEW,
    Decision,
    Reason,
    combine,
    entity_ref,
    snapshot_ref,
)
from embargo.rules.definitions import Rule, Rulebook, default_rulebook
from embargo.rules.hits import (
    Hit,
    best_regions,
    dates_text,
    first_false,
    match_ref,
    party_label,
    plain_reason,
    uncertainty,
)
from embargo.rules.licences import find_licence
from embargo.rules.resolve import ListedMatch, ListView, id_key, name_key
from embargo.rules.staleness import Staleness, stale_lists
from embargo.rules.targets import (
    Applies,
    binds,
    conditions_apply,
    directive_names,
    hs_fits,
    listing_facts,
    price_fits,
    role_fits,
    targets_entity,
)
from embargo.rules.transaction import Goods, Party, Transaction

PLACE_CACHE = 50_000  # addresses whose regions are remembered


@dataclass
class Context:
    """The lists and ownership in force on one date, with per-rule 50% results cached.

    ``later`` gives the list view in force on a later snapshot's date (to tell whether a
    party was listed or delisted after a stale snapshot); None when it cannot be built.
    """

    view: ListView
    graph: OwnershipGraph = field(default_factory=lambda: OwnershipGraph(()))
    _fifty: dict[str, FiftyPercent] = field(default_factory=dict)
    later: LaterView | None = None
    _links: dict[str, dict[str, str]] = field(default_factory=dict)


class Engine:
    def __init__(self, rulebook: Rulebook | None = None, catalogue: Catalogue | None = None,
                 gazetteer: Gazetteer | None = None, today: date | None = None) -> None:
        self.rulebook = rulebook or default_rulebook()
        self.catalogue = catalogue or default_catalogue()
        self.gazetteer = gazetteer or default_gazetteer()
        self.today = today or date.today()
        self._keys: dict[str, tuple[set[str], set[str]]] = {}
        self._places: dict[tuple[str | None, str | None], list[RegionHit]] = {}

    def check(self, tx: Transaction, ctx: Context, as_of: date | None = None) -> Decision:
        day = tx.date or as_of or self.today
        reasons = [Reason(REVIEW, issue) for issue in tx.issues]
        reasons += self._date_reasons(tx, day, ctx)
        stale = self._stale(tx, day, ctx)
        reasons += [Reason(REVIEW, f"{s.describe()} and no later snapshot is held: parties "
                                   f"listed or delisted since {s.snapshot.published} cannot be "
                                   "ruled out") for s in stale if s.later is None]
        for party in tx.parties:
            reasons += self._party(tx, day, party, ctx, stale)
        reasons += self._goods(tx, day)
        snaps = tuple(s for s in (snapshot_ref(x) for x in ctx.view.snapshots.values()) if s)
        return Decision(tx.id, combine(reasons), day, tuple(reasons), snaps)

    def _date_reasons(self, tx: Transaction, day: date, ctx: Context) -> list[Reason]:
        out = []
        if day > self.today:
            out.append(Reason(REVIEW, f"date {day} is in the future (today is {self.today}): "
                                      "the lists in force then are not known yet"))
        if not ctx.view.snapshots and not ctx.view.members:
            out.append(Reason(REVIEW, f"no list snapshot in force on {day}"))
        out += [Reason(REVIEW, f"list {source} has no snapshot in force on {day} (the earliest "
                               f"held is of {first}): parties it lists cannot be ruled out")
                for source, first in sorted(ctx.view.not_in_force.items())]
        return out

    def _stale(self, tx: Transaction, day: date, ctx: Context) -> list[Staleness]:
        """Lists whose snapshot in force is older than their cadence (dated items only)."""
        if tx.date is None or ctx.view.history is None:
            return []
        key = f"stale:{day}"
        if key not in ctx.view.memo:
            ctx.view.memo[key] = stale_lists(ctx.view.snapshots, ctx.view.history, day,
                                             self.catalogue.cadences())
        found: list[Staleness] = ctx.view.memo[key]
        return [lag for lag in found if self._binds(lag.source, tx)]

    def _binds(self, source: str, tx: Transaction) -> bool:
        """Whether a listing on ``source`` can bind the transaction's institution."""
        info = self.catalogue.list_info(source)
        return info is None or binds(info.jurisdictions, tx.jurisdiction).value is not False

    def _party(self, tx: Transaction, day: date, party: Party, ctx: Context,
               stale: list[Staleness]) -> list[Reason]:
        matches = ctx.view.resolve(party)
        reasons, delisted = stale_changes(party, matches, stale, ctx.later)
        for match in matches:
            reasons += self._listed(tx, day, party, match, delisted.get(match.entity.id, ""))
        ids = set(party.ids) | {m.entity.id for m in matches if m.certain}
        reasons += self._named(tx, day, party, matches)
        reasons += self._ownership(tx, day, party, ids, ctx)
        reasons += self._regions(tx, day, party)
        return reasons

    def _named(self, tx: Transaction, day: date, party: Party,
               matches: list[ListedMatch]) -> list[Reason]:
        """Rules on parties the measure names (the Central Bank of Russia, Annex III banks)."""
        rules = [r for r in self.rulebook.rules if r.target.kind == "party"]
        if not rules:
            return []
        certain = [m.entity for m in matches if m.certain]
        names = {name_key(n) for n in [party.name or "", *(x.full for e in certain
                                                            for x in e.names)] if n}
        ids = {id_key(i) for i in party.ids} | {id_key(e.id) for e in certain} \
            | {id_key(i.value) for e in certain for i in e.identifiers}
        reasons = []
        for rule in rules:
            fits = role_fits(rule, party)
            keys = self._party_keys(rule)
            if fits.value is False or not (names & keys[0] or ids & keys[1]):
                continue
            detail = f"{party.name or ', '.join(party.ids)} is named by {rule.id}"
            reasons.append(self._apply(tx, day, Hit(rule, party, detail=detail,
                                                    doubt=fits.why)))
        return reasons

    def _party_keys(self, rule: Rule) -> tuple[set[str], set[str]]:
        if rule.id not in self._keys:
            self._keys[rule.id] = ({name_key(n) for n in rule.target.names},
                                   {id_key(i) for i in rule.target.ids})
        return self._keys[rule.id]

    def _goods(self, tx: Transaction, day: date) -> list[Reason]:
        """Rules on goods by origin, HS code and price (import bans, the oil price cap)."""
        reasons = []
        for rule in (r for r in self.rulebook.rules if r.target.kind == "goods"):
            for goods in tx.goods:
                hit = self._goods_hit(rule, goods)
                if hit is not None:
                    price = price_fits(rule.when, goods.price)
                    reasons.append(self._apply(tx, day, hit, price))
        return reasons

    def _goods_hit(self, rule: Rule, goods: Goods) -> Hit | None:
        """The hit of a goods rule on one item: None when origin or HS code rule it out."""
        certain, doubtful = self._origins(goods.origin)
        wanted = set(rule.when.origins)
        fits = hs_fits(rule.when, goods.hs_code)
        if not (certain | doubtful) & wanted or fits.value is False:
            return None
        doubts = [fits.why] if fits.value is None else []
        if not certain & wanted:
            doubts.append(f"origin {goods.origin!r} may or may not be in "
                          f"{', '.join(sorted(doubtful & wanted))}")
        party = Party(role="goods", name=goods.description or f"HS {goods.hs_code}")
        detail = f"goods (HS {goods.hs_code or '?'}) originating in {goods.origin}"
        return Hit(rule, party, detail=detail, doubt="; ".join(doubts))

    def _origins(self, origin: str | None) -> tuple[set[str], set[str]]:
        """The countries and regions an origin names ("RU", "Simferopol", "Crimea"):
        certain ones, and regions an ambiguous place may be in."""
        if not origin:
            return set(), set()
        hits = self.gazetteer.find_text(origin)
        certain = {h.region.id for h in hits if h.certain}
        doubtful = {h.region.id for h in hits if not h.certain}
        code = country_code(origin)
        if code:
            certain.add(code)
            region = self.gazetteer.find_code(code)
            if region is not None:
                certain.add(region.region.id)
        return certain, doubtful - certain

    def _listed(self, tx: Transaction, day: date, party: Party,
                match: ListedMatch, delisted: str = "") -> list[Reason]:
        entity = match.entity
        facts, unknown = listing_facts(entity, self.catalogue)
        reasons = [plain_reason(REVIEW, f"unknown programme tag {tag!r} on {entity.id}",
                                party, match=match) for tag in unknown]
        rules = [r for r in self.rulebook.rules if targets_entity(r, entity, facts)]
        if not rules and not unknown:
            reasons.append(plain_reason(REVIEW, f"{entity.caption} is listed ({entity.source}) "
                                        "but no rule covers the listing", party, match=match))
        for rule in rules:
            fits = role_fits(rule, party)
            if fits.value is False:
                continue
            doubt = "; ".join(d for d in (fits.why if fits.value is None else "", delisted) if d)
            hit = Hit(rule, party, entity, match, detail=self._listing_detail(rule, match),
                      doubt=doubt, link=match.link)
            reasons.append(self._apply(tx, day, hit))
        return reasons

    def _listing_detail(self, rule: Rule, match: ListedMatch) -> str:
        entity = match.entity
        if rule.target.kind == "directive":
            names = ", ".join(directive_names(entity, rule.target))
            text = f"{entity.caption} is subject to {names}"
        else:
            text = f"{entity.caption} is listed on {entity.source}"
        return f"{text} ({match.link})" if match.link else text

    def _ownership(self, tx: Transaction, day: date, party: Party, ids: set[str],
                   ctx: Context) -> list[Reason]:
        reasons: list[Reason] = []
        if not ids or not len(ctx.graph):
            return reasons
        for rule in self.rulebook.rules:
            fits = role_fits(rule, party)
            if rule.target.ownership is None or fits.value is False:
                continue
            fifty = self._fifty(rule, ctx)
            for node in sorted(ids):
                if node in fifty.blocked and node not in fifty.listed:
                    hit = self._owned_hit(rule, party, node, fifty, ctx)
                    if fits.value is None:
                        hit = replace(hit, doubt=fits.why)
                    reasons.append(self._apply(tx, day, hit))
                    break
            reasons += self._cycles(rule, party, ids, fifty, ctx)
        return reasons

    def _owned_hit(self, rule: Rule, party: Party, node: str, fifty: FiftyPercent,
                   ctx: Context) -> Hit:
        paths = fifty.paths(node)
        heads = sorted({p.nodes[0] for p in paths})
        entities = tuple(e for e in (ctx.view.get(h) for h in heads) if e is not None)
        share = fifty.share(node)
        links = ctx._links.get(rule.id, {})
        linked = "; ".join(links[h] for h in heads if h in links)
        whom, does = (("persons subject to the directive", "extends it") if
                      rule.target.kind == "directive" else ("blocked persons", "blocks"))
        detail = (f"{node} is {share.total:g}% owned by {whom} "
                  f"({fifty.threshold.describe()} {does})" + (f"; {linked}" if linked else ""))
        return Hit(rule, party, paths=tuple(p.describe() for p in paths), heads=entities,
                   detail=detail, link=linked or None)

    def _cycles(self, rule: Rule, party: Party, ids: set[str], fifty: FiftyPercent,
                ctx: Context) -> list[Reason]:
        if any(fifty.is_blocked(node) for node in ids):
            return []
        upstream = set().union(*(ctx.graph.upstream(node) | {node} for node in ids))
        return [plain_reason(REVIEW, f"ownership cycle among {', '.join(group)}: "
                             f"{rule.id} may reach {party.name or party.role_text} in ways the "
                             "holdings cannot settle", party, rule=rule)
                for group in ctx.graph.cycles() if upstream & set(group)
                and any(fifty.is_blocked(g) for g in upstream)]

    def _fifty(self, rule: Rule, ctx: Context) -> FiftyPercent:
        if rule.id not in ctx._fifty:
            listed = self._targeted(rule, ctx.view)
            linked = self._linked_owners(listed, ctx)
            ctx._links[rule.id] = linked
            assert rule.target.ownership is not None
            ctx._fifty[rule.id] = FiftyPercent(ctx.graph, listed | set(linked),
                                               rule.target.ownership)
        return ctx._fifty[rule.id]

    def _targeted(self, rule: Rule, view: ListView) -> set[str]:
        """The ids of the view's entries a rule targets (computed once per view)."""
        memo: dict[str, set[str]] = view.memo.setdefault("targeted", {})
        if rule.id not in memo:
            memo[rule.id] = {e.id for e in view.entities()
                             if targets_entity(rule, e, listing_facts(e, self.catalogue)[0])}
        return memo[rule.id]

    def _linked_owners(self, listed: set[str], ctx: Context) -> dict[str, str]:
        """Owners in the graph that are the same party as a targeted entry: id -> link."""
        out: dict[str, str] = {}
        links = ctx.view.links()
        for owner in {h.owner_id for h in ctx.graph.holdings} - listed:
            for link in links.linked(owner):
                if link.other in listed:
                    out[owner] = link.describe(owner)
                    break
        return out

    def _region_hits(self, address: str | None, country: str | None) -> list[RegionHit]:
        """The regions a party's address and country are in (remembered: payment files give
        the same addresses again)."""
        key = (address, country)
        found = self._places.get(key)
        if found is None:
            found = []
            if address:
                found += self.gazetteer.find_address(address, country_code(country))
            country_hit = self.gazetteer.find_country(country)
            if country_hit is not None:
                found.append(country_hit)
            if len(self._places) >= PLACE_CACHE:
                self._places.clear()
            self._places[key] = found
        return found

    def _regions(self, tx: Transaction, day: date, party: Party) -> list[Reason]:
        hits = self._region_hits(party.address, party.country)
        if not hits:
            return []
        reasons: list[Reason] = []
        for rule in self.rulebook.rules:
            fits = role_fits(rule, party)
            if rule.target.kind != "region" or fits.value is False:
                continue
            for hit in best_regions(h for h in hits if h.region.id in rule.target.regions):
                detail = f"{party.role_text} address in {hit.region.name} ({hit.matched})"
                reasons.append(self._apply(tx, day, Hit(rule, party, region=hit, detail=detail,
                                                        doubt=fits.why)))
        return reasons

    def _apply(self, tx: Transaction, day: date, hit: Hit,
               extra: Applies | None = None) -> Reason:
        """The reason a hit gives: ``extra`` is a further condition (the goods' price)."""
        rule = hit.rule
        applies = first_false([
            Applies(rule.in_force(day) or False, dates_text(rule, day)),
            binds(rule.jurisdictions, tx.jurisdiction),
            conditions_apply(rule.when, tx),
            *([extra] if extra is not None else []),
        ])
        if applies.value is False:
            return self._rule_reason(INFO, f"{hit.detail}; {rule.id} does not apply: "
                                     f"{applies.why}", hit)
        outcome = rule.effect if applies.value else REVIEW
        why = applies.why or (extra.why if extra is not None else "")
        message = hit.detail + (f"; {why}" if why else "")
        uncertain = uncertainty(hit)
        if uncertain:
            return self._rule_reason(REVIEW, f"{message}; {uncertain}", hit)
        if outcome == PROHIBITED:
            licence = find_licence(self.rulebook.licences, tx, day, hit)
            if licence is not None:
                ref: dict[str, object] = {"id": licence.id, "kind": licence.kind,
                                          "title": licence.title, "citation": licence.citation}
                if not licence.certain:
                    return self._rule_reason(REVIEW, f"{message}; may be lifted by {licence.id}: "
                                             f"{licence.doubt}", hit, ref)
                return self._rule_reason(LICENSED, f"{message}; lifted by {licence.id}", hit, ref)
        return self._rule_reason(outcome, message, hit)

    def _rule_reason(self, outcome: str, message: str, hit: Hit,
                     licence: dict[str, object] | None = None) -> Reason:
        entity = hit.entity
        region = hit.region
        return Reason(
            outcome, message, rule=hit.rule.id, title=hit.rule.title,
            citation=hit.rule.citation, party=party_label(hit.party),
            entity=entity_ref(entity) if entity else None,
            snapshot=snapshot_ref(hit.match.snapshot) if hit.match else None,
            match=match_ref(hit.match), ownership=hit.paths, licence=licence,
            region={"id": region.region.id, "name": region.region.name,
                    "matched": region.matched, "place": region.place} if region else None,
            link=hit.link)
