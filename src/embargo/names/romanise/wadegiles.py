"""Chinese names written in Wade-Giles (``Hsi Chin-p'ing``, ``Mao Tse-tung``) read as pinyin.

Lists and older press write Chinese names in Wade-Giles, newer ones in pinyin; the two share
most letters but not the same sounds (WG ``hs`` is pinyin ``x``, unaspirated ``p`` is ``b``,
``ch'`` before i is ``q``). :func:`wade_giles` gives the pinyin reading of a name written in
Wade-Giles, syllables of one hyphenated word joined as pinyin joins them (``Jinping``), or
None when the name is not Wade-Giles: every word must be made of Wade-Giles syllables, a
given name's syllables must be hyphenated and some mark must show the system (an aspiration
apostrophe, ``hs``, ``ih``, ``ieh``, ``ung``, ``ts``/``tz``), so a pinyin or any other Latin
name gets no second reading; nor does ``CHOU, Hsien Cheng`` (syllables apart, as OFAC writes
them: read as pinyin they came near too many short Chinese names, ``张鑫``).
"""

from __future__ import annotations

import re
from functools import lru_cache

_INITIALS = (  # longest first: WG initial -> (pinyin before i or ü, pinyin otherwise)
    ("ch'", "q", "ch"), ("ch", "j", "zh"), ("hs", "x", "x"), ("k'", "k", "k"),
    ("k", "g", "g"), ("p'", "p", "p"), ("p", "b", "b"), ("t'", "t", "t"), ("ts'", "c", "c"),
    ("tz'", "c", "c"), ("ts", "z", "z"), ("tz", "z", "z"), ("sh", "sh", "sh"),
    ("ss", "s", "s"), ("sz", "s", "s"), ("t", "d", "d"), ("j", "r", "r"), ("f", "f", "f"),
    ("h", "h", "h"), ("l", "l", "l"), ("m", "m", "m"), ("n", "n", "n"), ("s", "s", "s"),
    ("w", "w", "w"), ("y", "y", "y"), ("", "", ""),
)
_FINALS = {  # WG final -> pinyin final
    "a": "a", "ai": "ai", "an": "an", "ang": "ang", "ao": "ao", "e": "e", "ei": "ei",
    "en": "en", "eng": "eng", "erh": "er", "i": "i", "ia": "ia", "iang": "iang",
    "iao": "iao", "ieh": "ie", "ien": "ian", "ih": "i", "in": "in", "ing": "ing",
    "iu": "iu", "iung": "iong", "o": "o", "ou": "ou", "u": "u", "ua": "ua", "uai": "uai",
    "uan": "uan", "uang": "uang", "ui": "ui", "un": "un", "ung": "ong", "uo": "uo",
    "ueh": "ue", "uei": "ui", "ue": "ue", "yu": "you",
}
_MARKS = re.compile(r"['’ʻ]|\bhs|ih\b|ieh|ung\b|\bt[sz]")
_WORD = re.compile(r"[a-z'’ʻ]+(?:-[a-z'’ʻ]+)*")


def _syllable(text: str) -> str | None:
    """One Wade-Giles syllable as pinyin, or None if it is not one."""
    text = text.replace("’", "'").replace("ʻ", "'")
    for wg, before_i, other in _INITIALS:
        if text.startswith(wg):
            final = text[len(wg):]
            pinyin = _FINALS.get(final)
            if pinyin is None or (not wg and final[:1] not in "aeo"):
                continue
            if wg == "y" and final == "u":
                pinyin = "u"  # WG yü (umlaut dropped): pinyin yu
            initial = before_i if final[:1] in ("i", "u") and wg in ("ch'", "ch", "hs") \
                else other
            if initial in ("j", "q", "x") and final[:1] not in ("i", "u"):
                continue
            return initial + pinyin
    return None


@lru_cache(maxsize=4096)
def wade_giles(name: str) -> tuple[str, ...] | None:
    """The pinyin tokens of a name written in Wade-Giles, or None (see the module)."""
    text = name.lower().replace(",", " ")
    if "-" not in text or not _MARKS.search(text):  # a given name's syllables hyphenated
        return None
    words = text.split()
    out = []
    for word in words:
        if not _WORD.fullmatch(word):
            return None
        syllables = [_syllable(part) for part in word.split("-")]
        if any(s is None for s in syllables):
            return None
        out.append("".join(s for s in syllables if s))
    return tuple(out) if out else None
