"""Which writing system a name is in."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

_PREFIXES = {
    "CJK": "Han",
    "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese",
    "HANGUL": "Hangul",
    "MYANMAR": "Myanmar",
    "HEBREW": "Hebrew",
    "ARABIC": "Arabic",
    "CYRILLIC": "Cyrillic",
    "GREEK": "Greek",
    "LATIN": "Latin",
    "ARMENIAN": "Armenian",
    "GEORGIAN": "Georgian",
    "THAI": "Thai",
    "KHMER": "Khmer",
    "LAO": "Lao",
    "DEVANAGARI": "Devanagari",
    "BENGALI": "Bengali",
    "KANNADA": "Kannada",
    "TAMIL": "Tamil",
    "TELUGU": "Telugu",
    "GUJARATI": "Gujarati",
    "GURMUKHI": "Gurmukhi",
    "MALAYALAM": "Malayalam",
    "SINHALA": "Sinhala",
    "ETHIOPIC": "Ethiopic",
    "SYRIAC": "Syriac",
    "THAANA": "Thaana",
    "TIBETAN": "Tibetan",
    "MONGOLIAN": "Mongolian",
}

ABJADS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})


@lru_cache(maxsize=8192)
def char_script(char: str) -> str | None:
    """The script of one letter, or None for digits, punctuation, symbols."""
    if not char.isalpha():
        return None
    if char.isascii():
        return "Latin"
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    first = name.split(" ", 1)[0]
    return _PREFIXES.get(first, first.title())


def dominant_script(text: str) -> str:
    """The script most letters of ``text`` are in; any kana makes it Japanese."""
    if text.isascii():
        return "Latin" if any(c.isalpha() for c in text) else "Common"
    counts: Counter[str] = Counter()
    for char in text:
        script = char_script(char)
        if script is not None:
            counts[script] += 1
    if not counts:
        return "Common"
    if counts.get("Japanese"):
        return "Japanese"
    return counts.most_common(1)[0][0]
