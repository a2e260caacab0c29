"""Generated query names for the retrieval evaluation: other scripts, noise, negatives.

Every generator is a pure function of its inputs and a seeded ``random.Random``, so a set is
the same on every run. Cross-script names are written from the lists' own Latin names with
the Wikidata word tables of ``eval/transliteration`` (English word -> the same word in
Arabic, Cyrillic, Chinese or Japanese script, its most frequent spelling), so no set links
one publisher's entries to another's.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path

SCRIPTS = ("arabic", "russian", "chinese", "japanese")
_WORD = re.compile(r"[a-z]+")
_LOOK_ALIKE = {"o": "0", "i": "1", "l": "1", "g": "9", "s": "5", "e": "3", "a": "4"}
NICKNAMES = {"mohammed": "mo", "muhammad": "mo", "abdullah": "abdalla", "alexander": "alex",
             "aleksandr": "sasha", "vladimir": "volodya", "william": "bill",
             "robert": "bob", "james": "jim", "joseph": "joe", "michael": "mike",
             "ibrahim": "ibrahem", "youssef": "yusuf", "yusuf": "youssef"}


def word_table(path: Path) -> dict[str, str]:
    """English word -> its most frequent spelling in the other script (spaces removed)."""
    best: dict[str, tuple[int, str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or not parts[2].isdigit():
                continue
            word, native, count = parts[0].lower(), parts[1].replace(" ", ""), int(parts[2])
            if count > best.get(word, (0, ""))[0]:
                best[word] = (count, native)
    return {word: native for word, (_, native) in best.items()}


def in_script(name: str, table: dict[str, str], japanese: bool = False) -> str | None:
    """``name`` written word by word in another script, or None if a word is unknown."""
    words = _WORD.findall(name.lower())
    if not words or any(w not in table for w in words):
        return None
    return ("・" if japanese else " ").join(table[w] for w in words)


def noisy(name: str, rng: random.Random) -> str:
    """One typist's or OCR's change: look-alike digit, dropped, doubled or swapped letter,
    tokens reordered, a given name as its initial or nickname."""
    tokens = name.replace(",", " ").split()
    kind = rng.randrange(7)
    if kind == 4 and len(tokens) > 1:
        rng.shuffle(tokens)
        return " ".join(tokens)
    if kind == 5 and len(tokens) > 2:
        k = rng.randrange(len(tokens) - 1)
        tokens[k] = tokens[k][0] + "."
        return " ".join(tokens)
    if kind == 6:
        tokens = [NICKNAMES.get(t.lower(), t) for t in tokens]
        return " ".join(tokens)
    longest = max(range(len(tokens)), key=lambda k: len(tokens[k])) if tokens else 0
    if not tokens or len(tokens[longest]) < 4:
        return name
    word = tokens[longest]
    at = rng.randrange(1, len(word) - 1)
    if kind == 0:
        letters = [k for k, ch in enumerate(word) if ch.lower() in _LOOK_ALIKE]
        if letters:
            at = rng.choice(letters)
            word = word[:at] + _LOOK_ALIKE[word[at].lower()] + word[at + 1:]
    elif kind == 1:
        word = word[:at] + word[at + 1:]
    elif kind == 2:
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at - 1] + word[at] + word[at - 1] + word[at + 1:]
    tokens[longest] = word
    return " ".join(tokens)


def split(items: Sequence[object], seed: int) -> tuple[list[int], list[int]]:
    """Positions of a development half and a held-out half, drawn once with ``seed``."""
    rng = random.Random(seed)
    dev: list[int] = []
    held: list[int] = []
    for k in range(len(items)):
        (dev if rng.random() < 0.5 else held).append(k)
    return dev, held
