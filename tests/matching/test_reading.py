"""Shortcuts of the token similarity against what they stand for (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from embargo.matching.reading import _stem, apart, edit_sim

ENDINGS = re.compile(r"(?:[aeiouy]s|[aeiou])$")  # what _stem removed by regular expression
LETTERS = st.text(alphabet="aeiouysbkn\n", max_size=12)


@settings(max_examples=2000)
@given(LETTERS)
def test_stem_removes_what_the_regular_expression_did(token: str) -> None:
    assert _stem(token) == (ENDINGS.sub("", token) if len(token) > 5 else token)


@settings(max_examples=2000)
@given(LETTERS, LETTERS, st.sampled_from([0.5, 0.6, 0.77, 0.8, 0.85]))
def test_apart_only_when_the_edit_similarity_is_below(a: str, b: str, least: float) -> None:
    if apart(a, b, least):
        assert edit_sim(a, b) < least


def test_apart_by_length() -> None:
    assert apart("ahmed", "abdulrahman", 0.77)  # 6 letters more: 0.45 at best
    assert not apart("abdulrahman", "abdulrahmn", 0.77)
    assert not apart("", "", 0.77)
