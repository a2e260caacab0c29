"""The analysed form of one name: what the matcher compares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from embargo.model.pickling import fast_pickle

T = TypeVar("T")
EMPTY: frozenset[Any] = frozenset()


def frozen(items: Iterable[T]) -> frozenset[T]:
    """``frozenset(items)``, the empty one shared: an index holds ~100,000 empty sets."""
    out = frozenset(items)
    return out if out else EMPTY


@fast_pickle
@dataclass(frozen=True, slots=True)
class NameForm:
    """A name reduced to latinised ASCII tokens.

    ``variants`` holds one or more token sequences (several romanisations when
    the script is ambiguous, e.g. Han read as Mandarin and as Japanese).
    ``weak`` are tokens that carry little identity (legal forms, titles,
    stop words); ``numbers`` are numerals that must agree between two names.
    ``concepts`` maps a token to a language-independent concept for generic
    business words (``trading`` and ``סחר`` both map to ``trade``);
    ``legal_forms`` are the normalised legal forms found; ``former`` marks an
    ex-/formerly-known-as name; ``abjad`` marks scripts written without
    vowels (Arabic, Hebrew, Syriac, Thaana) where consonant skeletons count.
    """

    original: str
    script: str
    variants: tuple[tuple[str, ...], ...]
    weak: frozenset[str] = frozenset()
    numbers: tuple[str, ...] = ()
    concepts: tuple[tuple[str, str], ...] = ()
    legal_forms: frozenset[str] = frozenset()
    former: bool = False
    abjad: bool = False

    @property
    def tokens(self) -> tuple[str, ...]:
        """The first (preferred) variant."""
        return self.variants[0] if self.variants else ()

    def concept(self, token: str) -> str | None:
        for key, value in self.concepts:
            if key == token:
                return value
        return None
