"""Fast pickling for frozen, slotted dataclasses.

``dataclass(slots=True)`` pickles through generic ``__getstate__``/``__setstate__``
functions that call :func:`dataclasses.fields` for every object, which makes unpickling
a saved index's entities (tens of small objects each) several times slower than it
needs to be. :func:`fast_pickle` installs the same protocol with the field names
looked up once per class. The state is the tuple of field values in declaration
order, which the generic functions' lists (older pickles) match.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


def fast_pickle(cls: type[T]) -> type[T]:
    """Give a slotted dataclass a ``__getstate__``/``__setstate__`` with fields looked up once."""
    if not is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    names = tuple(f.name for f in fields(cls))
    getter = attrgetter(*names)
    single = len(names) == 1
    set_attr = object.__setattr__

    def __getstate__(self: Any) -> tuple[Any, ...]:
        value = getter(self)
        return (value,) if single else value

    def __setstate__(self: Any, state: tuple[Any, ...] | list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            set_attr(self, name, value)

    setattr(cls, "__getstate__", __getstate__)  # noqa: B010
    setattr(cls, "__setstate__", __setstate__)  # noqa: B010
    return cls
