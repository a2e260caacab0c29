"""Small multilingual word lists: weak words, abbreviations, generic business words.

Generic business words ("trading", "סחר", "ကုန်သွယ်ရေး", "торговый", "商事") map to
one language-independent concept so that a translated company name still aligns
word by word. These are vocabulary, not names: they generalise to any company.
The lists themselves live in ``lexicon/words.json`` beside this module.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_PATH = Path(__file__).resolve().parent / "lexicon" / "words.json"


def _load() -> dict[str, Any]:
    with _PATH.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


_DATA = _load()

STOPWORDS: frozenset[str] = frozenset(_DATA["stopwords"])
"""Words that never identify a party on their own."""
TITLES: frozenset[str] = frozenset(_DATA["titles"])
"""Honorifics, ranks and offices of persons (weak in person names)."""
VESSEL_PREFIXES: frozenset[str] = frozenset(_DATA["vessel_prefixes"])
LEGAL_WORDS: frozenset[str] = frozenset(_DATA["legal_words"])
"""Legal forms and their parts, as romanised tokens."""
ABBREVIATIONS: dict[str, str] = dict(_DATA["abbreviations"])
CONCEPT_OF: dict[str, str] = {
    word: concept for concept, words in _DATA["concepts"].items() for word in words
}
"""Generic business word (any language or script) -> concept."""
_SPACED = re.compile("[\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufdff"
                     "\ufe70-\ufeff]")
"""Letters of scripts that write spaces between words (Cyrillic, Hebrew, Arabic)."""
NATIVE_GENERIC: tuple[str, ...] = tuple(
    sorted((w for w in CONCEPT_OF if not w.isascii() and not _SPACED.match(w)), key=len,
           reverse=True)
)
"""Generic words of scripts written without spaces (Han, kana, Hangul compounds, Burmese):
found inside a longer run of letters."""
NATIVE_GENERIC_WORDS: frozenset[str] = frozenset(
    w for w in CONCEPT_OF if not w.isascii() and _SPACED.match(w))
"""Generic words of scripts written with spaces: whole words only, or after a clitic."""
CLITICS: tuple[str, ...] = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك",
                            "וה", "וב", "ול", "מה", "שה", "כש", "ה", "ו", "ב", "ל", "מ", "ש", "כ")
"""Arabic and Hebrew prefixes written onto a word (``and``, ``the``, ``to``, ``in``...)."""
NATIVE_LEGAL: tuple[str, ...] = tuple(_DATA["native_legal"])
"""Legal forms written in other scripts, replaced by ``ltd`` before romanisation."""
KOREAN_SURNAMES: dict[str, str] = dict(_DATA["korean_surnames"])
"""Conventional romanisations of common Korean surnames (Revised Romanisation differs)."""
NUMBER_WORDS: dict[str, str] = dict(_DATA["number_words"])
TENS: dict[str, str] = dict(_DATA["tens"])
"""Tens written out (``forty``), with their first digit: ``forty four`` is 44."""
ORDINALS: dict[str, str] = dict(_DATA["ordinals"])
NICKNAMES: dict[str, str] = dict(_DATA["nicknames"])
"""Short forms of given names and the name they stand for (``bill``: ``william``)."""
KOREAN_CYRILLIC: dict[str, str] = dict(_DATA["korean_cyrillic"])
"""Korean syllables as Russian writes them, romanised (``chen``), and as Latin lists do."""
KOREAN_CYRILLIC_SURNAMES: frozenset[str] = frozenset(_DATA["korean_cyrillic_surnames"])
"""Ordinals written out (``first``): the number, as ``1st`` is."""
ROMAN: dict[str, str] = dict(_DATA["roman"])
ROMAN_TAIL: dict[str, str] = dict(_DATA["roman_tail"])
"""Single-letter numerals, read as numbers only at the end of a name."""


def concept_of(token: str) -> str | None:
    """The generic-business concept of an ASCII or native-script word, if any."""
    return CONCEPT_OF.get(token)
