"""Whether a rule targets a listed entity, applies to a transaction, binds an institution."""

from __future__ import annotations

from dataclasses import dataclass

from embargo.model.entity import Entity
from embargo.rules.catalogue import Catalogue
from embargo.rules.definitions import Conditions, Rule, Target
from embargo.rules.transaction import DEBT_KINDS, INSTRUMENT_KINDS, KINDS, Party, Transaction

EU_MEMBERS = frozenset({
    "at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "ie", "it",
    "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se",
})


@dataclass(frozen=True, slots=True)
class Fact:
    """One way an entity is listed: by whom, with what measure, under which programme."""

    authority: str
    measure: str
    programme: str | None


@dataclass(frozen=True, slots=True)
class Applies:
    """Whether a rule applies: True, False, or None (cannot tell), and why."""

    value: bool | None
    why: str = ""


YES = Applies(True)


def listing_facts(entity: Entity, catalogue: Catalogue) -> tuple[list[Fact], list[str]]:
    """The entity's listing facts, and the programme tags the catalogue does not know."""
    info = catalogue.list_info(entity.source)
    facts: list[Fact] = []
    unknown: list[str] = []
    for program in entity.programs:
        found = catalogue.get(program)
        if found is None:
            unknown.append(program.raw)
            continue
        official = info is not None and info.authority == found.authority
        measure = info.measure if info is not None and official else found.measure
        facts.append(Fact(found.authority, measure, found.code))
    if not entity.programs and info is not None:
        facts.append(Fact(info.authority, info.measure, None))
    return facts, unknown


def _fact_fits(target: Target, fact: Fact) -> bool:
    return ((not target.authorities or fact.authority in target.authorities)
            and (not target.measures or fact.measure in target.measures)
            and (not target.programmes or fact.programme in target.programmes))


def _norm(text: str) -> str:
    return " ".join(text.replace(".", " ").split()).casefold()


def directive_names(entity: Entity, target: Target) -> list[str]:
    """The entity's directives that the target names (``EO 14024 Directive 1A``)."""
    out = []
    for directive in entity.directives:
        for ref in target.directives:
            names = {_norm(n) for n in ref.names}
            if _norm(directive.authority) == _norm(ref.authority) \
                    and _norm(directive.name) in names:
                out.append(f"{directive.authority} {directive.name}")
    return out


def targets_entity(rule: Rule, entity: Entity, facts: list[Fact]) -> bool:
    target = rule.target
    if target.kind in ("region", "party", "goods"):
        return False
    if target.lists and entity.source not in target.lists:
        return False
    if (target.authorities or target.measures or target.programmes) \
            and not any(_fact_fits(target, f) for f in facts):
        return False
    if target.kind == "directive":
        return bool(directive_names(entity, target))
    return True


def binds(rule_jurisdictions: tuple[str, ...], jurisdiction: str | None) -> Applies:
    """Whether a measure binds an institution of ``jurisdiction`` (unknown: assumed so)."""
    if "*" in rule_jurisdictions or jurisdiction is None:
        return YES
    if jurisdiction in rule_jurisdictions or ("eu" in rule_jurisdictions
                                              and jurisdiction in EU_MEMBERS):
        return YES
    return Applies(False, f"binds institutions in {', '.join(rule_jurisdictions)}, "
                          f"not {jurisdiction}")


def _kind(cond: Conditions, tx: Transaction) -> Applies:
    if not cond.kinds:
        return YES
    if tx.kind == "screen" or tx.kind not in KINDS:
        return Applies(None, f"applies to {', '.join(cond.kinds)} transactions; "
                             f"kind {tx.kind!r} cannot tell")
    if tx.kind not in cond.kinds:
        return Applies(False, f"a {tx.kind} is not {'/'.join(cond.kinds)}")
    return YES


def _market(cond: Conditions, tx: Transaction) -> Applies:
    if not cond.markets:
        return YES
    if tx.market is None or tx.market not in ("primary", "secondary"):
        return Applies(None, f"applies to the {'/'.join(cond.markets)} market; market not given")
    if tx.market not in cond.markets:
        return Applies(False, f"{tx.market} market is not covered")
    return YES


def _instrument(cond: Conditions, tx: Transaction) -> Applies:
    if not cond.instrument_kinds:
        return YES
    kind = _instrument_kind(tx)
    if kind is None or kind not in INSTRUMENT_KINDS:
        return Applies(None, f"applies to {'/'.join(cond.instrument_kinds)}; "
                             f"instrument kind {kind!r} cannot tell")
    if kind not in cond.instrument_kinds:
        return Applies(False, f"instrument {kind} is not {'/'.join(cond.instrument_kinds)}")
    return YES


LENDING = ("loan", "credit")


def _instrument_kind(tx: Transaction) -> str | None:
    """The instrument's kind; a loan or credit without one is a loan."""
    kind = tx.instrument.kind if tx.instrument else None
    return kind or ("loan" if tx.kind in LENDING else None)


def _issue_date(cond: Conditions, tx: Transaction) -> Applies:
    if cond.issued_after is None and cond.issued_on_or_after is None:
        return YES
    issued = tx.instrument.issue_date if tx.instrument else None
    if issued is None and tx.kind in LENDING:
        issued = tx.date  # a new loan is new debt issued on the day it is made
    if issued is None:
        return Applies(None, "instrument issue date missing")
    if cond.issued_after is not None and not issued > cond.issued_after:
        return Applies(False, f"issued {issued}, not after {cond.issued_after}")
    if cond.issued_on_or_after is not None and issued < cond.issued_on_or_after:
        return Applies(False, f"issued {issued}, before {cond.issued_on_or_after}")
    if cond.issued_before is not None and not issued < cond.issued_before:
        return Applies(False, f"issued {issued}, not before {cond.issued_before}")
    return YES


def _maturity(cond: Conditions, tx: Transaction) -> Applies:
    if cond.maturity_over_days is None:
        return YES
    instrument = tx.instrument
    kind = _instrument_kind(tx)
    if kind is not None and kind not in DEBT_KINDS:
        return YES  # the maturity limit is for debt; equity is caught without one
    days = instrument.maturity_days if instrument else None
    if days is None:
        return Applies(None, f"applies to debt of more than {cond.maturity_over_days} days' "
                             "maturity; maturity not given")
    if days <= cond.maturity_over_days:
        return Applies(False, f"maturity {days} days is not more than "
                              f"{cond.maturity_over_days}")
    return YES


def _services(cond: Conditions, tx: Transaction) -> Applies:
    if not cond.services:
        return YES
    if not tx.services:
        if tx.kind == "service":
            return Applies(None, f"applies to {', '.join(cond.services)} services; "
                                 "service category not given")
        return Applies(False, "no services are provided")
    if not set(tx.services) & set(cond.services):
        return Applies(False, f"services {', '.join(tx.services)} are not "
                              f"{', '.join(cond.services)}")
    return YES


def _direction(cond: Conditions, tx: Transaction) -> Applies:
    if not cond.directions:
        return YES
    if tx.direction is None:
        return Applies(None, f"applies to {'/'.join(cond.directions)} transactions; "
                             "direction not given")
    if tx.direction not in cond.directions:
        return Applies(False, f"an {tx.direction} transaction is not covered")
    return YES


def hs_fits(cond: Conditions, code: str | None) -> Applies:
    """Whether a good's HS code is among the rule's (prefixes)."""
    if not cond.hs_codes:
        return YES
    if code is None:
        return Applies(None, f"applies to HS {', '.join(cond.hs_codes)}; HS code not given")
    if not code.startswith(tuple(cond.hs_codes)):
        return Applies(False, f"HS {code} is not among {', '.join(cond.hs_codes)}")
    return YES


def _goods_codes(cond: Conditions, tx: Transaction) -> Applies:
    """A rule on parties limited to HS codes (an export ban): the transaction's goods.

    Goods rules (with origins) check each item's code themselves."""
    if not cond.hs_codes or cond.origins:
        return YES
    codes = [g.hs_code for g in tx.goods]
    if any(c is not None and c.startswith(tuple(cond.hs_codes)) for c in codes):
        return YES
    if None in codes or (not codes and tx.kind in ("export", "reexport")):
        return Applies(None, f"applies to goods of HS {', '.join(cond.hs_codes)}; "
                             "HS code not given")
    return Applies(False, "no goods of HS " + ", ".join(cond.hs_codes))


def price_fits(cond: Conditions, price: float | None) -> Applies:
    """Whether goods are priced above the rule's cap (``price_over``, USD per barrel)."""
    if cond.price_over is None:
        return YES
    cap = f"{cond.price_over:g}"
    if price is None:
        return Applies(None, f"the price per barrel is not given: above the cap of USD {cap} "
                             "the services are prohibited, at or below it they are allowed "
                             "with the price attested")
    if price <= cond.price_over:
        return Applies(False, f"USD {price:g} per barrel is at or below the cap of USD {cap}: "
                              "allowed, provided the price is attested (keep the attestation)")
    return Applies(True, f"USD {price:g} per barrel is above the cap of USD {cap}")


def conditions_apply(cond: Conditions, tx: Transaction) -> Applies:
    """False if any condition fails; None if none fails but some cannot be told."""
    results = [check(cond, tx) for check in (_kind, _market, _instrument, _issue_date,
                                             _maturity, _services, _direction,
                                             _goods_codes)]
    for result in results:
        if result.value is False:
            return result
    unknown = [r.why for r in results if r.value is None]
    return Applies(None, "; ".join(unknown)) if unknown else YES


def role_fits(rule: Rule, party: Party) -> Applies:
    """Whether a rule limited to roles reaches the party; None when its role cannot tell."""
    roles = rule.target.roles
    if not roles or party.role in roles:
        return YES
    if party.generic:
        return Applies(None, f"role {party.role_text!r} does not say whether the party is the "
                             f"{'/'.join(roles)} the rule reaches")
    return Applies(False, f"the rule reaches the {'/'.join(roles)}, not the {party.role_text}")
