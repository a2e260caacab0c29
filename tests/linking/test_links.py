"""Linking entries of different lists: UN references, identifiers, names with dates."""

from __future__ import annotations

from embargo.linking import Links, link_entities
from embargo.model.entity import Entity, FuzzyDate, Identifier, IdKind, Name, NameKind, Schema


def entity(eid: str, names: tuple[str, ...], schema: Schema = Schema.ORGANIZATION,
           **fields: object) -> Entity:
    source, native = eid.split(":", 1)
    return Entity(id=eid, source=source, native_id=native, schema=schema,
                  names=tuple(Name(n, NameKind.PRIMARY if i == 0 else NameKind.ALIAS)
                              for i, n in enumerate(names)), **fields)  # type: ignore[arg-type]


def test_un_reference_quoted_in_remarks() -> None:
    un = entity("un:QDe.004", ("AL-QAIDA",))
    sdn = entity("ofac-sdn:6366", ("AL QA'IDA",), remarks="UN Ref QDe.004")
    links = link_entities([un, sdn])
    assert [link.other for link in links.linked("un:QDe.004")] == ["ofac-sdn:6366"]
    assert "QDe.004" in links.linked("ofac-sdn:6366")[0].why


def test_shared_strong_identifier_links_but_a_short_one_does_not() -> None:
    a = entity("ofac-sdn:1", ("MV ONE",), Schema.VESSEL,
               identifiers=(Identifier(IdKind.IMO, "IMO 9123456"),))
    b = entity("uk-ofsi:2", ("ONE",), Schema.VESSEL,
               identifiers=(Identifier(IdKind.IMO, "9123456"),))
    c = entity("un:XYe.001", ("OTHER",), identifiers=(Identifier(IdKind.REGISTRATION, "123"),))
    d = entity("eu:9", ("ANOTHER",), identifiers=(Identifier(IdKind.REGISTRATION, "123"),))
    links = link_entities([a, b, c, d])
    assert links.group("ofac-sdn:1") == {"ofac-sdn:1", "uk-ofsi:2"}
    assert links.group("un:XYe.001") == {"un:XYe.001"}


def test_person_needs_name_and_full_birth_date() -> None:
    a = entity("un:QDi.1", ("SAEED, Muhammad",), Schema.PERSON,
               birth_dates=(FuzzyDate("1950-06-05"),))
    b = entity("ofac-sdn:2", ("Muhammad SAEED",), Schema.PERSON,
               birth_dates=(FuzzyDate("1950-06-05"),))
    c = entity("uk-ofsi:3", ("SAEED, Muhammad",), Schema.PERSON,
               birth_dates=(FuzzyDate("1961-01-01"),))
    links = link_entities([a, b, c])
    assert links.group("un:QDi.1") == {"un:QDi.1", "ofac-sdn:2"}


def test_organisation_needs_two_names_or_a_country() -> None:
    un = entity("un:KPe.001", ("KOREA MINING DEVELOPMENT TRADING CORPORATION", '"KOMID"'))
    sdn = entity("ofac-sdn:9345", ("KOREA MINING DEVELOPMENT TRADING CORPORATION", "KOMID"))
    lone = entity("uk-ofsi:5", ("KOREA MINING DEVELOPMENT TRADING CORPORATION",))
    links = link_entities([un, sdn, lone])
    assert links.group("un:KPe.001") == {"un:KPe.001", "ofac-sdn:9345"}


def test_entries_of_one_list_are_not_linked() -> None:
    a = entity("ofac-sdn:1", ("A",), identifiers=(Identifier(IdKind.LEI, "LEI0000000001"),))
    b = entity("ofac-sdn:2", ("B",), identifiers=(Identifier(IdKind.LEI, "LEI0000000001"),))
    c = entity("ofac-cons:1", ("A",))  # OFAC numbers a party once across its lists
    links = link_entities([a, b, c])
    assert links.group("ofac-cons:1") == {"ofac-cons:1", "ofac-sdn:1"}
    assert "ofac-sdn:2" not in {link.other for link in links.direct("ofac-sdn:1")}


def test_vessels_named_alike_with_different_imo_numbers_are_not_linked() -> None:
    def vessel(eid: str, imo: str) -> Entity:
        return entity(eid, ("PACIFIC OCEAN STAR", "OCEAN STAR"), Schema.VESSEL,
                      identifiers=(Identifier(IdKind.IMO, imo),), countries=("pa",))
    links = link_entities([vessel("ofac-sdn:1", "IMO 9000001"), vessel("uk-ofsi:2", "9000002"),
                           vessel("un:XYe.9", "9000001")])
    assert links.group("ofac-sdn:1") == {"ofac-sdn:1", "un:XYe.9"}


def test_pairs_rebuild_the_same_links() -> None:
    un = entity("un:QDe.004", ("AL-QAIDA",))
    sdn = entity("ofac-sdn:6366", ("AL QA'IDA",), remarks="UN Ref QDe.004")
    uk = entity("uk-ofsi:7", ("AL-QAIDA",), remarks="UN Ref QDe.004")
    links = link_entities([un, sdn, uk])
    again = Links(links.pairs())
    assert len(again) == len(links) == len(links.pairs()) >= 2
    for eid in ("un:QDe.004", "ofac-sdn:6366", "uk-ofsi:7"):
        assert again.linked(eid) == links.linked(eid)
