"""An in-memory candidate index: which listed parties could match a query.

Every name of every entity (aliases, weak aliases, original-script names, all romanised
variants) is cut into keys, each pointing at the entities that have it:

* tokens, and adjacent tokens joined (``abdul rahman`` also gives ``abdulrahman``);
* phonetic keys (``~``) and consonant skeletons (``^``) of tokens, for spelling variants
  and for vowel-less scripts (``mhmd`` from Arabic meets ``mohammed``);
* identifiers (``#``), normalised to upper-case letters and digits (IMO, passport, tax and
  registration numbers);
* a one-deletion neighbourhood of the token vocabulary (SymSpell style) finds tokens one
  typo away; they count at a discount.

A query is scored against an entity by the IDF weights of the keys they share (one score per
query token: its best key), so common tokens (``al``, ``mohammad``, ``ltd``) count little;
tokens on more than :data:`COMMON_SHARE` of the entities never seed candidates, they only add
to candidates found by rarer keys. The top ``limit`` candidates go to the full ``compare``.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import itertools
import logging
import math
import pickle
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from embargo.errors import UsageError
from embargo.matching import Prepared, prepare
from embargo.model import Entity, Schema
from embargo.names import phonetic_key

log = logging.getLogger(__name__)

FORMAT = "embargo-index/1"
COMMON_SHARE = 0.005  # a key on more entities than this share only boosts, never seeds
MIN_COMMON = 80  # ... but never fewer than this many entities
FUZZY_MIN_LEN = 4  # shorter tokens get no typo neighbours
SKELETON_FUZZY_MIN_LEN = 5  # ... and shorter skeletons none either
ID_MIN_LEN = 5  # shorter identifiers are too ambiguous to look up
ID_WEIGHT = 50.0  # an equal identifier outranks any name overlap
NON_LATIN_COVERAGE = 0.0  # romanised queries cover less: their coverage cut is scaled by this
PHONETIC_FACTOR = 0.8
SKELETON_FACTOR = 0.7
FUZZY_FACTOR = 0.7
JOINED_FACTOR = 0.9
GROUP_CACHE = 100_000  # query tokens whose expansions are remembered
_DROP = str.maketrans("", "", "aeiouywh'")
_MERGE = {"q": "k", "c": "k", "g": "k", "j": "k", "p": "b", "f": "b", "v": "b", "z": "s",
          "x": "s"}

# Person and vessel queries only meet their own kind; the legal-entity family meets itself.
_FAMILY = {
    Schema.PERSON: frozenset({Schema.PERSON, Schema.LEGAL_ENTITY}),
    Schema.ORGANIZATION: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    Schema.COMPANY: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    Schema.LEGAL_ENTITY: frozenset({Schema.PERSON, Schema.ORGANIZATION, Schema.COMPANY,
                                    Schema.LEGAL_ENTITY}),
    Schema.VESSEL: frozenset({Schema.VESSEL}),
    Schema.AIRPLANE: frozenset({Schema.AIRPLANE}),
}
_SCHEMAS = tuple(Schema)
_NOT_ANALYSIS = frozenset({"screen.py", "query.py"})
_LATIN = frozenset({"Latin", "Common", ""})


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
            if file.is_file() and file.suffix != ".pyc" and file.name not in _NOT_ANALYSIS:
                digest.update(file.relative_to(package).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def compatible(query: Schema, candidate: Schema) -> bool:
    """Whether a query of one schema may match a candidate of another."""
    return candidate in _FAMILY[query]


def skeleton(token: str) -> str:
    """A coarse consonant skeleton that a vowel-less script's reading also reaches.

    Vowels and the letters that stand for vowels in abjads (``w``, ``y``, ``h``) are dropped,
    consonants that romanisations confuse are merged, doubled letters collapsed:
    ``kokhvei`` and the Hebrew reading ``kwkby`` both give ``kb``.
    """
    out: list[str] = []
    for ch in token.translate(_DROP):
        ch = _MERGE.get(ch, ch)
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def is_latin(prepared: Prepared) -> bool:
    """Whether a name is in Latin script (else the coverage cut is relaxed)."""
    return any(form.script in _LATIN for form in prepared.names)


def normalise_id(value: str) -> str:
    """An identifier as upper-case letters and digits (``IMO 9123456`` → ``9123456``)."""
    text = "".join(ch for ch in value.upper() if ch.isalnum())
    return text[3:] if text.startswith("IMO") and text[3:].isdigit() else text


def deletes(token: str) -> set[str]:
    """All strings one deletion away from ``token``."""
    return {token[:i] + token[i + 1:] for i in range(len(token))}


def joins(variant: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The runs of tokens that may be written as one word: adjacent pairs, and the whole."""
    yield from itertools.pairwise(variant)
    if len(variant) > 2:
        yield variant


def name_tokens(prepared: Prepared) -> tuple[set[str], set[str]]:
    """(tokens, joined runs) over all names and variants."""
    tokens: set[str] = set()
    joined: set[str] = set()
    for form in prepared.names:
        for variant in form.variants:
            tokens.update(t for t in variant if t)
            joined.update("".join(run) for run in joins(variant))
    return tokens, joined - tokens


def token_keys(token: str) -> tuple[str, ...]:
    """The phonetic and skeleton keys of one token (not the token itself)."""
    keys = []
    key = phonetic_key(token)
    if key:
        keys.append("~" + key)
    skel = skeleton(token)
    if len(skel) >= 2:
        keys.append("^" + skel)
    return tuple(keys)


class _KeyMaker:
    """Keys of entities, remembering each token's keys (tokens repeat a lot)."""

    def __init__(self) -> None:
        self.memo: dict[str, tuple[str, ...]] = {}
        self.vocabulary: set[str] = set()  # plain tokens, for the typo neighbourhood

    def keys(self, prepared: Prepared) -> set[str]:
        tokens, joined = name_tokens(prepared)
        self.vocabulary.update(tokens)
        keys = tokens | joined
        for token in tokens | joined:
            found = self.memo.get(token)
            if found is None:
                found = self.memo[token] = token_keys(token)
            keys.update(found)
        keys.update(id_keys(prepared.entity))
        return keys


def id_keys(entity: Entity) -> set[str]:
    """The identifier keys of an entity."""
    values = (normalise_id(ident.value) for ident in entity.identifiers)
    return {"#" + v for v in values if len(v) >= ID_MIN_LEN}


def entity_keys(prepared: Prepared) -> set[str]:
    """Every key an indexed entity is posted under."""
    return _KeyMaker().keys(prepared)


@dataclass(slots=True)
class _Postings:
    """Keys to sorted entity numbers, in two flat arrays."""

    offsets: dict[str, tuple[int, int]] = field(default_factory=dict)
    flat: array[int] = field(default_factory=lambda: array("I"))

    @classmethod
    def build(cls, lists: dict[str, list[int]]) -> _Postings:
        out = cls()
        for key, ids in lists.items():
            start = len(out.flat)
            out.flat.extend(ids)
            out.offsets[key] = (start, len(out.flat))
        return out

    def get(self, key: str) -> memoryview | None:
        span = self.offsets.get(key)
        return None if span is None else memoryview(self.flat)[span[0]:span[1]]

    def df(self, key: str) -> int:
        span = self.offsets.get(key)
        return 0 if span is None else span[1] - span[0]


@dataclass(slots=True)
class QueryPlan:
    """A query's keys grouped by query token: [(key, weight), ...] per token."""

    groups: list[list[tuple[str, float]]]
    total: float  # the best possible score (every token found exactly)


class CandidateIndex:
    """Entities prepared for ``compare`` plus postings to find them fast."""

    def __init__(self, blobs: list[bytes | None], prepared: list[Prepared | None],
                 schemas: bytes, postings: _Postings, neighbours: dict[str, str]) -> None:
        self._blobs = blobs
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
    def build(cls, entities: Iterable[Entity | Prepared]) -> CandidateIndex:
        """Prepare (unless already prepared) and index entities; their order gives their numbers."""
        prepared: list[Prepared | None] = []
        lists: dict[str, list[int]] = {}
        schemas = bytearray()
        maker = _KeyMaker()
        for number, item in enumerate(entities):
            prep = item if isinstance(item, Prepared) else prepare(item)
            prepared.append(prep)
            schemas.append(_SCHEMAS.index(prep.entity.schema) | (0 if is_latin(prep) else 0x80))
            for key in maker.keys(prep):
                lists.setdefault(key, []).append(number)
        neighbours = build_neighbours(maker.vocabulary)
        log.info("indexed %d entities under %d keys", len(prepared), len(lists))
        return cls([None] * len(prepared), prepared, bytes(schemas), _Postings.build(lists),
                   neighbours)

    # persistence --------------------------------------------------------------------------
    def save(self, path: Path | str) -> None:
        """Write the index (prepared entities pickled one by one, loaded lazily)."""
        blobs = [self._blob(i) for i in range(self._count)]
        state = {"format": FORMAT, "analysis": analysis_fingerprint(), "blobs": blobs,
                 "schemas": self._schemas,
                 "offsets": self._postings.offsets, "flat": self._postings.flat.tobytes(),
                 "neighbours": self._neighbours}
        with Path(path).open("wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path | str) -> CandidateIndex:
        """Read an index written by :meth:`save` (only files you wrote: this is pickle)."""
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
        blobs: list[bytes | None] = state["blobs"]
        return cls(blobs, [None] * len(blobs), state["schemas"],
                   _Postings(state["offsets"], flat), state["neighbours"])

    def _blob(self, number: int) -> bytes:
        blob = self._blobs[number]
        if blob is None:
            blob = pickle.dumps(self._prepared[number], protocol=pickle.HIGHEST_PROTOCOL)
        return blob

    # access -------------------------------------------------------------------------------
    def prepared(self, number: int) -> Prepared:
        """The prepared entity with this number (unpickled on first use after a load)."""
        prep = self._prepared[number]
        if prep is None:
            blob = self._blobs[number]
            assert blob is not None
            prep = pickle.loads(blob)
            self._prepared[number] = prep
            self._blobs[number] = None
        assert prep is not None
        return prep

    def entity(self, number: int) -> Entity:
        return self.prepared(number).entity

    def schema(self, number: int) -> Schema:
        return _SCHEMAS[self._schemas[number] & 0x7F]

    def keys_count(self) -> int:
        return len(self._postings.offsets)

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
            form_totals = [0.0]
            for variant in form.variants:
                for token in variant:
                    if token not in groups:
                        groups[token] = self._token_group(token, 1.0)
                form_totals.append(sum(_best(groups[t], rare) for t in set(variant)))
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
        return QueryPlan(out, _name_total(totals))

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

        ``min_ratio`` drops candidates whose score is under that share of the query's best
        possible score (scaled by :data:`NON_LATIN_COVERAGE` for names in other scripts,
        whose romanisation meets the listed spelling less often); the best ``keep`` stay
        whatever their score.
        """
        plan = self.plan(query)
        scores = self._accumulate(plan.groups)
        family = frozenset(_SCHEMAS.index(s) for s in _FAMILY[query.entity.schema])
        codes = self._schemas
        allowed = [(n, s) for n, s in scores.items() if (codes[n] & 0x7F) in family]
        best = heapq.nlargest(limit, allowed, key=lambda ns: ns[1])
        floor = plan.total * min_ratio
        low = floor * NON_LATIN_COVERAGE
        if not is_latin(query):
            floor = low
        return [(n, s) for i, (n, s) in enumerate(best)
                if i < keep or s >= (low if codes[n] & 0x80 else floor)]

    def _accumulate(self, groups: list[list[tuple[str, float]]]) -> dict[int, float]:
        scores: dict[int, float] = {}
        boosts: list[tuple[list[tuple[str, float]], set[int]]] = []
        for group in groups:
            seeding = [(k, w) for k, w in group if self._postings.df(k) <= self._common]
            common = [(k, w) for k, w in group if self._postings.df(k) > self._common]
            seen = _add_group(scores, seeding, self._postings)
            if common:
                boosts.append((common, seen))
        if not scores and boosts:  # only common tokens: seed from the rarest
            boosts.sort(key=lambda b: min(self._postings.df(k) for k, _ in b[0]))
            first, _ = boosts.pop(0)
            _add_group(scores, first, self._postings)
        for common, seen in boosts:
            self._boost(scores, common, seen)
        return scores

    def _boost(self, scores: dict[int, float], group: list[tuple[str, float]],
               seen: set[int]) -> None:
        """Add a common token's best weight to the candidates found by other tokens."""
        credit: dict[int, float] = {}
        for key, weight in group:
            view = self._postings.get(key)
            if view is None:
                continue
            if len(view) <= 4 * len(scores):
                found: Iterable[int] = (n for n in view if n in scores)
            else:
                found = (n for n in scores if _contains(view, n))
            for number in found:
                if number not in seen and weight > credit.get(number, 0.0):
                    credit[number] = weight
        for number, weight in credit.items():
            scores[number] += weight


def _best(group: list[tuple[str, float]], rare: float) -> float:
    return group[0][1] if group else rare


def _name_total(totals: list[float]) -> float:
    """The smallest of the names' weights, ignoring far lighter ones (a lone initial)."""
    if not totals:
        return 0.0
    heaviest = max(totals)
    return min(t for t in totals if t >= 0.25 * heaviest)


def _contains(view: memoryview, number: int) -> bool:
    pos = bisect_left(view, number)
    return pos < len(view) and bool(view[pos] == number)


def _add_group(scores: dict[int, float], group: list[tuple[str, float]],
               postings: _Postings) -> set[int]:
    """Add one query token's best weight per entity (its keys are sorted by weight)."""
    seen: set[int] = set()
    get = scores.get
    for key, weight in group:
        view = postings.get(key)
        if view is None:
            continue
        for number in view:
            if number not in seen:
                seen.add(number)
                scores[number] = get(number, 0.0) + weight
    return seen


def build_neighbours(tokens: Iterable[str]) -> dict[str, str]:
    """Deletion neighbourhood: each token and each of its one-deletions → tokens (space-joined).

    Long consonant skeletons get one too, under probes prefixed ``^``.
    """
    table: dict[str, list[str]] = {}
    skeletons: set[str] = set()
    for token in tokens:
        skeletons.add(skeleton(token))
        if len(token) >= FUZZY_MIN_LEN:
            for probe in (token, *deletes(token)):
                table.setdefault(probe, []).append(token)
    for skel in skeletons:
        if len(skel) >= SKELETON_FUZZY_MIN_LEN:
            for probe in (skel, *deletes(skel)):
                table.setdefault("^" + probe, []).append(skel)
    return {probe: " ".join(found) for probe, found in table.items()}
