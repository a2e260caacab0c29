"""Two more reading systems of an Arabic-script word: ALA-LC and French (Maghreb) spelling.

Both are read letter by letter, with the long-vowel letters as vowels where ICU's reading
writes consonants (لونيسي: ICU ``lwnysy``, here ``lunisi`` / ``lounisi``):

* **ALA-LC / ULC** (library romanisation, close to OFAC's and the UN's own spellings), folded
  to ASCII: ʿayn and hamza dropped (the scorer drops apostrophes anyway), ā ī ū as a i u,
  the article ``al`` apart and never assimilated (الشمس: ``al shams``, not ``ash shams``),
  ى as ``a``, a final ة as ``ah``, ث ذ ظ ``th dh z``, ق ``q``, بن ``bin``, ابن ``ibn``.
* **French (Maghreb)**: و as ``ou`` (Mounir, Boughanmi, Ouali), ش ``ch``, ج ``dj``
  (Djamel), ق ``k``, خ ``kh``, ع dropped, a final ة ``a``, the article ``el``, ولد ``ould``,
  بن / ابن ``ben``. A word of the learned table (``abjad.arabic_word``) is respelt from its
  learned spelling instead, which has the vowels a letter reading cannot know
  (هشام: hisham -> ``hicham``).

Short vowels are read only when written (harakat); otherwise a reading is as vowel-less as
the script, and the scorer compares it by skeleton as it does ICU's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from embargo.names.romanise.abjad import ABD, ARTICLE, arabic_word

_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ک": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ھ": "h", "ء": "", "ؤ": "", "ئ": "", "پ": "p", "چ": "ch",
    "ژ": "zh", "گ": "g", "ڤ": "v", "ٹ": "t", "ڈ": "d", "ځ": "z", "ښ": "sh", "ټ": "t",
    "ډ": "d", "ړ": "r", "ږ": "zh", "ڼ": "n", "ں": "n", "ڑ": "r",
}
"""ALA-LC consonants, ASCII: the letters of Arabic, and those Persian, Pashto and Urdu add."""
_FRENCH = {**_CONSONANTS, "ج": "dj", "ش": "ch", "ق": "k", "ذ": "d", "ظ": "d", "ث": "th",
           "چ": "tch", "ژ": "j"}
"""French (Maghreb) spellings where they differ: Djamel, Chakib, Kacem, Dahbi."""
_ALIF = frozenset("اأإآٱ")
_WAW = frozenset("وۇۆ")
_YA = frozenset("يیېۍئےى")
_VOWEL_LETTERS = _ALIF | _WAW | _YA | {"ة"}
_HARAKAT = {"\u064e": "a", "\u0650": "i", "\u064f": "u"}  # fatha, kasra, damma
_SILENT = re.compile("[\u064b-\u064d\u0651-\u065f\u0670\u0640\u06d6-\u06ed]")
_WORDS = {"بن": ("bin", "ben"), "ابن": ("ibn", "ben"), "ولد": ("walad", "ould"),
          "بنت": ("bint", "bent"), "الله": ("allah", "allah"), "ابو": ("abu", "abou"),
          "أبو": ("abu", "abou"), "عبد": ("abd", "abd")}
"""Whole words spelt by convention, (ALA-LC, French)."""


def _glide(word: str, i: int) -> bool:
    """Whether و or ي at ``i`` is a consonant: first, after an alif, or before a vowel letter."""
    if i == 0 or word[i - 1] in _ALIF:
        return True
    return i + 1 < len(word) and word[i + 1] in _VOWEL_LETTERS and word[i] not in "ى"


_LENGTHENS = {"\u064e": _ALIF, "\u0650": _YA, "\u064f": _WAW}
"""A written short vowel and the letter after it that makes it long (كِي: ``ki``, not ``kii``)."""


def _letter(word: str, i: int, french: bool) -> str:
    char = word[i]
    if char in _HARAKAT:
        return _HARAKAT[char]
    if i and word[i - 1] in _LENGTHENS and char in _LENGTHENS[word[i - 1]] \
            and not (char not in _ALIF and _glide(word, i)):
        return ""
    if char in _ALIF:
        return "i" if char == "إ" else "a"
    if char in _WAW:
        return ("ou" if french else "w") if _glide(word, i) else ("ou" if french else "u")
    if char == "ى":
        return "a"
    if char in _YA:
        return "y" if _glide(word, i) else "i"
    if char == "ة":
        return "a" if french else "ah"
    return (_FRENCH if french else _CONSONANTS).get(char, char)


def _letters(word: str, french: bool) -> str:
    word = _SILENT.sub("", word)
    return "".join(_letter(word, i, french) for i in range(len(word)))


def _split(word: str) -> tuple[str, str, str]:
    """(``abd`` or "", the article or "", the rest) of a word (عبدالقادر: abd, al, qadr)."""
    abd = word.startswith(ABD) and len(word) > len(ABD) + 2
    rest = word[len(ABD):] if abd else word
    article = rest.startswith(ARTICLE) and len(rest) >= len(ARTICLE) + 3 and rest != "الله"
    return (ABD if abd else "", ARTICLE if article else "",
            rest[len(ARTICLE):] if article else rest)


@lru_cache(maxsize=16384)
def ala_lc(word: str) -> str:
    """The ALA-LC reading of one Arabic-script word, folded to ASCII (words apart by spaces)."""
    if word in _WORDS:
        return _WORDS[word][0]
    abd, article, rest = _split(word)
    parts = ("abd" if abd else "", "al" if article else "", _letters(rest, False))
    return " ".join(p for p in parts if p)


_FRENCH_SPELLING = (("sh", "ch"), ("oo", "ou"), ("ee", "i"), ("w", "ou"), ("q", "k"))
_LONE_U = re.compile(r"(?<![aou])u")
_J = re.compile(r"(?<!d)j")


def frenchify(spelling: str) -> str:
    """An English spelling of an Arabic name as French writes it (yusuf: ``yousouf``,
    hisham: ``hicham``, jamal: ``djamal``, walid: ``oualid``)."""
    out = spelling
    for old, new in _FRENCH_SPELLING:
        out = out.replace(old, new)
    out = _J.sub("dj", _LONE_U.sub("ou", out))
    return out.replace("abdoul ", "abdel").replace("abdul ", "abdel")


@lru_cache(maxsize=16384)
def maghreb(word: str) -> str:
    """The French (Maghreb) reading of one Arabic-script word (words apart by spaces)."""
    if word in _WORDS:
        return _WORDS[word][1]
    learned = arabic_word(word)
    if learned is not None:
        article = learned.startswith("al ")
        return "el " + frenchify(learned[3:]) if article else frenchify(learned)
    abd, art, rest = _split(word)
    if abd:
        return ("abdel" if art else "abd ") + _letters(rest, True)
    return ("el " if art else "") + _letters(rest, True)
