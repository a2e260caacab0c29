from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embargo.model.entity import Schema
from embargo.names import analyse, analyse_all, dominant_script, fold, phonetic_key


@pytest.mark.parametrize(
    ("text", "schema", "tokens", "numbers"),
    [
        ("OOO Neobit", Schema.COMPANY, ("ooo", "neobit"), ()),
        ("Neobit LLC", Schema.COMPANY, ("neobit", "llc"), ()),
        ("SHWE NADI 15", Schema.VESSEL, ("shwe", "nadi"), ("15",)),
        ("ရွှေနဒီ ၅", Schema.VESSEL, None, ("5",)),
        ("Seraphine Navigation II S.A.", Schema.COMPANY, None, ("2",)),
        ("Brasskey Shipping Three Inc.", Schema.COMPANY, None, ("3",)),
        ("第十八星風丸", Schema.VESSEL, None, ("18",)),
        ("N.K. Bansal & Co.", Schema.COMPANY, ("nk", "bansal", "co"), ()),
    ],
)
def test_tokens_and_numbers(text: str, schema: Schema, tokens: tuple[str, ...] | None,
                            numbers: tuple[str, ...]) -> None:
    form = analyse(text, schema)
    if tokens is not None:
        assert form.tokens == tokens
    assert form.numbers == numbers


@pytest.mark.parametrize(
    ("text", "weak"),
    [("OOO Neobit", {"ooo"}), ("Kilifi Coastal Traders Ltd", {"ltd"}),
     ("ООО «Необит»", {"ltd"}), ('שאלתיאל הובלות בע"מ', {"ltd"})],
)
def test_legal_forms_are_weak(text: str, weak: set[str]) -> None:
    assert analyse(text, Schema.COMPANY).weak == weak


def test_generic_words_share_a_concept() -> None:
    latin = analyse("Hein Myat Trading Co., Ltd.", Schema.COMPANY)
    burmese = analyse("ဟိန်းမြတ် ကုန်သွယ်ရေး ကုမ္ပဏီလီမိတက်", Schema.COMPANY)
    assert latin.concept("trading") == "trade"
    assert "trade" in {c for _, c in burmese.concepts}


@pytest.mark.parametrize(
    ("text", "current", "formers"),
    [
        ("MV Karachi Crescent (ex Mandvi Bay, ex Wanshan Pearl)", ("karachi", "crescent"),
         (("mandvi", "bay"), ("wanshan", "pearl"))),
        ("Theodosia K (ex-Lindos Harrier until 2019)", ("theodosia", "k"),
         (("lindos", "harrier"),)),
        ("Ex Libris Ltd", ("ex", "libris", "ltd"), ()),
    ],
)
def test_former_names(text: str, current: tuple[str, ...],
                      formers: tuple[tuple[str, ...], ...]) -> None:
    forms = analyse_all(text, Schema.VESSEL)
    assert [f.tokens for f in forms if f.tokens[0] != "mv"] or True
    assert forms[0].tokens[-len(current):] == current
    assert tuple(f.tokens for f in forms[1:]) == formers
    assert all(f.former for f in forms[1:])


@pytest.mark.parametrize(
    ("text", "script"),
    [("Владимир", "Cyrillic"), ("محمد", "Arabic"), ("ウラジーミル", "Japanese"),
     ("习近平", "Han"), ("김정은", "Hangul"), ("משה", "Hebrew"), ("123", "Common")],
)
def test_dominant_script(text: str, script: str) -> None:
    assert dominant_script(text) == script


def test_han_has_two_readings() -> None:
    form = analyse("山田太郎", Schema.PERSON)
    assert ("yamada", "taro") in form.variants or ("yamada", "tarou") in form.variants
    assert len(form.variants) == 2


@pytest.mark.parametrize(
    "group",
    [("zakharova", "sacharowa", "zaharova"), ("levitsky", "levitskiy"), ("mohammed", "mhmd")],
)
def test_phonetic_keys_agree(group: tuple[str, ...]) -> None:
    assert len({phonetic_key(t) for t in group}) == 1


def test_phonetic_keys_differ() -> None:
    assert phonetic_key("putin") != phonetic_key("petrov")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes_and_outputs_ascii(text: str) -> None:
    for schema in (Schema.PERSON, Schema.COMPANY, Schema.VESSEL):
        for form in analyse_all(text, schema):
            for variant in form.variants:
                for token in variant:
                    assert token.isascii() and token == token.lower() and token.strip()


def test_long_and_odd_input() -> None:
    text = "Ab\x00c 😀 " * 2000
    forms = analyse_all(text, Schema.COMPANY)
    assert all(len(v) < 200 for f in forms for v in f.variants)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [("Путин В. В.", ("putin", "v", "v")), ("Vladimir V. Putin", ("vladimir", "v", "putin")),
     ("Henry I. Smith", ("henry", "i", "smith"))],
)
def test_person_initials_are_not_numerals(text: str, tokens: tuple[str, ...]) -> None:
    form = analyse(text, Schema.PERSON)
    assert form.tokens == tokens and form.numbers == ()


def test_control_characters_and_nfc() -> None:
    assert analyse("Ivan\u0000\u200bPetrov", Schema.PERSON).tokens == ("ivan", "petrov")
    decomposed, composed = analyse("Jose\u0301 Marti\u0301", Schema.PERSON), analyse(
        "José Martí", Schema.PERSON)
    assert decomposed.tokens == composed.tokens == ("jose", "marti")


def test_titles_are_weak_for_persons() -> None:
    form = analyse("Президент Путин", Schema.PERSON)
    assert "putin" in form.tokens and form.weak == {"prezident"}


@pytest.mark.parametrize(("text", "schema"), [
    ("近平 习", Schema.PERSON), ("Jinping Xi", Schema.PERSON), ("Tran Van Vi", Schema.PERSON),
])
def test_syllables_are_not_roman_numerals(text: str, schema: Schema) -> None:
    assert analyse(text, schema).numbers == ()


def test_generation_suffix_is_a_number() -> None:
    assert analyse("John Smith III", Schema.PERSON).numbers == ("3",)


def test_han_name_parts_written_apart_are_read_whole() -> None:
    assert ("mingzong", "li") in analyse("明宗 李", Schema.PERSON).variants


@pytest.mark.parametrize(("a", "b"), [("putinas", "putin"), ("vladimiras", "vladimir")])
def test_nominative_endings_share_a_phonetic_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(("a", "b"), [("vlagyimir", "vladimir"), ("putyin", "putin")])
def test_hungarian_spellings_fold(a: str, b: str) -> None:
    assert fold(a) == fold(b)
