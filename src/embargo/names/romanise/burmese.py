"""Burmese (Myanmar script) to the conventional Latin spelling of names.

Burmese names are written without spaces between syllables, while their usual
Latin spelling writes one word per syllable (ကျော်ဇော်ထွန်း -> Kyaw Zaw Htun).
A syllable is an onset consonant (or an independent vowel), optional medials
(ျ ြ ွ ှ), vowel signs, an optional final consonant killed by the asat ``်`` (or
stacked under the next one with ``္``) and tone marks. Each part maps to the
common-usage (MLCTS-like) spelling: ကျ -> ky, ချ -> ch, မြ -> my, ရှ -> sh,
ထ -> ht, သ -> th, ောင် -> aung, ိုင် -> aing, ိန် -> ein, တ် -> at, ...

Two readings are produced: a plain one (ာ as ``a``, ေ as ``e``) and a common-usage
one (open ာ written ``ar``, ေ written ``ay``, ဦ written ``oo``), since both are usual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

ONSETS = {
    "က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z",
    "ဈ": "z", "ဉ": "ny", "ည": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n",
    "တ": "t", "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "ph", "ဗ": "b",
    "ဘ": "b", "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h",
    "ဠ": "l", "အ": "", "ဿ": "th",
}
# Independent vowels: whole syllables on their own.
INDEPENDENT = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "aye", "ဩ": "aw", "ဪ": "aw"}
# The class of a final consonant (what the rhyme sounds like).
FINALS = {
    "က": "k", "ဂ": "k", "င": "ng", "စ": "s", "ဇ": "s", "ည": "ny", "ဉ": "ny", "ဋ": "t",
    "ဍ": "t", "ဏ": "n", "တ": "t", "ထ": "t", "ဒ": "t", "ဓ": "t", "န": "n", "ပ": "p", "ဗ": "p",
    "ဘ": "p", "မ": "m", "ယ": "y", "လ": "n", "သ": "t", "ဝ": "w",
}
MEDIAL_Y = "\u103b"  # ျ
MEDIAL_R = "\u103c"  # ြ
MEDIAL_W = "\u103d"  # ွ
MEDIAL_H = "\u103e"  # ှ
ASAT = "\u103a"  # ်
VIRAMA = "\u1039"  # ္
ANUSVARA = "\u1036"  # ံ
TONES = frozenset("\u1037\u1038")  # ့ း
VOWEL_SIGNS = {"\u102b": "a", "\u102c": "a", "\u102d": "i", "\u102e": "ii", "\u102f": "u",
               "\u1030": "uu", "\u1031": "e", "\u1032": "ai", "\u1034": "a", "\u1035": "a"}

# (vowel, final) -> (plain, usual) rhyme; vowel "" is the inherent a.
_OPEN = {"": "a", "a": "a", "i": "i", "ii": "i", "u": "u", "uu": "u", "e": "e", "ai": "e",
         "ea": "aw", "iu": "o"}
_USUAL_OPEN = {"a": "ar", "e": "ay", "ii": "ee"}
_CLOSED = {
    ("", "k"): "et", ("ea", "k"): "auk", ("iu", "k"): "aik", ("i", "k"): "eik",
    ("", "ng"): "in", ("ea", "ng"): "aung", ("iu", "ng"): "aing", ("a", "ng"): "aung",
    ("", "s"): "it", ("", "ny"): "i", ("", "t"): "at", ("i", "t"): "eik", ("u", "t"): "ok",
    ("", "n"): "an", ("i", "n"): "ein", ("u", "n"): "on", ("", "p"): "at", ("i", "p"): "eik",
    ("u", "p"): "ok", ("", "m"): "an", ("i", "m"): "ein", ("u", "m"): "on", ("", "y"): "e",
    ("ea", "y"): "aw", ("", "w"): "aw",
}
_USUAL_CLOSED = {("", "ny"): "ae", ("u", "n"): "one", ("u", "m"): "one"}
# With the medial ွ and no vowel sign the rhyme is rounded.
_ROUND = {"": "wa", "n": "un", "m": "un", "t": "ut", "p": "ut", "ng": "win", "k": "wet",
          "y": "we", "s": "wit"}


@dataclass(slots=True)
class Syllable:
    onset: str
    medials: set[str] = field(default_factory=set)
    vowel: str = ""
    final: str | None = None
    independent: bool = False
    creaky: bool = False


def _onset(syl: Syllable) -> str:
    base = ONSETS.get(syl.onset, "")
    medials = syl.medials
    if MEDIAL_Y in medials or MEDIAL_R in medials:
        base = {"k": "ky", "kh": "ch", "g": "gy", "ng": "ny", "l": "ly", "y": "y"}.get(
            base, base + "y")
    if MEDIAL_H in medials:
        if base in ("y", "ly"):
            return "sh"
        base = "h" + base if base else "h"
    return base


def _rhyme(syl: Syllable, usual: bool) -> str:
    vowel, final = syl.vowel, syl.final
    if MEDIAL_W in syl.medials and vowel == "e" and final is None:
        return "we"
    if MEDIAL_W in syl.medials and vowel in ("", "a"):
        rounded = _ROUND.get(final or "")
        if rounded is not None:
            return rounded
    if final is None:
        if usual and vowel in _USUAL_OPEN:
            return _USUAL_OPEN[vowel]
        rhyme = _OPEN.get(vowel, "a")
        return ("w" + rhyme) if MEDIAL_W in syl.medials else rhyme
    key = (vowel if vowel in ("i", "u", "ea", "iu", "a") else "", final)
    if key == ("", "ng") and syl.creaky:
        return "int"
    if usual and key in _USUAL_CLOSED:
        return _USUAL_CLOSED[key]
    return _CLOSED.get(key) or _CLOSED.get(("", final), "a")


def _spell(syl: Syllable, usual: bool, after_open: bool) -> str:
    """One syllable; ``after_open``: it follows an open syllable of the same word."""
    if syl.independent:
        text = INDEPENDENT[syl.onset]
        return "oo" if usual and text == "u" else text
    onset = _onset(syl)
    if after_open and not usual and onset == "y" and syl.onset == "ရ":
        onset = "r"  # ရ inside a word of Pali origin: Thiri, Zeyar
    elif after_open and usual and onset == "t":
        onset = "d"  # voicing inside a word: ရတနာ -> Yadanar
    if not onset and syl.vowel == "e" and syl.final is None:
        return "aye"
    return onset + _rhyme(syl, usual)


def _add_vowel(syl: Syllable, sign: str) -> None:
    value = VOWEL_SIGNS[sign]
    if {syl.vowel, value} == {"e", "a"}:
        syl.vowel = "ea"
    elif {syl.vowel, value} == {"i", "u"}:
        syl.vowel = "iu"
    else:
        syl.vowel = value


def _is_final(text: str, index: int) -> bool:
    """Whether the consonant at ``index`` is killed (asat or stacked): a final."""
    rest = index + 1
    while rest < len(text) and text[rest] in TONES:
        rest += 1
    return rest < len(text) and text[rest] in (ASAT, VIRAMA)


def syllables(word: str) -> list[Syllable | str]:
    """Parse a Burmese word into syllables; other characters pass through as strings."""
    out: list[Syllable | str] = []
    current: Syllable | None = None
    for index, char in enumerate(word):
        if char in ONSETS:
            if current is not None and _is_final(word, index) and current.final is None:
                current.final = FINALS.get(char, "t")
                continue
            current = Syllable(char)
            out.append(current)
        elif char in INDEPENDENT:
            current = Syllable(char, independent=True)
            out.append(current)
        elif current is not None and char in (MEDIAL_Y, MEDIAL_R, MEDIAL_W, MEDIAL_H):
            current.medials.add(char)
        elif current is not None and char in VOWEL_SIGNS:
            _add_vowel(current, char)
        elif current is not None and char == ANUSVARA:
            current.final = current.final or "m"
        elif current is not None and char == "\u1037":
            current.creaky = True
        elif char in TONES or char in (ASAT, VIRAMA):
            continue
        else:
            current = None
            out.append(char)
    return out


@lru_cache(maxsize=16384)
def burmese(word: str) -> tuple[str, str]:
    """Plain and common-usage readings of ``word``, one Latin word per syllable.

    Joining the syllables of a word (Thiri, Mingalar) is left to the caller.
    """
    parts = syllables(word)
    readings = []
    for usual in (False, True):
        pieces, after_open = [], False
        for part in parts:
            if isinstance(part, Syllable):
                pieces.append(f" {_spell(part, usual, after_open)} ")
                after_open = part.final is None and not part.independent
            else:
                pieces.append(part)
                after_open = False
        readings.append(" ".join("".join(pieces).split()))
    return readings[0], readings[1]
