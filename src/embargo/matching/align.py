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
from embargo.matching.reading import (
    spans as runs_of,
)

Pairs = list[tuple[float, int, int]]
_EMPTY: dict[str, float] = {}
_MIN_PAIR_SIM = w.MIN_PAIR_SIM
_GOOD_PAIR_SIM = w.GOOD_PAIR_SIM
_MISMATCH_FACTOR = w.MISMATCH_FACTOR
Spans = list[tuple[int, range, float, bool]]  # token, run on the other side, sim, token on q


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
    least = _MIN_PAIR_SIM
    if len(rq) == 1 and len(rc) == 1:
        i, j = rq[0], rc[0]
        sim = (rows.get(q.sigs[i]) or _EMPTY).get(c.sigs[j])
        if sim is None:
            sim = token_sim(q.tokens[i], c.tokens[j], mode)
        return [(sim, i, j)] if sim >= least else []
    found = []
    csigs, qsigs = c.sigs, q.sigs
    for i in rq:
        memo = (rows.get(qsigs[i]) or _EMPTY).get
        for j in rc:
            sim = memo(csigs[j])
            if sim is None:
                sim = token_sim(q.tokens[i], c.tokens[j], mode)
            if sim >= least:
                found.append((sim, i, j))
    if len(found) < 2:
        return found
    if len(rq) == 1 or len(rc) == 1:  # one row or column: only the best pair stands
        return [max(found)]
    found.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    out = []
    for sim, i, j in found:
        if i not in used_q and j not in used_c:
            used_q.add(i)
            used_c.add(j)
            out.append((sim, i, j))
    return out


def _identical(q: Reading, c: Reading, common: frozenset[str]) -> Pairs:
    if q.index and c.index:
        qi, ci = q.index, c.index
        return [(1.0, qi[s], ci[s]) for s in common]
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
    if q.sigset.isdisjoint(c.sigset):
        rq, rc, wq, wc = q.strong, c.strong, q.weakened, c.weakened
        out: Pairs = []
        if len(wq) == 0 or len(wc) == 0:  # no weak pairs to look for
            return _greedy(q, c, rq, rc, mode) if rq and rc else out
    elif q.index and c.index:
        common = q.sigset & c.sigset
        qi, ci = q.index, c.index
        out = [(1.0, qi[s], ci[s]) for s in common]
        if len(out) == len(q.tokens) or len(out) == len(c.tokens):
            return out
        rq = [qi[s] for s in q.strong_sigs - common]
        rc = [ci[s] for s in c.strong_sigs - common]
        wq = [qi[s] for s in q.weak_sigs - common]
        wc = [ci[s] for s in c.weak_sigs - common]
    else:
        common = q.sigset & c.sigset
        out = _identical(q, c, common)
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


def _tolerated(agreed: int, left_q: int, left_c: int) -> bool:
    """Whether a person's unmatched names count as extra names rather than mismatches.

    Only one side may have names left over, and some names must agree
    (``President Putin`` / ``Vladimir Putin``). Against a weak alias (``LUCAS``) the
    caller turns tolerance off: a full name must not match one nickname.
    """
    if left_q and left_c:
        return False
    return agreed >= w.TOLERANCE_MATCHES


def quick_score(q: Reading, c: Reading, pairs: Pairs, person: bool) -> float:
    """:func:`score` for an alignment without merged runs, from per-reading sums."""
    qw, cw, qk = q.weights, c.weights, q.weakness
    total = matched = strong_q = strong_c = 0.0
    bad = agreed = 0
    good = _GOOD_PAIR_SIM
    for sim, i, j in pairs:  # pairs are weak-weak or strong-strong
        weight_q, weight_c = qw[i], cw[j]
        weight = weight_q + weight_c
        total += weight
        if not qk[i]:
            agreed += 1
            strong_q += weight_q
            strong_c += weight_c
            if sim < good:
                bad += 1
                sim *= 0.5
        matched += sim * weight
    if matched == 0.0:
        return 0.0
    n = len(pairs)
    if n < len(qw) or n < len(cw):
        left_q, left_c = len(q.strong) - agreed, len(c.strong) - agreed
        rest = q.total_weight + c.total_weight - total  # unmatched tokens' weight
        if person and _tolerated(agreed, left_q, left_c):
            rest += w.PERSON_EXTRA_WEIGHT * (left_q + left_c) - (q.strong_weight - strong_q) \
                - (c.strong_weight - strong_c)
        else:
            bad += left_q + left_c
        total += rest
    return (matched / total) * (_MISMATCH_FACTOR**bad)


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
        person = _tolerated(agreed, sum(not t.weak for t in rest_q),
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
    return (matched / total) * (w.MISMATCH_FACTOR**bad)


def _joined(q: Reading, c: Reading, mode: int) -> float:
    """The names written without spaces (``Hlaingtharyar`` / ``Hlaing Thar Yar``)."""
    if not q.joined or not c.joined:
        return 0.0
    if q.joined_all == c.joined_all:
        return 0.95
    sim = norm_sim(q.joined, c.joined, score_cutoff=0.5)
    if mode >= LOOSE and min(len(q.joined_skel), len(c.joined_skel)) >= w.JOINED_SKELETON \
            and (sim >= 0.5 or mode == LOOSE):  # a short skeleton (``nkk``) fits many names
        sim = max(sim, 0.95 * norm_sim(q.joined_skel, c.joined_skel))
    elif q.joined_skel != c.joined_skel:
        sim -= STRICTNESS[mode] * (1.0 - norm_sim(q.joined_skel, c.joined_skel))
    return sim * 0.95 if sim >= w.GOOD_PAIR_SIM else 0.0


def _spare(reading: Reading, matched: dict[int, tuple[int, float]]) -> set[int]:
    return {i for i in reading.strong
            if i not in matched or matched[i][1] < w.GOOD_PAIR_SIM}


def _repair(al: Alignment, mode: int) -> Alignment | None:
    """Badly matched tokens paired with runs of adjacent badly matched tokens."""
    qm = {i: (j, s) for s, i, j in al.pairs or ()}
    cm = {j: (i, s) for s, i, j in al.pairs or ()}
    spare_q, spare_c = _spare(al.q, qm), _spare(al.c, cm)
    spans: Spans = []
    for _ in range(3):
        found = _repair_side(al, mode, True, spare_q, spare_c, qm, cm, spans)
        found = _repair_side(al, mode, False, spare_c, spare_q, cm, qm, spans) or found
        if not found:
            break
    if not spans:
        return None
    pairs = [(s, i, j) for i, (j, s) in qm.items()]
    return Alignment(al.q, al.c, pairs, spans)


def _unpair(k: int, owner: dict[int, tuple[int, float]], other: dict[int, tuple[int, float]],
            spare: set[int]) -> None:
    partner = owner.pop(k, None)
    if partner is not None:
        other.pop(partner[0], None)
        spare.add(partner[0])


def _repair_side(al: Alignment, mode: int, left: bool, mine: set[int], theirs: set[int],
                 my_map: dict[int, tuple[int, float]], their_map: dict[int, tuple[int, float]],
                 spans: Spans) -> bool:
    if not mine or len(theirs) < 2:
        return False
    tokens = al.q.tokens if left else al.c.tokens
    runs = [(run, token) for run, token in runs_of(al.c.tokens if left else al.q.tokens)
            if theirs.issuperset(run)]  # all spare: ``theirs`` changes only on success
    if not runs:
        return False
    for i in sorted(mine):
        for run, token in runs:
            sim = token_sim(tokens[i], token, mode) if left else token_sim(token, tokens[i], mode)
            if sim < w.GOOD_PAIR_SIM:
                continue
            _unpair(i, my_map, their_map, theirs)
            for k in run:
                _unpair(k, their_map, my_map, mine)
            mine.discard(i)
            theirs.difference_update(run)
            spans.append((i, run, sim, left))
            return True
    return False


def _same(q: Reading, c: Reading) -> Pairs:
    """The pairing of two readings with the same tokens in some order."""
    free = list(range(len(c.tokens)))
    out: Pairs = []
    for i, token in enumerate(q.tokens):
        j = next(j for j in free if c.tokens[j].text == token.text)
        free.remove(j)
        out.append((1.0, i, j))
    return out


def reading_sim(q: Reading, c: Reading, person: bool, extra: bool = True,
                ) -> tuple[float, Pairs | None, Spans]:
    """Score two readings; also the token pairs (None: the same tokens) and merged runs.

    ``extra``: a person's unmatched extra names may be tolerated (not on a weak alias).
    """
    if q.exact == c.exact and q.exact:
        return 1.0, None, []
    if q.abjad or c.abjad:
        mode = LOOSE
    elif q.script != c.script:
        mode = CROSS if q.script in SYLLABIC or c.script in SYLLABIC else ALPHA
    else:
        mode = STRICT_PERSON if person else STRICT_ORG
    pairs = pair_tokens(q, c, mode)
    tolerant = person and extra
    result = quick_score(q, c, pairs, tolerant)
    if result >= 0.95 or len(q.tokens) == len(c.tokens):
        return result, pairs, []
    spans: Spans = []
    weak = q.weakness
    good = [i for sim, i, _ in pairs if sim >= w.GOOD_PAIR_SIM and not weak[i]]
    if len(q.strong) - len(good) < 1 or len(c.strong) - len(good) < 1 or \
            max(len(q.strong), len(c.strong)) - len(good) < 2:
        return max(result, _joined(q, c, mode)), pairs, spans
    repaired = _repair(Alignment(q, c, pairs), mode)
    if repaired is not None:
        again = score(repaired, tolerant)
        if again > result:
            result, pairs, spans = again, repaired.pairs or [], repaired.spans
    return max(result, _joined(q, c, mode)), pairs, spans
