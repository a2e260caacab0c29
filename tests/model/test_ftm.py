"""Tests for the Entity <-> FollowTheMoney mapping (embargo.model.ftm)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from followthemoney import EntityProxy
from followthemoney import model as ftm_model
from followthemoney.cli.util import binary_entities
from hypothesis import given
from hypothesis import strategies as st

from embargo.errors import ValidationError
from embargo.model import (
    Address,
    Directive,
    Entity,
    FuzzyDate,
    Identifier,
    IdKind,
    Link,
    Name,
    NameKind,
    Note,
    Program,
    Schema,
)
from embargo.model.ftm import from_ftm, is_original_script
from embargo.model.ftm_export import ftm_id, id_prop, to_ftm, to_ftm_graph, write_ftm_lines
from embargo.sources.ftm import FtmParser

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ftm"


def _person(**props: list[str]) -> dict[str, Any]:
    return {"id": "x-1", "schema": "Person", "properties": props}


def _key(e: Entity) -> tuple[Any, ...]:
    """What a round trip must keep."""
    return ([(n.full, n.kind) for n in e.names], e.birth_dates, e.countries,
            [(i.kind, i.value) for i in e.identifiers])


# --- reading -----------------------------------------------------------------

@pytest.mark.parametrize(("schema", "expected"), [
    ("Person", Schema.PERSON), ("Company", Schema.COMPANY), ("Organization", Schema.ORGANIZATION),
    ("PublicBody", Schema.ORGANIZATION), ("LegalEntity", Schema.LEGAL_ENTITY),
    ("Vessel", Schema.VESSEL), ("Airplane", Schema.AIRPLANE),
    ("Sanction", None), ("Address", None), ("Ownership", None), ("Passport", None),
    ("Identification", None), ("Family", None), ("Payment", None), ("Occupancy", None),
    ("Position", None),
])
def test_schema_mapping(schema: str, expected: Schema | None) -> None:
    entity = from_ftm({"id": "e-1", "schema": schema, "properties": {"name": ["N"]}}, "src")
    assert (entity.schema if entity else None) == expected


def test_unknown_schema_is_an_error() -> None:
    with pytest.raises(ValidationError):
        from_ftm({"id": "e-1", "schema": "Spaceship", "properties": {}}, "src")


def test_names_and_kinds() -> None:
    data = _person(name=["Ivan PETROV", "Иван ПЕТРОВ"], alias=["Vanya Petrov"],
                   weakAlias=["Vanya"], previousName=["Ivan SIDOROV"])
    data["caption"] = "Иван ПЕТРОВ"
    entity = from_ftm(data, "src")
    assert entity is not None
    assert [(n.full, n.kind, n.original_script) for n in entity.names] == [
        ("Иван ПЕТРОВ", NameKind.PRIMARY, True), ("Ivan PETROV", NameKind.ALIAS, False),
        ("Vanya Petrov", NameKind.ALIAS, False), ("Vanya", NameKind.WEAK, False),
        ("Ivan SIDOROV", NameKind.FORMER, False)]
    assert entity.id == "x-1" and entity.native_id == "x-1" and entity.source == "src"


@pytest.mark.parametrize(("props", "given", "family", "leftover"), [
    ({"firstName": ["Ivan"], "lastName": ["Petrov"]}, "Ivan", "Petrov", ()),
    ({"firstName": ["Ivan", "Иван"], "lastName": ["Petrov"]}, None, "Petrov", ("firstName",)),
    ({"firstName": ["Oleg"], "lastName": ["Petrov"]}, None, "Petrov", ("firstName",)),
    ({"firstName": ["Iv"]}, None, None, ("firstName",)),  # not a whole word of the name
])
def test_name_parts_only_when_unambiguous(props: dict[str, list[str]], given: str | None,
                                          family: str | None, leftover: tuple[str, ...]) -> None:
    entity = from_ftm(_person(name=["Ivan Petrov"], **props), "src")
    assert entity is not None
    primary = entity.names[0]
    assert (primary.given, primary.family) == (given, family)
    assert tuple(k for k, _ in entity.properties) == leftover


def test_facts() -> None:
    entity = from_ftm(_person(
        name=["A B"], birthDate=["1962-05-03", "1964"], birthPlace=["Kyiv"], nationality=["ua"],
        citizenship=["ru"], country=["ua"], jurisdiction=["cy"], gender=["female"],
        address=["1 Main St,  Kyiv"], position=["Minister"], createdAt=["2022-03-01"],
        modifiedAt=["2023-01-01", "2023-06-01"], notes=["Some note."], summary=["Summary."],
        programId=["EU-UKR"], program=["RUSSIA-EO"], topics=["sanction"],
        passportNumber=["P1"], taxNumber=["T1"], innCode=["770000000000"], phone=["+380441234567"],
        deathDate=["2020"]), "src")
    assert entity is not None
    assert entity.birth_dates == (FuzzyDate("1962-05-03"), FuzzyDate("1964"))
    assert (entity.birth_places, entity.nationalities, entity.citizenships) == (
        ("Kyiv",), ("ua",), ("ru",))
    assert entity.countries == ("ua", "cy") and entity.gender == "female"
    assert entity.addresses == (Address(full="1 Main St, Kyiv"),)
    assert entity.positions == ("Minister",)
    assert (entity.listed_on, entity.modified_on) == ("2022-03-01", "2023-06-01")
    assert entity.remarks == "Some note.\nSummary."
    assert entity.programs == (Program("EU-UKR", "EU-UKR"), Program("RUSSIA-EO", "RUSSIA-EO14024"))
    assert Note("topics", "sanction") in entity.notes
    assert [(i.kind, i.value, i.label) for i in entity.identifiers] == [
        (IdKind.PASSPORT, "P1", "passportNumber"), (IdKind.TAX_ID, "T1", "taxNumber"),
        (IdKind.TAX_ID, "770000000000", "innCode"), (IdKind.PHONE, "+380441234567", "phone")]
    assert entity.prop("deathDate") == ("2020",)


def test_nameless_party_is_skipped() -> None:
    assert from_ftm(_person(birthDate=["1960"]), "src") is None


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30))
def test_ascii_is_never_original_script(text: str) -> None:
    assert not is_original_script(text)


@given(st.text(alphabet=st.sampled_from("АБВГДЕЖЗИКЛМНОПабвгдежзиклмноп ابتثجحخ"), min_size=1)
       .filter(lambda s: s.strip()))
def test_cyrillic_and_arabic_are_original_script(text: str) -> None:
    assert is_original_script(text)


# --- writing -------------------------------------------------------------------

OFAC_LIKE = Entity(
    id="ofac-sdn:36", source="ofac-sdn", native_id="36", schema=Schema.PERSON,
    names=(Name("Ivan PETROV", given="Ivan", family="PETROV"),
           Name("Иван Петров", NameKind.ALIAS, original_script=True),
           Name("Vanya", NameKind.WEAK), Name("Ivan SIDOROV", NameKind.FORMER)),
    birth_dates=(FuzzyDate("1962-05"),), birth_places=("Moscow",), nationalities=("ru",),
    countries=("ru",), gender="male", addresses=(Address(street="1 Tverskaya", city="Moscow"),),
    identifiers=(Identifier(IdKind.PASSPORT, "720123456", "ru", "Passport"),
                 Identifier(IdKind.TAX_ID, "7701234567", label="INN"),
                 Identifier(IdKind.CRYPTO, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", label="XBT"),
                 Identifier(IdKind.OTHER, "ABC-1", label="Registration ID")),
    programs=(Program("RUSSIA-EO14024", "RUSSIA-EO14024"),),
    directives=(Directive("EO 14024", "Directive 1A"),),
    links=(Link("linked_to", "ACME LLC"), Link("owns", "ACME LLC", "ofac-sdn:37")),
    notes=(Note("ownership:ofac-sdn:37", "51"), Note("Title", "General")),
    positions=("Director",), listed_on="2022-03-01", remarks="Remark one.",
)


def test_to_ftm_is_valid_ftm() -> None:
    proxy = to_ftm(OFAC_LIKE)
    data = proxy.to_dict()
    assert data["id"] == "ofac-sdn-36" and data["schema"] == "Person"
    assert data["datasets"] == ["ofac-sdn"] and data["caption"] == "Ivan PETROV"
    props = data["properties"]
    assert set(props) <= set(ftm_model["Person"].properties)
    reread = ftm_model.get_proxy(data, cleaned=False)  # FtM's own validation
    assert reread.get("name") == ["Ivan PETROV"] and reread.get("firstName") == ["Ivan"]
    assert props["passportNumber"] == ["720123456"] and props["taxNumber"] == ["7701234567"]
    assert props["idNumber"] == ["ABC-1"] and props["weakAlias"] == ["Vanya"]
    assert props["program"] == ["RUSSIA-EO14024"] and props["createdAt"] == ["2022-03-01"]
    notes = props["notes"]
    assert "Remark one." in notes and "Title: General" in notes
    assert "Directive: EO 14024 Directive 1A" in notes and "linked_to: ACME LLC" in notes


def test_graph_adds_wallets_and_relations() -> None:
    party, *rest = to_ftm_graph(OFAC_LIKE)
    by_schema = {p.schema.name: p for p in rest}
    assert set(by_schema) == {"CryptoWallet", "Ownership"}
    assert by_schema["CryptoWallet"].get("holder") == [party.id]
    ownership = by_schema["Ownership"]
    assert ownership.get("owner") == ["ofac-sdn-36"] and ownership.get("asset") == ["ofac-sdn-37"]
    assert ownership.get("percentage") == ["51"]


@pytest.mark.parametrize("kind", list(IdKind))
@pytest.mark.parametrize("schema", list(Schema))
def test_identifier_kinds_survive_or_go_to_notes(kind: IdKind, schema: Schema) -> None:
    entity = Entity(id="e", source="s", native_id="e", schema=schema, names=(Name("N"),),
                    identifiers=(Identifier(kind, "V-1"),))
    proxy = to_ftm(entity)
    back = from_ftm(proxy, "s")
    assert back is not None
    if kind is IdKind.CRYPTO:
        assert back.identifiers == ()
    elif id_prop(proxy.schema, entity.identifiers[0]) is not None:
        assert [i.value for i in back.identifiers] == ["V-1"]
    else:
        assert back.identifiers == () and f"{kind}: V-1" in (back.remarks or "")


def test_ftm_id() -> None:
    assert ftm_id("NK-abc") == "NK-abc" and ftm_id("Q4365364") == "Q4365364"
    assert ftm_id("ofac-sdn:36") == "ofac-sdn-36" and ftm_id("un:QDi.001") == "un-QDi.001"


# --- round trips ------------------------------------------------------------------

def _parsed(path: Path) -> list[Entity]:
    out: list[Entity] = []
    for pl in FtmParser().parse(path):
        out.extend(pl.entities)
        out.extend(op.entity for op in pl.delta or [] if op.entity is not None)
    return out


@pytest.mark.shared
@pytest.mark.parametrize("dataset", ["parteispenden", "zala", "t1", "t2"])
def test_round_trip_shared(lists_dir: Path, dataset: str) -> None:
    entities = _parsed(lists_dir / "opensanctions-ftm" / dataset)
    assert entities
    for entity in entities:
        back = from_ftm(to_ftm(entity), entity.source)
        assert back is not None and back.id == entity.id
        assert _key(back) == _key(entity), entity.id


def test_write_lines_reread_by_ftm_and_parser(tmp_path: Path) -> None:
    entities = next(FtmParser().parse(FIXTURES / "mini")).entities
    out = io.BytesIO()
    count = write_ftm_lines(entities, out)
    lines = out.getvalue().splitlines()
    assert count == len(lines) > len(entities)  # + wallet and relation entities
    assert all(line.startswith(b'{"id":') for line in lines)
    proxies = list(binary_entities(io.BytesIO(out.getvalue()), EntityProxy, cleaned=False))
    assert len(proxies) == count and {p.id for p in proxies} >= {e.id for e in entities}
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "entities.ftm.json").write_bytes(out.getvalue())
    (release,) = FtmParser().parse(folder)
    assert release.source == "export"
    reread = {e.id: e for e in release.entities}
    for entity in entities:
        assert _key(reread[entity.id]) == _key(entity), entity.id
    ownership = {(link.relation, link.target_id) for link in reread["p-1"].links}
    assert ("owns", "c-1") in ownership
