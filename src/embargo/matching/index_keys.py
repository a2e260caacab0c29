"""The keys a name is indexed under: tokens, joined runs, phonetic keys, skeletons, identifiers,
short names whole (``=`` scores, ``=+`` only hands a name covered whole to the scorer).

Pure functions of one prepared entity (or one token); :mod:`embargo.matching.index` posts
entities under these keys and looks queries up by them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

from embargo.matching import Prepared
from embargo.model import Entity, Schema
from embargo.names import phonetic_key
from embargo.names.form import NameForm

FUZZY_MIN_LEN = 4  # shorter tokens get no typo neighbours
SKELETON_FUZZY_MIN_LEN = 5  # ... and shorter skeletons none either
ID_MIN_LEN = 5  # shorter identifiers are too ambiguous to look up
_DROP = str.maketrans("", "", "aeiouywh'")
_MERGE = {"q": "k", "c": "k", "g": "k", "j": "k", "p": "b", "f": "b", "v": "b", "z": "s",
          "x": "s"}
_LATIN = frozenset({"Latin", "Common", ""})
_SOFT_C = re.compile(r"c(?=[eiy])")  # Lounici, Faical read ``s`` where an abjad writes س

# Person and vessel queries only meet their own kind; the legal-entity family meets itself.
FAMILY = {
    Schema.PERSON: frozenset({Schema.PERSON, Schema.LEGAL_ENTITY}),
    Schema.ORGANIZATION: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    Schema.COMPANY: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    Schema.LEGAL_ENTITY: frozenset({Schema.PERSON, Schema.ORGANIZATION, Schema.COMPANY,
                                    Schema.LEGAL_ENTITY}),
    Schema.VESSEL: frozenset({Schema.VESSEL}),
    Schema.AIRPLANE: frozenset({Schema.AIRPLANE}),
}


def compatible(query: Schema, candidate: Schema) -> bool:
    """Whether a query of one schema may match a candidate of another."""
    return candidate in FAMILY[query]


def skeleton(token: str) -> str:
    """A coarse consonant skeleton that a vowel-less script's reading also reaches.

    Vowels and the letters that stand for vowels in abjads (``w``, ``y``, ``h``) are dropped,
    consonants that romanisations confuse are merged, doubled letters collapsed:
    ``kokhvei`` and the Hebrew reading ``kwkby`` both give ``kb``; a ``c`` before e, i or y
    reads ``s`` (``lounici`` / ``lwnysy``).
    """
    out: list[str] = []
    for ch in _SOFT_C.sub("s", token).translate(_DROP):
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


WHOLE_MAX = 4  # names of up to this many distinctive words are keyed whole
WHOLE = "=+"  # prefix of whole-name keys (:func:`whole_keys`): compared past the cut, unscored


LIQUID_SCRIPTS = frozenset({"Japanese", "Hangul"})  # one liquid, read r: a query also reads l


def lone_keys(form: NameForm, query: bool = False) -> set[str]:
    """``=`` and the phonetic key of a name with one distinctive word (``HASSAN``, ``Abu
    Duaa``): such names are few, so a one-word query finds them all, however common the word.

    A Japanese or Korean query's ``r`` is also read ``l``.

    A name of two to :data:`WHOLE_MAX` distinctive words is keyed whole too: ``=`` and their
    phonetic keys in sorted order (``REHMAN, Abdul`` / عبد الرحمن, ``LAHBOUS, Mohamed`` /
    محمد لحبوس: ``=lbs mmd``), so that a name of common words all agreeing outranks the many
    longer names that share them."""
    out = set()
    liquid = query and form.script in LIQUID_SCRIPTS
    for variant in form.variants:
        strong = [t for t in variant if t and t not in form.weak]
        if 1 <= len(strong) <= WHOLE_MAX:
            out.add("=" + " ".join(sorted(phonetic_key(t) or t for t in strong)))
            if liquid:
                out.add("=" + " ".join(sorted(phonetic_key(t.replace("r", "l")) or t
                                              for t in strong)))
    return out


def whole_keys(form: NameForm, query: bool = False) -> set[str]:
    """``=+`` and the phonetic key of a name of one to :data:`WHOLE_MAX` distinctive words
    written as one word (``=+bdrmn``: ``ABDERRAHMANE``, ``Abd al-Rahman``, ``Abd Rahman``):
    a listed name the query covers whole, however its words are split. These keys do not
    score (:func:`lone_keys` do): a candidate that shares one is compared whatever its rank
    (:meth:`embargo.matching.index.CandidateIndex.search`). A Japanese or Korean query's
    ``r`` is also read ``l``."""
    out = set()
    liquid = query and form.script in LIQUID_SCRIPTS
    numbers = "".join("#" + n for n in form.numbers)  # ``FU YUAN YU 7901``: its number too
    for variant in form.variants:
        words = _strong(form, variant)
        if 1 <= len(words) <= WHOLE_MAX:
            joined = "".join(words)
            out.add(WHOLE + (phonetic_key(joined) or joined) + numbers)
            if liquid:
                lateral = joined.replace("r", "l")
                out.add(WHOLE + (phonetic_key(lateral) or lateral) + numbers)
    return out


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


def number_keys(prepared: Prepared) -> set[str]:
    """``%`` and each number written in a name of a company, vessel or the like: of the ~100
    ``FU YUAN YU <n>`` vessels, whose words are all common, the number finds the one."""
    if prepared.person:
        return set()
    return {"%" + number for form in prepared.names for number in form.numbers}


ACRONYM_MIN = 3  # distinctive words of a name whose initials are a key (weights.ACRONYM_MIN)


def _strong(form: NameForm, variant: tuple[str, ...]) -> list[str]:
    return [t for t in variant if t and t not in form.weak]


def acronym_keys(prepared: Prepared, query: bool = False) -> set[str]:
    """``@`` and the initials of an organisation's name of three or more distinctive words
    (``@irgc``); for a query, also ``@`` and a one-word name and the long names' initials
    as a plain token (the list may give the acronym as an alias)."""
    if prepared.person:
        return set()
    out = set()
    for form in prepared.names:
        for variant in form.variants:
            strong = _strong(form, variant)
            if len(strong) >= ACRONYM_MIN:
                initials = "".join(t[0] for t in strong)
                out.add("@" + initials)
                if query:
                    out.add(initials)
            elif query and len(strong) == 1 and len(strong[0]) >= ACRONYM_MIN \
                    and strong[0].isalpha():
                out.add("@" + strong[0])
    return out


def id_keys(entity: Entity) -> set[str]:
    """The identifier keys of an entity."""
    values = (normalise_id(ident.value) for ident in entity.identifiers)
    return {"#" + v for v in values if len(v) >= ID_MIN_LEN}


class KeyMaker:
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
        keys.update(number_keys(prepared))
        keys.update(acronym_keys(prepared))
        for form in prepared.names:
            keys.update(lone_keys(form))
            keys.update(whole_keys(form))
        return keys


def entity_keys(prepared: Prepared) -> set[str]:
    """Every key an indexed entity is posted under."""
    return KeyMaker().keys(prepared)


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
