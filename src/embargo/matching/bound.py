"""A cheap upper bound of ``compare``'s name score, to rule out pairs without aligning them.

``compare`` scores two parties by their best pair of name readings: per pair, the token
alignment (:mod:`.tally`, merged runs :mod:`.repair`) times the name rules' factors (each at
most 1), or the names written without spaces (:func:`.align._joined`, tried when the token
counts differ), or an organisation's initials (``ACRONYM_SCORE``). An alignment's score is
at most its weighted mean similarity

    sum of sim(pair) * (weight of both tokens) / (weight of both readings' tokens)

(halved near pairs are given back in full; every mismatch factor is at most 1), where a token
left unpaired adds its weight to the denominator, or, a person's extra name when extra names
are excused, ``PERSON_EXTRA_WEIGHT``. Excusing needs one side with every distinctive token
paired (:func:`.tally.tolerated`); without it, each distinctive token left unpaired also costs
``MISMATCH_FACTOR``.

So with ``b(t)`` the best similarity token ``t`` reaches with any token (at least
``MIN_PAIR_SIM``: below it tokens are not paired) or merged run (at least ``GOOD_PAIR_SIM``;
a run only where :func:`may_merge` allows it) of any reading of the other party in the same
script, the score of a pair of readings ``q``, ``c`` reaches ``T`` only if

* ``N(q) f(q) - T W(q) + N(c) f(c) - T W(c) >= 0`` (nothing excused: ``N`` the sum of
  ``weight * b``, ``W`` the reading's weight, ``f`` the factor for its distinctive tokens
  with no partner at all), or
* for a person, with one side ``X`` wholly paired: the sum over ``X``'s tokens of
  ``weight * (b - T)`` plus, over the other side's tokens, each token's best of being paired
  (``weight * (b - T)``) or left over (``-T`` times its weight, or ``PERSON_EXTRA_WEIGHT``
  for a distinctive one) is at least 0,

or its names written without spaces or as initials reach ``T`` (worked out as ``compare``
works them out). Each sum runs over one reading, so the best reading of each side is taken:
the test costs one pass over each side's distinct tokens against the other's, no alignment.
Where a reading has no token (a name of numbers alone) no bound is attempted, nor where two
tokens written alike are weak on one side only (the tally counts them apart): :func:`reaches`
then says yes and the caller compares for real. ``tests/matching/test_bound.py`` checks the
bound against ``compare`` on generated and real SDN and UN names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from embargo.matching import weights as w
from embargo.matching.align import _joined, _mode, acronym
from embargo.matching.compare import Prepared
from embargo.matching.reading import (
    STRICT_PERSON,
    Reading,
    Token,
    _variant,
    edit_sim,
    span_token,
    token_sim,
)

EPSILON = 1e-6  # below the floor by less than this still reaches (rounding of the sums)

Run = tuple[tuple[int, ...], str, str, tuple[Token, ...], int]
"""A run of two or three adjacent distinctive tokens of a reading that may be merged: its
members' places in the group's ``tokens``, its text and folded spelling, and the reading's
tokens with the run's start (its token is written only where :func:`may_merge` allows a
merge)."""


Row = tuple[float, tuple[tuple[int, float], ...], tuple[tuple[int, float], ...], bool]
"""What one token of the query meets in a group of the other side: its best similarity, the
tokens (place, similarity from ``MIN_PAIR_SIM``) and runs (index, similarity from
``GOOD_PAIR_SIM``) it meets, and whether a token written alike is weak on one side only.
Kept in the group (an entry meets the same words in many customers' names)."""


@dataclass(frozen=True, slots=True)
class Group:
    """One party's readings in one script (the comparison mode depends on it)."""

    readings: tuple[Reading, ...]
    tokens: tuple[Token, ...]  # their distinct tokens
    places: tuple[tuple[int, ...], ...]  # per reading, each token's place in ``tokens``
    runs: tuple[Run, ...]
    rows: dict[tuple[int, str, bool], Row]  # the other side's tokens met so far (by mode)


@dataclass(frozen=True, slots=True)
class Side:
    """What the bound needs of one party's names."""

    groups: tuple[Group, ...]
    person: bool
    blank: bool  # some reading has no token


def side(found: Iterable[Reading], person: bool) -> Side:
    """A party's name readings (every reading ``prepare`` makes of its names; ``person``:
    whether it is a person) grouped by script, with their distinct tokens and runs."""
    by_script: dict[tuple[str, bool], list[Reading]] = {}
    blank = False
    for reading in found:
        by_script.setdefault((reading.script, reading.abjad), []).append(reading)
        blank = blank or not reading.tokens
    return Side(tuple([_group(group) for group in by_script.values()]), person, blank)


def prepared_side(prepared: Prepared) -> Side:
    """The :class:`Side` of a prepared party."""
    return side([reading for _, reading in prepared.flat], prepared.person)


def _group(readings: list[Reading]) -> Group:
    tokens: list[Token] = []
    seen: dict[tuple[str, bool], int] = {}
    places: list[tuple[int, ...]] = []
    runs: dict[tuple[int, ...], Run] = {}
    for reading in readings:
        mine: list[int] = []
        for token in reading.tokens:
            key = (token.sig, token.weak)
            place = seen.get(key)
            if place is None:
                place = seen[key] = len(tokens)
                tokens.append(token)
            mine.append(place)
        places.append(tuple(mine))
        _runs(reading.tokens, mine, runs)
    return Group(tuple(readings), tuple(tokens), tuple(places), tuple(runs.values()), {})


def _runs(tokens: tuple[Token, ...], places: list[int],
          out: dict[tuple[int, ...], Run]) -> None:
    """The runs :func:`.reading.spans` makes of ``tokens`` (2 and 3 adjacent distinctive
    ones), as their members' places and lengths."""
    for size in (2, 3):
        for start in range(len(tokens) - size + 1):
            span = tokens[start:start + size]
            if not any(t.weak for t in span):
                members = tuple(places[start:start + size])
                out[members] = (members, "".join([t.text for t in span]),
                                "".join([t.folded for t in span]), tokens, start)


def reaches(q: Side, c: Side, floor: float) -> bool:
    """Whether ``compare``'s name score of parties ``q`` (the query) and ``c`` may reach
    ``floor``: False only when it is surely under it."""
    if floor <= EPSILON or q.blank or c.blank:
        return True
    person = q.person or c.person
    target = floor - EPSILON
    for qg in q.groups:
        for cg in c.groups:
            mode = _mode(qg.readings[0], cg.readings[0], person)
            if _group_reaches(qg, cg, mode, person, target):
                return True
    return False


def _group_reaches(q: Group, c: Group, mode: int, person: bool, target: float) -> bool:
    best_q = [0.0] * len(q.tokens)
    best_c = [0.0] * len(c.tokens)
    if not _best(q, c, mode, best_q, best_c):
        return True  # a token weak on one side only: not bounded
    if _tokens_reach(q, best_q, c, best_c, person, target):
        return True
    return _whole_reaches(q, c, mode, person, target)


def _best(q: Group, c: Group, mode: int, best_q: list[float], best_c: list[float]) -> bool:
    """Fill in each token's best similarity with a token or merged run of the other side;
    False when two tokens written alike are weak on one side only."""
    for i, a in enumerate(q.tokens):
        key = (mode, a.sig, a.weak)
        row = c.rows.get(key)
        if row is None:
            row = c.rows[key] = _row(a, c, mode)
        top, tokens, runs, crossed = row
        if crossed:
            return False
        if top > best_q[i]:
            best_q[i] = top
        for j, sim in tokens:
            if sim > best_c[j]:
                best_c[j] = sim
        for k, sim in runs:
            for member in c.runs[k][0]:
                if sim > best_c[member]:
                    best_c[member] = sim
    for run in q.runs:  # a run of the query meets a token of the other side
        for j, b in enumerate(c.tokens):
            _meet(_run_sim(b, run, mode, True), j, best_c, run[0], best_q)
    return True


def _row(a: Token, c: Group, mode: int) -> Row:
    """What token ``a`` of the query meets among the tokens and runs of ``c``."""
    top = 0.0
    tokens: list[tuple[int, float]] = []
    runs: list[tuple[int, float]] = []
    crossed = False
    for j, b in enumerate(c.tokens):
        crossed = crossed or (a.sig == b.sig and a.weak != b.weak)
        sim = token_sim(a, b, mode)
        if sim >= w.MIN_PAIR_SIM:
            tokens.append((j, sim))
            top = max(top, sim)
    for k, run in enumerate(c.runs):  # the token meets a run of the other side
        sim = _run_sim(a, run, mode, False)
        if sim >= w.GOOD_PAIR_SIM:
            runs.append((k, sim))
            top = max(top, sim)
    return top, tuple(tokens), tuple(runs), crossed


def _run_sim(token: Token, run: Run, mode: int, run_first: bool) -> float:
    """``token_sim`` of ``token`` and the merged ``run`` (in the query's order) where it may
    reach ``GOOD_PAIR_SIM`` (:func:`may_merge`), else 0."""
    members, text, folded, tokens, start = run
    if not may_merge(token, text, folded, mode):
        return 0.0
    merged = span_token(tokens[start:start + len(members)])
    return token_sim(merged, token, mode) if run_first else token_sim(token, merged, mode)


def may_merge(token: Token, text: str, folded: str, mode: int) -> bool:
    """Whether ``token_sim`` of ``token`` and a merged run written ``text`` (``folded``
    folded) may reach ``GOOD_PAIR_SIM`` (a run has no concept): False only when surely not.

    In one Latin-like script (``STRICT_ORG``, ``STRICT_PERSON``) :func:`.reading._similarity`
    gives a run 1.0 for the same text, 0.97 for the same folded spelling, else the folded
    edit similarity, lowered where the skeletons differ, or lifted to 0.85 only from a
    similarity of 0.5, for an initial or for spellings that differ at the end
    (:func:`.reading._variant`); never more. Each needs the shorter folded spelling at least
    half as long as the longer one. Across scripts consonant skeletons decide: no shortcut
    (``tests/matching/test_bound.py`` checks it on real and random tokens)."""
    if mode > STRICT_PERSON or len(token.text) == 1 or token.text == text \
            or token.folded == folded:
        return True
    mine, theirs = len(token.folded), len(folded)  # each needs half the length at least
    if (2 * mine < theirs) if mine <= theirs else (2 * theirs < mine):
        return False
    return edit_sim(token.folded, folded, score_cutoff=0.5) >= 0.5 or \
        _variant(token.folded, folded)


def _meet(sim: float, one: int, best_one: list[float], members: tuple[int, ...],
          best_members: list[float]) -> None:
    """A token and a run that merge at ``sim`` (from ``GOOD_PAIR_SIM``: else they do not)."""
    if sim < w.GOOD_PAIR_SIM:
        return
    if sim > best_one[one]:
        best_one[one] = sim
    for k in members:
        if sim > best_members[k]:
            best_members[k] = sim


Sums = tuple[float, float, float]  # nothing excused, wholly paired, free (best readings)
_NONE = -1e18


def _sums(group: Group, best: list[float], target: float) -> Sums:
    """Over the group's readings, the best value of each of the three sums of the bound."""
    top_plain = top_whole = top_free = _NONE
    for reading, places in zip(group.readings, group.places, strict=True):
        found = total = whole = free = 0.0
        missing = 0
        for k, place in enumerate(places):
            weight, sim = reading.weights[k], best[place]
            found += weight * sim
            total += weight
            paired = weight * (sim - target)
            whole += paired
            if reading.weakness[k]:
                free += paired
                continue
            if sim <= 0.0:
                missing += 1
            free += max(paired, -target * min(weight, w.PERSON_EXTRA_WEIGHT))
        plain = found * w.MISMATCH_FACTOR**missing - target * total
        top_plain = max(top_plain, plain)
        top_free = max(top_free, free)
        if not missing:
            top_whole = max(top_whole, whole)
    return top_plain, top_whole, top_free


def _tokens_reach(q: Group, best_q: list[float], c: Group, best_c: list[float],
                  person: bool, target: float) -> bool:
    """Whether some pair of readings' alignment may reach ``target``."""
    plain_q, whole_q, free_q = _sums(q, best_q, target)
    plain_c, whole_c, free_c = _sums(c, best_c, target)
    if plain_q + plain_c >= 0.0:
        return True
    return person and (whole_q + free_c >= 0.0 or free_q + whole_c >= 0.0)


def _whole_reaches(q: Group, c: Group, mode: int, person: bool, target: float) -> bool:
    """Whether a pair of readings reaches ``target`` as whole names: written without spaces
    (tried when the token counts differ) or, for organisations, as initials."""
    for qr in q.readings:
        for cr in c.readings:
            if len(qr.tokens) != len(cr.tokens) and _joined(qr, cr, mode) >= target:
                return True
            if not person and target <= w.ACRONYM_SCORE and acronym(qr, cr):
                return True
    return False
