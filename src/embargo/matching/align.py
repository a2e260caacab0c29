"""Name-to-name similarity: transliteration-aware token alignment.

Per pair of readings: identical tokens pair at once; the remaining distinctive
tokens (and, apart, the remaining weak ones) pair greedily by memoised similarity;
when the names have different token counts, a repair lets one token meet a run of
two or three adjacent tokens of the other name (``Abdulrahman`` / ``Abdul Rahman``),
and the names written without spaces are compared as a last resort.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from embargo.matching import weights as w
from embargo.matching.reading import (
    ALPHA,
    CROSS,
    LOOSE,
    ROWS,
    STRICT_ORG,
    STRICT_PERSON,
    STRICTNESS,
    SYLLABIC,
    Reading,
    norm_sim,
    token_sim,
)
from embargo.matching.repair import Pairs, Repair, Spans
from embargo.matching.tally import Tally, maskable, mismatch, tally_pairs, tolerated

_EMPTY: dict[str, float] = {}


@dataclass(slots=True)
class Alignment:
    """Which token of one reading went with which of the other, and how well."""

    q: Reading
    c: Reading
    pairs: Pairs | None  # None: the same tokens in some order
    spans: Spans = field(default_factory=list)

    def parts(self) -> tuple[tuple[str, str, float], ...]:
        qt, ct = self.q.tokens, self.c.tokens
        if self.pairs is None:
            self.pairs = _same(self.q, self.c)
        out = [(qt[i].text, ct[j].text, sim) for sim, i, j in self.pairs]
        used_q = {i for _, i, _ in self.pairs}
        used_c = {j for _, _, j in self.pairs}
        for i, run, sim, left in self.spans:
            mine, other = (qt, ct) if left else (ct, qt)
            text = " ".join(other[k].text for k in run)
            out.append((mine[i].text, text, sim) if left else (text, mine[i].text, sim))
            (used_q if left else used_c).add(i)
            (used_c if left else used_q).update(run)
        out.extend((t.text, "", 0.0) for i, t in enumerate(qt) if i not in used_q)
        out.extend(("", t.text, 0.0) for j, t in enumerate(ct) if j not in used_c)
        return tuple(out)


def _greedy(q: Reading, c: Reading, rq: Sequence[int], rc: Sequence[int], mode: int) -> Pairs:
    """Pair the given tokens, most similar first, each at most once."""
    rows = ROWS[mode]
    least = w.MIN_PAIR_SIM
    if len(rq) == 1 and len(rc) == 1:
        i, j = rq[0], rc[0]
        sim = (rows.get(q.sigs[i]) or _EMPTY).get(c.sigs[j])
        if sim is None:
            sim = token_sim(q.tokens[i], c.tokens[j], mode)
        return [(sim, i, j)] if sim >= least else []
    found = []
    csigs, qsigs = c.sigs, q.sigs
    for i in rq:
        row = rows.get(qsigs[i])
        if row is None:
            row = _EMPTY
        for j in rc:
            sim = row.get(csigs[j])
            if sim is None:
                sim = token_sim(q.tokens[i], c.tokens[j], mode)
            if sim >= least:
                found.append((sim, i, j))
    if len(found) < 2:
        return found
    if len(rq) == 1 or len(rc) == 1:  # one row or column: only the best pair stands
        return [max(found)]
    found.sort()  # read backwards: best first, as (sim, i, j) are all distinct
    used_q: set[int] = set()
    used_c: set[int] = set()
    out = []
    for k in range(len(found) - 1, -1, -1):
        sim, i, j = found[k]
        if i not in used_q and j not in used_c:
            used_q.add(i)
            used_c.add(j)
            out.append((sim, i, j))
    return out


def _identical(q: Reading, c: Reading, common: frozenset[str]) -> Pairs:
    out: Pairs = []
    used_c: set[int] = set()
    csigs = c.sigs
    for i, sig in enumerate(q.sigs):
        if sig in common:
            j = next((j for j, o in enumerate(csigs) if o == sig and j not in used_c), -1)
            if j >= 0:
                out.append((1.0, i, j))
                used_c.add(j)
    return out


def pair_tokens(q: Reading, c: Reading, mode: int) -> Pairs:
    """Identical tokens first, then distinctive with distinctive and weak with weak."""
    rq: Sequence[int]
    rc: Sequence[int]
    wq: Sequence[int]
    wc: Sequence[int]
    qi, ci, qs, cs = q.index, c.index, q.sigs, c.sigs
    out: Pairs
    common: frozenset[str] | None
    if qi and ci:  # no token repeats: identical ones pair in q's order
        out = [(1.0, i, ci[s]) for i, s in enumerate(qs) if s in ci]
        common = None
    else:
        common = q.sigset & c.sigset
        out = _identical(q, c, common) if common else []
    if not out:
        rq, rc, wq, wc = q.strong, c.strong, q.weakened, c.weakened
        if len(wq) == 0 or len(wc) == 0:  # no weak pairs to look for
            return _greedy(q, c, rq, rc, mode) if rq and rc else out
    elif common is None:
        if len(out) == len(qs) or len(out) == len(cs):
            return out
        rq = [i for i in q.strong if qs[i] not in ci]
        rc = [j for j in c.strong if cs[j] not in qi]
        wq = [i for i in q.weakened if qs[i] not in ci]
        wc = [j for j in c.weakened if cs[j] not in qi]
    else:
        used_q = {i for _, i, _ in out}
        used_c = {j for _, _, j in out}
        rq = [i for i in q.strong if i not in used_q]
        rc = [j for j in c.strong if j not in used_c]
        wq = [i for i in q.weakened if i not in used_q]
        wc = [j for j in c.weakened if j not in used_c]
    if rq and rc:
        out += _greedy(q, c, rq, rc, mode)
    if wq and wc:
        out += _greedy(q, c, wq, wc, mode)
    return out


def quick_score(q: Reading, c: Reading, pairs: Pairs, person: bool) -> float:
    """:func:`score` for an alignment without merged runs, from per-reading sums."""
    tally = Tally(q, c)
    for sim, i, j in pairs:
        tally.add(sim, i, j)
    return tally.result(person)


def score(al: Alignment, person: bool) -> float:
    """Weighted mean similarity of the aligned tokens, times a factor per mismatch."""
    qt, ct = al.q.tokens, al.c.tokens
    total = matched = 0.0
    bad = 0
    used_q: set[int] = set()
    used_c: set[int] = set()
    for sim, i, j in al.pairs or ():
        a, b = qt[i], ct[j]
        used_q.add(i)
        used_c.add(j)
        weight = a.weight + b.weight
        total += weight
        if sim < w.GOOD_PAIR_SIM and not (a.weak and b.weak):
            bad += 1
            sim *= 0.5
        matched += sim * weight
    for i, run, sim, left in al.spans:
        mine, other = (qt, ct) if left else (ct, qt)
        weight = mine[i].weight + sum(other[k].weight for k in run)
        total += weight
        matched += sim * weight
        (used_q if left else used_c).add(i)
        (used_c if left else used_q).update(run)
    rest_q = [qt[i] for i in range(len(qt)) if i not in used_q] if len(used_q) < len(qt) else []
    rest_c = [ct[j] for j in range(len(ct)) if j not in used_c] if len(used_c) < len(ct) else []
    if person:  # extra names are tolerated only when one side has none left over
        agreed = len(al.spans) + sum(1 for _, i, _ in al.pairs or () if not qt[i].weak)
        person = tolerated(agreed, sum(not t.weak for t in rest_q),
                            sum(not t.weak for t in rest_c))
    for token in rest_q + rest_c:
        if token.weak:
            total += token.weight
        elif person:
            total += w.PERSON_EXTRA_WEIGHT
        else:
            total += token.weight
            bad += 1
    if total == 0.0 or matched == 0.0:
        return 0.0
    return (matched / total) * mismatch(bad)


def _joined(q: Reading, c: Reading, mode: int) -> float:
    """The names written without spaces (``Hlaingtharyar`` / ``Hlaing Thar Yar``)."""
    if not q.joined or not c.joined:
        return 0.0
    if q.joined_all == c.joined_all:
        return 0.95
    if _joined_bound(q, c, mode) < w.GOOD_PAIR_SIM:
        return 0.0
    sim = norm_sim(q.joined, c.joined, score_cutoff=0.5)
    if mode >= LOOSE and min(len(q.joined_skel), len(c.joined_skel)) >= w.JOINED_SKELETON \
            and (sim >= 0.5 or mode == LOOSE):  # a short skeleton (``nkk``) fits many names
        sim = max(sim, 0.95 * norm_sim(q.joined_skel, c.joined_skel))
    elif q.joined_skel != c.joined_skel:
        sim -= STRICTNESS[mode] * (1.0 - norm_sim(q.joined_skel, c.joined_skel))
    return sim * 0.95 if sim >= w.GOOD_PAIR_SIM else 0.0


def _length_bound(a: str, b: str) -> float:
    """An upper bound of ``norm_sim(a, b)``: at least one edit per letter of length difference."""
    longest = max(len(a), len(b))
    return 1.0 - abs(len(a) - len(b)) / longest if longest else 1.0


def _joined_bound(q: Reading, c: Reading, mode: int) -> float:
    """An upper bound of the similarity :func:`_joined` weighs (it scores 0 below GOOD_PAIR_SIM)."""
    bound = _length_bound(q.joined, c.joined)
    if mode >= LOOSE:
        bound = max(bound, 0.95 * _length_bound(q.joined_skel, c.joined_skel))
    return bound


def _same(q: Reading, c: Reading) -> Pairs:
    """The pairing of two readings with the same tokens in some order."""
    free = list(range(len(c.tokens)))
    out: Pairs = []
    for i, token in enumerate(q.tokens):
        j = next(j for j in free if c.tokens[j].text == token.text)
        free.remove(j)
        out.append((1.0, i, j))
    return out


def _mode(q: Reading, c: Reading, person: bool) -> int:
    if q.abjad or c.abjad:
        return LOOSE
    if q.script != c.script:
        return CROSS if q.script in SYLLABIC or c.script in SYLLABIC else ALPHA
    return STRICT_PERSON if person else STRICT_ORG


def _repairable(q: Reading, c: Reading, good: int) -> bool:
    """Whether enough distinctive tokens are left badly matched to try merged runs."""
    return len(q.strong) - good >= 1 and len(c.strong) - good >= 1 and \
        max(len(q.strong), len(c.strong)) - good >= 2


def reading_sim(q: Reading, c: Reading, person: bool, extra: bool = True,
                ) -> tuple[float, Pairs | None, Spans]:
    """Score two readings; also the token pairs (None: the same tokens) and merged runs.

    ``extra``: a person's unmatched extra names may be tolerated (not on a weak alias).
    """
    if q.exact == c.exact and q.exact:
        return 1.0, None, []
    mode = _mode(q, c, person)
    pairs = pair_tokens(q, c, mode)
    tolerant = person and extra
    result = quick_score(q, c, pairs, tolerant)
    if result >= 0.95 or len(q.tokens) == len(c.tokens):
        return result, pairs, []
    weak = q.weakness
    good = 0
    for sim, i, _ in pairs:
        if sim >= w.GOOD_PAIR_SIM and not weak[i]:
            good += 1
    if not _repairable(q, c, good):
        return max(result, _joined(q, c, mode)), pairs, []
    return _repaired(q, c, pairs, mode, tolerant, result)


def _repaired(q: Reading, c: Reading, pairs: Pairs, mode: int, tolerant: bool,
              result: float) -> tuple[float, Pairs | None, Spans]:
    spans: Spans = []
    repaired = Repair(q, c, pairs, mode).run()
    if repaired is not None:
        again = score(Alignment(q, c, *repaired), tolerant)
        if again > result:
            result, (pairs, spans) = again, repaired
    return max(result, _joined(q, c, mode)), pairs, spans


def reading_score(q: Reading, c: Reading, person: bool, extra: bool = True) -> float:
    """``reading_sim(q, c, person, extra)[0]``, without building the alignment when it can.

    The tokens are paired and scored as they are found (:mod:`embargo.matching.tally`);
    the pairs are listed only when merged runs must be tried.
    """
    if q.exact == c.exact and q.exact:
        return 1.0
    if not maskable(q, c):
        return reading_sim(q, c, person, extra)[0]
    mode = _mode(q, c, person)
    tolerant = person and extra
    uneven = len(q.tokens) != len(c.tokens)  # merged runs may be tried: keep the pairs
    tally = tally_pairs(q, c, mode, uneven)
    result = tally.result(tolerant)
    if result >= 0.95 or not uneven:
        return result
    if not _repairable(q, c, tally.good) or tally.pairs is None:
        return max(result, _joined(q, c, mode))
    return _repaired(q, c, tally.pairs, mode, tolerant, result)[0]
