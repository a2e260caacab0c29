"""Which agreeing names excuse a person's extra names: table-driven pairs the scorer must
accept or reject (the lost pairs of ``evaluation.retrieval``'s development half were mostly
acceptances of the second kind: one name agreeing by consonant skeleton across scripts, or an
initial, excusing any unmatched name)."""

from __future__ import annotations

import pytest

from embargo.matching import DEFAULT_THRESHOLD, compare
from embargo.model.entity import Entity, Name, Schema


def person(*names: str) -> Entity:
    return Entity(id="x", source="query", native_id="x", schema=Schema.PERSON,
                  names=tuple(Name(full=n) for n in names))


ACCEPT = [
    ("Vladimir Putin", "PUTIN, Vladimir Vladimirovich"),  # Latin: a rare name agrees
    ("Putin", "Vladimir Vladimirovich Putin"),
    ("Владимир Путин", "PUTIN, Vladimir Vladimirovich"),  # Cyrillic: spellings agree
    ("Сергей Шойгу", "SHOIGU, Sergei Kuzhugetovich"),
    ("يحيى حقانی", "HAQQANI, Yahya"),  # every name paired: no extra name to excuse
    ("جمال لونيسي", "LOUNICI, Djamel"),
    ("عمر محمود عثمان", "Omar Mahmoud Uthman"),
    ("آل بشير محمد", "SULEMAN, Mohamed Bachir"),  # two names spelt alike (learned readings)
    ("عبد الرحمن", "Abdelrahman"),  # a merged run spelt alike
]

REJECT = [
    ("بشير", "WISSER, Gerhard"),  # bashir / wisser: one skeleton, nothing else agrees
    ("ジュリア", "JARRAYA, Khalil"),
    ("أيمن محمد ربيع الظواهري", "AMEEN, Mohamad"),  # ayman / ameen: a skeleton, not a spelling
    ("محمد حسن رحمانی", "EHSAN, Muhammad"),
    ("Mohamad Iqbal A RAHMAN", "AZIZ, Mohammad"),  # an initial excuses no extra names
    ("阿基", "Adel"),  # a Han syllable ``a`` is no initial of Adel
    ("A-LANNABI Abou Obeida Youssef", "Youcef Adel"),
    ("Maria Lopez", "Maria Garcia Ruiz"),
    ("بشير", "Abu Yasir"),  # a merged run across scripts must be spelt alike, not one skeleton
    ("アブダラ", "Abu Zahra"),
    ("عبد المنان آغا", "BIOHO, Domingo"),  # joined, vowel-less: consonants as written differ
]


@pytest.mark.parametrize(("query", "listed"), ACCEPT)
def test_accepted(query: str, listed: str) -> None:
    assert compare(person(query), person(listed)).score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), REJECT)
def test_rejected(query: str, listed: str) -> None:
    assert compare(person(query), person(listed)).score < DEFAULT_THRESHOLD


def test_several_names_agreeing_by_skeleton_excuse_one_left_over() -> None:
    """Three names agree by skeleton only (ملا, a title in the Latin name, is left over)."""
    listed = person("HUWAYSH, Abd-al-Tawab Mullah")
    assert compare(person("عبد التواب ملا حويش"), listed).score >= DEFAULT_THRESHOLD
    assert compare(person("عبد التواب ملا حويش زيد"), listed).score < DEFAULT_THRESHOLD


def test_a_consonant_reading_is_no_title() -> None:
    """عمر read ``mr`` is a name, not the title Mr: it is not left over for free."""
    assert compare(person("حسين عمر"), person("Sheikh Hassan")).score < DEFAULT_THRESHOLD
