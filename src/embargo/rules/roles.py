"""The party-role vocabulary: canonical roles, their synonyms, and roles a kind implies.

Rules limited to roles (Directive 1's lending rule reaches the *borrower*, the bond rules
the *issuer*) compare canonical roles, so ``debtor`` or ``obligor`` on a loan is the
borrower. A generic role (``counterparty``, ``party``, ``customer``) on a loan or credit
is the borrower (the institution lends); elsewhere it may be any role, so a role-limited
rule that reaches it gives ``review``, never a silent ``allowed``. A role not in the
vocabulary is reported (``review``) and treated like a generic one (it may be any role).
"""

from __future__ import annotations

from dataclasses import dataclass

LENDING_KINDS = frozenset({"loan", "credit"})
GENERIC = frozenset({"party", "counterparty", "customer", "client"})

# canonical role -> synonyms (lower case, spaces or underscores alike)
VOCABULARY: dict[str, tuple[str, ...]] = {
    "party": (),
    "counterparty": ("counter party", "contracting party", "other party"),
    "customer": ("account holder",),
    "client": (),
    "borrower": ("loan recipient", "borrowing party"),
    "lender": ("creditor bank", "lending bank"),
    "guarantor": ("surety",),
    "issuer": ("bond issuer", "issuing entity", "emitter", "issuer of securities"),
    "originator": ("ordering party", "ordering customer", "payer", "payor", "remitter",
                   "sender", "orderer", "applicant", "transferor", "drawer"),
    "beneficiary": ("payee", "recipient", "receiver", "transferee",
                    "ultimate beneficiary", "beneficiary customer", "drawee"),
    "ultimate_originator": ("ultimate debtor", "ultimate ordering party"),
    "intermediary": ("intermediary bank", "correspondent", "correspondent bank",
                     "agent", "agent bank", "bank", "ordering bank", "beneficiary bank",
                     "originator bank", "sending bank", "receiving bank", "account with bank",
                     "instructing agent", "instructed agent", "debtor agent", "creditor agent",
                     "clearing bank", "paying agent", "custodian", "depositary", "broker",
                     "dealer", "underwriter", "arranger", "bookrunner"),
    "buyer": ("purchaser", "importer", "consignee", "end user", "end-user", "investor",
              "subscriber", "holder", "acquirer"),
    "seller": ("vendor", "supplier", "exporter", "consignor", "shipper", "manufacturer",
               "producer"),
    "carrier": ("vessel", "ship", "aircraft", "airline", "shipping company", "freight forwarder",
                "forwarder", "operator", "charterer", "ship owner", "shipowner",
                "notify party"),
    "owner": ("shareholder", "parent", "beneficial owner", "ubo", "controller"),
    "director": ("officer", "manager", "signatory", "representative"),
    "target": ("investee", "joint venture", "subsidiary"),
}
# synonyms whose meaning depends on the transaction: a debtor owes on a loan (borrower),
# but pays in a payment message (ISO 20022: debtor = payer)
BY_KIND: dict[str, tuple[str, str]] = {
    "debtor": ("borrower", "originator"),
    "obligor": ("borrower", "originator"),
    "creditor": ("lender", "beneficiary"),
}
_SYNONYMS = {syn: role for role, syns in VOCABULARY.items() for syn in (role, *syns)}


@dataclass(frozen=True, slots=True)
class Role:
    """A party's role as given (``label``) and as understood (``canonical``)."""

    label: str
    canonical: str
    known: bool = True

    @property
    def generic(self) -> bool:
        return self.canonical in GENERIC or not self.known


def _key(label: str) -> str:
    return " ".join(label.replace("_", " ").replace("-", " ").split()).casefold()


def canonical_role(label: str | None, kind: str | None = None) -> Role:
    """The canonical role of a label on a transaction of ``kind``."""
    text = (label or "party").strip() or "party"
    key = _key(text)
    lending = kind in LENDING_KINDS
    if key in BY_KIND:
        return Role(text, BY_KIND[key][0 if lending else 1])
    found = _SYNONYMS.get(key) or _SYNONYMS.get(key.replace(" ", "_"))
    if found is None:
        return Role(text, key, known=False)
    if found in GENERIC and lending:
        return Role(text, "borrower")
    return Role(text, found)


def known_roles() -> list[str]:
    """Every role and synonym understood, for documentation and error messages."""
    return sorted(set(_SYNONYMS) | set(BY_KIND))
