"""Wade-Giles names read as pinyin (issue 9); other names get no such reading."""

from __future__ import annotations

import pytest

from embargo.model.entity import Schema
from embargo.names.analyse import analyse
from embargo.names.romanise.wadegiles import wade_giles


@pytest.mark.parametrize(("name", "pinyin"), [
    ("Hsi Chin-p'ing", ("xi", "jinping")),
    ("Mao Tse-tung", ("mao", "zedong")),
    ("Teng Hsiao-p'ing", ("deng", "xiaoping")),
    ("Ch'en Shui-pien", ("chen", "shuibian")),
    ("HSI, Chin-p’ing", ("xi", "jinping")),
    ("Xi Jinping", None),  # pinyin already: no mark of Wade-Giles
    ("Vladimir Putin", None),
    ("Hans Tsung", None),  # not every word is a Wade-Giles syllable
    ("Li Peng", None),
    ("CHOU, Hsien Cheng", None),  # syllables apart: no reading (near too many short names)
])
def test_wade_giles(name: str, pinyin: tuple[str, ...] | None) -> None:
    assert wade_giles(name) == pinyin


def test_a_persons_name_gets_the_pinyin_reading() -> None:
    assert ("xi", "jinping") in analyse("Hsi Chin-p'ing", Schema.PERSON).variants
    assert ("xi", "jinping") not in analyse("Hsi Chin-p'ing", Schema.COMPANY).variants
