"""Name readings prepared for alignment, and the memoised token similarity.

Everything that depends on one name only (folded spellings, consonant skeletons,
weights, joined forms, runs of adjacent tokens) is computed once here, when an
entity is prepared; the per-pair code only looks these up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from os.path import commonprefix

from rapidfuzz.distance import Levenshtein

from embargo.matching import weights as w
from embargo.names.form import NameForm
from embargo.names.lexicon import TITLES
from embargo.names.phonetic import fold, skeleton

norm_sim = Levenshtein.normalized_similarity

STRICT_ORG, STRICT_PERSON, LOOSE = 0, 1, 2
STRICTNESS = (w.STRICT, w.PERSON_STRICT, w.STRICT)
MEMO: dict[tuple[str, str, int], float] = {}  # token pair similarities
MEMO_MAX = 500_000


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


@dataclass(frozen=True, slots=True, eq=False)
class Reading:
    """One romanised variant of a name, ready to align."""

    form: NameForm
    tokens: tuple[Token, ...]
    sigs: tuple[str, ...]
    strong: tuple[int, ...]  # indices of distinctive tokens
    weakened: tuple[int, ...]  # indices of weak tokens
    exact: tuple[str, ...]  # sorted token texts: equal ones score 1.0 at once
    joined: str  # folded distinctive tokens without spaces
    joined_all: str  # folded tokens, weak ones included, without spaces
    joined_skel: str
    core: str  # folded distinctive non-generic tokens without spaces
    core_skel: str
    core_alt: str
    sigset: frozenset[str]
    index: dict[str, int]  # signature -> position, when no token repeats
    weights: tuple[float, ...]
    weakness: tuple[bool, ...]
    script: str
    abjad: bool
    strong_weight: float  # sum of the weights of distinctive tokens
    weak_weight: float


def make_token(text: str, folded: str, skel: str, alt: str, concept: str | None,
               weak: bool, weight: float) -> Token:
    return Token(text, folded, skel, alt, concept, weak, weight,
                 f"{text}\x1f{folded}\x1f{skel}\x1f{alt}\x1f{concept or ''}")


def _token(text: str, form: NameForm) -> Token:
    concept = form.concept(text)
    weak = text in form.weak and concept is None
    weight = w.GENERIC_WEIGHT if concept else w.STRONG_WEIGHT
    if weak:  # a title says nothing about who it is
        weight = w.TITLE_WEIGHT if text in TITLES else w.WEAK_WEIGHT
    base = text.replace("w", "u") if form.abjad else text
    alt = skeleton(text) if form.abjad else ""
    return make_token(text, fold(base), skeleton(base), alt, concept, weak, weight)


def span_token(span: tuple[Token, ...]) -> Token:
    return make_token("".join(t.text for t in span), "".join(t.folded for t in span),
                      "".join(t.skel for t in span), "".join(t.skel_alt for t in span),
                      None, False, sum(t.weight for t in span))


@lru_cache(maxsize=65536)
def spans(tokens: tuple[Token, ...]) -> tuple[tuple[range, Token], ...]:
    """Runs of 2 and 3 adjacent distinctive tokens, each written as one token."""
    out = []
    for size in (2, 3):
        for start in range(len(tokens) - size + 1):
            span = tokens[start:start + size]
            if not any(t.weak for t in span):
                out.append((range(start, start + size), span_token(span)))
    return tuple(out)


def _reading(form: NameForm, variant: tuple[str, ...]) -> Reading:
    tokens = tuple(_token(t, form) for t in variant)
    strong = tuple(i for i, t in enumerate(tokens) if not t.weak)
    sigs = tuple(t.sig for t in tokens)
    return Reading(
        form, tokens, sigs, strong,
        tuple(i for i, t in enumerate(tokens) if t.weak), tuple(sorted(variant)),
        "".join(tokens[i].folded for i in strong), "".join(t.folded for t in tokens),
        "".join(tokens[i].skel for i in strong),
        "".join(t.folded for t in tokens if not t.weak and t.concept is None),
        "".join(t.skel for t in tokens if not t.weak and t.concept is None),
        "".join(t.skel_alt or t.skel for t in tokens if not t.weak and t.concept is None),
        frozenset(sigs), {s: i for i, s in enumerate(sigs)} if len(set(sigs)) == len(sigs)
        else {}, tuple(t.weight for t in tokens), tuple(t.weak for t in tokens),
        form.script, form.abjad, sum(tokens[i].weight for i in strong),
        sum(t.weight for t in tokens if t.weak),
    )


@lru_cache(maxsize=32768)
def readings(form: NameForm) -> tuple[Reading, ...]:
    """Every variant of ``form`` ready to align (cached: forms repeat across entities)."""
    return tuple(_reading(form, v) for v in form.variants)


def _similarity(a: Token, b: Token, mode: int) -> float:
    if a.text == b.text or (a.concept is not None and a.concept == b.concept):
        return 1.0
    if a.folded == b.folded:
        return 0.97
    sim = norm_sim(a.folded, b.folded)
    if mode == LOOSE:
        if _skeletons_comparable(a, b):
            skel = max(norm_sim(a.skel, b.skel),
                       norm_sim(a.skel_alt or a.skel, b.skel_alt or b.skel),
                       norm_sim(a.skel.replace("l", "r"), b.skel.replace("l", "r")))
            sim = max(sim, 0.95 * skel)
            if w.LOOSE_GOOD <= sim < w.GOOD_PAIR_SIM and skel >= 0.6 and \
                    abs(len(a.folded) - len(b.folded)) <= 2:  # spellings drift across scripts
                sim = w.GOOD_PAIR_SIM
            elif sim < 0.85 and len(a.skel) >= 4 and _variant(a.skel, b.skel):
                sim = 0.85
    elif a.skel != b.skel:
        sim -= STRICTNESS[mode] * (1.0 - norm_sim(a.skel, b.skel))
    elif len(a.skel) >= 2 and a.folded[0] == b.folded[0] and (
            mode != STRICT_ORG or min(len(a.folded), len(b.folded)) >= 6):
        sim = max(sim, 0.85)
    if min(len(a.text), len(b.text)) == 1 and a.text[0] == b.text[0]:
        sim = max(sim, 0.85)
    elif mode != STRICT_ORG and sim < 0.85 and _variant(a.folded, b.folded):
        sim = 0.85
    if a.concept is not None and b.concept is not None:
        sim = min(sim, 0.4)
    return max(sim, 0.0)


def _skeletons_comparable(a: Token, b: Token) -> bool:
    """One-consonant skeletons only say something about short tokens."""
    if not a.skel or not b.skel:
        return False
    shortest = min(max(len(a.skel), len(a.skel_alt)), max(len(b.skel), len(b.skel_alt)))
    return shortest > 1 or max(len(a.folded), len(b.folded)) <= 4


def _variant(a: str, b: str) -> bool:
    """Spellings of one name that differ only at the end.

    Either one is the other plus a short ending (``putinas``, ``putini``) or they
    share a long start (``vladimirovitj`` / ``vladimirovich``).
    """
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and len(long) - len(short) <= 2 and long.startswith(short):
        return True
    shared = len(commonprefix((a, b)))
    return shared >= 6 and shared >= 0.6 * len(long)


def token_sim(a: Token, b: Token, mode: int) -> float:
    """Similarity of two tokens in [0, 1], memoised.

    ``LOOSE`` (different scripts, or a vowel-less script) lets consonant skeletons
    decide; otherwise a differing consonant skeleton costs the strictness times its
    distance (vowel and convention differences are cheap, consonant edits are not).
    """
    key = (a.sig, b.sig, mode)
    sim = MEMO.get(key)
    if sim is None:
        if len(MEMO) >= MEMO_MAX:
            MEMO.clear()
        sim = MEMO[key] = _similarity(a, b, mode)
    return sim


def proxy(q: Reading, c: Reading) -> float:
    """A cheap guess of how well two readings will align, to try the likeliest first."""
    sim = norm_sim(q.core, c.core)
    if q.script != c.script or q.abjad or c.abjad:
        sim = max(sim, norm_sim(q.core_skel, c.core_skel), norm_sim(q.core_alt, c.core_alt))
    return sim - 0.01 * abs(len(q.tokens) - len(c.tokens))
