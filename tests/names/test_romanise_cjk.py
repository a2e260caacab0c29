from __future__ import annotations

import pytest

from embargo.names.lexicon import KOREAN_SURNAMES
from embargo.names.romanise.cjk import han, hanja_to_hangul, kana

SURNAMES = tuple(KOREAN_SURNAMES.items())


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("习近平", "xi jinping"),
        ("弗拉基米尔·普京", "fulajimier pujing"),
        ("金正恩", "kim jong un"),
        ("山田太郎", "yamada taro"),
        ("欧阳修", "ouyang xiu"),
    ],
)
def test_han_readings(word: str, expected: str) -> None:
    assert expected in han(word, SURNAMES)


def test_han_readings_are_few() -> None:
    assert len(han("金正恩", SURNAMES)) <= 4


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ウラジーミル・プーチン", "vradimir putin"),
        ("ヴィクトル", "viktor"),
        ("とよた", "toyota"),
    ],
)
def test_kana_readings(word: str, expected: str) -> None:
    assert expected in kana(word)


def test_hanja_table() -> None:
    assert hanja_to_hangul("正恩") == "정은"
    assert hanja_to_hangul("abc") is None
