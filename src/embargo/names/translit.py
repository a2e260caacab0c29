"""Romanisation of any script to lower-case ASCII, with several readings when ambiguous."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import icu
from rigour.text.translit import maybe_ascii

from embargo.names.romanise import cjk, korean
from embargo.names.romanise.abjad import ABD, ARTICLE, arabic_word, final_ha, hebrew_word
from embargo.names.romanise.arabic import ala_lc, maghreb
from embargo.names.romanise.burmese import burmese
from embargo.names.romanise.khmer import khmer
from embargo.names.romanise.korean import korean_person
from embargo.names.script import ABJADS

_ICU_IDS = {
    "any": "Any-Latin; Latin-ASCII; Lower",
    "Hangul": "Hangul-Latin; Latin-ASCII; Lower",
}
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUM = re.compile("[〇零一二三四五六七八九十百千]+")
_RIGOUR_SCRIPTS = frozenset({"Latin", "Cyrillic", "Greek", "Armenian", "Georgian"})
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
INDIC = frozenset({"Devanagari", "Bengali", "Gujarati", "Gurmukhi", "Oriya"})


@lru_cache(maxsize=4)
def _icu(key: str) -> Any:
    return icu.Transliterator.createInstance(_ICU_IDS[key])


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
    return cjk.japanese(text)


def pinyin(text: str) -> str:
    """Mandarin pinyin without tones, one token per Han character."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: f" {s} "))


def myanmar(text: str) -> tuple[str, ...]:
    """Conventional Latin spellings of a Burmese word: by syllable, and joined."""
    plain, usual = burmese(text)
    joined = (plain.replace(" ", ""), usual.replace(" ", ""))
    return tuple(dict.fromkeys((plain, usual, *joined)))


def _surnames() -> tuple[tuple[str, str], ...]:
    from embargo.names.lexicon import KOREAN_SURNAMES

    return tuple(KOREAN_SURNAMES.items())


def hangul(text: str) -> tuple[str, ...]:
    """Korean: a known surname's usual spelling plus RR/common given names; RR, MR, loanword."""
    person = korean_person(text, _surnames()) if " " not in text else None
    return person if person else korean.hangul(text)


_PERSIAN = str.maketrans({"ض": "ز", "ذ": "ز", "ث": "س"})
"""Letters Persian, Urdu and Turkic languages say as z and s where Arabic says d, dh, th."""


_PASHTO_URDU = str.maketrans({"ھ": "ه", "ښ": "ش", "ځ": "ز"})
"""Letters ICU reads badly or as publishers do not: Urdu do-chashmi he (ھ, ICU ``ʱ``, a
word break once ASCII: ھاشم read `` ashm``), Pashto x̌in (ښ, ICU ``sˌ``: ``s aghly``) read
``sh``, Pashto dze (ځ: ځدران is Zadran, not ``dzdran``) read ``z``."""


def _arabic_plain(text: str, construct: bool = False) -> str:
    """ICU's reading, the article ال apart as Latin spellings write it (المتصدق -> al mtsdq).

    Only before three letters or more (الله stays one word); عبدالخالق -> abd al khalq. A
    final ة is read ه, as the end of a name says it (شريعة: not ICU's ``shryt``), or, in the
    ``construct`` reading, ت, as before a following noun (عصبة الأنصار: Asbat al-Ansar).
    """
    text = text.translate(_PASHTO_URDU)
    text = text[:-1] + "ت" if construct and text.endswith("ة") else final_ha(text)
    abd = text.startswith(ABD)
    rest = text[len(ABD):] if abd else text
    if rest.startswith(ARTICLE) and len(rest) >= len(ARTICLE) + 3:
        head = f"{icu_ascii(ABD)} " if abd else ""
        return f"{head}al {icu_ascii(rest[len(ARTICLE):])}"
    return icu_ascii(text)


def _abjad(text: str, script: str) -> tuple[str, ...]:
    """ICU's consonant reading, the learned spelling if known, a Persian reading, and the
    French (Maghreb) reading of ش as ``ch``.

    The Persian reading (رضا: Arabic ``rida``, Persian ``reza``) is last, so that it goes
    with the learned spellings of the other words of the name (محمد رضا -> ``mohammed rza``).
    """
    if script == "Hebrew":
        return tuple(dict.fromkeys((hebrew_word(text), icu_ascii(text))))
    plain = _arabic_plain(text) if script == "Arabic" else icu_ascii(text)
    learned = arabic_word(text) if script == "Arabic" else None
    out = (plain, learned) if learned else (plain,)
    persian = text.translate(_PERSIAN) if script == "Arabic" else text
    out = (*out, _arabic_plain(persian)) if persian != text else out
    if script == "Arabic" and text.endswith("ة"):  # last: it goes with the plain readings
        out = (*out, _arabic_plain(text, construct=True))
    if script == "Arabic" and "ش" in text:  # French (Maghreb) spelling: ش ch (Chakib, Achour)
        out = (*out, plain.replace("sh", "ch"))
    return out


def arabic_systems(word: str) -> tuple[str, str]:
    """An Arabic-script word's ALA-LC and French (Maghreb) readings, ASCII, lower case
    (:mod:`embargo.names.romanise.arabic`)."""
    word = native_digits(word)
    found = _ascii((ala_lc(word), maghreb(word)))
    return (found[0], found[-1])


def _indic(text: str) -> tuple[str, ...]:
    """ICU's reading, and one without the word-final inherent vowel (व्लादिमीर -> vladimir)."""
    plain = icu_ascii(text)
    last = unicodedata.category(text[-1]) == "Lo" if text else False
    if last and plain.endswith("a") and len(plain) > 3:
        return (plain, plain[:-1])
    return (plain,)


_THAI_OE = re.compile(r"ex(?=[^aeiou]|$)")  # เ-อ: the vowel of เซอร์ (ser-)
_THAI_CARRIER = re.compile(r"\bx(?=[aeiou])")  # อ before a vowel: a silent carrier (อาลี)
_THAI_O = re.compile(r"x")  # -อ- / -อ: the vowel o (ลาฟรอฟ: laf-rof)


def _thai(text: str) -> tuple[str, ...]:
    """ICU's ISO 11940 reading, and one with อ read as Thai writes foreign names.

    ISO 11940 writes อ as ``x`` (เซอร์เกย์ ลาฟรอฟ -> sexr key la f rxf); in names it is
    the vowel o, part of the vowel e, or a silent carrier: ser key la f rof.
    """
    plain = icu_ascii(text)
    spoken = _THAI_O.sub("o", _THAI_CARRIER.sub("", _THAI_OE.sub("e", plain)))
    return (plain, spoken) if spoken != plain else (plain,)


def _ascii(readings: tuple[str, ...]) -> tuple[str, ...]:
    """Readings guaranteed ASCII (a library may pass letters through; they are dropped)."""
    if all(r.isascii() for r in readings):
        return tuple(dict.fromkeys(r.lower() for r in readings))
    return tuple(dict.fromkeys(_NON_ASCII.sub(" ", icu_ascii(r)).lower() for r in readings))


_GREEK_FOREIGN = (("ντ", "d"), ("Ντ", "D"), ("μπ", "b"), ("Μπ", "B"), ("γκ", "g"), ("Γκ", "G"))


def _greek_foreign(text: str) -> str:
    """Greek spellings of foreign sounds: ντ is d, μπ is b, γκ is g (Βλαντίμιρ -> Vladimir)."""
    for greek, latin in _GREEK_FOREIGN:
        text = text.replace(greek, latin)
    return text


LATIN_CHECKED = ((0xC0, 0x250), (0x1E00, 0x1F00))
"""Latin-1 Supplement, Latin Extended-A and -B, Latin Extended Additional."""
RIGOUR_OWN = frozenset("ƄƅƆƍƎƏƔƕƛƜƞƟƦƧƨƩƪƱƷƸƹƺƻƼƽƾƿǀǁǂǃǝǮǯǶǷȜȝȠȢȣɁɂɅɊɋẚẟ")
"""The letters of :data:`LATIN_CHECKED` that rigour spells otherwise than ICU's Latin-ASCII
(``Ə`` as ``a``); a test checks this list against both."""


def icu_suffices(text: str) -> bool:
    """Whether rigour's reading of a Latin word is ICU's: only letters where they agree.

    rigour's ``maybe_ascii`` costs ~75 µs per new word (it keeps what it has seen), ICU
    ~3 µs: a first screening of names with diacritics (``Müller``, ``Łukasz``) skips it.
    """
    for char in text:
        if char.isascii():
            continue
        code = ord(char)
        if char in RIGOUR_OWN or not any(lo <= code < hi for lo, hi in LATIN_CHECKED):
            return False
    return True


def romanise(text: str, script: str, alone: bool = True) -> tuple[str, ...]:
    """One or more ASCII readings of ``text`` (lower case, unfiltered punctuation).

    ``alone``: the word is the whole name (a Han name written without spaces is split
    into surname and given name; one word of several is read as one name part).
    """
    text = native_digits(text)
    if text.isascii():
        return (text.lower(),)
    if script == "Latin" and icu_suffices(text):
        return _ascii((icu_ascii(text),))  # what the next lines give, without rigour's cost
    if script in _RIGOUR_SCRIPTS:
        first = icu_ascii(maybe_ascii(text))
        second = icu_ascii(_greek_foreign(text) if script == "Greek" else text)
        return _ascii((first,) if first == second else (first, second))
    return _ascii(_native(text, script, alone))


@lru_cache(maxsize=32768)
def _native(text: str, script: str, alone: bool = True) -> tuple[str, ...]:
    if script == "Han":
        text = kanji_numbers(text).strip()
        return cjk.han(text, _surnames()) if alone else cjk.han_part(text)
    if script == "Japanese":
        return cjk.kana(kanji_numbers(text))
    if script == "Myanmar":
        return myanmar(text)
    if script == "Hangul":
        return hangul(text)
    if script == "Khmer":
        return (khmer(text),)
    if script in ABJADS:
        return _abjad(text, script)
    if script in INDIC:
        return _indic(text)
    if script == "Thai":
        return _thai(text)
    return (icu_ascii(text),)
