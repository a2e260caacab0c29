"""Name-to-name similarity: transliteration-aware token alignment.

Per pair of readings: identical tokens pair at once; the remaining distinctive
tokens (and, apart, the remaining weak ones) pair greedily by memoised similarity
(:mod:`embargo.matching.tally`, which scores the pairs as it finds them);
when the names have different token counts, a repair lets one token meet a run of
two or three adjacent tokens of the other name (``Abdulrahman`` / ``Abdul Rahman``),
and the names written without spaces are compared as a last resort.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from embargo.matching import weights as w
from embargo.matching.letters import vowelled
from embargo.matching.reading import (
    ALPHA,
    CROSS,
    LOOSE,
    STRICT_ORG,
    STRICT_PERSON,
    STRICTNESS,
    SYLLABIC,
    Reading,
    consonants_alike,
    norm_sim,
)
from embargo.matching.repair import Pairs, Repair, Spans
from embargo.matching.tally import Agreement, graceful, tally_pairs


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


def score(al: Alignment, person: bool, mode: int = STRICT_PERSON) -> float:
    """Weighted mean similarity of the aligned tokens, times a factor per mismatch."""
    qt, ct = al.q.tokens, al.c.tokens
    total = matched = near_gain = support = 0.0
    bad = near = 0
    agreement = Agreement()
    used_q: set[int] = set()
    used_c: set[int] = set()
    for sim, i, j in al.pairs or ():
        a, b = qt[i], ct[j]
        used_q.add(i)
        used_c.add(j)
        weight = a.weight + b.weight
        total += weight
        if not a.weak:
            agreement.add(al.q, al.c, i, j, sim, mode, a.weight, b.weight)
            if sim < w.GOOD_PAIR_SIM:
                bad += 1
                near += 1
                sim *= 0.5
                near_gain += sim * weight
            else:
                support += min(a.weight, b.weight)
        matched += sim * weight
    for i, run, sim, left in al.spans:
        mine, other = (qt, ct) if left else (ct, qt)
        ours, theirs = mine[i].weight, sum(other[k].weight for k in run)
        total += ours + theirs
        matched += sim * (ours + theirs)
        agreement.run(ours if left else theirs, theirs if left else ours, mode < LOOSE)
        support += min(ours, theirs)
        (used_q if left else used_c).add(i)
        (used_c if left else used_q).update(run)
    rest_q = [qt[i] for i in range(len(qt)) if i not in used_q] if len(used_q) < len(qt) else []
    rest_c = [ct[j] for j in range(len(ct)) if j not in used_c] if len(used_c) < len(ct) else []
    if person:  # extra names are tolerated only when one side has none left over
        person = agreement.excuses(sum(not t.weak for t in rest_q),
                                   sum(not t.weak for t in rest_c),
                                   0 if al.spans else w.EXTRA_NAMES, al.q, al.c)
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
    return graceful(matched, near_gain, total, bad, near, support, mode != STRICT_ORG)


def _joined(q: Reading, c: Reading, mode: int) -> float:
    """The names written without spaces (``Hlaingtharyar`` / ``Hlaing Thar Yar``)."""
    if not q.joined or not c.joined:
        return 0.0
    if q.joined_all == c.joined_all:
        return 0.95
    qj, qs, qt = _words(q, mode)
    cj, cs, ct = _words(c, mode)
    if not qj or not cj or _joined_bound(qj, cj, qs, cs, mode) < w.GOOD_PAIR_SIM:
        return 0.0
    sim = norm_sim(qj, cj, score_cutoff=0.5)
    if mode >= LOOSE and min(len(qs), len(cs)) >= w.JOINED_SKELETON \
            and (sim >= 0.5 or (mode == LOOSE and consonants_alike(qj, cj))) \
            and not (mode == LOOSE and vowelled(qt) and vowelled(ct)):
        # (two spellings that both write their vowels, a learned reading against a Latin
        # name, are compared as spelt: ``abdulrahman`` is no part of ``Taha Abdul Rahman``)
        # a short skeleton (``nkk``) fits many names; a long one, written without vowels,
        # must keep the consonants as written (``bdalmnanagha`` is not ``Bioho Domingo``)
        sim = max(sim, 0.95 * norm_sim(qs, cs))
    elif qs != cs:
        sim -= STRICTNESS[mode] * (1.0 - norm_sim(qs, cs))
    return sim * 0.95 if sim >= w.GOOD_PAIR_SIM else 0.0


def _words(r: Reading, mode: int) -> tuple[str, str, str]:
    """A reading's distinctive words written without spaces: folded, their skeleton, and as
    read (``y`` a consonant); outside syllabic scripts without one-letter words: an initial
    or a particle is no syllable of a word (``а сан`` is not Hassan; ``Vladimir V. Putin`` is
    ``vladimirputin``)."""
    tokens = r.tokens
    kept = [tokens[i] for i in r.strong if mode == CROSS or len(tokens[i].text) > 1]
    text = "".join([t.text for t in kept])
    if len(kept) == len(r.strong):
        return r.joined, r.joined_skel, text
    return "".join([t.folded for t in kept]), "".join([t.skel for t in kept]), text


def _length_bound(a: str, b: str) -> float:
    """An upper bound of ``norm_sim(a, b)``: at least one edit per letter of length difference."""
    longest = max(len(a), len(b))
    return 1.0 - abs(len(a) - len(b)) / longest if longest else 1.0


def _joined_bound(qj: str, cj: str, qs: str, cs: str, mode: int) -> float:
    """An upper bound of the similarity :func:`_joined` weighs (it scores 0 below GOOD_PAIR_SIM)."""
    bound = _length_bound(qj, cj)
    if mode >= LOOSE:
        bound = max(bound, 0.95 * _length_bound(qs, cs))
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
    return _align(q, c, person, extra, True)


def reading_score(q: Reading, c: Reading, person: bool, extra: bool = True) -> float:
    """``reading_sim(q, c, person, extra)[0]``, listing the pairs only if runs may be merged."""
    return _align(q, c, person, extra, False)[0]


def acronym(q: Reading, c: Reading) -> bool:
    """Whether one reading is one word, the initials of the other's distinctive words
    (``IRGC``, ``I.R.G.C.`` / Islamic Revolutionary Guard Corps)."""
    short, long = (q, c) if len(q.strong) == 1 else (c, q)
    if len(short.strong) != 1 or len(long.strong) < w.ACRONYM_MIN:
        return False
    word = short.tokens[short.strong[0]].text
    if len(word) != len(long.strong) or not word.isalpha():
        return False
    tokens = long.tokens
    return all(word[k] == tokens[i].text[0] for k, i in enumerate(long.strong))


def _align(q: Reading, c: Reading, person: bool, extra: bool, keep: bool,
           ) -> tuple[float, Pairs | None, Spans]:
    """The score, and the pairs when kept (``keep``) or needed for merged runs."""
    if q.exact == c.exact and (q.exact or _same_numbers_only(q, c)):
        return 1.0, None, []
    found = _align_tokens(q, c, person, extra, keep)
    if not person and found[0] < w.ACRONYM_SCORE and acronym(q, c):
        return w.ACRONYM_SCORE, found[1], found[2]
    return found


def _same_numbers_only(q: Reading, c: Reading) -> bool:
    """Two names of numbers alone, the same ones (a vessel named ``7-28``)."""
    return not q.tokens and not c.tokens and bool(q.form.numbers) \
        and q.form.numbers == c.form.numbers


def _align_tokens(q: Reading, c: Reading, person: bool, extra: bool, keep: bool,
                  ) -> tuple[float, Pairs | None, Spans]:
    mode = _mode(q, c, person)
    tolerant = person and extra
    uneven = len(q.tokens) != len(c.tokens)  # merged runs may be tried
    tally = tally_pairs(q, c, mode, keep or uneven)
    result, pairs = tally.result(tolerant), tally.pairs
    if result >= 0.95 or not uneven:
        return result, pairs, []
    if pairs is None or not _repairable(q, c, tally.good):
        return max(result, _joined(q, c, mode)), pairs, []
    return _repaired(q, c, pairs, mode, tolerant, result)


def _repaired(q: Reading, c: Reading, pairs: Pairs, mode: int, tolerant: bool,
              result: float) -> tuple[float, Pairs | None, Spans]:
    spans: Spans = []
    repaired = Repair(q, c, pairs, mode).run()
    if repaired is not None:
        again = score(Alignment(q, c, *repaired), tolerant, mode)
        if again > result:
            result, (pairs, spans) = again, repaired
    return max(result, _joined(q, c, mode)), pairs, spans
