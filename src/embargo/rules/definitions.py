"""Rules and licences as data: one TOML file each, with citation, dates and scope.

A rule says which listed parties (or regions) it targets, under which
conditions of a transaction it applies, for institutions of which
jurisdictions, between which dates, and with what effect. A licence (general
licence or waiver) lifts the prohibitions of named rules or programmes for a
scope and a period. Adding a directive means adding a file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from embargo.errors import ConfigError
from embargo.ownership.fifty import Threshold

EFFECTS = frozenset({"prohibited", "review"})
TARGETS = frozenset({"listing", "directive", "region", "party", "goods"})
LICENCE_KINDS = frozenset({"general_licence", "specific_licence", "waiver", "exemption"})
LICENCE_EFFECTS = frozenset({"allowed", "review"})  # review: scope not settled (``doubt``)


@dataclass(frozen=True, slots=True)
class DirectiveRef:
    authority: str  # "EO 14024"
    names: tuple[str, ...]  # ("Directive 1", "Directive 1A")


@dataclass(frozen=True, slots=True)
class Target:
    """Whom a rule is about. Empty tuples mean "any"."""

    kind: str  # listing | directive | region | party (named in the measure) | goods
    lists: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    directives: tuple[DirectiveRef, ...] = ()
    regions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    ownership: Threshold | None = None  # the 50% rule extends the rule to owned entities
    names: tuple[str, ...] = ()  # kind "party": the parties the measure names
    ids: tuple[str, ...] = ()  # kind "party": their identifiers (BIC, OGRN, list ids)


@dataclass(frozen=True, slots=True)
class Conditions:
    """What the transaction must be for the rule to apply. Empty means "any"."""

    kinds: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    instrument_kinds: tuple[str, ...] = ()
    issued_after: date | None = None  # strictly after
    issued_on_or_after: date | None = None
    issued_before: date | None = None  # strictly before
    maturity_over_days: int | None = None  # debt: applies when maturity is longer
    hs_codes: tuple[str, ...] = ()  # goods: HS code prefixes
    origins: tuple[str, ...] = ()  # goods: origin countries (ISO codes) or region ids
    services: tuple[str, ...] = ()  # service categories
    directions: tuple[str, ...] = ()  # incoming | outgoing
    price_over: float | None = None  # goods: applies above this price (USD per barrel)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    version: int
    title: str
    authority: str
    citation: str
    effect: str
    target: Target
    when: Conditions = field(default_factory=Conditions)
    jurisdictions: tuple[str, ...] = ("*",)
    effective_from: date | None = None
    effective_until: date | None = None  # last day in force
    url: str | None = None
    notes: str | None = None

    def in_force(self, day: date) -> bool:
        return _within(day, self.effective_from, self.effective_until)


@dataclass(frozen=True, slots=True)
class Licence:
    id: str
    version: int
    kind: str
    title: str
    authority: str
    citation: str
    effective_from: date | None
    effective_until: date | None
    rules: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    party_names: tuple[str, ...] = ()
    party_ids: tuple[str, ...] = ()
    owned: bool = False  # also covers entities owned by the named parties (50% rule)
    jurisdictions: tuple[str, ...] = ("*",)
    issued_before: date | None = None  # covers only debt/equity issued strictly before
    url: str | None = None
    notes: str | None = None
    effect: str = "allowed"  # "review": the licence may lift the prohibition (see ``doubt``)
    doubt: str | None = None  # what could not be settled about the licence's scope

    def in_force(self, day: date) -> bool:
        return _within(day, self.effective_from, self.effective_until)

    @property
    def certain(self) -> bool:
        """Whether a transaction in scope is allowed (else it may be: ``review``)."""
        return self.effect == "allowed"


@dataclass(frozen=True, slots=True)
class Rulebook:
    rules: tuple[Rule, ...]
    licences: tuple[Licence, ...] = ()

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def only(self, *rule_ids: str) -> Rulebook:
        """The same book with only the named rules (for tests and what-if checks)."""
        return Rulebook(tuple(self.rule(r) for r in rule_ids), self.licences)


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


class _Reader:
    """Typed access to one file's table, with errors naming the file and key."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def fail(self, message: str) -> ConfigError:
        return ConfigError(f"{self.where}: {message}")

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key!r} must be a non-empty string")
        return value.strip()

    def req(self, key: str) -> str:
        value = self.text(key)
        assert value is not None
        return value

    def strings(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key!r} must be a list of strings")
        return tuple(value)

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(f"{key!r} is not a date: {value!r}") from None

    def one_of(self, key: str, allowed: frozenset[str]) -> str:
        value = self.req(key)
        if value not in allowed:
            raise self.fail(f"{key!r} must be one of {', '.join(sorted(allowed))}, not {value!r}")
        return value

    def table(self, key: str) -> _Reader:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(f"[{key}] must be a table")
        return _Reader(value, f"{self.where} [{key}]")

    def version(self) -> int:
        value = self.data.get("version")
        if not isinstance(value, int) or value < 1:
            raise self.fail("'version' must be a positive integer")
        return value


def _threshold(r: _Reader) -> Threshold | None:
    value = r.data.get("ownership")
    if value is None or value is False:
        return None
    if value is True:
        return Threshold()
    if not isinstance(value, dict):
        raise r.fail("'ownership' must be true, false or a table")
    return Threshold(float(value.get("percent", 50)), bool(value.get("inclusive", True)),
                     bool(value.get("aggregate", True)))


def _directives(r: _Reader) -> tuple[DirectiveRef, ...]:
    out = []
    for item in r.data.get("directives", []):
        sub = _Reader(item, f"{r.where} directive")
        out.append(DirectiveRef(sub.req("authority"), sub.strings("names")))
    return tuple(out)


def _target(r: _Reader) -> Target:
    return Target(kind=r.one_of("kind", TARGETS), lists=r.strings("lists"),
                  authorities=r.strings("authorities"), measures=r.strings("measures"),
                  programmes=r.strings("programmes"), directives=_directives(r),
                  regions=r.strings("regions"), roles=r.strings("roles"),
                  ownership=_threshold(r), names=r.strings("names"), ids=r.strings("ids"))


def _conditions(r: _Reader) -> Conditions:
    return Conditions(kinds=r.strings("kinds"), markets=r.strings("markets"),
                      instrument_kinds=r.strings("instrument_kinds"),
                      issued_after=r.day("issued_after"),
                      issued_on_or_after=r.day("issued_on_or_after"),
                      issued_before=r.day("issued_before"),
                      maturity_over_days=_int(r, "maturity_over_days"),
                      hs_codes=r.strings("hs_codes"),
                      origins=tuple(o.lower() for o in r.strings("origins")),
                      services=r.strings("services"), directions=r.strings("directions"),
                      price_over=_price(r, "price_over"))


def _price(r: _Reader, key: str) -> float | None:
    value = r.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise r.fail(f"{key!r} must be a positive number (USD per barrel)")
    return float(value)


def _int(r: _Reader, key: str) -> int | None:
    value = r.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise r.fail(f"{key!r} must be a whole number")
    return value


def parse_rule(data: Mapping[str, Any], where: str) -> Rule:
    r = _Reader(data, where)
    target = _target(r.table("target"))
    if target.kind == "directive" and not target.directives:
        raise r.fail("a directive rule needs [[target.directives]]")
    if target.kind == "region" and not target.regions:
        raise r.fail("a region rule needs target.regions")
    if target.kind == "party" and not (target.names or target.ids):
        raise r.fail("a party rule needs target.names or target.ids")
    if target.kind == "goods" and not r.table("when").data.get("origins"):
        raise r.fail("a goods rule needs when.origins")
    return Rule(id=r.req("id"), version=r.version(), title=r.req("title"),
                authority=r.req("authority"), citation=r.req("citation"),
                effect=r.one_of("effect", EFFECTS), target=target,
                when=_conditions(r.table("when")), jurisdictions=r.strings("jurisdictions", ("*",)),
                effective_from=r.day("effective_from"), effective_until=r.day("effective_until"),
                url=r.text("url", False), notes=r.text("notes", False))


def parse_licence(data: Mapping[str, Any], where: str) -> Licence:
    r = _Reader(data, where)
    scope = r.table("scope")
    licence = Licence(
        id=r.req("id"), version=r.version(), kind=r.one_of("kind", LICENCE_KINDS),
        title=r.req("title"), authority=r.req("authority"), citation=r.req("citation"),
        effective_from=r.day("effective_from"), effective_until=r.day("effective_until"),
        rules=scope.strings("rules"), programmes=scope.strings("programmes"),
        kinds=scope.strings("kinds"), purposes=scope.strings("purposes"),
        party_names=scope.strings("party_names"), party_ids=scope.strings("party_ids"),
        owned=bool(scope.data.get("owned", False)),
        jurisdictions=r.strings("jurisdictions", ("*",)), url=r.text("url", False),
        notes=r.text("notes", False), issued_before=scope.day("issued_before"),
        effect=r.one_of("effect", LICENCE_EFFECTS) if "effect" in data else "allowed",
        doubt=r.text("doubt", False))
    if not licence.rules and not licence.programmes:
        raise r.fail("a licence must name the rules or programmes it lifts")
    if licence.certain == bool(licence.doubt):
        raise r.fail("a licence with effect 'review' says why in 'doubt' (and only then)")
    return licence


def _load(files: Iterable[Traversable | Path]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for file in sorted(files, key=lambda f: f.name):
        if not file.name.endswith(".toml"):
            continue
        try:
            out.append((file.name, tomllib.loads(file.read_text(encoding="utf-8"))))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file.name}: cannot read: {exc}") from None
    return out


def build_rulebook(rule_files: Iterable[Traversable | Path],
                   licence_files: Iterable[Traversable | Path] = ()) -> Rulebook:
    rules = tuple(parse_rule(d, n) for n, d in _load(rule_files))
    licences = tuple(parse_licence(d, n) for n, d in _load(licence_files))
    _check_ids(rules, licences)
    return Rulebook(rules, licences)


def _check_ids(rules: tuple[Rule, ...], licences: tuple[Licence, ...]) -> None:
    ids = [r.id for r in rules] + [lic.id for lic in licences]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"duplicate rule/licence ids: {', '.join(dupes)}")
    known = {r.id for r in rules}
    for licence in licences:
        missing = [r for r in licence.rules if r not in known]
        if missing:
            raise ConfigError(f"licence {licence.id} lifts unknown rule(s) {', '.join(missing)}")


def load_rulebook(folder: Path | str) -> Rulebook:
    """Rules from ``folder/rules/*.toml`` and licences from ``folder/licences/*.toml``."""
    base = Path(folder)
    return build_rulebook((base / "rules").glob("*.toml"), (base / "licences").glob("*.toml"))


@cache
def default_rulebook() -> Rulebook:
    """The rules and licences shipped with Embargo."""
    base = resources.files("embargo.rules") / "data"
    return build_rulebook((base / "rules").iterdir(), (base / "licences").iterdir())
