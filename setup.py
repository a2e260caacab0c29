"""Build hook: compile the name-alignment kernel with mypyc when it can be compiled.

Everything else is declared in ``pyproject.toml``. The modules in ``COMPILED`` are plain,
typed Python; mypyc turns them into C extensions about 1.4x faster end to end on screening
(see docs/benchmarks.md). Without a C compiler, or with ``EMBARGO_PURE_PYTHON=1``, the
package installs as pure Python and behaves the same, only slower.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

COMPILED = [
    "src/embargo/matching/align.py",
    "src/embargo/matching/reading.py",
    "src/embargo/matching/compare.py",
]


class OptionalBuildExt(build_ext):
    """Build the extensions, or warn and install pure Python if compiling fails."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, missing headers, ...
            self._skip(exc)

    def build_extension(self, ext) -> None:  # type: ignore[no-untyped-def]
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._skip(exc)

    @staticmethod
    def _skip(exc: Exception) -> None:
        sys.stderr.write(f"embargo: compiling the matching kernel failed ({exc}); "
                         "installing pure Python\n")


def extensions() -> list[object]:
    if os.environ.get("EMBARGO_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        sys.stderr.write("embargo: mypyc not available; installing pure Python\n")
        return []
    return list(mypycify(COMPILED, opt_level="3", group_name="embargo_kernel"))


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
