"""Name-to-name similarity: transliteration-aware token alignment."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from embargo.matching import weights as w
from embargo.names.form import NameForm
from embargo.names.phonetic import fold, skeleton

_norm_sim = Levenshtein.normalized_similarity

Aligned = list[tuple["Token | None", "Token | None", float]]


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    folded: str
    skel: str
    skel_alt: str  # abjad reading with w as v (ו, و as consonants)
    concept: str | None
    weak: bool
    weight: float


@dataclass(frozen=True, slots=True)
class Reading:
    """One romanised variant of a name, ready to align (plus its run-merged form)."""

    form: NameForm
    tokens: tuple[Token, ...]
    merged: tuple[Token, ...]  # runs of distinctive tokens written together
    joined: str  # folded distinctive tokens without spaces
    joined_all: str  # folded tokens, weak ones included, without spaces
    joined_skel: str


def _token(text: str, form: NameForm, concept: str | None = None, weak: bool | None = None,
           ) -> Token:
    concept = concept or form.concept(text)
    weak = (text in form.weak and concept is None) if weak is None else weak
    weight = w.WEAK_WEIGHT if weak else w.GENERIC_WEIGHT if concept else w.STRONG_WEIGHT
    base = text.replace("w", "u") if form.abjad else text
    alt = skeleton(text) if form.abjad else ""
    return Token(text, fold(base), skeleton(base), alt, concept, weak, weight)


def _merge_runs(tokens: tuple[Token, ...], form: NameForm) -> tuple[Token, ...]:
    out: list[Token] = []
    run: list[Token] = []
    for token in (*tokens, None):
        if token is not None and not token.weak and token.concept is None:
            run.append(token)
            continue
        if len(run) > 1:
            out.append(_token("".join(t.text for t in run), form, weak=False))
        else:
            out.extend(run)
        run = []
        if token is not None:
            out.append(token)
    return tuple(out)


def readings(form: NameForm) -> tuple[Reading, ...]:
    out = []
    for variant in form.variants:
        tokens = tuple(_token(t, form) for t in variant)
        strong = [t for t in tokens if not t.weak]
        out.append(Reading(
            form, tokens, _merge_runs(tokens, form), "".join(t.folded for t in strong),
            "".join(t.folded for t in tokens), "".join(t.skel for t in strong),
        ))
    return tuple(out)


@lru_cache(maxsize=262144)
def token_sim(a: Token, b: Token, loose: bool, strict: float) -> float:
    """Similarity of two tokens in [0, 1].

    ``loose`` (different scripts, or a vowel-less script) lets consonant skeletons
    decide; otherwise a differing consonant skeleton costs ``strict`` times its
    distance (vowel and convention differences are cheap, consonant edits are not).
    """
    if a.text == b.text or (a.concept is not None and a.concept == b.concept):
        return 1.0
    if a.folded == b.folded:
        return 0.97
    sim = _norm_sim(a.folded, b.folded)
    if loose:
        skel = max(_norm_sim(a.skel, b.skel), _norm_sim(a.skel_alt or a.skel, b.skel_alt or b.skel))
        sim = max(sim, 0.95 * skel) if a.skel and b.skel else sim
    elif a.skel != b.skel:
        sim -= strict * (1.0 - _norm_sim(a.skel, b.skel))
    elif len(a.skel) >= 2 and a.folded[0] == b.folded[0]:
        sim = max(sim, 0.85)
    if min(len(a.text), len(b.text)) == 1 and a.text[0] == b.text[0]:
        sim = max(sim, 0.85)
    if a.concept is not None and b.concept is not None:
        sim = min(sim, 0.4)
    return max(sim, 0.0)


def _align(qt: tuple[Token, ...], ct: tuple[Token, ...], loose: bool, strict: float) -> Aligned:
    pairs = sorted(
        ((token_sim(a, b, loose, strict), i, j) for i, a in enumerate(qt)
         for j, b in enumerate(ct)),
        reverse=True,
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    out: Aligned = []
    for sim, i, j in pairs:
        if i in used_q or j in used_c or sim < w.MIN_PAIR_SIM:
            continue
        used_q.add(i)
        used_c.add(j)
        out.append((qt[i], ct[j], sim))
    out.extend((t, None, 0.0) for i, t in enumerate(qt) if i not in used_q)
    out.extend((None, t, 0.0) for j, t in enumerate(ct) if j not in used_c)
    return out


def _score(aligned: Aligned, person: bool) -> float:
    if person:  # extra names are tolerated only when one side has none left over
        left = {a is not None for a, b, _ in aligned if (a is None) != (b is None)
                and not (a or b).weak}  # type: ignore[union-attr]
        person = len(left) < 2
    total = matched = 0.0
    bad = 0
    for a, b, sim in aligned:
        if a is not None and b is not None:
            weight = a.weight + b.weight
            total += weight
            if sim < w.GOOD_PAIR_SIM and not (a.weak and b.weak):
                bad += 1
                sim *= 0.5
            matched += sim * weight
            continue
        token = a if a is not None else b
        assert token is not None
        if token.weak:
            total += token.weight
        elif person:
            total += w.PERSON_EXTRA_WEIGHT
        else:
            total += token.weight
            bad += 1
    if total == 0.0 or matched == 0.0:
        return 0.0
    return (matched / total) * (w.MISMATCH_FACTOR**bad)


def _joined(q: Reading, c: Reading, loose: bool, strict: float) -> float:
    if not q.joined or not c.joined:
        return 0.0
    sim = _norm_sim(q.joined, c.joined)
    if loose and q.joined_skel and c.joined_skel:
        sim = max(sim, 0.95 * _norm_sim(q.joined_skel, c.joined_skel))
    elif q.joined_skel != c.joined_skel:
        sim -= strict * (1.0 - _norm_sim(q.joined_skel, c.joined_skel))
    if q.joined_all == c.joined_all:
        sim = max(sim, 1.0)
    return sim * 0.95 if sim >= w.GOOD_PAIR_SIM else 0.0


def _span_sim(token: Token, span: list[Token], loose: bool, strict: float) -> float:
    text = "".join(t.text for t in span)
    joined = Token(text, "".join(t.folded for t in span), "".join(t.skel for t in span),
                   "".join(t.skel_alt for t in span), None, False, 1.0)
    return token_sim(token, joined, loose, strict)


def _repair_side(aligned: Aligned, order: tuple[Token, ...], left: bool, loose: bool,
                 strict: float) -> Aligned:
    """Match a leftover token against 2-3 adjacent leftover tokens of the other side."""
    def is_left(a: Token | None, b: Token | None, sim: float) -> bool:
        return sim < w.GOOD_PAIR_SIM and not ((a or b) and (a or b).weak)  # type: ignore[union-attr]

    spare = {id(b if left else a) for a, b, sim in aligned if is_left(a, b, sim)
             and (b if left else a) is not None}
    for index, (a, b, sim) in enumerate(aligned):
        mine = a if left else b
        if mine is None or mine.weak or not is_left(a, b, sim):
            continue
        for size in (2, 3):
            for start in range(len(order) - size + 1):
                span = list(order[start:start + size])
                if not all(id(t) in spare for t in span):
                    continue
                found = _span_sim(mine, span, loose, strict)
                if found >= w.GOOD_PAIR_SIM:
                    spare -= {id(t) for t in span}
                    if (b if left else a) is not None:
                        spare.add(id(b if left else a))
                    merged = _token_of(span)
                    aligned[index] = (mine, merged, found) if left else (merged, mine, found)
                    return _drop(aligned, span, left, spare)
    return aligned


def _token_of(span: list[Token]) -> Token:
    return Token(" ".join(t.text for t in span), "".join(t.folded for t in span),
                 "".join(t.skel for t in span), "", None, False,
                 sum(t.weight for t in span))


def _drop(aligned: Aligned, span: list[Token], left: bool, spare: set[int]) -> Aligned:
    ids = {id(t) for t in span}
    out: Aligned = []
    for a, b, sim in aligned:
        other = b if left else a
        mine = a if left else b
        if other is not None and id(other) in ids and (mine is None or id(mine) in spare):
            if mine is not None:
                out.append((mine, None, 0.0) if left else (None, mine, 0.0))
            continue
        out.append((a, b, sim))
    return out


def reading_sim(q: Reading, c: Reading, person: bool) -> tuple[float, Aligned]:
    """Score two readings; also the token alignment behind the score."""
    loose = q.form.script != c.form.script or q.form.abjad or c.form.abjad
    strict = w.PERSON_STRICT if person else w.STRICT
    aligned = _align(q.tokens, c.tokens, loose, strict)
    score = _score(aligned, person)
    if score >= 0.95 or len(q.tokens) == len(c.tokens):
        return score, aligned
    for _ in range(3):
        before = len(aligned)
        aligned = _repair_side(aligned, c.tokens, True, loose, strict)
        aligned = _repair_side(aligned, q.tokens, False, loose, strict)
        if len(aligned) == before:
            break
    score = max(score, _score(aligned, person))
    return max(score, _joined(q, c, loose, strict)), aligned
