"""Spelling-convention folding, consonant skeletons and phonetic keys.

``fold`` removes the differences between romanisation conventions of the same
sound (kh/ch/h, zh/j, w/v, y/i, Hungarian gy/ty/cs, doubled letters, -iy/-y endings, ou/oo/u);
``skeleton`` further drops vowels and merges consonants that vowel-less scripts
(Arabic, Hebrew) and loose romanisations confuse. ``phonetic_key`` is the
retrieval key built from the skeleton.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FOLD_RULES: tuple[tuple[str, str], ...] = (
    (r"(?<=[a-z])gy(?=[aeiou])", "d"), (r"(?<=[a-z])ty(?=[aeiou])", "t"), (r"cs", "ch"),
    (r"sch", "sh"), (r"tsch", "ch"), (r"zh", "j"), (r"kh", "h"), (r"ch", "h"),
    (r"ph", "f"), (r"th", "t"), (r"dh", "d"), (r"gh", "g"), (r"ck", "k"), (r"q", "k"),
    (r"w", "v"), (r"x", "ks"), (r"tz", "ts"), (r"ou", "u"), (r"oo", "u"), (r"ee", "i"),
    (r"ey$", "i"), (r"iy$", "i"), (r"ij$", "i"), (r"ii$", "i"), (r"yi$", "i"), (r"y", "i"),
    (r"(?<=[aeiou])j(?=[aeiou])", "i"), (r"(?<=.)j", "i"), (r"c(?=[eiy])", "s"), (r"c", "k"),
    (r"(.)\1+", r"\1"),
)
_FOLD = tuple((re.compile(p), r) for p, r in _FOLD_RULES)

_SKEL_RULES: tuple[tuple[str, str], ...] = (
    (r"sh", "s"), (r"ts", "s"), (r"z", "s"), (r"[pfbv]", "b"), (r"[kgj]", "k"),
    (r"[aeiouyhw']", ""), (r"(.)\1+", r"\1"),
)
_NOMINATIVE = re.compile(r"(?<=[^aeiouy])[aeio]s$")
_SKEL = tuple((re.compile(p), r) for p, r in _SKEL_RULES)


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """The token with romanisation-convention differences removed."""
    out = token
    for pattern, repl in _FOLD:
        out = pattern.sub(repl, out)
    return out


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """The consonant skeleton of a token, coarse enough to meet an abjad reading."""
    out = fold(token)
    for pattern, repl in _SKEL:
        out = pattern.sub(repl, out)
    return out


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
