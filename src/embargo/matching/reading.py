"""Name readings prepared for alignment, and the memoised token similarity.

Everything that depends on one name only (folded spellings, consonant skeletons,
weights, joined forms, runs of adjacent tokens) is computed once here, when an
entity is prepared; the per-pair code only looks these up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from rapidfuzz.distance import OSA, Levenshtein, Prefix

from embargo.matching import weights as w
from embargo.matching.letters import (
    SHORT,
    guttural_apart,
    j_matters,
    j_pairs,
    j_sim,
    one_letter_apart,
    vowels_differ,
)
from embargo.names.form import NameForm
from embargo.names.lexicon import TITLES
from embargo.names.phonetic import abjad_skeleton, fold, h_skeleton, skeleton
from embargo.names.rarity import rarity

# Final: the compiled kernel reads these names as C constants and statics, not by a lookup
# in the module's namespace on every use (the token similarity reads several per call)
norm_sim: Final = Levenshtein.normalized_similarity
edit_sim: Final = OSA.normalized_similarity  # a swap of two letters is one edit
common_start: Final = Prefix.similarity  # length of the common prefix

STRICT_ORG: Final = 0
STRICT_PERSON: Final = 1
LOOSE: Final = 2
CROSS: Final = 3
ALPHA: Final = 4
"""Comparison modes: same Latin-like script (organisation or person), a vowel-less
script on either side, a syllabic script whose loanwords gain vowels on either side,
or two other different scripts that write every vowel (alphabets, Han readings)."""
SYLLABIC: Final = frozenset({"Hangul", "Japanese", "Myanmar", "Khmer", "Thai", "Lao", "Ethiopic",
                      "Tibetan", "Sinhala"})
"""Scripts whose romanised loanwords gain or lose vowels (블라디미르 -> beulladimireu):
against them consonant skeletons decide (mode ``CROSS``)."""
# (tuples of ``...``: this mypyc misreads a fixed-length tuple of floats as a Final unset)
STRICTNESS: Final[tuple[float, ...]] = (w.STRICT, w.PERSON_STRICT, w.STRICT, w.STRICT,
                                        w.STRICT)
ROWS: Final[tuple[dict[str, dict[str, float]], ...]] = ({}, {}, {}, {}, {})
"""Memoised token similarities: per mode, one row per token signature, keyed by the other's
(looked up without building a key: a row is fetched once per token of a pair of readings)."""
MEMO_MAX: Final = 100_000
_memo_size: Final = [0]


@dataclass(frozen=True, slots=True, eq=False)
class Token:
    text: str
    folded: str
    skel: str
    skel_alt: str  # abjad reading with w as v (ו, و as consonants)
    concept: str | None
    weak: bool
    weight: float
    sig: str  # everything the similarity depends on, as one memo key

    def __reduce__(self) -> tuple[Any, ...]:  # pickled by value, rebuilt by the constructor
        return Token, (self.text, self.folded, self.skel, self.skel_alt, self.concept,
                       self.weak, self.weight, self.sig)


@dataclass(slots=True, eq=False)
class Reading:
    """One romanised variant of a name, ready to align."""

    form: NameForm
    tokens: tuple[Token, ...]
    sigs: tuple[str, ...]
    strong: tuple[int, ...]  # indices of distinctive tokens
    exact: tuple[str, ...]  # sorted token texts: equal ones score 1.0 at once
    joined: str  # folded distinctive tokens without spaces
    joined_all: str  # folded tokens, weak ones included, without spaces
    joined_skel: str
    core: str  # folded distinctive non-generic tokens without spaces
    core_skel: str
    core_alt: str
    index: dict[str, int]  # signature -> position, when no token repeats
    weights: tuple[float, ...]
    weakness: tuple[bool, ...]
    script: str
    abjad: bool
    strong_weight: float  # sum of the weights of distinctive tokens
    total_weight: float
    strong_mask: int = 0  # bit i set: token i is distinctive
    weak_mask: int = 0  # bit i set: token i is weak

    def __reduce__(self) -> tuple[Any, ...]:
        return Reading, (
            self.form, self.tokens, self.sigs, self.strong, self.exact,
            self.joined, self.joined_all, self.joined_skel, self.core, self.core_skel,
            self.core_alt, self.index,
            self.weights, self.weakness, self.script, self.abjad, self.strong_weight,
            self.total_weight, self.strong_mask, self.weak_mask,
        )


def make_token(text: str, folded: str, skel: str, alt: str, concept: str | None,
               weak: bool, weight: float) -> Token:
    return Token(text, folded, skel, alt, concept, weak, weight,
                 f"{text}\x1f{folded}\x1f{skel}\x1f{alt}\x1f{concept or ''}")


def _token(text: str, form: NameForm) -> Token:
    concept = form.concept(text) if form.concepts else None
    return _shared_token(text, concept, text in form.weak and concept is None, form.abjad)


@lru_cache(maxsize=32768)
def _shared_token(text: str, concept: str | None, weak: bool, abjad: bool) -> Token:
    """One token, shared by every name that writes it alike (tokens repeat across names)."""
    base = text.replace("w", "u") if abjad else text
    weight = w.GENERIC_WEIGHT if concept else w.STRONG_WEIGHT * rarity(fold(base))
    if weak:  # a title says nothing about who it is
        weight = w.TITLE_WEIGHT if text in TITLES else w.WEAK_WEIGHT
    if abjad:
        return make_token(text, fold(base), abjad_skeleton(base), abjad_skeleton(text), concept,
                          weak, weight)
    return make_token(text, fold(base), skeleton(base), "", concept, weak, weight)


def span_token(span: tuple[Token, ...]) -> Token:
    return make_token("".join(t.text for t in span), "".join(t.folded for t in span),
                      "".join(t.skel for t in span), "".join(t.skel_alt for t in span),
                      None, False, sum(t.weight for t in span))


Run = tuple[range, Token, int]
"""Adjacent tokens (their positions), written as one token, and their positions as bits."""


@lru_cache(maxsize=16384)
def spans(tokens: tuple[Token, ...]) -> tuple[Run, ...]:
    """Runs of 2 and 3 adjacent distinctive tokens, each written as one token."""
    out = []
    for size in (2, 3):
        for start in range(len(tokens) - size + 1):
            span = tokens[start:start + size]
            if not any(t.weak for t in span):
                mask = ((1 << size) - 1) << start
                out.append((range(start, start + size), span_token(span), mask))
    return tuple(out)


def _core_key(t: Token) -> tuple[str, str]:
    return t.skel, t.folded


def _reading(form: NameForm, variant: tuple[str, ...]) -> Reading:
    tokens = tuple([_token(t, form) for t in variant])
    strong: list[int] = []
    weak: list[int] = []
    core: list[Token] = []
    strong_weight = total_weight = 0.0
    for i, t in enumerate(tokens):
        total_weight += t.weight
        if t.weak:
            weak.append(i)
        else:
            strong.append(i)
            strong_weight += t.weight
            if t.concept is None:
                core.append(t)
    core.sort(key=_core_key)  # ``LAST, First`` or ``First Last``
    sigs = tuple([t.sig for t in tokens])
    return Reading(
        form=form, tokens=tokens, sigs=sigs, strong=tuple(strong),
        exact=tuple(sorted(variant)),
        joined="".join([tokens[i].folded for i in strong]),
        joined_all="".join([t.folded for t in tokens]),
        joined_skel="".join([tokens[i].skel for i in strong]),
        core="".join([t.folded for t in core]), core_skel="".join([t.skel for t in core]),
        core_alt="".join([t.skel_alt or t.skel for t in core]),
        index={s: i for i, s in enumerate(sigs)} if len(set(sigs)) == len(sigs) else {},
        weights=tuple([t.weight for t in tokens]), weakness=tuple([t.weak for t in tokens]),
        script=form.script, abjad=form.abjad,
        strong_weight=strong_weight, total_weight=total_weight,
        strong_mask=sum(1 << i for i in strong), weak_mask=sum(1 << i for i in weak),
    )


@lru_cache(maxsize=8192)
def readings(form: NameForm) -> tuple[Reading, ...]:
    """Every variant of ``form`` ready to align (cached: forms repeat across entities)."""
    return tuple(_reading(form, v) for v in form.variants)


def _similarity(a: Token, b: Token, mode: int) -> float:
    at, bt = a.text, b.text
    if at == bt or (a.concept is not None and a.concept == b.concept):
        return 1.0
    af, bf = a.folded, b.folded
    shortest = min(len(at), len(bt))
    if af == bf and (mode < ALPHA or shortest > 3):
        return 0.97  # across alphabets a short syllable (``hou``, ``chou``) must be spelt alike
    if mode == CROSS and af.replace("l", "r") == bf.replace("l", "r"):
        return 0.95  # one liquid in Japanese and Korean: アリ is Ali
    sim = edit_sim(at, bt) if mode >= ALPHA and shortest <= 3 else edit_sim(af, bf)
    if mode >= LOOSE:
        sim = _loose(a, b, mode, sim)
    elif a.skel != b.skel and not _same_sound(at, bt, mode):
        sim -= STRICTNESS[mode] * (1.0 - edit_sim(a.skel, b.skel))
    elif len(a.skel) >= 2 and (af[0] == bf[0] or _vowel_starts(af, bf, a.skel)) and (
            mode != STRICT_ORG or min(len(af), len(bf)) >= 6) and sim >= 0.5 \
            and _syllables(af, bf):  # spelt half alike: not ``kotaehun`` / ``kahtani``
        sim = max(sim, 0.85)
    if shortest == 1 and at[0] == bt[0]:
        sim = max(sim, 0.85)
    elif mode != STRICT_ORG and sim < 0.85 and _variant(af, bf):
        sim = 0.85
    if a.concept is not None and b.concept is not None:
        sim = min(sim, 0.4)
    elif mode <= STRICT_PERSON and _other_family(af, bf):
        sim = min(sim, w.MIN_PAIR_SIM)
    elif mode >= LOOSE and sim > w.APART_SIM and _letters_apart(a, b, mode):
        sim = w.APART_SIM
    return max(sim, 0.0)


_SUN: Final = frozenset("tdrzsn")


def _long(t: Token) -> bool:
    """More consonants than a short word has, however ``w`` is read (skeletons only grow
    when ``h`` is kept or ``j`` set apart from ``k``)."""
    return len(t.skel) > SHORT and (not t.skel_alt or len(t.skel_alt) > SHORT)


def _assimilated(af: str, bf: str) -> bool:
    """The article's ``l`` written as the sun letter after it (Abdul / Abdur, Abdus, Abdun)."""
    if len(af) != len(bf) or len(af) < 3 or af[:-1] != bf[:-1] or af[-2] not in "aeu":
        return False
    ends = af[-1] + bf[-1]
    return (ends[0] == "l" and ends[1] in _SUN) or (ends[1] == "l" and ends[0] in _SUN)


def _letters_apart(a: Token, b: Token, mode: int) -> bool:
    """Across scripts, two short words one informative letter apart (:mod:`letters`):
    one consonant of another class (``rimon`` / Limon), or a vowel-less reading's plain
    ``h`` against a Latin ``ch`` / ``kh`` (``hdr`` / Cheder)."""
    if _long(a) or _long(b):  # every test here is of short words (the common case: cheap)
        return False
    if mode == LOOSE:
        if a.skel_alt and not b.skel_alt and guttural_apart(a.text, b.text):
            return True
        if b.skel_alt and not a.skel_alt and guttural_apart(b.text, a.text):
            return True
    if mode != LOOSE and mode != ALPHA:  # syllabic scripts: one liquid, epenthetic letters
        return False
    if "c" in a.text or "c" in b.text:  # a Latin c is k or a soft c (Faical: ç): ambiguous
        return False
    if _assimilated(a.folded, b.folded):
        return False
    if one_letter_apart(((a.skel, b.skel), (a.skel_alt or a.skel, b.skel_alt or b.skel))):
        return True
    return j_matters(a.text, a.folded, b.text, b.folded) and one_letter_apart(
        j_pairs(a.text, bool(a.skel_alt), b.text, bool(b.skel_alt)))  # ``jamil`` / Kamil


_FAMILY_ENDINGS: Final[tuple[tuple[str, str], ...]] = (
    ("sen", "son"), ("sen", "sson"), ("son", "sen"), ("sson", "sen"))
"""Patronymic surname endings one vowel apart that make two families, not two spellings:
Hansen / Hanson, Nielsen / Nielson, Larsen / Larsson."""


def _other_family(af: str, bf: str) -> bool:
    """Two Latin surnames of one stem and different patronymic endings."""
    for x, y in _FAMILY_ENDINGS:
        if af.endswith(x) and bf.endswith(y) and len(af) > len(x) + 1 \
                and af[:-len(x)] == bf[:-len(y)]:
            return True
    return False


def _same_sound(at: str, bt: str, mode: int) -> bool:
    """Two Latin spellings of one Arabic or Persian name: ث written ``th`` or ``s``, ذ ``dh``
    or ``z`` (Uthman / Osman, Dhiab / Ziab), ش ``sh`` or, in French, ``ch`` (Khoshghadam /
    Khochghadam, in long tokens only: Chen and Shen are two names): the skeletons agree once
    both are read so."""
    if mode == STRICT_ORG:
        return False
    if ("th" in at or "th" in bt or "dh" in at or "dh" in bt) and \
            _sibilant_skeleton(at) == _sibilant_skeleton(bt):
        return True
    shin = ("ch" in at and "sh" in bt) or ("sh" in at and "ch" in bt)
    return shin and min(len(at), len(bt)) >= 6 and _shin_skeleton(at) == _shin_skeleton(bt)


@lru_cache(maxsize=4096)
def _shin_skeleton(token: str) -> str:
    return skeleton(token.replace("ch", "sh"))


@lru_cache(maxsize=4096)
def _sibilant_skeleton(token: str) -> str:
    return skeleton(token.replace("th", "s").replace("dh", "z"))


_VOWELS: Final = re.compile(r"[aeiou]+")


def _syllables(af: str, bf: str) -> bool:
    """As many vowel groups in both: spellings of one name (Muhammad / Mohammed, Hasan /
    Husain), not two names of one skeleton (Mahmud / Mohamed)."""
    return len(_VOWELS.findall(af)) == len(_VOWELS.findall(bf))


def _vowel_starts(af: str, bf: str, skel: str) -> bool:
    """Both spellings start with close vowels (o/u: Osman / Usman, e/i: Intissar / Entesar),
    on a skeleton long enough (three consonants) not to fit many names."""
    return len(skel) >= 3 and (af[0] + bf[0] in _CLOSE_VOWELS)


_CLOSE_VOWELS: Final = frozenset({"ou", "uo", "ei", "ie"})


def _loose(a: Token, b: Token, mode: int, sim: float) -> float:
    """Across scripts: consonant skeletons may lift the spelling's similarity."""
    if not _skeletons_comparable(a, b, mode):
        return sim
    skel = max(norm_sim(a.skel, b.skel), norm_sim(a.skel_alt or a.skel, b.skel_alt or b.skel))
    if skel > 0.0 and ("h" in a.folded or "h" in b.folded):  # ح ه خ are consonants
        skel = min(skel, _h_sim(a, b))
    if mode == CROSS:  # one liquid in Japanese and Korean loanwords
        skel = max(skel, norm_sim(a.skel.replace("l", "r"), b.skel.replace("l", "r")))
    if skel > 0.0 and j_matters(a.text, a.folded, b.text, b.folded):  # ج, ジ are not k
        skel = min(skel, j_sim(a.text, bool(a.skel_alt), b.text, bool(b.skel_alt),
                               mode == CROSS))
    if skel >= 1.0 and mode == LOOSE and vowels_differ(a.text, b.text):
        skel = 0.0  # one skeleton, both write their vowels, not alike: two names (محمود, محمد)
    sim = max(sim, (0.9 + 0.05 * sim) * skel)  # the spelling breaks ties between skeletons
    if w.LOOSE_GOOD <= sim < w.GOOD_PAIR_SIM and skel >= 0.6 and \
            abs(len(a.folded) - len(b.folded)) <= 2:  # spellings drift across scripts
        return w.GOOD_PAIR_SIM
    if sim < 0.85 and len(a.skel) >= 4 and _variant(a.skel, b.skel):
        return 0.85
    return sim


def _h_skeletons(t: Token) -> tuple[str, str]:
    """A token's skeletons keeping ``h`` (w as a vowel, w as a consonant in an abjad)."""
    if not t.skel_alt:  # a Latin spelling: one reading of w
        one = h_skeleton(t.text)
        return one, one
    return h_skeleton(t.text.replace("w", "u"), True), h_skeleton(t.text, True)


def _h_sim(a: Token, b: Token) -> float:
    """How alike two tokens' skeletons are once ``h`` counts (``mhmd`` / ``ahmad``: 0.75)."""
    a1, a2 = _h_skeletons(a)
    b1, b2 = _h_skeletons(b)
    return max(norm_sim(a1, b1), norm_sim(a2, b2))


def _skeletons_comparable(a: Token, b: Token, mode: int) -> bool:
    """Whether consonant skeletons say enough to decide.

    Where vowels are written on both sides, only skeletons of three consonants or
    more, or of two when the spellings are half alike; against a vowel-less
    script, one-consonant skeletons of short tokens too.
    """
    if not a.skel or not b.skel:
        return False
    if mode == ALPHA:  # vowels written on both sides must roughly agree too
        return min(len(a.skel), len(b.skel)) >= 3 and edit_sim(a.folded, b.folded) >= 0.6
    if mode == CROSS:
        shortest = min(len(a.skel), len(b.skel))
        return shortest >= 3 or (shortest == 2 and edit_sim(a.folded, b.folded) > 0.5)
    shortest = min(max(len(a.skel), len(a.skel_alt)), max(len(b.skel), len(b.skel_alt)))
    if shortest >= 3:
        return True
    # one or two consonants fit many names: the letters written must half agree too
    spelt = edit_sim(a.folded, b.folded)
    if shortest == 2:
        return spelt >= 0.45
    return max(len(a.folded), len(b.folded)) <= 4 and spelt >= 0.5


_ENDINGS: Final = re.compile(r"(?:[aeiouy]s|[aeiou])$")


def _stem(token: str) -> str:
    """The token without a nominative or vowel ending (Greek, Baltic: ``-os``, ``-as``).

    What ``_ENDINGS`` removes, worked out without a regular expression or a cache lookup
    (it is asked for twice per pair of tokens that differ).
    """
    if len(token) <= 5:
        return token
    if "\n" in token:  # ``$`` also matches before a final newline: tokens have none
        return _ENDINGS.sub("", token)
    if token[-1] == "s" and token[-2] in "aeiouy":
        return token[:-2]
    return token[:-1] if token[-1] in "aeiou" else token


def _variant(a: str, b: str) -> bool:
    """Spellings of one name that differ only at the end.

    Either one is the other plus a short ending (``putinas``, ``putini``) or they
    share a long start (``vladimirovitj`` / ``vladimirovich``).
    """
    la, lb = len(a), len(b)
    short, long, ls, ll = (a, b, la, lb) if la <= lb else (b, a, lb, la)
    if ls >= 4 and ll - ls <= 2 and long.startswith(short):
        return True
    if ls >= 5 and ll > 5 and _stems_alike(a, b):  # a stem needs 5 letters, drops past 5
        return True
    if ls < 6 or a[:6] != b[:6]:  # the shared start must be 6 letters or more
        return False
    return common_start(a, b) >= 0.75 * ll


def _stems_alike(a: str, b: str) -> bool:
    """``alexandros`` / ``alexander``: the stems alike, one of them shorter than its token."""
    stem_a, stem_b = _stem(a), _stem(b)
    if min(len(stem_a), len(stem_b)) < 5 or (stem_a == a and stem_b == b):
        return False
    longest = max(len(stem_a), len(stem_b))  # an edit per letter of length difference at least
    if abs(len(stem_a) - len(stem_b)) > 0.15 * longest + 1e-9:
        return False
    return edit_sim(stem_a, stem_b) >= 0.85


def token_sim(a: Token, b: Token, mode: int) -> float:
    """Similarity of two tokens in [0, 1], memoised.

    ``LOOSE`` (a vowel-less script) and ``CROSS`` (other different scripts) let
    consonant skeletons decide; otherwise a differing consonant skeleton costs the
    strictness times its distance (vowel and convention differences are cheap,
    consonant edits are not).
    """
    row = ROWS[mode].get(a.sig)
    if row is None:
        row = ROWS[mode][a.sig] = {}
    sim = row.get(b.sig)
    if sim is None:
        if _memo_size[0] >= MEMO_MAX:
            for rows in ROWS:
                rows.clear()
            _memo_size[0] = 0
            row = ROWS[mode][a.sig] = {}
        _memo_size[0] += 1
        sim = row[b.sig] = _similarity(a, b, mode)
    return sim



_NO_VOWELS: Final = str.maketrans("", "", "aeiou")


def consonants_alike(a: str, b: str) -> bool:
    """Two spellings whose consonants, as written, agree (``bdalh`` / ``abdulah``): how a
    vowel-less reading is spelt like a Latin one (not the coarse skeleton: ``bashir`` and
    ``abuyasir`` share one)."""
    x, y = a.translate(_NO_VOWELS), b.translate(_NO_VOWELS)
    return not apart(x, y, w.RUN_SPELT_SIM) and edit_sim(x, y) >= w.RUN_SPELT_SIM


def apart(a: str, b: str, least: float) -> bool:
    """Whether ``edit_sim(a, b)`` is surely below ``least`` by their lengths alone (one edit
    per letter of length difference at least): no edit distance need be worked out."""
    longest = max(len(a), len(b))
    return longest > 0 and abs(len(a) - len(b)) > (1.0 - least) * longest + 1e-9


def proxy(q: Reading, c: Reading) -> float:
    """A cheap guess of how well two readings will align, to try the likeliest first."""
    sim = max(norm_sim(q.core, c.core), norm_sim(q.joined, c.joined))  # any order; as written
    if q.script != c.script or q.abjad or c.abjad:
        sim = max(sim, norm_sim(q.core_skel, c.core_skel))
        if q.core_alt != q.core_skel or c.core_alt != c.core_skel:  # abjad: w as a consonant
            sim = max(sim, norm_sim(q.core_alt, c.core_alt))
    # ties (names that differ only in weak words or numbers: OAO / PJSC CHAIKA, SECOND /
    # - ACADEMY OF ...) go to the pair whose every word agrees, legal forms and numbers
    # included, and first to a name written the same: it scores 1.0 where the other is
    # penalised for a differing legal form or a number on one side
    same = q.exact == c.exact and q.form.original.casefold() == c.form.original.casefold()
    return (sim - w.PROXY_LENGTH_STEP * abs(len(q.tokens) - len(c.tokens))
            + w.PROXY_ALL_WORDS * norm_sim(q.joined_all, c.joined_all) + w.PROXY_SAME_NAME * same)
