"""Arabic-script and Hebrew names: learned spellings with vowels, consonant readings as back-off.

Arabic and Persian write few vowels, so a letter-by-letter reading gives a consonant
skeleton (محمد -> mhmd). A word -> usual English spelling table learned from name
pairs (``scripts/build_romaniser.py``; shipped compressed in ``names/data/``) gives
the vowels for known words (محمد -> mohammed); unknown words joined to a prefix
(ال, و, ب, ل, عبد) are looked up without it; anything else keeps the consonant
reading, which the scorer compares by skeleton.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from importlib import resources

_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك",
    "ە": "ه", "ۀ": "ه", "ؤ": "و", "ئ": "ي", "ٹ": "ت", "ڈ": "د", "ں": "ن", "ھ": "ه",
})
ARTICLE = "ال"
ABD = "عبد"
_PREFIXES = ((ABD, "abd"), (ARTICLE, "al"), ("وال", "wal"), ("بال", "bil"), ("و", "w"),
             ("ب", "b"), ("ل", "l"))


def final_ha(word: str) -> str:
    """The word with a final ة written ه, as the end of a name says it (شريعة: sharia)."""
    return word[:-1] + "ه" if word.endswith("ة") else word


def normalise_arabic(word: str) -> str:
    """Arabic word without harakat and tatweel, letter variants (أ إ آ ى ی ک) folded."""
    return _DIACRITICS.sub("", word).translate(_FOLD)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    data = resources.files("embargo.names.data").joinpath("arabic.tsv.z").read_bytes()
    lines = zlib.decompress(data).decode("utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def _known(word: str) -> str | None:
    table = _table()
    if word in table:
        return table[word]
    if final_ha(word) in table:
        return table[final_ha(word)]
    return None


@lru_cache(maxsize=16384)
def arabic_word(word: str) -> str | None:
    """The usual English spelling of an Arabic-script word, when it can be learned."""
    key = normalise_arabic(word)
    found = _known(key)
    if found is not None:
        return found
    for prefix, latin in _PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= 3:
            rest = key[len(prefix):]
            if prefix == ABD and rest.startswith(ARTICLE):
                tail = _known(rest[2:])
                if tail is not None:
                    return f"abdul {tail}"
            tail = _known(rest)
            if tail is not None:
                return f"{latin} {tail}" if len(latin) > 1 else f"{latin}{tail}"
    return None


# Hebrew: consonants with the usual Israeli spelling; ו and י as vowels inside a word.
_HEBREW = {
    "א": "", "ב": "b", "ג": "g", "ד": "d", "ה": "h", "ז": "z", "ח": "ch", "ט": "t",
    "כ": "k", "ך": "kh", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s",
    "ע": "", "פ": "p", "ף": "f", "צ": "tz", "ץ": "tz", "ק": "k", "ר": "r", "ש": "sh",
    "ת": "t", "\x01": "ch", "\x02": "j", "\x03": "zh", "\x04": "th",
}
_HEBREW_VOWELLESS = re.compile("[\u0591-\u05c7]")


def _hebrew_letter(word: str, index: int) -> str:
    char = word[index]
    first, last = index == 0, index == len(word) - 1
    if char == "ו":
        if first or word[index - 1] == "ו" or (index + 1 < len(word) and word[index + 1] == "ו"):
            return "v"
        return "o"
    if char == "י":
        return "y" if first or (index + 1 < len(word) and word[index + 1] == "י") else "i"
    if char in "אע":
        vowel_next = index + 1 < len(word) and word[index + 1] in "וי"
        return "a" if first and not vowel_next else ""
    if char == "ה" and last and index > 0:
        return "a"
    if char == "ב" and not first:
        return "v"
    if char in "כפ" and not first:
        return "ch" if char == "כ" else "f"
    return _HEBREW.get(char, char)


@lru_cache(maxsize=16384)
def hebrew_word(word: str) -> str:
    """A modern Israeli reading of a Hebrew word: ו/י as vowels, ב/כ/פ soft inside a word."""
    word = _HEBREW_VOWELLESS.sub("", word)
    word = _GERESH.sub(lambda m: _GERESH_SOUNDS[m.group(1)], word)
    return "".join(_hebrew_letter(word, i) for i in range(len(word)))


_GERESH = re.compile("([צץגזת])['׳]")  # a geresh marks a foreign sound: ץ' is ch
_GERESH_SOUNDS = {"צ": "", "ץ": "", "ג": "", "ז": "", "ת": ""}
