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
]


@pytest.mark.parametrize(("query", "listed"), ACCEPT)
def test_accepted(query: str, listed: str) -> None:
    assert compare(person(query), person(listed)).score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), REJECT)
def test_rejected(query: str, listed: str) -> None:
    assert compare(person(query), person(listed)).score < DEFAULT_THRESHOLD
