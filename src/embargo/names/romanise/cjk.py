"""Han characters (Chinese, Japanese kanji, Korean hanja) and Japanese kana.

* Chinese: pypinyin without tones. A 2-4 character personal name is read as a
  surname plus a joined given name (习近平 -> xi jinping) and syllable by syllable;
  a transliterated foreign name split by a middle dot is read one joined word per
  part (弗拉基米尔·普京 -> fulajimier pujing).
* Korean: a short all-Han name also gets its hanja reading (金正恩 -> kim jong un),
  from a compact table shipped in ``names/data/`` (see ``scripts/build_romaniser.py``).
* Japanese: pykakasi's Hepburn reading; katakana loanwords also get a reading in
  foreign-sound conventions (long vowels dropped, ジ -> di, チ -> ti, epenthetic
  vowels after final consonants dropped): ウラジーミル -> vradimir, プーチン -> putin.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from importlib import resources
from typing import Any

from embargo.names.romanise.korean import korean_person

MIDDLE_DOTS = "·・•‧･."
_COMPOUND_SURNAMES = frozenset([
    "欧阳", "司马", "诸葛", "上官", "司徒", "东方", "夏侯", "皇甫", "尉迟", "公孙", "慕容",
    "长孙", "宇文", "令狐", "歐陽", "諸葛", "東方", "長孫",
])
_HANJA_START = 0x4E00
_LONG_VOWELS = tuple((re.compile(p), r) for p, r in (
    (r"aa", "a"), (r"ii", "i"), (r"uu", "u"), (r"ee", "e"), (r"oo", "o"), (r"ou", "o"),
))
_LOAN_RULES = tuple((re.compile(p), r) for p, r in (
    (r"\bu(?=r)", "v"), (r"ji", "di"), (r"chi", "ti"), (r"tsu\b", "ts"),
    (r"(?<=[ks])u(?=[kstdrfbpmgz])", ""), (r"(?<=[kstdrfbpmgz])u\b", ""),
    (r"(?<=[td])o\b", ""),
))
# Korean readings of hanja that differ as surnames (金 is 금 as a word, 김 as a name).
_HANJA_SURNAMES = {"金": "김", "李": "이", "林": "임", "柳": "류", "劉": "유", "盧": "노",
                   "羅": "나", "呂": "여", "梁": "양", "廉": "염", "陸": "육"}


@lru_cache(maxsize=1)
def _hanja_table() -> str:
    data = resources.files("embargo.names.data").joinpath("hanja.bin").read_bytes()
    return zlib.decompress(data).decode("utf-8")


def hanja_to_hangul(text: str) -> str | None:
    """The Korean (Hangul) reading of an all-hanja word, or None when one is unknown."""
    table = _hanja_table()
    out = []
    for char in text:
        index = ord(char) - _HANJA_START
        reading = table[index] if 0 <= index < len(table) else " "
        if reading == " ":
            return None
        out.append(reading)
    return "".join(out)


@lru_cache(maxsize=1)
def _foreign_table() -> dict[str, str]:
    text = resources.files("embargo.names.data").joinpath("han_foreign.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {char: sound for char, sound in rows}


FOREIGN_SHARE = 0.75  # of a part's characters must be transcription characters


def foreign(parts: list[str]) -> str | None:
    """A foreign name written in Han, read back: 弗拉基米尔·普京 -> vlakimir putin.

    Chinese writes foreign names with a small set of characters, each for a sound
    (Xinhua-style transcription), and marks the parts with a middle dot. Pinyin reads
    them as Chinese (fulajimier pujing); this reading gives the sounds back. None when
    too few characters are transcription characters.
    """
    table = _foreign_table()
    words = []
    for part in parts:
        known = sum(c in table for c in part)
        if known < FOREIGN_SHARE * len(part):
            return None
        words.append("".join(table.get(c) or "".join(_pinyin(c)) for c in part))
    return " ".join(words)


def foreign_readings(parts: list[str]) -> tuple[str, ...]:
    """:func:`foreign`, and with a final 尔 read ``l`` as well as ``r`` (米哈伊尔: Mikhail,
    伊斯梅尔: Ismail; 弗拉基米尔: Vladimir)."""
    sounds = foreign(parts)
    if sounds is None:
        return ()
    liquid = [p[:-1] + "勒" if p.endswith("尔") else p for p in parts]
    return tuple(dict.fromkeys((sounds, foreign(liquid) or sounds)))


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


@lru_cache(maxsize=16384)
def _pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: f" {s} "))


def _chinese_name(word: str) -> str:
    """Surname and joined given name: 习近平 -> xi jinping, 欧阳修 -> ouyang xiu."""
    cut = 2 if word[:2] in _COMPOUND_SURNAMES or len(word) == 4 else 1
    syllables = _pinyin(word)  # one per character here: read in context, then cut
    return f"{''.join(syllables[:cut])} {''.join(syllables[cut:])}"


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def japanese(text: str) -> str:
    """Hepburn reading via pykakasi (kanji read as Japanese)."""
    parts = _kakasi().convert(text)
    return " ".join(str(p["hepburn"]) for p in parts if p["hepburn"].strip())


def _loan(word: str) -> str:
    for pattern, repl in _LONG_VOWELS:
        word = pattern.sub(repl, word)
    for pattern, repl in _LOAN_RULES:
        word = pattern.sub(repl, word)
    return word


def _is_katakana(text: str) -> bool:
    return all("\u30a0" <= c <= "\u30ff" for c in text)


@lru_cache(maxsize=16384)
def kana(text: str) -> tuple[str, ...]:
    """Japanese readings: Hepburn, long vowels shortened, and katakana loanwords."""
    parts = _kakasi().convert(re.sub(f"[{MIDDLE_DOTS}]", " ", text))
    hepburn = [str(p["hepburn"]) for p in parts if str(p["hepburn"]).strip()]
    short = [_shorten(h) for h in hepburn]
    loan = [_loan(str(p["hepburn"])) if _is_katakana(str(p["orig"])) else s
            for p, s in zip((p for p in parts if str(p["hepburn"]).strip()), short, strict=True)]
    return tuple(dict.fromkeys(" ".join(r) for r in (hepburn, short, loan)))


def _shorten(word: str) -> str:
    for pattern, repl in _LONG_VOWELS:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=16384)
def han_part(word: str) -> tuple[str, ...]:
    """Readings of one part of a Han name written with spaces: joined pinyin, Japanese."""
    if not all(is_han(c) for c in word) or len(word) > 4:
        return han(word, ())
    return tuple(dict.fromkeys(("".join(_pinyin(word)), _shorten(japanese(word)))))


@lru_cache(maxsize=16384)
def han(word: str, surnames: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Readings of a word in Han characters (at most four)."""
    if any(d in word for d in MIDDLE_DOTS):
        parts = [p for p in re.split(f"[{MIDDLE_DOTS}]", word) if p]
        pinyin = " ".join("".join(_pinyin(p)) for p in parts)
        return tuple(dict.fromkeys((pinyin, *foreign_readings(parts))))
    syllables = " ".join(_pinyin(word))
    if not (2 <= len(word) <= 4 and all(is_han(c) for c in word)):
        return tuple(dict.fromkeys((syllables, japanese(word))))
    readings = [_chinese_name(word)]  # the scorer also aligns "xi jin ping" to it
    hangul = hanja_to_hangul(word)
    if hangul:
        hangul = _HANJA_SURNAMES.get(word[0], hangul[0]) + hangul[1:]
        korean = korean_person(hangul, surnames)
        if korean:
            readings.append(korean[0])
    readings.append(_shorten(japanese(word)))  # 山田太郎 -> yamada taro (as lists write it)
    if len(word) >= 3 and all(c in _foreign_table() for c in word):  # 米哈伊尔: a foreign
        readings += foreign_readings([word])                          # name, undotted
    return tuple(dict.fromkeys(readings))
