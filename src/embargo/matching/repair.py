"""Merged runs: a badly matched token paired with a run of adjacent badly matched tokens.

When two readings have different token counts, ``Abdulrahman`` may face ``Abdul Rahman``
and ``thiri`` the syllables ``thi ri``: after the greedy pairing, each distinctive token
left spare (unpaired, or paired below ``GOOD_PAIR_SIM``) may take a run of two or three
adjacent spare tokens of the other name that it is similar to as a whole, breaking the
pairs those tokens were in. Spare tokens are kept as bit masks.
"""

from __future__ import annotations

from embargo.matching import weights as w
from embargo.matching.reading import (
    CROSS,
    LOOSE,
    Reading,
    Token,
    apart,
    consonants_alike,
    edit_sim,
    spans,
    token_sim,
)
from embargo.matching.tally import several

Pairs = list[tuple[float, int, int]]
Spans = list[tuple[int, range, float, bool]]  # token, run on the other side, sim, token on q
_Partners = dict[int, tuple[int, float]]


def _spare(reading: Reading, matched: _Partners) -> int:
    out = 0
    for i in reading.strong:
        partner = matched.get(i)
        if partner is None or partner[1] < w.GOOD_PAIR_SIM:
            out |= 1 << i
    return out


class Repair:
    """The state of one repair: who is paired with whom, and which tokens are spare."""

    def __init__(self, q: Reading, c: Reading, pairs: Pairs, mode: int) -> None:
        self.q = q
        self.c = c
        self.mode = mode
        self.qm: _Partners = {i: (j, s) for s, i, j in pairs}
        self.cm: _Partners = {j: (i, s) for s, i, j in pairs}
        self.spare_q = _spare(q, self.qm)
        self.spare_c = _spare(c, self.cm)
        self.spans: Spans = []

    def run(self) -> tuple[Pairs, Spans] | None:
        """The repaired pairs and merged runs, or None when no run could be merged."""
        for _ in range(3):
            found = self._side(True)
            found = self._side(False) or found
            if not found:
                break
        if not self.spans:
            return None
        return [(s, i, j) for i, (j, s) in self.qm.items()], self.spans

    def _side(self, left: bool) -> bool:
        """Merge one run of the other side into a spare token of this side, if any fits."""
        mine, theirs = (self.spare_q, self.spare_c) if left else (self.spare_c, self.spare_q)
        if not mine or not several(theirs):  # two spare tokens at least on their side
            return False
        runs = spans(self.c.tokens if left else self.q.tokens)  # only now: a new name's are built
        tokens = self.q.tokens if left else self.c.tokens
        for i in range(len(tokens)):  # in order of position
            if not (mine >> i) & 1:
                continue
            for run, token, bits in runs:
                if bits & ~theirs:  # the whole run must be spare
                    continue
                # spelling first: across scripts it fails for nearly every run, and costs one
                # edit distance where the similarity costs several
                if not self._spelt(tokens[i], token) or not self._whole(tokens[i], run, left):
                    continue
                sim = token_sim(tokens[i], token, self.mode) if left \
                    else token_sim(token, tokens[i], self.mode)
                if sim >= w.GOOD_PAIR_SIM:
                    self._merge(left, i, run, bits, sim)
                    return True
        return False

    def _whole(self, token: Token, run: range, left: bool) -> bool:
        """Whether a run may be met as one word: no one-letter word in it outside syllabic
        scripts (an initial or a particle: ``а сан`` is not Hassan), and the token as long
        as the run less half its shorter end word at least (``abud`` is ``abu`` and a scrap
        of ``doaa``, not the run ``abu doaa``)."""
        words = [(self.c.tokens if left else self.q.tokens)[k].folded for k in run]
        if self.mode != CROSS and min(len(x) for x in words) == 1:
            return False
        ends = min(len(words[0]), len(words[-1]))
        return len(token.folded) >= sum(len(x) for x in words) - ends / 2

    def _spelt(self, a: Token, b: Token) -> bool:
        """Across scripts a run must be spelt like the token it meets, not only share its
        coarse consonant skeleton (``bashir`` / ``Abu Yasir``, ``abudara`` / ``Abu Zahra``);
        against a vowel-less reading, its consonants as written (``bd allh`` / Abdullah)."""
        if self.mode < LOOSE:
            return True
        if not apart(a.folded, b.folded, w.RUN_SPELT_SIM) and \
                edit_sim(a.folded, b.folded) >= w.RUN_SPELT_SIM:
            return True
        return self.mode == LOOSE and \
            consonants_alike(a.folded, b.folded)

    def _merge(self, left: bool, i: int, run: range, bits: int, sim: float) -> None:
        """Token ``i`` of one side takes ``run`` of the other; their old partners go spare."""
        mine_map, their_map = (self.qm, self.cm) if left else (self.cm, self.qm)
        freed_theirs = _unpair(i, mine_map, their_map)
        freed_mine = 0
        for k in run:
            freed_mine |= _unpair(k, their_map, mine_map)
        if left:
            self.spare_c = (self.spare_c | freed_theirs) & ~bits
            self.spare_q = (self.spare_q | freed_mine) & ~(1 << i)
        else:
            self.spare_q = (self.spare_q | freed_theirs) & ~bits
            self.spare_c = (self.spare_c | freed_mine) & ~(1 << i)
        self.spans.append((i, run, sim, left))


def _unpair(k: int, owner: _Partners, other: _Partners) -> int:
    """Break ``k``'s pair; the bit of its former partner (0 if it had none)."""
    partner = owner.get(k)
    if partner is None:
        return 0
    del owner[k]
    j = partner[0]
    other.pop(j, None)
    return 1 << j
