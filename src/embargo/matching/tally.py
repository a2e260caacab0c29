"""Pairing the tokens of two readings, and scoring the pairing as it is found.

:func:`tally_pairs` pairs identical tokens in the query's order, then the distinctive and
the weak tokens apart, greedily: the largest (similarity, i, j) first, each token at most
once. Each pair goes into a :class:`Tally` as it is chosen, with bit masks for the tokens
still free: no pair list, set or tuple is built unless asked for (``record``), which the
scorer does only when merged runs may be tried or an alignment is to be explained.
"""

from __future__ import annotations

import re
from typing import Final

from embargo.matching import weights as w
from embargo.matching.reading import (
    LOOSE,
    ROWS,
    STRICT_ORG,
    STRICT_PERSON,
    Reading,
    edit_sim,
    token_sim,
)

_MISMATCH_POWERS = tuple(w.MISMATCH_FACTOR**k for k in range(16))  # the same floats as ``**``


def mismatch(bad: int) -> float:
    """The score factor for ``bad`` mismatched tokens."""
    return _MISMATCH_POWERS[bad] if bad < 16 else w.MISMATCH_FACTOR**bad


def tolerated(agreed: int, left_q: int, left_c: int, weight: float = 1.0,
              rarest: float = 1.0, extra: int = w.EXTRA_NAMES) -> bool:
    """Whether a person's unmatched names count as extra names rather than mismatches.

    Only one side may have names left over (at most ``EXTRA_NAMES`` more than agree:
    ``Putin`` / ``Vladimir Vladimirovich Putin``), and some names must agree
    (``President Putin`` / ``Vladimir Putin``): a rare one (``rarest``, the heaviest
    agreeing name, weighs ``STRONG_WEIGHT``) or several weighing together
    ``TOLERANCE_WEIGHT`` (``weight``): two common given names, ``Omar Mohammed``, do not
    excuse an unmatched surname. Against a weak alias (``LUCAS``) the caller turns
    tolerance off: a full name must not match one nickname. Where a name agreed as a merged
    run (``extra`` 0: ``zbydy`` / ``Izabayo Deo``), no more names may be left than agree.
    """
    if (left_q and left_c) or left_q + left_c > agreed + extra:
        return False
    return agreed >= w.TOLERANCE_MATCHES and (
        rarest >= w.STRONG_WEIGHT or weight >= w.TOLERANCE_WEIGHT)


def secure(q: Reading, c: Reading, i: int, j: int, sim: float, mode: int) -> bool:
    """Whether an agreeing pair of distinctive names may excuse extra names.

    Not an initial (``A`` / ``Adel``: it confirms a name, it does not identify anyone), and
    across scripts not a pair that agrees only by consonant skeleton (``bashir`` /
    ``WISSER``, ``juria`` / ``JARRAYA``: one such name beside unmatched ones is no evidence
    of the person): the spellings themselves must agree (``mohammed`` / ``MOHAMMAD``, a
    learned reading; not ``ayman`` / ``AMEEN``, one skeleton).
    """
    a, b = q.tokens[i], c.tokens[j]
    if len(a.text) == 1 or len(b.text) == 1:
        return False
    if mode < LOOSE or sim >= 1.0:
        return True
    return edit_sim(a.folded, b.folded) >= w.SECURE_SIM


class Agreement:
    """The agreeing distinctive names of an alignment, as evidence that may excuse extras.

    Secure pairs (:func:`secure`) excuse extra names as :func:`tolerated` says. Pairs that
    agree across scripts by consonant skeleton only (at least ``GOOD_PAIR_SIM``) need one
    another: several of them, at least two more than names left over, or one more when every
    name of the query is met and one of them is spelt alike or two or more agree (فلاديمير
    بوتن, فلادمير بوتن / ``PUTIN, Vladimir Vladimirovich``: the patronymic is left; the rare
    agreeing name :func:`tolerated` asks for still applies) (``HUWAYSH, Abd-al-Tawab
    Mullah`` / عبد التواب ملا حويش: three agree, ``ملا`` is left; not ``بشير`` /
    ``WISSER, Gerhard``, one skeleton).
    """

    def __init__(self) -> None:
        self.secured = 0
        self.secure_q = self.secure_c = self.rarest = 0.0
        self.good = 0
        self.good_q = self.good_c = self.good_rarest = 0.0

    def add(self, q: Reading, c: Reading, i: int, j: int, sim: float, mode: int,
            weight_q: float, weight_c: float) -> None:
        lighter = weight_q if weight_q < weight_c else weight_c
        if secure(q, c, i, j, sim, mode):
            self.secured += 1
            self.secure_q += weight_q
            self.secure_c += weight_c
            if lighter > self.rarest:
                self.rarest = lighter
        elif sim < w.GOOD_PAIR_SIM or len(q.tokens[i].text) == 1 or len(c.tokens[j].text) == 1:
            return
        self.good += 1
        self.good_q += weight_q
        self.good_c += weight_c
        if lighter > self.good_rarest:
            self.good_rarest = lighter

    def run(self, weight_q: float, weight_c: float, secured: bool) -> None:
        """A merged run (its weights on either side); across scripts not ``secured``."""
        if secured:
            self.secured += 1
            self.secure_q += weight_q
            self.secure_c += weight_c
            self.rarest = max(self.rarest, min(weight_q, weight_c))
        self.good += 1
        self.good_q += weight_q
        self.good_c += weight_c
        self.good_rarest = max(self.good_rarest, min(weight_q, weight_c))

    def excuses(self, left_q: int, left_c: int, extra: int = w.EXTRA_NAMES,
                q: Reading | None = None, c: Reading | None = None) -> bool:
        """Whether the names left over count as a person's extra names (``q``, ``c``: the
        readings, to tell a patronymic left over)."""
        if tolerated(self.secured, left_q, left_c, min(self.secure_q, self.secure_c),
                     self.rarest, extra):
            return True
        # every name of the query met, one of them spelt alike or two or more by skeleton,
        # and either the list's patronymic left (فلادمير بوتن, فلاديمير بوتن / PUTIN,
        # Vladimir Vladimirovich) or agreeing names weighing two rare ones: one extra name
        # of the list's is excused; not a common given name beside one skeleton match
        # (``mohammad`` + ``kbr`` do not cover a name of three); otherwise two more must
        # agree than are left
        relaxed = 3
        if not left_q and (self.secured or self.good >= 2) and (
                min(self.good_q, self.good_c) >= w.RELAXED_WEIGHT
                or (c is not None and patronymic(c))):
            relaxed = 2
        return self.good > self.secured and tolerated(
            self.good, left_q, left_c, min(self.good_q, self.good_c), self.good_rarest,
            extra - relaxed)


_PATRONYMIC: Final = re.compile(
    r"(?:[bvwf][iy](?:t?s?ch|tsj|tj|tx|cz|ci|cs|c|tsh|sh|ts)i?|[vw]n[ae]|ogly|oglu|uly|kyzy|qizi)$")
"""East Slavic patronymics as languages and scripts write them (Vladimirovich, -owitsch,
-owitsj, -ovici, -ovitj, -ovitx, -owicz, Korean -bichi, an abjad reading's -wfytsh; -ovna)
and Turkic ones (Mamedoglu, Nurlanuly, -kyzy), routinely left out of a name as others
write it."""


def patronymic(r: Reading) -> bool:
    """Whether a distinctive token of ``r`` is a patronymic, or an initial (``Vladimir V.
    Putin``: a middle name's initial is left out as often)."""
    tokens = r.tokens
    for i in r.strong:
        text = tokens[i].text
        if len(text) == 1 or _PATRONYMIC.search(text) is not None:
            return True
    return False


def graceful(matched: float, near_gain: float, total: float, bad: int, near: int,
             support: float, lenient: bool = True) -> float:
    """The score of an alignment: weighted mean similarity times a factor per mismatch.

    A distinctive pair below ``GOOD_PAIR_SIM`` (but paired: at least ``MIN_PAIR_SIM``) is a
    mismatch, its similarity halved, unless good pairs support it (``support``, their weight,
    at least ``NEAR_SUPPORT`` per such pair: a common given name, ``Abdul``, does not):
    then it is a *near* pair, one name read another way (Osman / Uthman, ``mtsdq`` /
    Motassadeq), which counts at its similarity and costs ``NEAR_FACTOR``.
    ``near_gain`` is what the halving took from the near pairs. Not ``lenient`` (two
    organisation names in one script: Lixing / Lixin Cosmetics are two companies), every
    such pair is a mismatch.
    """
    if near and lenient and support >= w.NEAR_SUPPORT * near:
        factor = mismatch(bad - near) * w.NEAR_FACTOR**near
        return ((matched + near_gain) / total) * factor
    return (matched / total) * mismatch(bad)


class Tally:
    """The running sums of a score over token pairs (weak-weak or strong-strong)."""

    def __init__(self, q: Reading, c: Reading, record: bool = False,
                 mode: int = STRICT_PERSON) -> None:
        self.q = q
        self.c = c
        self.mode = mode
        self.lenient = mode != STRICT_ORG  # near pairs allowed (see ``graceful``)
        self.pairs: list[tuple[float, int, int]] | None = [] if record else None
        self.total = 0.0
        self.matched = 0.0
        self.strong_q = 0.0
        self.strong_c = 0.0
        self.bad = 0
        self.agreed = 0
        self.count = 0
        self.good = 0  # distinctive pairs at or above GOOD_PAIR_SIM
        self.near = 0  # distinctive pairs below it
        self.near_gain = 0.0  # what halving their similarity took
        self.agreement = Agreement()  # the pairs that may excuse extra names
        self.support = 0.0  # the weight of the good distinctive pairs (lighter sides)

    def add(self, sim: float, i: int, j: int) -> None:
        if self.pairs is not None:
            self.pairs.append((sim, i, j))
        weight_q, weight_c = self.q.weights[i], self.c.weights[j]
        weight = weight_q + weight_c
        self.total += weight
        self.count += 1
        if not self.q.weakness[i]:
            self.agreed += 1
            self.strong_q += weight_q
            self.strong_c += weight_c
            lighter = weight_q if weight_q < weight_c else weight_c
            self.agreement.add(self.q, self.c, i, j, sim, self.mode, weight_q, weight_c)
            if sim < w.GOOD_PAIR_SIM:
                self.bad += 1
                self.near += 1
                sim *= 0.5
                self.near_gain += sim * weight
            else:
                self.good += 1
                self.support += lighter
        self.matched += sim * weight

    def result(self, person: bool) -> float:
        """Weighted mean similarity, unmatched tokens counted, times a factor per mismatch."""
        if self.matched == 0.0:
            return 0.0
        q, c = self.q, self.c
        total, bad, agreed = self.total, self.bad, self.agreed
        if self.count < len(q.weights) or self.count < len(c.weights):
            left_q, left_c = len(q.strong) - agreed, len(c.strong) - agreed
            rest = q.total_weight + c.total_weight - total  # unmatched tokens' weight
            if person and self.agreement.excuses(left_q, left_c, w.EXTRA_NAMES, q, c):
                rest += w.PERSON_EXTRA_WEIGHT * (left_q + left_c) \
                    - (q.strong_weight - self.strong_q) - (c.strong_weight - self.strong_c)
            else:
                bad += left_q + left_c
            total += rest
        return graceful(self.matched, self.near_gain, total, bad, self.near, self.support,
                        self.lenient)


def tally_pairs(q: Reading, c: Reading, mode: int, record: bool = False) -> Tally:
    """Pair the tokens of ``q`` and ``c`` and tally the pairs as they are chosen.

    ``record``: also list the pairs, in the order chosen (``Tally.pairs``).
    """
    tally = Tally(q, c, record, mode)
    qs, cs = q.sigs, c.sigs
    free_q = (1 << len(qs)) - 1
    free_c = (1 << len(cs)) - 1
    for i in range(len(qs)):
        j = _same_free(c, qs[i], free_c)
        if j >= 0:
            tally.add(1.0, i, j)
            free_q &= ~(1 << i)
            free_c &= ~(1 << j)
    if tally.count and (tally.count == len(qs) or tally.count == len(cs)):
        return tally
    _pick(tally, q.strong_mask & free_q, c.strong_mask & free_c, mode)
    _pick(tally, q.weak_mask & free_q, c.weak_mask & free_c, mode)
    return tally


def _same_free(c: Reading, sig: str, free_c: int) -> int:
    """The first free token of ``c`` written as ``sig``, or -1."""
    if c.index:  # no token of c repeats
        j = c.index.get(sig, -1)
        return j if j >= 0 and (free_c >> j) & 1 else -1
    cs = c.sigs
    for j in range(len(cs)):
        if cs[j] == sig and (free_c >> j) & 1:
            return j
    return -1


def _pick(tally: Tally, mask_q: int, mask_c: int, mode: int) -> None:
    """Pair the tokens of two masks greedily: the largest (similarity, i, j) first."""
    if not mask_q or not mask_c:
        return
    q, c = tally.q, tally.c
    rows = ROWS[mode]
    qs, cs = q.sigs, c.sigs
    again = several(mask_q) and several(mask_c)  # more than one pair can be chosen
    sims: list[float] = []  # row-major over the masks' tokens, when needed again
    best, bi, bj = -1.0, -1, -1
    for i in range(len(qs)):
        if (mask_q >> i) & 1:
            row = rows.get(qs[i])
            for j in range(len(cs)):
                if (mask_c >> j) & 1:
                    sim = row.get(cs[j]) if row is not None else None
                    if sim is None:
                        sim = token_sim(q.tokens[i], c.tokens[j], mode)
                    if again:
                        sims.append(sim)
                    if sim >= w.MIN_PAIR_SIM and sim >= best:  # ascending: ties go to later
                        best, bi, bj = sim, i, j
    free_q, free_c = mask_q, mask_c
    while bi >= 0:
        tally.add(best, bi, bj)
        free_q &= ~(1 << bi)
        free_c &= ~(1 << bj)
        if not again or not free_q or not free_c:
            return
        best, bi, bj = _best_free(sims, len(qs), len(cs), mask_q, mask_c, free_q, free_c)


def several(mask: int) -> bool:
    """Whether more than one bit is set."""
    return (mask & (mask - 1)) != 0


def _best_free(sims: list[float], nq: int, nc: int, mask_q: int, mask_c: int, free_q: int,
               free_c: int) -> tuple[float, int, int]:
    """The largest (similarity, i, j) among tokens still free, or (-1, -1, -1)."""
    best, bi, bj = -1.0, -1, -1
    k = 0
    for i in range(nq):
        if (mask_q >> i) & 1:
            for j in range(nc):
                if (mask_c >> j) & 1:
                    sim = sims[k]
                    k += 1
                    if (free_q >> i) & 1 and (free_c >> j) & 1 and sim >= w.MIN_PAIR_SIM \
                            and sim >= best:
                        best, bi, bj = sim, i, j
    return best, bi, bj
