"""The cheap bound of the name score is never under ``compare``'s score (it decides which pairs
need not be compared): generated names with shared, near, merged, joined and initial words,
weak words, numbers and other scripts; real SDN and UN parties against variants of listed
names and clean names; and the length test for merged runs against ``token_sim``."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from embargo.customers.io import parse_records
from embargo.ingest.importer import import_path
from embargo.matching import Prepared, compare, prepare
from embargo.matching import weights as w
from embargo.matching.bound import may_merge, prepared_side, reaches
from embargo.matching.features import NO_EVIDENCE
from embargo.matching.index import CandidateIndex
from embargo.matching.reading import STRICT_ORG, STRICT_PERSON, Token, readings, spans, token_sim
from embargo.model.entity import Entity, Name, NameKind, Schema
from embargo.monitoring.synthetic import customers, planted
from embargo.names.analyse import analyse_all
from embargo.store import Store

_WORDS = ["abdul", "rahman", "abdulrahman", "karen", "karin", "roberts", "robert", "martin",
          "martina", "mohammed", "muhammad", "al", "bin", "k", "m", "r", "smith", "smyth",
          "hlaing", "thar", "yar", "hlaingtharyar", "trading", "ltd", "llc", "co", "7880",
          "islamic", "revolutionary", "guard", "corps", "irgc", "osman", "uthman", "putin",
          "vladimir", "vladimirovich", "владимир", "путин", "محمد", "عبد", "الرحمن", "李", "明",
          "nord", "stream", "ag", "gmbh", "de", "la", "rosa", "larosa", "ali", "aly"]
_SCHEMAS = [Schema.PERSON, Schema.COMPANY, Schema.ORGANIZATION, Schema.VESSEL]
_NAME = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(" ".join)
_NAMES = st.lists(st.tuples(_NAME, st.booleans()), min_size=1, max_size=3)


def _party(schema: Schema, names: list[tuple[str, bool]]) -> Prepared:
    return prepare(Entity("x:1", "x", "1", schema, tuple(
        Name(text, NameKind.WEAK if weak else NameKind.PRIMARY) for text, weak in names)))


def _names(p: Prepared) -> Prepared:
    """The party without its evidence: ``compare`` then scores the names alone."""
    return dataclasses.replace(p, evidence=NO_EVIDENCE, evident=False)


def _sound(q: Prepared, c: Prepared) -> float:
    """The names' score; fails when the bound says it cannot be reached."""
    score = compare(_names(q), _names(c)).score
    if score > 0.0:
        assert reaches(prepared_side(q), prepared_side(c), score), (
            q.entity.names, c.entity.names, score)
    return score


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(_SCHEMAS), _NAMES, st.sampled_from(_SCHEMAS), _NAMES)
def test_the_bound_is_never_under_the_score(qs: Schema, qn: list[tuple[str, bool]],
                                            cs: Schema, cn: list[tuple[str, bool]]) -> None:
    _sound(_party(qs, qn), _party(cs, cn))


def test_the_bound_rules_out_and_keeps() -> None:
    karen = _party(Schema.PERSON, [("Karen Smith", False)])
    other = _party(Schema.PERSON, [("ROBERTS, Karen Mary", False)])
    assert _sound(karen, other) < 0.5
    assert not reaches(prepared_side(karen), prepared_side(other), 0.75)
    merged = _party(Schema.PERSON, [("Abdul Rahman Osman", False)])
    joined = _party(Schema.PERSON, [("Abdulrahman Uthman", False)])
    assert _sound(merged, joined) >= 0.75
    assert reaches(prepared_side(merged), prepared_side(joined), 0.75)
    acronym = _party(Schema.ORGANIZATION, [("IRGC", False)])
    corps = _party(Schema.ORGANIZATION, [("Islamic Revolutionary Guard Corps", False)])
    assert _sound(acronym, corps) >= w.ACRONYM_SCORE
    assert reaches(prepared_side(acronym), prepared_side(corps), w.ACRONYM_SCORE)


def _tokens(text: str) -> list[Token]:
    return [t for form in analyse_all(text, Schema.PERSON) for r in readings(form)
            for t in r.tokens]


def _runs(text: str) -> list[Token]:
    return [run for form in analyse_all(text, Schema.PERSON) for r in readings(form)
            for _, run, _ in spans(r.tokens)]


def _check_merge(token: Token, run: Token) -> None:
    for mode in (STRICT_ORG, STRICT_PERSON):
        if max(token_sim(token, run, mode), token_sim(run, token, mode)) >= w.GOOD_PAIR_SIM:
            assert may_merge(token, run.text, run.folded, mode), (
                token.text, run.text, mode)


_LETTERS = "abdeghiklmnorstuyz"
_WORD = st.text(_LETTERS, min_size=1, max_size=8)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_WORD, min_size=2, max_size=3), st.integers(0, 3), st.randoms())
def test_a_run_that_merges_is_never_refused(words: list[str], edits: int,
                                            rng: random.Random) -> None:
    """A token spelt like the run (up to a few letters changed, added or dropped) or not."""
    letters = list("".join(words))
    for _ in range(edits):
        k = rng.randrange(len(letters))
        choice = rng.randrange(3)
        if choice == 0:
            letters[k] = rng.choice(_LETTERS)
        elif choice == 1:
            letters.insert(k, rng.choice(_LETTERS))
        elif len(letters) > 1:
            del letters[k]
    runs = _runs(" ".join(words))
    tokens = _tokens("".join(letters)) + _tokens(words[0][0]) + _tokens(words[-1])
    assume(runs and tokens)
    for run in runs:
        for token in tokens:
            _check_merge(token, run)


def _listed(lists_dir: Path, tmp_path: Path) -> list[Entity]:
    with Store.open(f"sqlite:///{tmp_path / 'b.db'}") as store:
        out: list[Entity] = []
        for path in (lists_dir / "ofac-sdn" / "history" / "sdn_2021-08-20.csv",
                     lists_dir / "un" / "consolidated_2025-04-19.xml"):
            for done in import_path(store, path):
                out += store.iter_entities(done.snapshot.id)
        return out


@pytest.mark.shared
def test_real_pairs(lists_dir: Path, tmp_path: Path) -> None:
    """Variants of SDN and UN parties (Arabic, Cyrillic and Chinese names of the UN list
    included) and clean names, each against what the index proposes it and a few at random:
    the bound is never under the score and rules out most pairs at the default threshold."""
    entities = _listed(lists_dir, tmp_path)
    index = CandidateIndex.build(entities)
    rng = random.Random(11)
    listed = rng.sample([e for e in entities if e.schema != Schema.VESSEL], 600)
    rows = [planted(rng, f"p{n}", e) for n, e in enumerate(listed)]
    rows += [dict(r) for r in customers(600, listed[:50], 50, seed=5)]
    queries = [prepare(r.entity) for r in parse_records(rows) if r.entity is not None]
    queries += [prepare(e) for e in rng.sample(entities, 300)]  # listed names, other scripts
    pairs = ruled_out = kept = 0
    sides = {}
    for query in queries:
        side = prepared_side(query)
        proposed = [n for n, _ in index.search(query, 20)]
        for number in proposed + rng.sample(range(len(index)), 3):
            entry = index.prepared(number)
            if number not in sides:
                sides[number] = prepared_side(entry)
            score = _sound(query, entry)
            pairs += 1
            if not reaches(side, sides[number], w.DEFAULT_THRESHOLD):
                ruled_out += 1
            kept += score >= w.DEFAULT_THRESHOLD
    assert kept > 400 and ruled_out > pairs // 2, (kept, ruled_out, pairs)


@pytest.mark.shared
def test_real_runs(lists_dir: Path, tmp_path: Path) -> None:
    """The merged-run length test on the tokens and runs of real SDN and UN names."""
    entities = _listed(lists_dir, tmp_path)
    rng = random.Random(5)
    texts = [n.full for e in rng.sample(entities, 1500) for n in e.names]
    runs = [run for text in texts[:1500] for run in _runs(text)]
    tokens = list({t.sig: t for text in texts for t in _tokens(text)}.values())
    by_start: dict[str, list[Token]] = {}
    for token in tokens:  # the tokens a run may merge with start alike, mostly
        by_start.setdefault(token.folded[:1], []).append(token)
    for run in runs:
        alike = by_start.get(run.folded[:1], [])
        for token in rng.sample(alike, min(60, len(alike))) + rng.sample(tokens, 10):
            _check_merge(token, run)
