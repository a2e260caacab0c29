"""Build the compact romanisation data files shipped in ``src/embargo/names/data/``.

* ``arabic.tsv.z``: Arabic-script name word -> its most frequent English spelling,
  learned from the training files in ``shared/eval/transliteration/``
  (``google_ar2en_train.tsv`` and ``wd_arabic_80.tsv``; the eval file is never read).
* ``hanja.bin``: the Korean (Hangul) reading of each CJK unified ideograph
  U+4E00..U+9FFF, one character per code point (space when unknown), derived from the
  ``hanja`` package's table (install it only to rebuild: ``pip install --no-deps
  hanja==0.15.1``, or pass ``--hanja-table``); skipped when neither is available.

Run: ``.venv/bin/python scripts/build_romaniser.py`` (reads ``EMBARGO_SHARED``).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import zlib
from collections import Counter, defaultdict
from importlib.util import find_spec
from pathlib import Path

from embargo.names.romanise.abjad import normalise_arabic
from embargo.settings import load_settings

log = logging.getLogger("build_romaniser")
DATA = Path(__file__).resolve().parents[1] / "src" / "embargo" / "names" / "data"
_ASCII_WORD = re.compile(r"^[a-z]+$")
_YAML_LINE = re.compile(r'^("[^"]+"):\s*("[^"]*")\s*$')


def _add(table: dict[str, Counter[str]], arabic: str, english: str, count: int) -> None:
    key = normalise_arabic(arabic)
    latin = english.strip().lower()
    if key and _ASCII_WORD.match(latin):
        table[key][latin] += count


CORRECTIONS = {"الله": "allah", "حزب": "hizb"}
"""Where the training data is wrong, the spelling to ship: الله is aligned with ``granada``
(7 times, against one ``allah``), حزب with its French translation ``parti``. Both words are
common in listed names (عبد الله, حزب الله); a name's word must be spelt, not translated."""


def arabic_table(shared: Path) -> dict[str, str]:
    """Arabic word -> most frequent English spelling over both training files, corrected."""
    folder = shared / "eval" / "transliteration"
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in (folder / "google_ar2en_train.tsv").read_text("utf-8").splitlines():
        arabic, _, english = line.partition("\t")
        _add(counts, arabic, english, 3)
    for line in (folder / "wd_arabic_80.tsv").read_text("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[2].isdigit():
            _add(counts, fields[1].replace(" ", ""), fields[0], int(fields[2]))
    table = {word: spellings.most_common(1)[0][0] for word, spellings in counts.items()}
    return {**table, **CORRECTIONS}


def hanja_table(path: Path) -> str:
    """One Hangul reading per code point from U+4E00 to U+9FFF (space when unknown)."""
    readings: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        found = _YAML_LINE.match(line)
        if found:
            readings[json.loads(found.group(1))] = json.loads(found.group(2))
    return "".join(readings.get(chr(code), " ")[:1] or " " for code in range(0x4E00, 0xA000))


def _hanja_source(given: str | None) -> Path | None:
    if given:
        return Path(given)
    spec = find_spec("hanja")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "table.yml"


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--hanja-table", help="the hanja package's table.yml")
    args = parser.parse_args()
    shared = load_settings().shared
    table = arabic_table(shared)
    text = "\n".join(f"{k}\t{v}" for k, v in sorted(table.items()))
    (DATA / "arabic.tsv.z").write_bytes(zlib.compress(text.encode("utf-8"), 9))
    log.info("arabic: %d words", len(table))
    source = _hanja_source(args.hanja_table)
    if source is None or not source.exists():
        log.info("hanja: no table found, keeping %s", DATA / "hanja.bin")
        return
    readings = hanja_table(source)
    (DATA / "hanja.bin").write_bytes(zlib.compress(readings.encode("utf-8"), 9))
    log.info("hanja: %d readings", sum(1 for c in readings if c != " "))


if __name__ == "__main__":
    main()
