"""Issue 9 item 4: generic words of organisation names across languages, both ways.

Names built from general vocabulary, not from the evaluation sets: translated and
transliterated forms meet; a shared generic word alone proves nothing.
"""

from __future__ import annotations

import pytest

from embargo.matching import DEFAULT_THRESHOLD
from embargo.model.entity import Schema
from embargo.names.analyse import analyse
from scoring import score

G, C = Schema.ORGANIZATION, Schema.COMPANY


@pytest.mark.parametrize(("query", "listed", "schema", "match"), [
    ("الجماعة الإسلامية المقاتلة المغربية", "Groupe islamique combattant marocain", G, True),
    ("حركة المقاومة الإسلامية", "Islamic Resistance Movement", G, True),
    ("مجموعة الفجر", "Al Fajr Group", C, True),
    ("Партия исламского союза", "Islamic Union Party", G, True),
    ("شركة النور للتجارة", "Al Nour Trading Company", C, True),
    ("Al-Nasr Group", "Al-Fajr Group", G, False),  # a shared "Group" proves nothing
    ("Islamic Army", "Islamic Front", G, False),
    ("مجموعة الفجر", "Al Nasr Group", C, False),
    ("حركة المقاومة الإسلامية", "Islamic Jihad Movement", G, False),
])
def test_pairs(query: str, listed: str, schema: Schema, match: bool) -> None:
    assert (score(query, listed, schema) >= DEFAULT_THRESHOLD) is match


def test_a_shorter_generic_word_does_not_split_a_longer_one() -> None:
    # اسلامي is a generic word too: it must not split الاسلامية once that is split off
    form = analyse("الجبهة الاسلامية", G)
    assert dict(form.concepts).keys() and all(len(t) > 2 for t in form.tokens)
    assert {c for _, c in form.concepts} == {"front", "islamic"}


def test_generic_words_of_spaced_scripts_are_whole_words() -> None:
    # ارتش (army) is no word of مارتشيزي (Marchese); للتجارة is ل + ل... + تجارة
    assert analyse("مارتشيزي", Schema.PERSON).concepts == ()
    assert {c for _, c in analyse("النور للتجارة", C).concepts} == {"trade"}
    assert {c for _, c in analyse("סחר והובלה", C).concepts} == {"trade", "transport"}
