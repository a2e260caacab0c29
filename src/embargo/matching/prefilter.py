"""Which index candidates are worth the full ``compare``: a cheap cut on the index's score.

The index scores a candidate by the IDF weight of the query tokens it shares (see
:mod:`embargo.matching.index`); ``total`` is what a candidate sharing one whole name of the
query would earn. A candidate goes on to ``compare`` when it is among the best
:data:`KEEP`, or when

* both sides have a Latin-script name: its score covers :data:`LATIN_COVERAGE` of ``total``;
* otherwise (a romanised name meets the listed spelling less often): it is among the best
  20 and covers 0.2 of ``total``, or among the best 50 and covers all of it
  (:data:`OTHER_STEPS`). Not a share of the best candidate's score: a party listed with
  the query's own original-script name scores many times any other, and that cut dropped
  parties the scorer accepts (سميرة الشاهبندر / SHAHBANDAR, Samira). The flat cut at rank
  20 alone dropped the parties of one-word and common-word queries (بشير, عبد الرحمن: 20
  to 30 listed parties have that name as an alias) ranked 20 to 50 while covering the
  whole query: on the development half of ``evaluation/retrieval.py`` the second step
  loses 203 instead of 251 of the 1,377 parties the scorer accepts, comparing 15.6 instead
  of 14.6 candidates per query (non-Latin queries: 21.5 instead of 19.6). Ranks 10 to 20
  cannot ask for more (``Mya Khine Garment Co., Ltd.`` / its Burmese name: rank 13,
  coverage 0.25, a true pair of the pair files).

A query with identifiers keeps every candidate the index found (an equal identifier outweighs
any name evidence).

Safety evidence (measured on the shared eval sets, every index candidate up to 50 compared
in full, default threshold 0.75): over 3,029 (query, expected
entity) pairs scoring at least the default threshold — UN positives untreated and treated,
with and without dates, Putin variants against all lists, and every true pair of the three
pair files indexed on their second names — the lowest values seen were: rank 0 whenever
coverage was under 0.5 with both sides Latin (lowest coverage 0.38); with a non-Latin side,
coverage 0.25, rank 13 and 0.31 of the best score. The cut drops none of them. The Latin
rule is the cut the index used before (coverage 0.5 past the best 3); the new non-Latin rule
takes name-only non-Latin queries from ~43 to ~11 compared candidates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

KEEP = 2  # the best few are always compared
LATIN_COVERAGE = 0.5
OTHER_STEPS = ((20, 0.2), (50, 1.0))  # (below this rank, share of the query covered)
OTHER_LIMIT = OTHER_STEPS[-1][0]  # no non-Latin candidate from this rank on


def other_floor(rank: int) -> float:
    """The share of the query's weight a candidate of a non-Latin side must cover at this
    rank (infinite from :data:`OTHER_LIMIT` on: none passes)."""
    for below, coverage in OTHER_STEPS:
        if rank < below:
            return coverage
    return math.inf


Found = tuple[int, float, bool]  # entity number, index score, candidate has a Latin name


def worth_comparing(found: Sequence[Found], total: float, query_latin: bool,
                    has_ids: bool = False, keep: int = KEEP,
                    coverage: float = LATIN_COVERAGE) -> list[tuple[int, float]]:
    """The candidates (best first, as the index ranks them) that pass the cut."""
    if has_ids:
        return [(n, s) for n, s, _ in found]
    latin_floor = total * coverage
    out = []
    for rank, (number, score, latin) in enumerate(found):
        if rank < keep:
            ok = True
        elif query_latin and latin:
            ok = score >= latin_floor
        else:
            ok = score >= total * other_floor(rank)
        if ok:
            out.append((number, score))
    return out
