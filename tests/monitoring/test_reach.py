"""The delta's bound of ``compare``'s score is never under the score (it decides who need not
be compared): real SDN parties against customers named after them, with evidence that agrees,
disagrees or is missing, and against clean customers that share their names with others; the
evidence ceiling is never under ``evidence_score``."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embargo.customers.io import parse_records
from embargo.ingest.importer import import_path
from embargo.matching import Prepared, compare, prepare
from embargo.matching.bound import prepared_side
from embargo.matching.features import evidence, evidence_score
from embargo.matching.index import CandidateIndex
from embargo.model.codec import dumps, from_dict
from embargo.model.entity import Entity, FuzzyDate, Identifier, IdKind, Name, NameKind, Schema
from embargo.monitoring.reach import Reach, Stored, ceiling, names_key, names_only, names_side
from embargo.monitoring.synthetic import customers, planted
from embargo.store import Store


def _entities(lists_dir: Path, tmp_path: Path) -> list[Entity]:
    with Store.open(f"sqlite:///{tmp_path / 'r.db'}") as store:
        (done,) = import_path(store, lists_dir / "ofac-sdn" / "history" / "sdn_2021-08-20.csv")
        return list(store.iter_entities(done.snapshot.id))


def _evidence(rng: random.Random, row: dict[str, object], entry: Entity) -> dict[str, object]:
    """The row with evidence that agrees with the entry, nearly does, or disagrees."""
    kind = rng.randrange(6)
    if entry.birth_dates and kind < 3:
        year, rest = entry.birth_dates[0].value[:4], entry.birth_dates[0].value[4:]
        row["birthDate"] = [entry.birth_dates[0].value, f"{int(year) + 1}{rest}",
                            "1901-01-01"][kind]
    countries = sorted(set(entry.nationalities) | set(entry.countries))
    if countries and rng.random() < 0.6:
        row["nationality" if entry.schema == Schema.PERSON else "country"] = (
            countries[0] if rng.random() < 0.7 else "zz")
    if entry.identifiers and kind >= 3:
        ident = entry.identifiers[0]
        row["idNumber" if kind == 3 else "passportNumber"] = (
            ident.value if kind < 5 else ident.value + "9")
    if entry.gender and rng.random() < 0.3:
        row["gender"] = "female" if entry.gender == "male" else "male"
    return row


def _rows(entities: list[Entity], rng: random.Random) -> list[dict[str, object]]:
    listed = rng.sample([e for e in entities if e.schema != Schema.VESSEL], 500)
    rows = [_evidence(rng, planted(rng, f"p{n}", e), e) for n, e in enumerate(listed)]
    rows += [{**row, "id": f"twin-{row['id']}"} for row in rows[::5]]  # the same names
    rows += [dict(r) for r in customers(600, listed[:50], 50, seed=3)]
    return rows


def _customers(rows: list[dict[str, object]]) -> list[Entity]:
    out = [r.entity for r in parse_records(rows) if r.entity is not None]
    assert len(out) == len(rows)
    return out


def _stored(entity: Entity) -> Stored:
    """The dict form a customer version is stored in, as the delta reads it back."""
    data: Stored = orjson.loads(dumps(entity))
    return data


@pytest.mark.shared
def test_the_bound_is_never_under_the_score(lists_dir: Path, tmp_path: Path) -> None:
    entities = _entities(lists_dir, tmp_path)
    index = CandidateIndex.build(entities)
    rng = random.Random(7)
    people = _customers(_rows(entities, rng))
    entries: list[Prepared] = []
    pairs: list[tuple[Entity, int]] = []
    for person in people:  # each with what its search proposes, and a few at random
        proposed = [n for n, _ in index.search(prepare(person), 20)]
        for number in proposed + rng.sample(range(len(index)), 3):
            pairs.append((person, len(entries)))
            entries.append(index.prepared(number))
    reach = Reach(entries, 0.75)
    over = under = cheap = 0
    for person, number in pairs:
        score = compare(prepare(person), entries[number]).score
        data = _stored(person)
        bound = reach.bound(data, number)
        assert bound >= score, (person.caption, entries[number].entity.caption, bound, score)
        reaching = reach.may_reach(names_key(data), number)
        assert reaching or bound < 0.75, (person.caption, entries[number].entity.caption)
        cheap += not reaching
        over += score >= 0.75
        under += bound < 0.75
        assert reach.possible(data, [number]) == (bound >= 0.75)
    assert over > 300 and under > len(pairs) // 2  # hits kept, most pairs ruled out
    assert cheap > len(pairs) // 2  # most of them without aligning the names
    assert reach.distinct == len({names_key(_stored(p)) for p in people}) < len(people)


def test_equal_names_keys_are_equal_names() -> None:
    a = Entity("c:1", "c", "1", Schema.PERSON, (Name("Karen Smith"), Name("K Smith")),
               birth_dates=(FuzzyDate("1970"),))
    b = Entity("c:2", "c", "2", Schema.PERSON, (Name("Karen Smith"), Name("K Smith")))
    for other in (b, Entity("c:3", "c", "3", Schema.COMPANY, b.names),
                  Entity("c:4", "c", "4", Schema.PERSON, b.names[::-1]),
                  Entity("c:5", "c", "5", Schema.PERSON, (b.names[0],))):
        same = (other.schema, other.names) == (a.schema, a.names)
        assert (names_key(_stored(other)) == names_key(_stored(a))) == same
        assert from_dict(_stored(other)).names == other.names


def test_names_only_is_the_prepared_names_without_evidence() -> None:
    entity = Entity("c:1", "c", "1", Schema.PERSON,
                    (Name("Karen Smith", given="Karen", family="Smith"),
                     Name("Smith K", NameKind.WEAK)),
                    birth_dates=(FuzzyDate("1970"),), nationalities=("gb",))
    full, names = prepare(entity), names_only(names_key(_stored(entity)))
    assert full.evident and not names.evident and names.evidence.empty
    assert (names.names, names.readings, names.flat, names.facts, names.person, names.plain,
            names.weak_names) == (full.names, full.readings, full.flat, full.facts,
                                  full.person, full.plain, full.weak_names)


def test_names_side_is_the_side_of_the_prepared_names() -> None:
    """The bound reads the names' readings without preparing them: the same readings."""
    for names in ((Name("Karen Smith"), Name("Smith K", NameKind.WEAK)),
                  (Name("ООО Ромашка"), Name("Romashka LLC")), (Name("Nord Stream 2 AG"),)):
        for schema in (Schema.PERSON, Schema.COMPANY):
            key = names_key(_stored(Entity("c:1", "c", "1", schema, names)))
            mine, prepared = names_side(key), prepared_side(names_only(key))
            assert mine.person == prepared.person and mine.blank == prepared.blank
            assert [[r.sigs for r in g.readings] for g in mine.groups] == \
                [[r.sigs for r in g.readings] for g in prepared.groups]


_DATES = st.sampled_from(["1970", "1970-05", "1970-05-06", "1970-06-05", "1971-05-06",
                          "1969", "1980-01-01"])
_IDS = st.lists(st.builds(Identifier, st.sampled_from(list(IdKind)),
                          st.sampled_from(["A1", "a-1", "B2", "IMO 7"])), max_size=3)


def _party(ids: list[Identifier], dates: list[str], circa: bool, countries: list[str],
           gender: str | None) -> Entity:
    return Entity("x:1", "x", "1", Schema.PERSON, (Name("X"),), identifiers=tuple(ids),
                  birth_dates=tuple(FuzzyDate(d, circa=circa) for d in dates),
                  nationalities=tuple(countries), gender=gender)


_PARTIES = st.builds(_party, _IDS, st.lists(_DATES, max_size=2), st.booleans(),
                     st.lists(st.sampled_from(["ru", "ir", "gb"]), max_size=2),
                     st.sampled_from([None, "male", "female"]))


@settings(max_examples=400, deadline=None)
@given(_PARTIES, _PARTIES)
def test_the_evidence_ceiling_is_never_under_the_evidence_score(q: Entity, c: Entity) -> None:
    found, entry = evidence(q), evidence(c)
    if not (found.empty or entry.empty):
        assert evidence_score(found, entry) <= ceiling(entry)
    assert ceiling(entry) >= 0.0
