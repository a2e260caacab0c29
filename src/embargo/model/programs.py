"""Programme tags: splitting packed fields and normalising renamed tags.

Lists rename tags over time (``RUSSIA-EO`` became ``RUSSIA-EO14024``;
``PEESA`` became ``PEESA-EO`` then ``PEESA-EO14039``). ``code`` is the
current spelling, so that one programme has one code across snapshots.
"""

from __future__ import annotations

import re

from embargo.model.entity import Program

# old spelling -> current spelling
RENAMED: dict[str, str] = {
    "RUSSIA-EO": "RUSSIA-EO14024",
    "PEESA": "PEESA-EO14039",
    "PEESA-EO": "PEESA-EO14039",
}
_SPLIT = re.compile(r"\]\s*\[|[;\n]")


def normalise_program(raw: str) -> str:
    code = " ".join(raw.strip().strip("[]").split()).upper()
    return RENAMED.get(code, code)


def split_programs(text: str | None) -> tuple[Program, ...]:
    """``"[SDGT] [IRGC]"`` -> two programmes; empty parts are dropped."""
    if not text:
        return ()
    out: list[Program] = []
    for part in _SPLIT.split(text):
        raw = part.strip().strip("[]").strip()
        if raw and raw != "-0-":
            program = Program(raw=raw, code=normalise_program(raw))
            if program not in out:
                out.append(program)
    return tuple(out)
