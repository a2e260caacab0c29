"""Letters a consonant skeleton drops or merges that still tell two words apart.

A skeleton (:func:`embargo.names.phonetic.skeleton`) merges ``k g j`` and drops vowels and
``h`` so that a vowel-less reading meets a Latin spelling. Across scripts that lift is right
for the letters a reading system really writes alike and wrong for the others:

- ``j`` (ج, ジ, ж, ``dj``) is never ``k`` or ``q``: ``ikbar`` is not Jaber, ``jabr`` not Kabir
  (``g`` may be either: Gamal / Jamal, Gim / Kim);
- a plain ``h`` of a vowel-less reading (ה, ح, ه) is never the ``ch`` / ``kh`` of a Latin
  spelling (ח, כ, خ): ``ohl`` (אוהל) is not Ochel, ``hdr`` (הדר) not Cheder;
- in a short word (three consonants or fewer) one consonant written differently makes another
  word unless the reading systems write those letters alike (ث ``th`` / ``s``, ذ ``dh`` /
  ``z``, a final ``d`` / ``t``): ``rimon`` (רימון) is not Limon, ``basir`` not Nasir;
- where both spellings write their vowels (a learned or ALA-LC reading against a Latin name),
  a different number of vowel groups is another name of the same consonants: ``mahmoud``
  (محمود) is not Mohamed.

Each test here only lowers a similarity (a cap or a lift withheld): none makes two tokens
score higher than before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import Levenshtein

from embargo.names.phonetic import fold, h_skeleton, undouble

_J_CLASSES: Final = (
    str.maketrans({**dict.fromkeys("pfbv", "b"), **dict.fromkeys("kg", "k"),
                   **dict.fromkeys("aeiouyhw'", None)}),
    str.maketrans({**dict.fromkeys("pfbv", "b"), "k": "k", "g": "j",
                   **dict.fromkeys("aeiouyhw'", None)}),
)
"""Skeleton letter classes with ``j`` apart from ``k``: ``g`` with ``k``, then with ``j``."""
norm_sim: Final = Levenshtein.normalized_similarity
_SIBILANTS: Final[tuple[tuple[str, str], ...]] = (("sh", "s"), ("ts", "s"), ("z", "s"))
_ALIKE: Final = frozenset({"ts", "st", "ds", "sd", "td", "dt"})
"""Skeleton letters that reading systems write for one letter (ث ``th`` / ``s``, ذ ض ``dh`` /
``z``, a final ``d`` / ``t``: Mohamed / Mehmet)."""
_VOWEL_GROUPS: Final = re.compile(r"[aeiou]+")
_CLUSTER: Final = re.compile(r"[^aeiou]{3}")
SHORT: Final = 3  # consonants: a word this short is told apart by any one of them


@lru_cache(maxsize=16384)
def _j_skeletons(text: str, abjad: bool, liquid: bool) -> tuple[tuple[str, ...], ...]:
    """A token's skeletons with ``j`` a class of its own, per reading of ``g`` (as ``k``,
    as ``j``); an abjad reading's ``w`` both as a vowel and as a consonant."""
    bases = [text]
    if abjad:  # ``j`` is ج there (kept from fold's Slavic glide), ``ts`` two letters
        raw = text.replace("ts", "t's").replace("j", "J")
        bases = [raw.replace("w", "u"), raw]
    out: list[tuple[str, ...]] = [(), ()]
    for base in bases:
        folded = fold(base)
        for old, new in _SIBILANTS:
            folded = folded.replace(old, new)
        folded = folded.replace("J", "j")
        if liquid:
            folded = folded.replace("l", "r")
        for k, table in enumerate(_J_CLASSES):
            out[k] = (*out[k], undouble(folded.translate(table)))
    return tuple(out)


def j_sim(a_text: str, a_abjad: bool, b_text: str, b_abjad: bool, liquid: bool) -> float:
    """How alike two tokens' skeletons are once ``j`` is not ``k`` (``liquid``: ``l`` read
    ``r``, as Japanese and Korean write one liquid)."""
    best = 0.0
    for p, q in j_pairs(a_text, a_abjad, b_text, b_abjad, liquid):
        found = norm_sim(p, q)
        if found > best:
            best = found
    return best


def j_pairs(a_text: str, a_abjad: bool, b_text: str, b_abjad: bool, liquid: bool = False,
            ) -> tuple[tuple[str, str], ...]:
    """Every pairing of two tokens' skeletons with ``j`` apart, ``g`` read alike on both."""
    out: list[tuple[str, str]] = []
    for x, y in zip(_j_skeletons(a_text, a_abjad, liquid),
                    _j_skeletons(b_text, b_abjad, liquid), strict=True):
        out.extend((p, q) for p in x for q in y)
    return tuple(out)


def j_matters(a_text: str, a_folded: str, b_text: str, b_folded: str) -> bool:
    """Whether a ``j`` may have met a ``k`` in the skeletons (cheap test first)."""
    return ("j" in a_text or "j" in a_folded or "j" in b_text or "j" in b_folded) and \
        ("k" in a_folded or "k" in b_folded or "g" in a_folded or "g" in b_folded
         or "c" in a_text or "c" in b_text or "q" in a_text or "q" in b_text)


@lru_cache(maxsize=16384)
def _x_skeleton(text: str, abjad: bool) -> str:
    """The skeleton keeping ``h``, with the digraphs ``kh`` and ``ch`` as one letter ``X``."""
    return h_skeleton(text.replace("kh", "X").replace("ch", "X"), abjad)


def guttural_apart(abjad_text: str, latin_text: str) -> bool:
    """A plain ``h`` of a vowel-less reading against a Latin ``ch`` / ``kh`` in a short word
    (``w`` read as a vowel or as a consonant). A Latin plain ``h`` may write ח or ح (Haim,
    Hamid): only the Latin digraph is decisive."""
    if "h" not in abjad_text or ("kh" not in latin_text and "ch" not in latin_text):
        return False
    theirs = _x_skeleton(latin_text, False)
    if "X" not in theirs:
        return False
    mine = (_x_skeleton(abjad_text.replace("w", "u"), True), _x_skeleton(abjad_text, True))
    plain = tuple(m.replace("X", "h") for m in mine)
    if theirs in mine or theirs in plain or min(len(p) for p in plain) > SHORT:
        return False
    return theirs.replace("X", "h") in plain


def one_letter_apart(pairs: tuple[tuple[str, str], ...]) -> bool:
    """Skeletons of short words that differ in one consonant, not one written two ways
    (``rmn`` / ``lmn``, ``bsr`` / ``nsr``; not ``tmn`` / ``smn``, Uthman / Osman), in some
    pairing of their readings and alike in none."""
    apart = False
    for x, y in pairs:
        if x == y:
            return False
        if len(x) != len(y) or len(x) > SHORT:
            continue
        differ = [k for k in range(len(x)) if x[k] != y[k]]
        if len(differ) == 1:
            if x[differ[0]] + y[differ[0]] in _ALIKE:
                return False
            apart = True
    return apart


def vowelled(text: str) -> bool:
    """Whether a spelling writes its vowels: two groups or more, no three consonants running
    (``mahmoud``; not a vowel-less reading's long vowels, ``antsar``, ``bydy``)."""
    return len(_VOWEL_GROUPS.findall(text)) >= 2 and _CLUSTER.search(text) is None


def vowels_differ(a_text: str, b_text: str) -> bool:
    """Both spellings write their vowels (two groups or more, no three consonants running)
    and not as many of them: ``mahmoud`` / ``mohamed`` (محمود, محمد); not a vowel-less
    reading's long vowels (``antsar`` / Intissar, ``bydy`` / Ubaydi)."""
    return vowelled(a_text) and vowelled(b_text) \
        and len(_VOWEL_GROUPS.findall(a_text)) != len(_VOWEL_GROUPS.findall(b_text))
