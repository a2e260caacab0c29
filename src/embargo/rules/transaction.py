"""Transactions and parties to check, read from JSON objects (one per line).

Fatal problems (not an object, a date that is not a date) raise
:class:`ValidationError` for that item. Doubtful input that can still be
checked (an unknown kind, a missing date) is kept as an ``issue``: the
decision for such an item is at least ``review``, never a silent ``allowed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from embargo.errors import ValidationError
from embargo.rules.roles import canonical_role

KINDS = frozenset({
    "purchase", "sale", "subscription", "underwriting", "loan", "credit", "payment",
    "transfer", "fx", "deposit", "investment", "export", "reexport", "import", "trade",
    "service", "screen",
})
MARKETS = frozenset({"primary", "secondary"})
INSTRUMENT_KINDS = frozenset({
    "bond", "note", "equity", "loan", "deposit", "derivative", "fx", "commodity", "goods",
    "services", "cash", "fund",
})
ISSUER = "issuer"
DIRECTIONS = frozenset({"incoming", "outgoing"})
DEBT_KINDS = frozenset({"bond", "note", "loan", "deposit"})
SERVICES = frozenset({
    "accounting", "trust_and_corporate_formation", "management_consulting",
    "quantum_computing", "it_consultancy", "it_design", "architecture", "engineering",
    "legal", "auditing", "financial", "insurance", "investment", "shipping", "oil_price_cap",
    "maritime_transport", "telecommunications", "software", "advertising", "market_research",
    "tourism", "trading", "brokering", "commodities_brokering", "financing", "flagging",
    "customs_brokering", "technical_assistance", "other",
})


@dataclass(frozen=True, slots=True)
class Party:
    role: str  # canonical (see roles.py)
    name: str | None = None
    ids: tuple[str, ...] = ()
    address: str | None = None
    country: str | None = None
    schema: str | None = None
    label: str | None = None  # the role as given, when it differs from ``role``
    generic: bool = False  # the role does not say which part the party plays

    @property
    def role_text(self) -> str:
        return f"{self.label} ({self.role})" if self.label else self.role


@dataclass(frozen=True, slots=True)
class Instrument:
    kind: str | None = None
    issue_date: date | None = None
    currency: str | None = None
    maturity_date: date | None = None
    maturity_days: int | None = None  # given, or from issue (else transaction) to maturity date


@dataclass(frozen=True, slots=True)
class Goods:
    """Goods moved by the transaction: HS code (2 to 10 digits) and origin."""

    hs_code: str | None = None
    origin: str | None = None  # a country (name or code) or a place ("Simferopol")
    description: str | None = None
    price: float | None = None  # USD per barrel (oil price cap), when given


@dataclass(frozen=True, slots=True)
class Transaction:
    id: str
    date: date | None
    kind: str
    parties: tuple[Party, ...]
    market: str | None = None
    purpose: str | None = None
    instrument: Instrument | None = None
    jurisdiction: str | None = None  # the institution's
    issues: tuple[str, ...] = ()
    goods: tuple[Goods, ...] = ()
    services: tuple[str, ...] = ()  # service categories (see SERVICES)
    direction: str | None = None  # incoming | outgoing (for the institution's customer)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(f"{key!r} must be a string")
    text = str(value).strip()
    return text or None


def _day(data: Mapping[str, Any], key: str) -> date | None:
    text = _text(data, key)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{key!r} is not a date (YYYY-MM-DD): {text!r}") from None


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    return tuple(str(v).strip() for v in values if str(v).strip())


def _address(value: Any) -> str | None:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v) or None
    return str(value).strip() or None if value is not None else None


def parse_party(data: Any, role: str | None = None) -> Party:
    if isinstance(data, str):
        return Party(role=role or "party", name=data.strip() or None)
    if not isinstance(data, Mapping):
        raise ValidationError("a party must be an object or a name")
    party = Party(role=(role or _text(data, "role") or "party").lower(),
                  name=_text(data, "name"), ids=_ids(data.get("ids") or data.get("id")),
                  address=_address(data.get("address")), country=_text(data, "country"),
                  schema=_text(data, "schema"))
    if not party.name and not party.ids and not party.address and not party.country:
        raise ValidationError(f"party ({party.role}) has no name, ids, address or country")
    return party


def _instrument(data: Any, issues: list[str],
                tx_kind: str = "") -> tuple[Instrument | None, Party | None]:
    if data is None:
        return None, None
    if not isinstance(data, Mapping):
        raise ValidationError("'instrument' must be an object")
    kind = (_text(data, "kind") or "").lower() or ("loan" if tx_kind in ("loan", "credit")
                                                   else None)
    if kind is None:
        issues.append("instrument kind missing")
    elif kind not in INSTRUMENT_KINDS:
        issues.append(f"unknown instrument kind {kind!r}")
    issuer = parse_party(data["issuer"], ISSUER) if data.get("issuer") else None
    issued = _day(data, "issue_date")
    maturity = _day(data, "maturity_date")
    instrument = Instrument(kind=kind, issue_date=issued,
                            currency=(_text(data, "currency") or "").upper() or None,
                            maturity_date=maturity, maturity_days=_days(data, "maturity_days"))
    return instrument, issuer


def _days(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"{key!r} must be a whole number of days")
    return value


def _with_maturity(instrument: Instrument | None, day: date | None) -> Instrument | None:
    """Maturity in days from the issue date (else the transaction date) to the maturity date."""
    if instrument is None or instrument.maturity_days is not None \
            or instrument.maturity_date is None:
        return instrument
    start = instrument.issue_date or day
    if start is None:
        return instrument
    return replace(instrument, maturity_days=(instrument.maturity_date - start).days)


def _goods(data: Mapping[str, Any], issues: list[str]) -> tuple[Goods, ...]:
    raw = data.get("goods")
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        if not isinstance(item, Mapping):
            raise ValidationError("'goods' must be an object or a list of objects")
        code = "".join(ch for ch in (_text(item, "hs_code") or "") if ch.isdigit()) or None
        if code is None:
            issues.append("goods without an HS code: rules on goods cannot tell")
        elif len(code) < 2 or len(code) > 10:
            issues.append(f"HS code {code!r} is not 2 to 10 digits")
        if _text(item, "origin") is None:
            issues.append("goods without an origin: rules on the goods' origin cannot tell")
        out.append(Goods(code, _text(item, "origin"), _text(item, "description"),
                         _price(item, issues)))
    return tuple(out)


def _price(item: Mapping[str, Any], issues: list[str]) -> float | None:
    """``price_per_barrel`` (USD): a positive number; anything else is an issue (review)."""
    value = item.get("price_per_barrel")
    if value is None:
        return None
    try:
        price = float(value) if not isinstance(value, bool) else -1.0
    except (TypeError, ValueError):
        price = -1.0
    if not price > 0 or price == float("inf"):
        issues.append(f"price_per_barrel {value!r} is not a positive number (USD per barrel)")
        return None
    return price


def _services(data: Mapping[str, Any], issues: list[str]) -> tuple[str, ...]:
    raw = data.get("services")
    if raw is None:
        return ()
    values = raw if isinstance(raw, list) else [raw]
    out = tuple(str(v).strip().lower().replace(" ", "_").replace("-", "_") for v in values
                if str(v).strip())
    issues += [f"unknown service category {v!r}" for v in out if v not in SERVICES]
    return out


def _direction(data: Mapping[str, Any], issues: list[str]) -> str | None:
    direction = (_text(data, "direction") or "").lower() or None
    if direction is not None and direction not in DIRECTIONS:
        issues.append(f"unknown direction {direction!r} (incoming or outgoing)")
        return None
    return direction


def _kind(data: Mapping[str, Any], issues: list[str]) -> str:
    kind = (_text(data, "kind") or "").lower()
    if not kind:
        return "screen"
    if kind not in KINDS:
        issues.append(f"unknown transaction kind {kind!r}")
    return kind


def _market(data: Mapping[str, Any], issues: list[str]) -> str | None:
    market = (_text(data, "market") or "").lower() or None
    if market is not None and market not in MARKETS:
        issues.append(f"unknown market {market!r} (primary or secondary)")
    return market


def _with_role(party: Party, kind: str, issues: list[str]) -> Party:
    role = canonical_role(party.role, kind)
    if not role.known:
        issues.append(f"unknown party role {role.label!r}: a rule limited to some roles cannot "
                      "tell whether it reaches this party (see the role vocabulary in "
                      "docs/rules.md)")
    label = role.label if _norm_label(role.label) != role.canonical else None
    return replace(party, role=role.canonical, label=label, generic=role.generic)


def _norm_label(label: str) -> str:
    return label.strip().lower()


def _parties(data: Mapping[str, Any]) -> list[Party]:
    raw = data.get("parties")
    if raw is None:
        return [parse_party(data)] if any(data.get(k) for k in ("name", "address")) else []
    if not isinstance(raw, list):
        raise ValidationError("'parties' must be a list")
    return [parse_party(p) for p in raw]


def _jurisdiction(data: Mapping[str, Any]) -> str | None:
    institution = data.get("institution")
    if institution is None:
        return None
    if not isinstance(institution, Mapping):
        raise ValidationError("'institution' must be an object")
    return (_text(institution, "jurisdiction") or "").lower() or None


def parse_transaction(data: Any, default_id: str) -> Transaction:
    """One item; ValidationError when it cannot be checked at all."""
    if not isinstance(data, Mapping):
        raise ValidationError("item is not a JSON object")
    issues: list[str] = []
    kind = _kind(data, issues)
    instrument, issuer = _instrument(data.get("instrument"), issues, kind)
    parties = [_with_role(p, kind, issues) for p in _parties(data) + ([issuer] if issuer else [])]
    if not parties:
        raise ValidationError("no parties (give 'parties', or 'name' for a single party)")
    day = _day(data, "date")
    if day is None and kind != "screen":
        issues.append("transaction date missing")
    jurisdiction = _jurisdiction(data)
    if jurisdiction is None and kind != "screen":
        issues.append("institution jurisdiction missing")
    return Transaction(id=_text(data, "id") or default_id, date=day, kind=kind,
                       parties=tuple(parties), market=_market(data, issues),
                       purpose=(_text(data, "purpose") or "").lower() or None,
                       instrument=_with_maturity(instrument, day), jurisdiction=jurisdiction,
                       goods=_goods(data, issues), services=_services(data, issues),
                       direction=_direction(data, issues), issues=tuple(issues))
