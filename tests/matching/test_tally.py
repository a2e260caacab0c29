"""Token pairing with bit masks, against the pairing written plainly as the specification.

The specification pairs identical tokens in the query's order (each candidate token once),
then, apart, the distinctive and the weak tokens left: every pair at or above
``MIN_PAIR_SIM`` sorted best first by (similarity, i, j), taken when both tokens are free.
``tally_pairs`` must find the same pairs in the same order and score them to the last bit,
and ``reading_score`` must score as ``reading_sim``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embargo.matching import prepare
from embargo.matching.align import _mode, reading_score, reading_sim
from embargo.matching.reading import (
    LOOSE,
    STRICT_ORG,
    STRICT_PERSON,
    Reading,
    readings,
    token_sim,
)
from embargo.matching.tally import Agreement, mismatch, patronymic, tally_pairs
from embargo.matching.weights import (
    GOOD_PAIR_SIM,
    MIN_PAIR_SIM,
    MISMATCH_FACTOR,
    NEAR_FACTOR,
    NEAR_SUPPORT,
    PERSON_EXTRA_WEIGHT,
)
from embargo.model.entity import Entity, Name, Schema
from embargo.names.analyse import analyse

WORDS = (
    "abdul", "rahman", "abdulrahman", "al", "hassan", "hasan", "mohammed", "muhammad", "vladimir",
    "wladimir", "putin", "putina", "thi", "ri", "thiri", "ze", "ya", "zeyar", "cement", "co",
    "ltd", "llc", "trading", "trade", "shwe", "nadi", "5", "15", "bank", "the", "of", "kilifi",
    "coastal", "traders", "transporters", "bin", "laden", "ben", "george", "bush", "habbash",
    "Владимир", "Путин", "محمد", "علي", "ရွှေ", "နဒီ", "习近平", "김정은", "ООО", "Необит",
)
SCHEMAS = (Schema.PERSON, Schema.COMPANY, Schema.VESSEL)
Pairs = list[tuple[float, int, int]]


def _party(words: list[str], schema: Schema) -> Entity:
    return Entity(id="x", source="t", native_id="x", schema=schema, names=(Name(" ".join(words)),))


def _greedy(q: Reading, c: Reading, rq: list[int], rc: list[int], mode: int) -> Pairs:
    found = sorted(((token_sim(q.tokens[i], c.tokens[j], mode), i, j) for i in rq for j in rc),
                   reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    out = []
    for sim, i, j in found:
        if sim >= MIN_PAIR_SIM and i not in used_q and j not in used_c:
            used_q.add(i)
            used_c.add(j)
            out.append((sim, i, j))
    return out


def reference_pairs(q: Reading, c: Reading, mode: int) -> Pairs:
    out: Pairs = []
    used_c: set[int] = set()
    for i, sig in enumerate(q.sigs):
        j = next((j for j, o in enumerate(c.sigs) if o == sig and j not in used_c), -1)
        if j >= 0:
            out.append((1.0, i, j))
            used_c.add(j)
    used_q = {i for _, i, _ in out}
    for want_weak in (False, True):
        rq = [i for i, t in enumerate(q.tokens) if t.weak is want_weak and i not in used_q]
        rc = [j for j, t in enumerate(c.tokens) if t.weak is want_weak and j not in used_c]
        out += _greedy(q, c, rq, rc, mode)
    return out


def reference_score(q: Reading, c: Reading, pairs: Pairs, person: bool,
                    mode: int = STRICT_PERSON) -> float:
    lenient = mode != STRICT_ORG
    total = matched = strong_q = strong_c = support = near_gain = 0.0
    bad = agreed = near = 0
    agreement = Agreement()
    for sim, i, j in pairs:
        weight_q, weight_c = q.weights[i], c.weights[j]
        weight = weight_q + weight_c
        total += weight
        if not q.weakness[i]:
            agreed += 1
            strong_q += weight_q
            strong_c += weight_c
            agreement.add(q, c, i, j, sim, mode, weight_q, weight_c)
            if sim < GOOD_PAIR_SIM:
                bad += 1
                near += 1
                sim *= 0.5
                near_gain += sim * weight
            else:
                support += min(weight_q, weight_c)
        matched += sim * weight
    if matched == 0.0:
        return 0.0
    if len(pairs) < len(q.tokens) or len(pairs) < len(c.tokens):
        left_q, left_c = len(q.strong) - agreed, len(c.strong) - agreed
        rest = q.total_weight + c.total_weight - total
        if person and agreement.excuses(left_q, left_c):
            rest += PERSON_EXTRA_WEIGHT * (left_q + left_c) - (q.strong_weight - strong_q) \
                - (c.strong_weight - strong_c)
        else:
            bad += left_q + left_c
        total += rest
    if near and lenient and support >= NEAR_SUPPORT * near:  # near pairs, not mismatches
        factor = MISMATCH_FACTOR**(bad - near) * NEAR_FACTOR**near
        return ((matched + near_gain) / total) * factor
    return (matched / total) * MISMATCH_FACTOR**bad


names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=7)  # words may repeat


@settings(max_examples=400, deadline=None)
@given(names, names, st.sampled_from((STRICT_ORG, STRICT_PERSON, LOOSE)), st.booleans())
def test_tallied_pairs_are_the_specification(a: list[str], b: list[str], mode: int,
                                             person: bool) -> None:
    q, c = prepare(_party(a, Schema.COMPANY)), prepare(_party(b, Schema.COMPANY))
    for _, qr in q.flat:
        for _, cr in c.flat:
            pairs = reference_pairs(qr, cr, mode)
            tally = tally_pairs(qr, cr, mode, record=True)
            assert tally.pairs == pairs
            assert tally.result(person) == reference_score(qr, cr, pairs, person, mode)
            assert tally_pairs(qr, cr, mode).result(person) == tally.result(person)


@settings(max_examples=400, deadline=None)
@given(names, names, st.sampled_from(SCHEMAS), st.booleans())
def test_score_only_path_scores_as_the_full_alignment(a: list[str], b: list[str], schema: Schema,
                                                      extra: bool) -> None:
    q, c = prepare(_party(a, schema)), prepare(_party(b, schema))
    person = schema is Schema.PERSON
    for _, qr in q.flat:
        for _, cr in c.flat:
            assert reading_score(qr, cr, person, extra) == reading_sim(qr, cr, person, extra)[0]


def test_repeated_and_many_tokens() -> None:
    """Tokens that repeat pair once each; names past 64 tokens need masks past a machine word."""
    q = prepare(_party(["bank", "bank", "of", "shwe"], Schema.COMPANY)).flat[0][1]
    c = prepare(_party(["shwe", "bank"], Schema.COMPANY)).flat[0][1]
    assert tally_pairs(q, c, STRICT_ORG, record=True).pairs == [(1.0, 0, 1), (1.0, 3, 0)]
    syllables = [a + b for a in "bdfgklmnprstvz" for b in "aeiou"]  # 70 short words
    long_q = prepare(_party(syllables, Schema.COMPANY)).flat[0][1]
    long_c = prepare(_party([*syllables[::-1][:50], "bank"], Schema.COMPANY)).flat[0][1]
    assert len(long_q.tokens) > 64
    pairs = reference_pairs(long_q, long_c, STRICT_ORG)
    assert tally_pairs(long_q, long_c, STRICT_ORG, record=True).pairs == pairs
    assert reading_score(long_q, long_c, False) == reading_sim(long_q, long_c, False)[0]


@pytest.mark.parametrize("bad", [0, 1, 2, 5, 15, 16, 40])
def test_mismatch_factor_is_the_power(bad: int) -> None:
    assert mismatch(bad) == MISMATCH_FACTOR**bad


def test_mode_follows_the_scripts() -> None:
    latin = prepare(_party(["vladimir", "putin"], Schema.PERSON)).flat[0][1]
    arabic = prepare(_party(["محمد", "علي"], Schema.PERSON)).flat[0][1]
    assert _mode(latin, latin, True) == STRICT_PERSON
    assert _mode(latin, latin, False) == STRICT_ORG
    assert _mode(latin, arabic, True) == LOOSE


@pytest.mark.parametrize(("name", "found"), [
    ("PUTIN, Vladimir Vladimirovich", True), ("Wladimir Wladimirowitsch Putin", True),
    ("Władimir Władimirowicz Putin", True), ("Vladimir V. Putin", True),
    ("Anna Petrovna Ivanova", True), ("Ali Mamedoglu", True),
    ("PUTIN, Mohammed Salem", False), ("Bibi Ahmadi", False),
])
def test_patronymic(name: str, found: bool) -> None:
    assert patronymic(readings(analyse(name, Schema.PERSON))[0]) is found
