"""A listed name the query covers whole reaches the scorer, however many longer names outrank it."""

from __future__ import annotations

from embargo.matching import compare, prepare
from embargo.matching.index import WHOLE_DF, WHOLE_LIMIT, CandidateIndex
from embargo.matching.index_keys import whole_keys
from embargo.matching.screen import Screener
from embargo.model import Entity, Name, NameKind, Schema
from embargo.names import analyse

SURNAMES = ["Yasin", "Karimi", "Nasser", "Haddad", "Sokolov", "Orlov", "Wang", "Petrov",
            "Tahir", "Saleh", "Mansour", "Qasim", "Jaber", "Hamdan", "Rashid", "Zaki"]


def person(eid: str, *names: str) -> Entity:
    kinds = [NameKind.PRIMARY] + [NameKind.ALIAS] * (len(names) - 1)
    return Entity(id=eid, source="t", native_id=eid, schema=Schema.PERSON,
                  names=tuple(Name(n, k) for n, k in zip(names, kinds, strict=True)))


def keys(text: str, schema: Schema = Schema.PERSON, query: bool = False) -> set[str]:
    return whole_keys(analyse(text, schema), query)


def test_a_name_meets_itself_written_in_one_word_or_several() -> None:
    assert keys("ABDERRAHMANE") & keys("عبد الرحمن", query=True)
    assert keys("Abdul Rahman") & keys("Abdulrahman", query=True)
    assert keys("ABDELRAHMAN") & keys("عبد الرحمن", query=True)
    assert not keys("ABDERRAHMANE") & keys("Abdul Karim", query=True)


def test_longer_names_and_other_numbers_have_no_whole_key_in_common() -> None:
    assert not keys("Abdul Rahman Yasin Karimi") & keys("عبد الرحمن", query=True)
    assert not keys("Mohammed Omar Abdul Rahman Yasin") & keys("Mohammed Omar")  # > 4 words
    vessel = Schema.VESSEL
    assert not keys("FU YUAN YU 7901", vessel) & keys("FU YUAN YU 7625", vessel, True)
    assert keys("FU YUAN YU 7901", vessel) & keys("FU YUAN YU 7901", vessel, True)


ARABIC = ["ياسين", "كريمي", "ناصر", "حداد", "طاهر", "صالح", "منصور", "قاسم", "جابر",
          "حمدان", "راشد", "زكي"]


def test_a_short_name_covered_whole_is_compared_past_the_cut() -> None:
    """Longer names holding both words, in Latin and Arabic script, outrank the one party
    whose alias is the query's name itself: the ranking alone would not compare it."""
    longer = [person(f"p{k}", f"Abdul Rahman {SURNAMES[k]}", f"عبد الرحمن {a}")
              for k, a in enumerate(ARABIC)]
    others = [person(f"o{k}", f"{a} {b}") for k, (a, b) in enumerate(
        (a, b) for a in SURNAMES for b in SURNAMES if a != b)]
    lone = person("lone", "Hamid KARAM", "ABDERRAHMANE")
    screener = Screener(CandidateIndex.build([*longer, *others, lone]), candidates=50)
    query = prepare(person("q", "عبد الرحمن"))
    assert compare(query, screener.index.prepared(len(longer) + len(others))).score >= 0.75
    ranked = [screener.index.entity(n).id for n, _ in screener.index.search(query, 10)]
    assert len(ranked) == 10 and "lone" not in ranked  # the ranking alone would lose it
    found = [screener.index.entity(n).id for n, _ in screener.candidate_numbers(query)]
    assert "lone" in found


def test_whole_names_past_the_cut_are_bounded() -> None:
    many = [person(f"p{k}", f"{s} Karam", "ABDERRAHMANE")
            for k, s in enumerate(SURNAMES * 2)]
    index = CandidateIndex.build(many)
    query = prepare(person("q", "Abd al-Rahman"))
    assert len(many) > WHOLE_DF and index.plan(query).whole == []  # too common a name
    few = CandidateIndex.build(many[:WHOLE_DF])
    plan = few.plan(query)
    assert plan.whole and len(Screener(few, candidates=50).candidate_numbers(query)) \
        <= 50
    # the screener's candidate limit is a budget (EMBARGO_MAX_CANDIDATES): names covered whole
    # fill what the cut leaves of it, never more
    assert len(Screener(few, candidates=2).candidate_numbers(query)) <= 2
    assert len(Screener(few, candidates=WHOLE_LIMIT + 40).candidate_numbers(query)) \
        <= WHOLE_LIMIT + 40
