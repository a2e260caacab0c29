"""A reproducible synthetic customer base with planted listed parties (tests and benchmarks).

Clean customers are people and companies with names drawn from small tables; planted
customers carry the name of a listed party in a variant spelling (word order, case, a dropped
or added word, a one-letter typo, punctuation), some with the listed birth date. The same seed
gives the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

from embargo.model.entity import Entity, Schema


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GIVEN = _words("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
         "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa "
         "Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly "
         "Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa "
         "George Deborah Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey "
         "Cynthia Ryan Dorothy Jacob Amy Gary Kathleen Nicholas Angela Eric Shirley Jonathan "
         "Emma Stephen Brenda Larry Pamela Justin Nicole Scott Anna Brandon Samantha Benjamin "
         "Katherine Samuel Christine Gregory Debra Alexander Rachel Patrick Carolyn Frank "
         "Janet Raymond Maria Jack Olivia Dennis Heather Jerry Helen Tyler Catherine Aaron "
         "Diane Henrik Ingrid Lars Sofie Pierre Camille Giulia Marco Lucia Javier Carmen Tomasz "
         "Agnieszka Jan Eva Bram Femke Mikko Aino Nuno Beatriz Oskar Hanna")
FAMILY = _words("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez "
          "Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee "
          "Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen "
          "King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera "
          "Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz "
          "Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz "
          "Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
          "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez "
          "Castillo Sanders Patel Myers Long Ross Foster Jimenez Lindqvist Johansson Dubois "
          "Lefebvre Rossi Bianchi Fernandez Kowalski Nowak Novak Jansen Virtanen Silva Santos "
          "Schneider Fischer Weber Becker Hoffmann Schulz Koch Richter Wolf Neumann")
TRADE = _words("Alpine Harbor Summit Meridian Crescent Northwind Evergreen Bluewater Granite "
         "Silverline Redwood Oakridge Lakeside Riverbend Horizon Pioneer Keystone Sterling "
         "Beacon Cobalt Falcon Juniper Maple Orchid Pinnacle Quartz Sapphire Tundra Vertex "
         "Willow")
ACTIVITY = _words("Logistics Foods Textiles Software Consulting Dental Bakery Furniture Printing "
            "Engineering Imports Motors Pharmacy Studios Gardens Marine Plastics Optics Tools "
            "Travel")
FORMS = ("Ltd", "GmbH", "S.A.", "LLC", "B.V.", "AB", "Oy", "S.r.l.", "Inc", "SAS")


def _clean_person(rng: random.Random, cid: str) -> dict[str, Any]:
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    if rng.random() < 0.3:
        name = f"{rng.choice(GIVEN)} {name}"
    row: dict[str, Any] = {"id": cid, "schema": "Person", "name": name}
    if rng.random() < 0.7:
        row["birthDate"] = (f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-"
                            f"{rng.randint(1, 28):02d}")
    if rng.random() < 0.5:
        row["nationality"] = rng.choice(("gb", "us", "de", "fr", "se", "es", "it", "pl", "nl"))
    return row


def _clean_company(rng: random.Random, cid: str) -> dict[str, Any]:
    name = f"{rng.choice(TRADE)} {rng.choice(ACTIVITY)} {rng.choice(FORMS)}"
    return {"id": cid, "schema": "Company", "name": name,
            "country": rng.choice(("gb", "de", "fr", "se", "nl", "it", "es", "fi"))}


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # swap two letters
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if kind == 1:  # drop a letter
        return word[:at] + word[at + 1:]
    return word[:at] + word[at] + word[at:]  # double a letter


def variant(rng: random.Random, name: str) -> str:
    """A spelling of ``name`` as a customer file might hold it."""
    words = name.replace(",", " ").replace(".", " ").split()
    if not words:
        return name
    kind = rng.randrange(5)
    if kind == 0 and len(words) > 1:  # "SURNAME, Given" -> "Given Surname"
        words = words[1:] + words[:1]
    elif kind == 1 and len(words) > 2:  # drop a middle word
        del words[rng.randrange(1, len(words) - 1)]
    elif kind == 2:
        i = rng.randrange(len(words))
        words[i] = _typo(rng, words[i])
    elif kind == 3:
        words = [w.capitalize() for w in words]
    out = " ".join(words)
    return out.lower() if rng.random() < 0.2 else out


def planted(rng: random.Random, cid: str, entity: Entity) -> dict[str, Any]:
    """A customer named after a listed party, in a variant spelling."""
    schema = entity.schema if entity.schema in (Schema.PERSON, Schema.VESSEL) else "Company"
    name = rng.choice([n.full for n in entity.names]) if entity.names else entity.caption
    row: dict[str, Any] = {"id": cid, "schema": str(schema), "name": variant(rng, name)}
    if entity.schema == Schema.PERSON and entity.birth_dates and rng.random() < 0.5:
        row["birthDate"] = entity.birth_dates[0].value
    return row


def customers(count: int, listed: Sequence[Entity], planted_count: int,
              seed: int = 11) -> Iterator[dict[str, Any]]:
    """``count`` customer rows (FtM-like dicts), ``planted_count`` of them listed parties."""
    rng = random.Random(seed)
    chosen = [listed[i % len(listed)] for i in range(planted_count)] if listed else []
    slots = set(rng.sample(range(count), min(len(chosen), count)))
    picks = iter(chosen)
    for number in range(count):
        cid = f"cust-{number:06d}"
        if number in slots:
            yield planted(rng, cid, next(picks))
        elif rng.random() < 0.8:
            yield _clean_person(rng, cid)
        else:
            yield _clean_company(rng, cid)
