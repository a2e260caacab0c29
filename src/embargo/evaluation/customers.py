"""Synthetic customer files for the batch benchmark: seeded, reproducible, many scripts.

Customers are people and companies made of the name parts of the shared negative eval
sets (Latin, Arabic, Devanagari, Cyrillic, CJK, ... as written there) recombined at
random within a culture, with birth dates, nationalities and genders. A known share of
rows are listed parties planted in variant spellings (word order, case, a typo, a dropped
middle name, accents, punctuation, common transliteration swaps); the planted rows and
the listed entity each stands for are returned, so that recall can be measured.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from embargo.model import Entity, NameKind, Schema

COLUMNS = ("id", "schema", "name", "birthDate", "nationality", "gender")
NEGATIVES = ("negatives_global_1k.csv", "negatives_us_1k.csv")
COMPANY_WORDS = ("Trading", "Holdings", "Logistics", "Consulting", "Textiles", "Foods",
                 "Shipping", "Software", "Partners", "Agro", "Energy", "Medical")
COMPANY_FORMS = ("Ltd", "LLC", "GmbH", "S.A.", "Inc.", "Limited", "SARL", "B.V.", "JSC")
SWAPS = (("y", "i"), ("ou", "u"), ("ph", "f"), ("kh", "h"), ("ee", "i"), ("oo", "u"),
         ("mohammed", "muhammad"), ("mohamed", "mohammad"), ("abdul ", "abd al "),
         ("sh", "ch"), ("dh", "d"), ("ck", "k"), ("ov", "ow"))
# The swaps are variants of transliterating Arabic, Persian or Cyrillic names. In the
# romanisations of Chinese (and Korean) names the same letters are different sounds (Shih /
# Chih, Chou / Chu are different names), so parties linked to these countries do not get them.
NO_SWAPS = frozenset({"cn", "tw", "hk", "mo", "kp", "kr"})


@dataclass(frozen=True, slots=True)
class Parts:
    """Name parts of one culture (the script of the eval row they came from)."""

    given: tuple[str, ...]
    family: tuple[str, ...]
    nationalities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Planted:
    """A listed party's name, in a variant spelling, and the entity it must find."""

    entity_id: str
    schema: Schema
    name: str
    birth_date: str
    countries: frozenset[str] = frozenset()  # the party's nationalities, citizenships, ...


def script_of(text: str) -> str:
    """The Unicode script family of a name's first letter (by character name)."""
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "OTHER").split()[0]
    return "OTHER"


def load_parts(eval_dir: Path) -> list[Parts]:
    """Given names, family names and nationalities of the negative eval sets, per script."""
    given: dict[str, set[str]] = {}
    family: dict[str, set[str]] = {}
    nats: dict[str, set[str]] = {}
    for name in NEGATIVES:
        with open(eval_dir / "screening" / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                script = script_of(row["full_name"])
                given.setdefault(script, set()).add(row["first_name"].strip())
                family.setdefault(script, set()).add(row["last_name"].strip())
                nats.setdefault(script, set()).add(row["nationality"].strip())
    return [Parts(tuple(sorted(given[s] - {""})), tuple(sorted(family[s] - {""})),
                  tuple(sorted(nats[s] - {""}))) for s in sorted(given)
            if given[s] - {""} and family[s] - {""}]


def plantable(entities: Sequence[Entity]) -> list[Planted]:
    """Names worth planting: strong names of two or more words that one entity alone bears."""
    owners = Counter(_fold(n.full) for e in entities for n in e.names)
    out = []
    for entity in entities:
        dob = entity.birth_dates[0].value if entity.birth_dates else ""
        countries = frozenset((*entity.nationalities, *entity.citizenships, *entity.countries))
        for name in entity.names:
            if name.kind in (NameKind.PRIMARY, NameKind.ALIAS) and _plausible(name.full) \
                    and owners[_fold(name.full)] == 1:
                out.append(Planted(entity.id, entity.schema, name.full, dob, countries))
    return out


def _plausible(name: str) -> bool:
    """Two or more words, and one name (not a list's ``X (a; b; c)`` of several)."""
    return len(name.split()) >= 2 and ";" not in name


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace(",", " ").split())


# variant spellings --------------------------------------------------------------------
Change = Callable[[random.Random, str], str]


def variant(rng: random.Random, name: str, schema: Schema,
            countries: frozenset[str] = frozenset()) -> tuple[str, str]:
    """One or two random, realistic changes of a name's spelling, and their labels.

    People get word order, case, accents, a dropped middle name, a typo in a long word
    and transliteration swaps (not when linked to a country in :data:`NO_SWAPS`);
    companies and vessels (whose words are not names) get case, accents and punctuation.
    Nothing drops or changes a number (a vessel's number is what tells it apart).
    """
    changes: tuple[Change, ...] = OTHER_CHANGES
    if schema is Schema.PERSON:
        changes = PERSON_CHANGES if not countries & NO_SWAPS else NO_SWAP_CHANGES
    out, done = name, []
    for change in rng.sample(changes, rng.choice((1, 1, 2))):
        changed = change(rng, out)
        if changed != out:
            out = changed
            done.append(change.__name__.strip("_"))
    return out, "+".join(sorted(done)) or "none"


def _reorder(rng: random.Random, name: str) -> str:
    words = name.replace(",", "").split()
    return f"{words[-1]}, {' '.join(words[:-1])}" if rng.random() < 0.5 else \
        " ".join([words[-1], *words[:-1]])


def _case(rng: random.Random, name: str) -> str:
    return rng.choice((name.upper(), name.lower(), name.title()))


def _typo(rng: random.Random, name: str) -> str:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
    if not long:
        return name
    i = rng.choice(long)
    word, at = words[i], rng.randrange(2, len(words[i]) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        word = word[:at] + word[at + 1:]
    elif kind == 1:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    else:
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)


def _drop_middle(rng: random.Random, name: str) -> str:
    """A middle name dropped: ``First Middle Last`` loses a word between the first and the
    last; ``LAST, First Middle`` (the lists' order) one after the first given name, never
    a word of the family name before the comma."""
    family, comma, given = name.partition(",")
    if comma:
        words = given.split()
        if len(words) < 2:
            return name
        del words[rng.randrange(1, len(words))]
        return f"{family}, {' '.join(words)}"
    words = name.split()
    if len(words) < 3:
        return name
    del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def _accents(rng: random.Random, name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _punctuation(rng: random.Random, name: str) -> str:
    return name.replace("-", " ").replace(".", "").replace(",", "")


def _swap(rng: random.Random, name: str) -> str:
    lower = name.lower()
    found = [(a, b) for a, b in SWAPS if a in lower]
    if not found:
        return name
    a, b = rng.choice(found)
    return lower.replace(a, b, 1).title()


PERSON_CHANGES = (_reorder, _case, _typo, _drop_middle, _accents, _swap)
NO_SWAP_CHANGES = tuple(c for c in PERSON_CHANGES if c is not _swap)
OTHER_CHANGES = (_case, _accents, _punctuation)


# customers ----------------------------------------------------------------------------
Plant = tuple[str, str]  # the entity a planted row must find, and the changes made


def customers(rng: random.Random, parts: Sequence[Parts], planted: Sequence[Planted],
              rows: int, share: float) -> Iterator[tuple[list[str], Plant | None]]:
    """``rows`` CSV rows (:data:`COLUMNS`) and, for planted rows, what they must find."""
    for number in range(rows):
        cid = f"c{number:08d}"
        if planted and rng.random() < share:
            party = rng.choice(planted)
            dob = party.birth_date if rng.random() < 0.5 else ""
            name, changes = variant(rng, party.name, party.schema, party.countries)
            yield [cid, str(party.schema), name, dob, "", ""], (party.entity_id, changes)
        elif rng.random() < 0.1:
            yield [cid, "Company", _company(rng, parts), "", "", ""], None
        else:
            yield _person(rng, cid, rng.choice(parts)), None


def _person(rng: random.Random, cid: str, culture: Parts) -> list[str]:
    given = rng.choice(culture.given)
    if rng.random() < 0.2:
        given += " " + rng.choice(culture.given)
    dob = f"{rng.randrange(1930, 2006)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return [cid, "Person", f"{given} {rng.choice(culture.family)}", dob,
            rng.choice(culture.nationalities), rng.choice(("male", "female"))]


def _company(rng: random.Random, parts: Sequence[Parts]) -> str:
    culture = rng.choice(parts)
    return f"{rng.choice(culture.family)} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_FORMS)}"


def write_customers(path: Path, seed: int, parts: Sequence[Parts], planted: Sequence[Planted],
                    rows: int, share: float) -> dict[int, Plant]:
    """Write a customer CSV; the planted rows (0-based sequence number -> entity, changes)."""
    rng = random.Random(seed)
    expected: dict[int, Plant] = {}
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for seq, (row, plant) in enumerate(customers(rng, parts, planted, rows, share)):
            writer.writerow(row)
            if plant is not None:
                expected[seq] = plant
    return expected
