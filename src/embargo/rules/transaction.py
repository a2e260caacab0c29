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


def _instrument(data: Any, issues: list[str]) -> tuple[Instrument | None, Party | None]:
    if data is None:
        return None, None
    if not isinstance(data, Mapping):
        raise ValidationError("'instrument' must be an object")
    kind = (_text(data, "kind") or "").lower() or None
    if kind is None:
        issues.append("instrument kind missing")
    elif kind not in INSTRUMENT_KINDS:
        issues.append(f"unknown instrument kind {kind!r}")
    issuer = parse_party(data["issuer"], ISSUER) if data.get("issuer") else None
    instrument = Instrument(kind=kind, issue_date=_day(data, "issue_date"),
                            currency=(_text(data, "currency") or "").upper() or None)
    return instrument, issuer


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
    instrument, issuer = _instrument(data.get("instrument"), issues)
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
                       instrument=instrument, jurisdiction=jurisdiction, issues=tuple(issues))
