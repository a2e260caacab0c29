"""Whether the matching kernel (alignment, name analysis) runs compiled or as pure Python.

Compiled means built by mypyc at install (``setup.py``).

An editable install compiles the modules of :data:`KERNEL` (``COMPILED`` in ``setup.py``,
which cannot import the package; a test keeps the two lists equal) next to their sources;
after editing one of them the old compiled module would still be the one imported, so a
stale one is reported (reinstall, or install with ``EMBARGO_PURE_PYTHON=1``).
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

KERNEL = ("embargo.matching.align", "embargo.matching.reading", "embargo.matching.letters",
          "embargo.matching.compare",
          "embargo.matching.match", "embargo.matching.canonical", "embargo.matching.weights",
          "embargo.matching.tally", "embargo.matching.repair", "embargo.names.phonetic",
          "embargo.names.analyse", "embargo.names.clean", "embargo.names.script",
          "embargo.matching.postings", "embargo.matching.index_keys", "embargo.matching.prefilter",
          "embargo.matching.index", "embargo.matching.screen", "embargo.matching.bound")
"""The scorer, the name analysis it starts from and the candidate search: a query's path."""


def compiled() -> bool:
    """Whether every kernel module is imported from a compiled extension."""
    return all(_is_extension(name) for name in KERNEL)


def stale() -> list[str]:
    """Kernel modules whose compiled extension is older than their Python source."""
    out = []
    for name in KERNEL:
        if not _is_extension(name):
            continue
        path = Path(_module(name).__file__ or "")
        source = path.parent / (name.rsplit(".", 1)[1] + ".py")
        if source.exists() and source.stat().st_mtime > path.stat().st_mtime:
            out.append(name)
    return out


def _module(name: str) -> ModuleType:
    """The kernel module, imported if it is not yet (``canonical`` is imported on demand)."""
    return sys.modules.get(name) or importlib.import_module(name)


def _is_extension(name: str) -> bool:
    return str(getattr(_module(name), "__file__", "") or "").endswith((".so", ".pyd"))


def check() -> None:
    """Warn once, at import, when a compiled kernel module is older than its source."""
    old = stale()
    if old:
        log.warning("compiled matching modules older than their sources: %s; run "
                    "`pip install -e .` again (EMBARGO_PURE_PYTHON=1 for pure Python)",
                    ", ".join(old))
