from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.names.lexicon import KOREAN_SURNAMES
from embargo.names.romanise.korean import hangul, korean_person

SURNAMES = tuple(KOREAN_SURNAMES.items())


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("블라디미르", {"beulladimireu", "bladimir"}),
        ("푸틴", {"putin"}),
        ("서울", {"seoul"}),
        ("삼성", {"samseong", "samsong"}),
    ],
)
def test_readings(word: str, expected: set[str]) -> None:
    assert expected <= set(hangul(word))


@pytest.mark.parametrize(
    ("word", "expected"),
    [("김정은", "kim jong un"), ("박근혜", "bak geun hye"), ("문재인", "moon jae in")],
)
def test_person_names(word: str, expected: str) -> None:
    readings = korean_person(word, SURNAMES)
    assert readings is not None and expected in readings


def test_not_a_person_without_known_surname() -> None:
    assert korean_person("블라디미르", SURNAMES) is None


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), max_size=12))
def test_hangul_is_ascii_lower(text: str) -> None:
    for reading in hangul(text):
        assert reading.isascii() and reading == reading.lower()
