from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.names.romanise.abjad import arabic_word, hebrew_word, normalise_arabic
from embargo.names.romanise.khmer import khmer
from embargo.names.translit import romanise


@pytest.mark.parametrize(
    ("word", "expected"),
    [("ពូទីន", "putin"), ("វ៉្លាឌីមៀរ", "vladimier"), ("ហ៊ុន សែន", "hun saen")],
)
def test_khmer(word: str, expected: str) -> None:
    assert khmer(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("محمد", {"mohammed", "mohammad", "muhammad", "mohamed"}),
     ("حسين", {"hussein", "hussain", "husain", "hossein", "husayn"}),
     ("فلاديمير", {"vladimir"})],
)
def test_arabic_learned(word: str, expected: set[str]) -> None:
    assert arabic_word(word) in expected


def test_arabic_prefix_backoff() -> None:
    assert arabic_word("وفلاديمير") == "wvladimir"


def test_arabic_normalisation() -> None:
    assert normalise_arabic("أَحْمَد") == "احمد"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("שקמה", "shkma"), ("עוגן", "ogn"), ("הזהב", "hzhv"), ("ולדימיר", "vldimir")],
)
def test_hebrew(word: str, expected: str) -> None:
    assert hebrew_word(word) == expected


@given(st.text(max_size=60))
def test_never_crash(text: str) -> None:
    assert isinstance(khmer(text), str)
    assert isinstance(hebrew_word(text), str)
    arabic_word(text)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("เซอร์เกย์ ลาฟรอฟ", "ser key la f rof"),  # Sergey Lavrov
        ("รามซาน คาดีรอฟ", "ram san kha di rof"),  # Ramzan Kadyrov
        ("อาลี", "ali"),  # อ before a vowel is silent
    ],
)
def test_thai_o_is_read_as_in_names(text: str, reading: str) -> None:
    readings = romanise(text, "Thai")
    assert readings[-1] == reading
    assert "x" in readings[0]  # ICU's ISO 11940 reading stays first


def test_thai_without_o_has_one_reading() -> None:
    assert romanise("วลาดีมีร์ ปูติน", "Thai") == ("w la di mir pu tin",)
