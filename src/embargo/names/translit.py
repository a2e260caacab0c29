"""Romanisation of any script to lower-case ASCII, with several readings when ambiguous."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import icu
from rigour.text.translit import maybe_ascii

_ICU_IDS = {
    "any": "Any-Latin; Latin-ASCII; Lower",
    "Hangul": "Hangul-Latin; Latin-ASCII; Lower",
}
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUM = re.compile("[〇零一二三四五六七八九十百千]+")
_RIGOUR_SCRIPTS = frozenset({"Latin", "Cyrillic", "Greek", "Armenian", "Georgian"})



@lru_cache(maxsize=4)
def _icu(key: str) -> Any:
    return icu.Transliterator.createInstance(_ICU_IDS[key])


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def icu_ascii(text: str) -> str:
    """ICU's Any-Latin then Latin-ASCII, lower case."""
    return str(_icu("any").transliterate(text))


def _kanji_number(match: re.Match[str]) -> str:
    total, current = 0, 0
    for char in match.group(0):
        if char in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[char] if current else _KANJI_DIGITS[char]
        else:
            total += (current or 1) * _KANJI_UNITS[char]
            current = 0
    return f" {total + current} "


def kanji_numbers(text: str) -> str:
    """Write Han numerals (第十八 -> 第 18) as Arabic digits."""
    return _KANJI_NUM.sub(_kanji_number, text)


def native_digits(text: str) -> str:
    """Any Unicode decimal digit (Burmese ၅, Arabic ٥, ...) as ASCII."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c
                   for c in text)


def japanese(text: str) -> str:
    """Hepburn reading via pykakasi (kanji read as Japanese)."""
    parts = _kakasi().convert(text)
    return " ".join(str(p["hepburn"]) for p in parts if p["hepburn"].strip())


def pinyin(text: str) -> str:
    """Mandarin pinyin without tones, one token per run of Han characters."""
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: f" {s} ")
    return " ".join(out)


_MYANMAR_RULES = tuple((re.compile(p), r) for p, r in (
    (r"^r", "y"), (r"aa", "a"), (r"ay", "e"), (r"ai(?=n)", "i"), (r"j", "z"),
    (r"(.)\1+$", r"\1"),
))


def myanmar(text: str) -> str:
    """ICU's Burmese reading moved toward the conventional spelling (ရ as y, ေ as e)."""
    words = []
    for word in icu_ascii(text).split():
        for pattern, repl in _MYANMAR_RULES:
            word = pattern.sub(repl, word)
        words.append(word)
    return " ".join(words)


def hangul(text: str) -> tuple[str, ...]:
    """Revised Romanisation by syllable; a conventional surname reading for names."""
    from embargo.names.lexicon import KOREAN_SURNAMES

    plain = icu_ascii(text).replace("-", "")
    if len(text) in (2, 3, 4) and text[0] in KOREAN_SURNAMES and " " not in text:
        given = " ".join(icu_ascii(c) for c in text[1:])
        return (f"{KOREAN_SURNAMES[text[0]]} {given}", f"{icu_ascii(text[0])} {given}", plain)
    return (plain,)


def romanise(text: str, script: str) -> tuple[str, ...]:
    """One or more ASCII readings of ``text`` (lower case, unfiltered punctuation)."""
    text = native_digits(text)
    if script == "Latin" and text.isascii():
        return (text.lower(),)
    if script in _RIGOUR_SCRIPTS:
        first = icu_ascii(maybe_ascii(text))
        second = icu_ascii(text)
        return (first,) if first == second else (first, second)
    if script in ("Han", "Japanese"):
        text = kanji_numbers(text)
        readings = [japanese(text)] if script == "Japanese" else [pinyin(text), japanese(text)]
        return tuple(icu_ascii(r) for r in dict.fromkeys(readings))
    if script == "Myanmar":
        return (myanmar(text),)
    if script == "Hangul":
        return hangul(text)
    return (icu_ascii(text),)
