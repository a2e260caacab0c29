"""The score-only path (tallied pairs, spare tokens as bit masks) against the full alignment.

``reading_score`` must give exactly ``reading_sim``'s score (the explanation re-aligns
the best pair with ``reading_sim``), and ``tally_pairs`` exactly ``pair_tokens``' pairs.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embargo.matching import prepare
from embargo.matching.align import _mode, pair_tokens, quick_score, reading_score, reading_sim
from embargo.matching.reading import LOOSE, STRICT_ORG, STRICT_PERSON
from embargo.matching.tally import maskable, mismatch, tally_pairs
from embargo.matching.weights import MISMATCH_FACTOR
from embargo.model.entity import Entity, Name, Schema

WORDS = (
    "abdul", "rahman", "abdulrahman", "al", "hassan", "hasan", "mohammed", "muhammad", "vladimir",
    "wladimir", "putin", "putina", "thi", "ri", "thiri", "ze", "ya", "zeyar", "cement", "co",
    "ltd", "llc", "trading", "trade", "shwe", "nadi", "5", "15", "bank", "the", "of", "kilifi",
    "coastal", "traders", "transporters", "bin", "laden", "ben", "george", "bush", "habbash",
    "Владимир", "Путин", "محمد", "علي", "ရွှေ", "နဒီ", "习近平", "김정은", "ООО", "Необит",
)
SCHEMAS = (Schema.PERSON, Schema.COMPANY, Schema.VESSEL)


def _party(words: list[str], schema: Schema) -> Entity:
    return Entity(id="x", source="t", native_id="x", schema=schema, names=(Name(" ".join(words)),))


names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=7)


@settings(max_examples=400, deadline=None)
@given(names, names, st.sampled_from(SCHEMAS), st.booleans())
def test_score_only_path_scores_as_the_full_alignment(a: list[str], b: list[str], schema: Schema,
                                                      extra: bool) -> None:
    q, c = prepare(_party(a, schema)), prepare(_party(b, schema))
    person = schema is Schema.PERSON
    for _, qr in q.flat:
        for _, cr in c.flat:
            assert reading_score(qr, cr, person, extra) == reading_sim(qr, cr, person, extra)[0]


@settings(max_examples=400, deadline=None)
@given(names, names, st.sampled_from((STRICT_ORG, STRICT_PERSON, LOOSE)), st.booleans())
def test_tallied_pairs_are_pair_tokens(a: list[str], b: list[str], mode: int,
                                       person: bool) -> None:
    q, c = prepare(_party(a, Schema.COMPANY)), prepare(_party(b, Schema.COMPANY))
    for _, qr in q.flat:
        for _, cr in c.flat:
            if not maskable(qr, cr):
                continue
            pairs = pair_tokens(qr, cr, mode)
            tally = tally_pairs(qr, cr, mode, record=True)
            assert tally.pairs == pairs
            assert tally.result(person) == quick_score(qr, cr, pairs, person)


def test_repeated_tokens_take_the_list_path() -> None:
    q = prepare(_party(["bank", "bank", "of", "shwe"], Schema.COMPANY)).flat[0][1]
    c = prepare(_party(["shwe", "bank"], Schema.COMPANY)).flat[0][1]
    assert not maskable(q, c)
    assert reading_score(q, c, False) == reading_sim(q, c, False)[0]


@pytest.mark.parametrize("bad", [0, 1, 2, 5, 15, 16, 40])
def test_mismatch_factor_is_the_power(bad: int) -> None:
    assert mismatch(bad) == MISMATCH_FACTOR**bad


def test_mode_follows_the_scripts() -> None:
    latin = prepare(_party(["vladimir", "putin"], Schema.PERSON)).flat[0][1]
    arabic = prepare(_party(["محمد", "علي"], Schema.PERSON)).flat[0][1]
    assert _mode(latin, latin, True) == STRICT_PERSON
    assert _mode(latin, latin, False) == STRICT_ORG
    assert _mode(latin, arabic, True) == LOOSE
