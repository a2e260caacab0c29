"""Korean (Hangul) romanisation: Revised Romanisation, McCune–Reischauer-like and loanword readings.

Hangul syllables are decomposed arithmetically into initial, medial and final jamo
(Unicode's Hangul syllable block is ordered that way), so no table of syllables is
needed. Three readings are produced:

* Revised Romanisation (RR): 김정은 -> gim jeong eun, 블라디미르 -> beulladimireu;
* the common/McCune–Reischauer-like usage in names: a voiceless first consonant and
  ``o``/``u`` for ㅓ/ㅡ: 김정은 -> kim jong un, 박 -> pak;
* a loanword reading that drops the epenthetic ㅡ Korean adds to foreign consonant
  clusters: 블라디미르 -> bladimir (matches Vladimir through the b/v skeleton).
"""

from __future__ import annotations

from functools import lru_cache

_BASE, _LAST = 0xAC00, 0xD7A3
INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
            "k", "t", "p", "h")
MEDIALS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")
FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
          "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
_COMMON_MEDIALS = {"eo": "o", "yeo": "yo", "eu": "u", "ui": "ui", "oe": "oe"}
_VOICELESS = {"g": "k", "d": "t", "b": "p"}
_EU = 18  # index of ㅡ among the medials
_RIEUL_FINAL = 8  # index of ㄹ among the finals
_RIEUL_INITIAL = 5


def jamo(char: str) -> tuple[int, int, int] | None:
    """(initial, medial, final) indices of a Hangul syllable, or None."""
    code = ord(char)
    if not _BASE <= code <= _LAST:
        return None
    code -= _BASE
    return code // 588, (code % 588) // 28, code % 28


def _syllable(parts: tuple[int, int, int], style: str, first: bool, after_l: bool) -> str:
    initial, medial, final = parts
    onset = INITIALS[initial]
    if after_l and initial == _RIEUL_INITIAL:
        onset = "" if style == "loan" else "l"  # ㄹㄹ is written ll
    vowel = MEDIALS[medial]
    coda = FINALS[final]
    if style == "common":
        vowel = _COMMON_MEDIALS.get(vowel, vowel)
        if first:
            onset = _VOICELESS.get(onset, onset)
    if style == "loan" and medial == _EU and onset and final in (0, _RIEUL_FINAL):
        vowel = ""
    return onset + vowel + coda


def _word(word: str, style: str, split: bool) -> str:
    out: list[str] = []
    after_l = False
    first = True
    for char in word:
        parts = jamo(char)
        if parts is None:
            out.append(char)
            first, after_l = True, False
            continue
        text = _syllable(parts, style, first or split, after_l and not split)
        out.append(f" {text} " if split else text)
        first = False
        after_l = parts[2] == _RIEUL_FINAL
    return " ".join("".join(out).split())


@lru_cache(maxsize=16384)
def hangul(word: str) -> tuple[str, ...]:
    """RR, common-usage and (when it differs) loanword readings of a Hangul word."""
    readings = [_word(word, "rr", False), _word(word, "common", False)]
    if any(p is not None and p[1] == _EU and p[2] in (0, _RIEUL_FINAL) for p in map(jamo, word)):
        readings.append(_word(word, "loan", False))
    return tuple(dict.fromkeys(readings))


@lru_cache(maxsize=16384)
def korean_person(word: str, surnames: tuple[tuple[str, str], ...]) -> tuple[str, ...] | None:
    """A 2-4 syllable name starting with a known surname: surname, then given syllables.

    ``surnames`` maps a surname syllable to its customary spelling (김 -> kim).
    """
    table = dict(surnames)
    if not 2 <= len(word) <= 4 or word[0] not in table or any(jamo(c) is None for c in word):
        return None
    given_rr = _word(word[1:], "rr", True)
    given_common = _word(word[1:], "common", True)
    surname_rr = _word(word[0], "rr", False)
    return tuple(dict.fromkeys((f"{table[word[0]]} {given_common}", f"{surname_rr} {given_rr}",
                                f"{table[word[0]]} {given_rr.replace(' ', '')}",
                                _word(word, "rr", False))))


def hangul_to_common(word: str) -> str:
    """The common-usage reading of a word already in Hangul (for Hanja readings)."""
    return _word(word, "common", False)
