from __future__ import annotations

import pytest

from embargo.names.lexicon import KOREAN_SURNAMES
from embargo.names.romanise.cjk import foreign, han, hanja_to_hangul, kana

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


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("弗拉基米尔·普京", "vlakimir putin"),
        ("谢尔盖·拉夫罗夫", "sergey lavrov"),
        ("阿利舍尔·乌斯马诺夫", "alisher usmanov"),
        ("伊戈尔·谢钦", "igor sechin"),
        ("萨达姆·侯赛因", "sadam husein"),
    ],
)
def test_foreign_names_in_han_read_back(word: str, expected: str) -> None:
    readings = han(word, SURNAMES)
    assert readings[0] != expected  # pinyin stays the first reading
    assert expected in readings


@pytest.mark.parametrize("parts", [["习近平"], ["中华人民", "共和国"], ["欧阳修"]])
def test_chinese_words_get_no_foreign_reading(parts: list[str]) -> None:
    assert foreign(parts) is None


def test_foreign_reading_needs_transcription_characters() -> None:
    assert foreign(["弗拉基米尔", "普京"]) == "vlakimir putin"
    assert foreign(["中华人民", "共和国"]) is None
    assert foreign(["普京"]) == "putin"
