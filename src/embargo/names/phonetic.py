"""Spelling-convention folding, consonant skeletons and phonetic keys.

``fold`` removes the differences between romanisation conventions of the same
sound (kh/ch/h, zh/dj/j, w/v, y/i, Hungarian gy/ty/cs, doubled letters, -iy/-y endings, ou/oo/u);
``skeleton`` further drops vowels and merges consonants that vowel-less scripts
(Arabic, Hebrew) and loose romanisations confuse. ``phonetic_key`` is the
retrieval key built from the skeleton.
"""

from __future__ import annotations

import re
from functools import lru_cache

_GY = re.compile(r"(?<=[a-z])gy(?=[aeiou])")
_TY = re.compile(r"(?<=[a-z])ty(?=[aeiou])")
_FOLD_PLAIN: tuple[tuple[str, str], ...] = (
    ("cs", "ch"), ("sch", "sh"), ("tsch", "ch"), ("zh", "j"), ("dj", "j"), ("kh", "h"),
    ("ch", "h"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ck", "k"), ("q", "k"),
    ("w", "v"), ("x", "ks"), ("tz", "ts"), ("ou", "u"), ("oo", "u"), ("ee", "i"),
)
_FOLD_ENDINGS = ("ey", "iy", "ij", "ii", "yi")  # each written ``i`` at the end, in this order
_INNER_J = re.compile(r"(?<=[aeiou])j(?=[aeiou])")
_LATER_J = re.compile(r"(?<=.)j")
_SOFT_C = re.compile(r"c(?=[eiy])")
_SKEL_PLAIN: tuple[tuple[str, str], ...] = (("sh", "s"), ("ts", "s"), ("z", "s"))
_SKEL_CHARS = str.maketrans({**dict.fromkeys("pfbv", "b"), **dict.fromkeys("kgj", "k"),
                             **dict.fromkeys("aeiouyhw'", None)})
_NOMINATIVE = re.compile(r"(?<=[^aeiouy])[aeio]s$")


def _fold(token: str) -> str:
    out = token
    if "gy" in out:
        out = _GY.sub("d", out)
    if "ty" in out:
        out = _TY.sub("t", out)
    for old, new in _FOLD_PLAIN:  # literal rules: str.replace is re.sub for a literal
        if old in out:
            out = out.replace(old, new)
    if "\n" not in out:  # ``$`` also matches before a final newline: tokens have none
        for ending in _FOLD_ENDINGS:
            if out.endswith(ending):
                out = out[:-2] + "i"
    else:
        for ending in _FOLD_ENDINGS:
            out = re.sub(ending + "$", "i", out)
    out = out.replace("y", "i")
    if "j" in out:
        out = _LATER_J.sub("i", _INNER_J.sub("i", out))
    if "c" in out:
        out = _SOFT_C.sub("s", out).replace("c", "k")
    return undouble(out)


def undouble(text: str) -> str:
    """Each run of one character written once (``muhammad`` -> ``muhamad``; not newlines)."""
    last = ""
    doubled = False
    for char in text:
        if char == last and char != "\n":
            doubled = True
            break
        last = char
    if not doubled:
        return text
    out: list[str] = []
    last = ""
    for char in text:
        if char != last or char == "\n":
            out.append(char)
        last = char
    return "".join(out)


@lru_cache(maxsize=32768)
def fold(token: str) -> str:
    """The token with romanisation-convention differences removed."""
    return _fold(token)


@lru_cache(maxsize=32768)
def skeleton(token: str) -> str:
    """The consonant skeleton of a token, coarse enough to meet an abjad reading."""
    out = fold(token)
    for old, new in _SKEL_PLAIN:
        if old in out:
            out = out.replace(old, new)
    return undouble(out.translate(_SKEL_CHARS))


_SKEL_KEEP_H = str.maketrans({**dict.fromkeys("pfbv", "b"), **dict.fromkeys("kgj", "k"),
                              **dict.fromkeys("aeiouyw'", None)})


@lru_cache(maxsize=32768)
def h_skeleton(token: str, abjad: bool = False) -> str:
    """:func:`skeleton` (of an abjad reading: :func:`abjad_skeleton`) keeping ``h`` but at the end.

    ح, ه and خ are consonants that Latin spellings of Arabic names write (Ahmad, Mohammed,
    Khalid) but that :func:`skeleton` drops, so that ``mhmd`` and ``ahmad`` read alike; a
    final ``h`` (ة, ``Hamzah`` / ``Hamza``) is dropped on both sides.
    """
    if abjad:
        token = token.replace("ts", "t's").replace("j", "g")
    out = fold(token)
    for old, new in _SKEL_PLAIN:
        if old in out:
            out = out.replace(old, new)
    out = undouble(out.translate(_SKEL_KEEP_H))
    return out[:-1] if len(out) > 1 and out.endswith("h") else out


def abjad_skeleton(token: str) -> str:
    """The skeleton of a reading of Arabic or Hebrew letters, where ``j`` is a consonant.

    ``j`` there is ج (``mhmdjwad``: Mohammad Javad), never the glide that :func:`fold` makes
    of a ``j`` after the first letter (Slavic ``Nikolajev``): it is kept, as ``g`` (the same
    consonant class). Likewise ``ts`` is two consonants there, not one.
    """
    if "ts" in token:  # two letters there (ت س: ``antsar``, Intissar), never the affricate
        token = token.replace("ts", "t's")
    return skeleton(token.replace("j", "g")) if "j" in token else skeleton(token)


def phonetic_key(token: str) -> str:
    """A key for candidate retrieval: the first letter class and the skeleton.

    Tokens that differ only by romanisation convention or vowels share a key
    (``zakharova``, ``sacharowa``, ``zaharova``; ``mohammed``, ``mhmd``); a Baltic or
    Greek nominative ending is dropped (``putinas``, ``putin``).
    """
    token = token.lower()
    key = skeleton(token)
    if len(key) >= 4 and _NOMINATIVE.search(token):  # ``putinas``, ``vladimiros``: ``putin``
        key = key[:-1]
    return key or fold(token)[:3]
