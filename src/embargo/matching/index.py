"""An in-memory candidate index: which listed parties could match a query.

Every name of every entity (aliases, weak aliases, original-script names, all romanised
variants) is cut into keys, each pointing at the entities that have it:

* tokens, adjacent tokens joined (``abdul rahman`` also gives ``abdulrahman``) and all tokens
  of a name joined (``Ets Koffi et Freres`` meets ``EtsKoffietFreres``);
* phonetic keys (``~``) and consonant skeletons (``^``) of tokens, for spelling variants
  and for vowel-less scripts (``mhmd`` from Arabic meets ``mohammed``);
* identifiers (``#``), normalised to upper-case letters and digits (IMO, passport, tax and
  registration numbers);
* ``=`` and the phonetic key of a name of one distinctive word (``HASSAN``): few names are
  one word, so a one-word query finds them all however common the word is;
* a one-deletion neighbourhood of the token vocabulary and of long skeletons (SymSpell
  style) finds tokens one typo away; they count at a discount.

A query is scored against an entity by the IDF weights of the keys they share (one score per
query token: its best key), so common tokens (``al``, ``mohammad``, ``ltd``) count little;
tokens on more than :data:`COMMON_SHARE` of the entities never seed candidates, they only add
to candidates found by rarer keys. The top ``limit`` candidates go to the full ``compare``,
less those covering under ``min_ratio`` of the query's weight (a cut relaxed when either side
has no Latin-script name, whose romanisation meets the listed spelling less often).
A listed name the query covers whole (a shared ``=`` or ``=+`` key: a name of up to four
distinctive words, its words apart or written as one) is compared whatever its rank, however
many longer names holding the same words outrank it (at most :data:`WHOLE_LIMIT`, and not
through a key on more than :data:`WHOLE_DF` entities).
The index is saved with pickle (load only files you wrote) together with a fingerprint of the
name analysis, so an index built by other analysis code is refused rather than misread. The
prepared entities are pickled together, so that tokens shared by many names are stored and
loaded once, and a loaded index holds them all: a query never waits for unpickling.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import math
import os
import pickle
import threading
from array import array
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from embargo.deadline import checkpoint
from embargo.errors import UsageError
from embargo.matching import Prepared, prepare
from embargo.matching.canonical import canonical
from embargo.matching.index_keys import (
    FAMILY,
    FUZZY_MIN_LEN,
    LIQUID_SCRIPTS,
    SKELETON_FUZZY_MIN_LEN,
    KeyMaker,
    acronym_keys,
    build_neighbours,
    compatible,
    deletes,
    entity_keys,
    id_keys,
    is_latin,
    joins,
    lone_keys,
    normalise_id,
    number_keys,
    skeleton,
    token_keys,
    whole_keys,
)
from embargo.matching.postings import Postings, accumulate
from embargo.matching.prefilter import worth_comparing
from embargo.model import Entity, Schema

log = logging.getLogger(__name__)

__all__ = ["CandidateIndex", "QueryPlan", "analysis_fingerprint", "build_neighbours",
           "compatible", "deletes", "entity_keys", "is_latin", "normalise_id", "skeleton"]

FORMAT = "embargo-index/4"
COMMON_SHARE = 0.005  # a key on more entities than this share only boosts, never seeds
MIN_COMMON = 80  # ... but never fewer than this many entities
ID_WEIGHT = 50.0  # an equal identifier outranks any name overlap
PHONETIC_FACTOR = 0.8
SKELETON_FACTOR = 0.7
FUZZY_FACTOR = 0.7
JOINED_FACTOR = 0.9
WHOLE_DF = 20  # a whole-name key on more entities than this is left to the ranking ...
WHOLE_LIMIT = 20  # ... and at most this many names covered whole are compared past the cut
GROUP_CACHE = 20_000  # query tokens whose expansions are remembered
PARALLEL_MIN = 3000  # with fewer entities, a second process does not pay for itself
SETTLE_MIN = 2000  # with fewer entities, an index is not frozen out of the collector's way
_SCHEMAS = tuple(Schema)
_NOT_ANALYSIS = frozenset({"screen.py", "query.py", "prefilter.py", "kernel.py", "bound.py"})
_NOT_SOURCE = frozenset({".pyc", ".so", ".pyd"})  # compiled forms of the same sources
_LATIN_BIT = 0x80
_PENDING: list[Entity | Prepared] = []  # what a forked worker prepares (set before the fork)

Chunk = tuple[bytes, list[list[str]], bytes, set[str]]


@cache
def analysis_fingerprint() -> str:
    """A hash of the code and data that prepared entities depend on.

    A saved index holds prepared (analysed) entities; when the name analysis, the scorer's
    prepared form or this module changes, old files must be rebuilt rather than misread.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in ("names", "matching"):
        for file in sorted((package / folder).rglob("*")):
            if file.is_file() and file.suffix not in _NOT_SOURCE and file.name not in _NOT_ANALYSIS:
                digest.update(file.relative_to(package).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def schema_code(prep: Prepared) -> int:
    """The schema's number, with a bit set when the entity has a Latin-script name."""
    return _SCHEMAS.index(prep.entity.schema) | (_LATIN_BIT if is_latin(prep) else 0)


def _prepare_pending(start: int, stop: int) -> Chunk:
    """In a forked worker: prepare entities ``start:stop`` of :data:`_PENDING`, pickled."""
    maker = KeyMaker()
    prepared, keys, codes = [], [], bytearray()
    for item in _PENDING[start:stop]:
        prep = item if isinstance(item, Prepared) else prepare(item)
        prepared.append(prep)
        keys.append(list(maker.keys(prep)))
        codes.append(schema_code(prep))
    blob = pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL)
    return blob, keys, bytes(codes), maker.vocabulary


def _can_fork(count: int) -> bool:
    """A second process helps: enough entities, two cores, fork available and safe."""
    return (count >= PARALLEL_MIN and (os.cpu_count() or 1) >= 2
            and "fork" in get_all_start_methods() and threading.active_count() == 1)


@dataclass(slots=True)
class QueryPlan:
    """A query's keys grouped by query token: [(key, weight), ...] per token."""

    groups: list[list[tuple[str, float]]]
    total: float  # the best possible score (every token found exactly)
    whole: list[str]  # the ``=`` keys of the query's short names (a listed name covered whole)


class CandidateIndex:
    """Entities prepared for ``compare`` plus postings to find them fast."""

    def __init__(self, prepared: list[Prepared], schemas: bytes, postings: Postings,
                 neighbours: dict[str, str]) -> None:
        self._prepared = prepared
        self._schemas = schemas
        self._postings = postings
        self._neighbours = neighbours
        self._count = len(prepared)
        self._common = max(MIN_COMMON, int(self._count * COMMON_SHARE))
        self._groups: dict[tuple[str, float], list[tuple[str, float]]] = {}

    def __len__(self) -> int:
        return self._count

    # building -----------------------------------------------------------------------------
    @classmethod
    def build(cls, entities: Iterable[Entity | Prepared], workers: int = 1) -> CandidateIndex:
        """Prepare (unless already prepared) and index entities; their order gives their numbers.

        ``workers=2`` prepares the second half in one forked process when that can help
        (enough entities, two cores, a single-threaded process): on an idle two-core machine
        it shortens a build; on a busy one it does not, hence not the default.
        """
        items = list(entities)
        split = len(items) // 2 if workers > 1 and _can_fork(len(items)) else len(items)
        gc_was_on = gc.isenabled()
        gc.disable()  # the build allocates millions of small objects and frees none:
        try:          # the cyclic collector's passes would cost ~40% of it for nothing
            index = cls._build(items, split)
        finally:
            if gc_was_on:
                gc.enable()
        _settle(len(index))
        return index

    @classmethod
    def _build(cls, items: Sequence[Entity | Prepared], split: int) -> CandidateIndex:
        """Prepare ``items[:split]`` here and the rest in a forked worker."""
        pool = None
        if split < len(items):
            _PENDING[:] = items
            pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
            future = pool.submit(_prepare_pending, split, len(items))
        try:
            prepared: list[Prepared] = []
            lists: dict[str, list[int]] = {}
            schemas = bytearray()
            maker = KeyMaker()
            for number, item in enumerate(items[:split]):
                prep = item if isinstance(item, Prepared) else prepare(item)
                prepared.append(prep)
                schemas.append(schema_code(prep))
                for key in maker.keys(prep):
                    lists.setdefault(key, []).append(number)
            if pool is not None:
                blob, chunk_keys, codes, vocabulary = future.result()
                maker.vocabulary |= vocabulary
                _post(lists, chunk_keys, split)
                prepared += pickle.loads(blob)
                schemas += codes
        finally:
            _PENDING.clear()
            if pool is not None:
                pool.shutdown()
        log.info("indexed %d entities under %d keys", len(prepared), len(lists))
        return cls(canonical(prepared), bytes(schemas), Postings.build(lists),
                   build_neighbours(maker.vocabulary))

    # persistence --------------------------------------------------------------------------
    def save(self, path: Path | str) -> None:
        """Write the index (the prepared entities pickled together: shared tokens once)."""
        state = {"format": FORMAT, "analysis": analysis_fingerprint(),
                 "prepared": self._prepared,
                 "schemas": self._schemas,
                 "offsets": self._postings.offsets, "flat": self._postings.flat.tobytes(),
                 "neighbours": self._neighbours}
        with Path(path).open("wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path | str, collect: bool = True) -> CandidateIndex:
        """Read an index written by :meth:`save` (only files you wrote: this is pickle).

        ``collect=False`` freezes the loaded index out of the collector's way without the full
        collection first (see :func:`_settle`): for a process that loads several indexes in a
        row (``embargo check``), where each full pass would walk every index loaded before.
        """
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            with Path(path).open("rb") as fh:
                state: dict[str, Any] = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError) as exc:
            raise UsageError(f"cannot read index {path}: {exc}") from None
        finally:
            if gc_was_on:
                gc.enable()
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise UsageError(f"{path} is not an {FORMAT} file")
        if state.get("analysis") != analysis_fingerprint():
            raise UsageError(f"{path} was built by another version of the name analysis: "
                             "rebuild it")
        flat = array("I")
        flat.frombytes(state["flat"])
        index = cls(state["prepared"], state["schemas"], Postings(state["offsets"], flat),
                    state["neighbours"])
        _settle(len(index), collect)
        return index

    # access -------------------------------------------------------------------------------
    def prepared(self, number: int) -> Prepared:
        """The prepared entity with this number."""
        return self._prepared[number]

    def entity(self, number: int) -> Entity:
        return self.prepared(number).entity

    def schema(self, number: int) -> Schema:
        return _SCHEMAS[self._schemas[number] & 0x7F]

    def keys_count(self) -> int:
        return len(self._postings.offsets)

    def df(self, key: str) -> int:
        """How many entities are posted under ``key``."""
        return self._postings.df(key)

    @property
    def common(self) -> int:
        """Keys on more entities than this never seed a search's candidates (they only boost
        candidates found by rarer keys, or seed when a query has no rarer key at all)."""
        return self._common

    # searching ----------------------------------------------------------------------------
    def idf(self, key: str) -> float:
        df = self._postings.df(key)
        return math.log((self._count + 1) / (df + 0.5)) if df else 0.0

    def plan(self, query: Prepared) -> QueryPlan:
        """The weighted keys of a query, one group per query token, joined run or identifier.

        ``total`` is the weight of the query's shortest full name (each token at its best
        key's weight, a token under no key at a rare token's weight), so that a candidate
        covering one whole name of the query covers it fully, and unmatched tokens count.
        A joined run found as one word (exactly) counts as much as its tokens one by one.
        """
        rare = math.log((self._count + 1) / 1.5)
        groups: dict[str, list[tuple[str, float]]] = {}
        runs: dict[str, tuple[str, ...]] = {}
        totals: list[float] = []
        for form in query.names:
            checkpoint()
            form_totals = [0.0]
            liquid = form.script in LIQUID_SCRIPTS
            for variant in form.variants:
                for token in variant:
                    if token not in groups:
                        groups[token] = self._token_group(token, 1.0)
                        if liquid and "r" in token:  # one liquid: アリ is Ali
                            groups[token] = _merged(groups[token], self._token_group(
                                token.replace("r", "l"), 1.0))
                form_totals.append(sum(_best(groups[t], rare) for t in dict.fromkeys(variant)))
                runs.update(("".join(run), run) for run in joins(variant))
            totals.append(max(form_totals))
        out = [g for g in groups.values() if g]
        for key, run in runs.items():
            group = [] if key in groups else self._token_group(key, JOINED_FACTOR)
            if group:
                scale = max(1.0, JOINED_FACTOR * sum(_best(groups[t], rare) for t in run)
                            / group[0][1])
                out.append([(k, w * scale if k == key else w) for k, w in group])
        out += [[(key, ID_WEIGHT)] for key in sorted(id_keys(query.entity))
                if self._postings.df(key)]
        lone = sorted({key for form in query.names for key in lone_keys(form, True)}
                      | number_keys(query) | acronym_keys(query, True))
        out += [[(key, self.idf(key))] for key in lone if self._postings.df(key)]
        whole = sorted({key for form in query.names for key in whole_keys(form, True)})
        whole = [key for key in (*lone, *whole)
                 if key[0] == "=" and 0 < self._postings.df(key) <= WHOLE_DF]
        return QueryPlan(out, _name_total(totals), whole)

    def _token_group(self, token: str, factor: float) -> list[tuple[str, float]]:
        """A token's keys (itself, phonetic, skeleton, typo neighbours) with their weights."""
        memo_key = (token, factor)
        cached = self._groups.get(memo_key)
        if cached is None:
            cached = self._expand(token, factor)
            if len(self._groups) >= GROUP_CACHE:
                self._groups.clear()
            self._groups[memo_key] = cached
        return cached

    def _expand(self, token: str, factor: float) -> list[tuple[str, float]]:
        found: dict[str, float] = {}
        expansions = [(token, 1.0)]
        expansions += [(key, PHONETIC_FACTOR if key[0] == "~" else SKELETON_FACTOR)
                       for key in token_keys(token)]
        expansions += [(near, FUZZY_FACTOR) for near in self.near(token)]
        expansions += [("^" + near, FUZZY_FACTOR * SKELETON_FACTOR)
                       for near in self.near(skeleton(token), "^", SKELETON_FUZZY_MIN_LEN)]
        for key, kfactor in expansions:
            weight = self.idf(key) * kfactor * factor
            if weight > found.get(key, 0.0):
                found[key] = weight
        return sorted(found.items(), key=lambda kv: -kv[1])

    def near(self, token: str, prefix: str = "", min_len: int = FUZZY_MIN_LEN) -> set[str]:
        """Indexed tokens (or skeletons, prefix ``^``) one edit or transposition away."""
        if len(token) < min_len:
            return set()
        out: set[str] = set()
        for probe in (token, *deletes(token)):
            hit = self._neighbours.get(prefix + probe)
            if hit:
                out.update(hit.split(" "))
        out.discard(token)
        return {t for t in out if abs(len(t) - len(token)) <= 1}

    def search(self, query: Prepared, limit: int = 50, min_ratio: float = 0.0,
               keep: int = 0) -> list[tuple[int, float]]:
        """The best ``limit`` (entity number, score) pairs for a query, best first.

        ``min_ratio`` and ``keep`` cut the candidates not worth a full comparison (see
        :func:`embargo.matching.prefilter.worth_comparing`, whose Latin-script coverage cut
        ``min_ratio`` sets): the best ``keep`` stay whatever their score.
        """
        plan = self.plan(query)
        scores = accumulate(self._postings, plan.groups, self._common)
        family = frozenset(_SCHEMAS.index(s) for s in FAMILY[query.entity.schema])
        codes = self._schemas
        # best first, ties to the lower number (every run): (score, -number) sorted in C, not
        # heapq.nlargest's Python loop and key call per candidate
        ranked = [(s, -n) for n, s in scores.items() if (codes[n] & 0x7F) in family]
        ranked.sort(reverse=True)
        best = [(-m, s) for s, m in ranked[:limit]]
        if min_ratio <= 0.0 and keep <= 0:
            return best
        found = [(n, s, bool(codes[n] & _LATIN_BIT)) for n, s in best]
        has_ids = any(len(g) == 1 and g[0][0][0] == "#" for g in plan.groups)
        out = worth_comparing(found, plan.total, is_latin(query), has_ids, keep, min_ratio)
        if not plan.whole:  # no short name of the query is listed whole
            return out
        whole = self._whole_names(plan.whole, scores, family, {n for n, _ in out},
                                  min(WHOLE_LIMIT, limit))
        # the caller's limit is a budget (EMBARGO_MAX_CANDIDATES): when the cut fills it, a
        # name covered whole takes the place of the cut's lowest-ranked candidates
        return out[:max(0, limit - len(whole))] + whole

    def _whole_names(self, keys: list[str], scores: dict[int, float], family: frozenset[int],
                     chosen: set[int], room: int) -> list[tuple[int, float]]:
        """The entities with a name the query covers whole (an ``=`` key in common) that the
        cut did not keep, best first: however many longer names hold the same words and
        outrank them, they are compared (at most ``room``: :data:`WHOLE_LIMIT`, and within
        the search's ``limit``)."""
        codes = self._schemas
        found: set[int] = set()
        for key in keys:
            view = self._postings.get(key)
            if view is not None:
                found.update(view.tolist())
        ranked = sorted((-scores.get(n, 0.0), n) for n in found - chosen
                        if (codes[n] & 0x7F) in family)
        return [(n, -s) for s, n in ranked[:room]]


def _settle(count: int, collect: bool = True) -> None:
    """Move what is in memory now (a large index, above all) out of the collector's way.

    An index is hundreds of thousands of long-lived objects without reference cycles; every
    full pass of the cyclic collector would walk them all (tens of milliseconds, in the
    middle of some query). Frozen objects are still freed by reference counting when an
    index is dropped, e.g. swapped for a newer one; unfreezing first lets this pass collect
    any cycles that died since the last freeze. A small index is left alone: the full pass
    this takes would cost more than the index ever would. Without ``collect`` the index is
    only frozen (cycles that died before stay until a later full pass).
    """
    if count < SETTLE_MIN:
        return
    if collect:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def _post(lists: dict[str, list[int]], keys: list[list[str]], first: int) -> None:
    """Post entities ``first, first + 1, ...`` under their keys."""
    for number, found in enumerate(keys, first):
        for key in found:
            lists.setdefault(key, []).append(number)


def _merged(a: list[tuple[str, float]], b: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Two key groups as one: each key at its higher weight, heaviest first."""
    found = dict(b)
    for key, weight in a:
        found[key] = max(weight, found.get(key, 0.0))
    return sorted(found.items(), key=lambda kv: -kv[1])


def _best(group: list[tuple[str, float]], rare: float) -> float:
    return group[0][1] if group else rare


def _name_total(totals: list[float]) -> float:
    """The smallest of the names' weights, ignoring far lighter ones (a lone initial)."""
    if not totals:
        return 0.0
    heaviest = max(totals)
    return min(t for t in totals if t >= 0.25 * heaviest)
