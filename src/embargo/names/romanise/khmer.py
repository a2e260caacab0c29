"""Khmer to Latin, close to the UNGEGN romanisation, good enough for names.

ICU has no Khmer-Latin transliterator. A Khmer word is a run of consonants, each
optionally followed by a subscript consonant (``្`` + consonant), diacritics and a
vowel sign. A consonant with no vowel sign reads with its inherent vowel at the start
of a word before another consonant, and as a bare final consonant otherwise
(ពូទីន -> putin, វ៉្លាឌីមៀរ -> vladimier, ហ៊ុន សែន -> hun saen).
"""

from __future__ import annotations

from functools import lru_cache

CONSONANTS = {
    "ក": "k", "ខ": "kh", "គ": "k", "ឃ": "kh", "ង": "ng", "ច": "ch", "ឆ": "chh", "ជ": "ch",
    "ឈ": "chh", "ញ": "nh", "ដ": "d", "ឋ": "th", "ឌ": "d", "ឍ": "th", "ណ": "n", "ត": "t",
    "ថ": "th", "ទ": "t", "ធ": "th", "ន": "n", "ប": "b", "ផ": "ph", "ព": "p", "ភ": "ph",
    "ម": "m", "យ": "y", "រ": "r", "ល": "l", "វ": "v", "ឝ": "s", "ឞ": "s", "ស": "s", "ហ": "h",
    "ឡ": "l", "អ": "",
}
INDEPENDENT = {"ឥ": "e", "ឦ": "ei", "ឧ": "o", "ឩ": "ou", "ឪ": "ov", "ឫ": "rue", "ឬ": "rueu",
               "ឭ": "lue", "ឮ": "lueu", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao", "ឳ": "au"}
VOWELS = {
    "ា": "a", "ិ": "i", "ី": "i", "ឹ": "oe", "ឺ": "eu", "ុ": "u", "ូ": "u", "ួ": "uo",
    "ើ": "ae", "ឿ": "oea", "ៀ": "ie", "េ": "e", "ែ": "ae", "ៃ": "ai", "ោ": "ao", "ៅ": "au",
    "ំ": "m", "ះ": "h", "ៈ": "a",
}
COENG = "\u17d2"
INHERENT = "a"


def _clusters(word: str) -> list[tuple[str, str, bool]]:
    """(consonant letters, vowel spelling, has a vowel sign) per written cluster."""
    out: list[tuple[str, str, bool]] = []
    index = 0
    while index < len(word):
        char = word[index]
        index += 1
        if char in INDEPENDENT:
            out.append(("", INDEPENDENT[char], True))
            continue
        if char not in CONSONANTS:
            out.append((char, "", True))
            continue
        onset, vowel, marked = CONSONANTS[char], "", False
        while index < len(word) and (word[index] == COENG or word[index] in VOWELS
                                     or "\u17c9" <= word[index] <= "\u17d3"):
            mark = word[index]
            if mark == COENG and index + 1 < len(word) and word[index + 1] in CONSONANTS:
                onset += CONSONANTS[word[index + 1]]
                index += 1
            elif mark in VOWELS:
                vowel += VOWELS[mark]
                marked = True
            index += 1
        out.append((onset, vowel, marked))
    return out


@lru_cache(maxsize=16384)
def khmer(text: str) -> str:
    """UNGEGN-like reading of Khmer text (words kept apart as written)."""
    words = []
    for word in text.split():
        clusters = _clusters(word)
        pieces = []
        for position, (onset, vowel, marked) in enumerate(clusters):
            if not marked and position == 0 and len(clusters) > 1:
                vowel = INHERENT
            elif not marked and len(clusters) == 1:
                vowel = INHERENT if len(onset) <= 1 or onset == "" else "a"
            pieces.append(onset + vowel)
        words.append("".join(pieces))
    return " ".join(words)
