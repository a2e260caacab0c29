"""Build hook: compile the matching kernel with mypyc when it can be compiled.

Everything else is declared in ``pyproject.toml``. The modules in ``COMPILED`` (the scorer,
the name analysis and the candidate search: a query's whole path) are plain, typed Python;
mypyc turns them into C extensions, compare 4x and screening about 1.6x faster than pure
Python (see docs/benchmarks.md). Without a C compiler, or with ``EMBARGO_PURE_PYTHON=1``, the
package installs as pure Python and scores the same, only slower.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

COMPILED = [
    "src/embargo/matching/align.py",
    "src/embargo/matching/reading.py",
    "src/embargo/matching/letters.py",
    "src/embargo/matching/compare.py",
    "src/embargo/matching/match.py",
    "src/embargo/matching/canonical.py",
    "src/embargo/matching/weights.py",
    "src/embargo/matching/tally.py",
    "src/embargo/matching/repair.py",
    "src/embargo/names/phonetic.py",
    "src/embargo/names/analyse.py",
    "src/embargo/names/clean.py",
    "src/embargo/names/script.py",
    "src/embargo/matching/postings.py",
    "src/embargo/matching/index_keys.py",
    "src/embargo/matching/prefilter.py",
    "src/embargo/matching/index.py",
    "src/embargo/matching/screen.py",
    "src/embargo/matching/bound.py",
]


class OptionalBuildExt(build_ext):
    """Build every extension, or none: on any failure warn and install pure Python.

    The compiled modules share one library and each other's classes, so a partial build
    (some modules compiled, some not) would not work: whatever was built is removed.
    """

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, missing headers, ...
            for ext in self.extensions:
                path = self.get_ext_fullpath(ext.name)
                if os.path.exists(path):
                    os.remove(path)
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
    # The build environment has mypy but not the runtime dependencies: check the kernel
    # on its own (``mypy --strict`` over the whole package runs in the test suite).
    options = ["--config-file", os.devnull, "--ignore-missing-imports",
               "--follow-imports=silent"]
    return list(mypycify([*options, *COMPILED], opt_level="3", group_name="embargo_kernel"))


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
