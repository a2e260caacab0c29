"""Reading the input fields issue 16 added: goods, services, maturity, direction, roles."""

from __future__ import annotations

import pytest

from embargo.errors import ValidationError
from embargo.rules.transaction import parse_transaction


def tx(**fields: object) -> dict[str, object]:
    return {"id": "t", "date": "2022-04-01", "kind": "payment",
            "institution": {"jurisdiction": "us"}, "parties": [{"role": "payee", "name": "A"}],
            **fields}


def test_maturity_from_issue_to_maturity_date() -> None:
    item = parse_transaction(tx(kind="purchase", instrument={
        "kind": "bond", "issue_date": "2022-03-26", "maturity_date": "2022-04-10"}), "1")
    assert item.instrument is not None and item.instrument.maturity_days == 15


def test_maturity_of_a_loan_runs_from_its_date_and_its_kind_is_loan() -> None:
    item = parse_transaction(tx(kind="loan", instrument={"maturity_date": "2022-05-01"}), "1")
    assert item.instrument is not None
    assert (item.instrument.kind, item.instrument.maturity_days) == ("loan", 30)
    assert not item.issues


@pytest.mark.parametrize(("fields", "issue"), [
    ({"goods": {"origin": "RU"}}, "without an HS code"),
    ({"goods": [{"hs_code": "2709"}]}, "without an origin"),
    ({"goods": {"hs_code": "1", "origin": "RU"}}, "is not 2 to 10 digits"),
    ({"services": ["astrology"]}, "unknown service category"),
    ({"direction": "sideways"}, "unknown direction"),
    ({"parties": [{"role": "zorblax", "name": "A"}]}, "unknown party role"),
])
def test_doubtful_fields_are_issues(fields: dict[str, object], issue: str) -> None:
    item = parse_transaction(tx(**fields), "1")
    assert any(issue in i for i in item.issues), item.issues


def test_goods_services_direction_are_read() -> None:
    item = parse_transaction(tx(goods=[{"hs_code": "2709.00.20", "origin": "Russia"}],
                                services=["Management consulting"], direction="Outgoing"), "1")
    assert item.goods[0].hs_code == "27090020" and item.goods[0].origin == "Russia"
    assert item.services == ("management_consulting",)
    assert item.direction == "outgoing"
    assert not item.issues


@pytest.mark.parametrize(("role", "kind", "canonical"), [
    ("debtor", "loan", "borrower"), ("debtor", "payment", "originator"),
    ("Ordering Party", "payment", "originator"), ("counterparty", "credit", "borrower"),
    ("counterparty", "payment", "counterparty"), ("creditor", "loan", "lender"),
    ("creditor", "payment", "beneficiary"), ("correspondent bank", "payment", "intermediary"),
])
def test_roles_are_canonical(role: str, kind: str, canonical: str) -> None:
    item = parse_transaction(tx(kind=kind, parties=[{"role": role, "name": "A"}]), "1")
    assert item.parties[0].role == canonical


def test_maturity_days_must_be_a_number() -> None:
    with pytest.raises(ValidationError):
        parse_transaction(tx(kind="loan", instrument={"maturity_days": "soon"}), "1")
