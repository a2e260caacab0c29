"""Splitting a listed name into its current and former names, and dropping annotations.

Lists and payment messages decorate names: ``MV X (ex Y, 2006)``, ``A Ltd, formerly
B Ltd``, ``SHIPPER: X``, ``X Ltd - Malindi Branch``, ``X, port d'Abidjan``,
``X c/o Y``. These functions only cut text; they never guess names.
"""

from __future__ import annotations

import re
import unicodedata

from embargo.model.entity import Schema

MAX_CHARS = 400

_FORMER = re.compile(
    r"(?:\(|\[|,|;|\s|^)\s*(?:ex[-\s.]+|f/k/a\s+|f\.?k\.?a\.?\s+|formerly(?:\s+known\s+as)?\s+"
    r"|previously\s+|former(?:ly)?\s+name\s+|also\s+formerly\s+)",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*(?:[A-Z][A-Za-z ]{1,25}\d{0,3})\s*:\s*(?=\S)")
_BRANCH = re.compile(r"(?:\s+-\s+|,\s*|\s*\()[^,()]*\bbranch\)?\s*$", re.IGNORECASE)
_CARE_OF = re.compile(r"\s+c/o\s+.*$", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")
_VOYAGE = re.compile(r"\bV\.\s?\d+\w*", re.IGNORECASE)
_UNTIL = re.compile(r"\s+(?:until|till|to|since)\s+\d{4}\s*$", re.IGNORECASE)
_TRAILING_YEAR = re.compile(r",\s*\d{4}\s*$")
_LEGAL_END = re.compile(
    r"\b(?:ltd|limited|llc|inc|corp|co|gmbh|ag|plc|d\.\s?o\.\s?o|d\.\s?d|s\.?a|oy|ab|as|"
    r"srl|spa|sarl|bv|nv|pty|pvt|lda|ltda|sdn\.? bhd|sti|a\.s)\.?\s*$",
    re.IGNORECASE,
)


def clean_text(text: str) -> str:
    """NFC, no control characters, single spaces, bounded length."""
    text = text[: MAX_CHARS * 4]
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())[:MAX_CHARS]


def split_former(text: str) -> tuple[str, tuple[str, ...]]:
    """The current name and any former names written into the same string."""
    match = _FORMER.search(text)
    if match is None:
        return text, ()
    current = text[: match.start()].strip(" ,;([")
    if not current:
        return text, ()
    rest = text[match.end():]
    formers = []
    for part in re.split(r"\)|\]|,|;|(?:\s|^)ex[-\s.]+", rest, flags=re.IGNORECASE):
        part = _UNTIL.sub("", part).strip(" ,;()[]")
        if part and not part.isdigit():
            formers.append(part)
    return current, tuple(formers)


def strip_annotations(text: str, schema: Schema) -> str:
    """Remove party labels, branch notes, c/o addresses and trailing annotations."""
    if ":" in text:
        text = _LABEL.sub("", text)
    if "/" in text:
        text = _CARE_OF.sub("", text)
    if "branch" in text.lower():
        text = _BRANCH.sub("", text)
    if "," in text:
        text = _TRAILING_YEAR.sub("", text)
    if schema in (Schema.VESSEL, Schema.AIRPLANE):
        text = _PARENS.sub(" ", text)
        text = _VOYAGE.sub(" ", text)
        text = text.split(",", 1)[0]
    elif "," in text:
        head, tail = text.split(",", 1)
        if _LEGAL_END.search(head) and not _LEGAL_END.fullmatch(tail.strip()):
            text = head
    return " ".join(text.split()) or text
