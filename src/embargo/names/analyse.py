"""``analyse``: from a name as written to a :class:`NameForm`."""

from __future__ import annotations

import gc
import re
from functools import cache, lru_cache

from rigour.names.org_types import extract_org_types, replace_org_types_compare

from embargo.model.entity import Schema
from embargo.names import lexicon as lx
from embargo.names.clean import clean_text, split_former, strip_annotations
from embargo.names.form import EMPTY, NameForm, frozen
from embargo.names.phonetic import fold
from embargo.names.romanise.wadegiles import wade_giles
from embargo.names.script import ABJADS, dominant_script
from embargo.names.translit import arabic_systems, icu_ascii, romanise

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['`´ʼʻ’‘\"]")
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}(?:[^\W\d_]\b)?", re.UNICODE)
_SLASHED = re.compile(r"\b[^\W\d_](?:/[^\W\d_])+\b")
_INNER_DOT = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_])")
_HEBREW_NUMERAL = re.compile(r"(?<!\S)([\u05d0-\u05d8])[׳'](?!\S)")
_LATIN = frozenset({"Latin", "Common"})
_ORGS = frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY})


def _dots(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "")


def _hebrew_numeral(match: re.Match[str]) -> str:
    return f" {ord(match.group(1)) - 0x05CF} "


_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def _legal_hyphens(text: str) -> str:
    """Hyphens read as spaces when that shows a longer legal form (``PUBLIC-JOINT STOCK
    COMPANY`` is ``PUBLIC JOINT STOCK COMPANY``, pjsc, not public- plus jsc)."""
    if "-" not in text:
        return text
    spaced = _HYPHEN.sub(" ", text)
    if spaced != text and _legal_length(spaced) > _legal_length(text):
        return spaced
    return text


def _legal_length(text: str) -> int:
    return sum(len(found) for found, _ in extract_org_types(text))


def _prepare_text(text: str, schema: Schema) -> tuple[str, frozenset[str]]:
    """Legal forms normalised, dotted abbreviations joined, native numerals as digits."""
    if not text.isascii():
        text = _HEBREW_NUMERAL.sub(_hebrew_numeral, text)
    if "." in text:
        text = _DOTTED.sub(_dots, text)
    if "/" in text:
        text = _SLASHED.sub(lambda m: m.group(0).replace("/", ""), text)
    if "." in text:
        text = _INNER_DOT.sub("", text)
    legal: frozenset[str] = frozenset()
    native = not text.isascii()  # the native-script word lists hold no ASCII words
    if schema is not Schema.PERSON:
        if native:
            for form in lx.NATIVE_LEGAL:
                text = text.replace(form, " ltd ")
        text = _legal_hyphens(text.casefold())
        legal = frozenset(f for _, f in extract_org_types(text))
        text = replace_org_types_compare(text)
    if not text.isascii():
        text = _split_generic(text)
    return text, legal


def _split_generic(text: str) -> str:
    """Generic words split off: in scripts without spaces wherever found, each once and the
    longest first (a shorter one never again inside a longer one); in scripts with spaces
    only a whole word or one after a clitic (``للتجارة``; ``ارتش`` is no word of ``مارتشيزي``)."""
    found = tuple([word for word in lx.NATIVE_GENERIC if word in text])
    if found:
        text = _generic_words(found).sub(r" \g<0> ", text)
    words = text.split()
    for k, word in enumerate(words):
        if word in lx.NATIVE_GENERIC_WORDS or word.isascii():
            continue
        for clitic in lx.CLITICS:
            if word.startswith(clitic) and word[len(clitic):] in lx.NATIVE_GENERIC_WORDS:
                words[k] = f"{clitic} {word[len(clitic):]}"
                break
    return " ".join(words)


@lru_cache(maxsize=1024)
def _generic_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern of generic words, longest first (``words`` comes sorted so)."""
    return re.compile("|".join(re.escape(w) for w in words))


@lru_cache(maxsize=16384)
def _ascii_tokens(romanised: str) -> tuple[str, ...]:
    text = _APOSTROPHES.sub("", romanised.lower())
    return tuple([t for t in _NON_ALNUM.split(text) if t])


def _join_letters(tokens: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """``n k bansal`` -> ``nk bansal`` (initials of a firm name written apart)."""
    out: list[tuple[str, str | None]] = []
    for token, concept in tokens:
        if len(token) == 1 and token.isalpha() and out and len(out[-1][0]) <= 3 \
                and out[-1][0].isalpha() and out[-1][1] == "single":
            out[-1] = (out[-1][0] + token, "single")
        else:
            out.append((token, "single" if len(token) == 1 and token.isalpha() else concept))
    return [(t, None if c == "single" else c) for t, c in out]


_GENERATIONS = frozenset({"ii", "iii", "iv"})
_ARTICLES = frozenset({"al", "el"})  # ال as English and as French spellings write it


_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_UNITS = frozenset("123456789")


def numerals(tokens: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Numbers written out or as ordinals, as digits: ``forty four`` 44, ``1st`` and
    ``first`` 1 (so ``44 Trading`` meets ``Forty-Four Trading``)."""
    out: list[tuple[str, str | None]] = []
    for token, concept in tokens:
        found = _ORDINAL.fullmatch(token)
        if found:
            out.append((found.group(1), None))
        elif token in lx.ORDINALS:
            out.append((lx.ORDINALS[token], None))
        elif token in lx.TENS:
            out.append((lx.TENS[token] + "0", None))
        elif out and out[-1][0][-1:] == "0" and len(out[-1][0]) == 2 and \
                lx.NUMBER_WORDS.get(token, "") in _UNITS and out[-1][1] == "tens":
            out[-1] = (out[-1][0][0] + lx.NUMBER_WORDS[token], None)
        else:
            out.append((token, concept))
            continue
        if token in lx.TENS:
            out[-1] = (out[-1][0], "tens")
    return [(t, None if c == "tens" else c) for t, c in out]


_LOOK_ALIKE = re.compile(r"(?=.*[a-z].*[a-z])(?=.*[013459])")  # two letters and a digit
_DIGIT_LETTERS = {"0": "o", "3": "e", "4": "a", "5": "s", "9": "g"}


def respelt(tokens: list[str], script: str, schema: Schema) -> tuple[tuple[str, ...], ...]:
    """Other readings of a name: look-alike digits as letters (``R0sneft``); of a person's
    name, short given names written out (``Bill``:
    ``William``), a Korean name written in Cyrillic read as Latin lists write it
    (``Ким Чен Ын``: ``kim jong un``)."""
    if not tokens:
        return ()
    out = []
    if script in _LATIN and any(_LOOK_ALIKE.search(t) for t in tokens):
        for one in "il":  # ``V1adimir``, ``Put1n``: a digit typed or read for a letter
            table = str.maketrans({**_DIGIT_LETTERS, "1": one})
            out.append(tuple(t.translate(table) if _LOOK_ALIKE.search(t) else t
                             for t in tokens))
    if schema is not Schema.PERSON:
        return tuple(dict.fromkeys(out))
    if script in _LATIN and any(t in lx.NICKNAMES for t in tokens):
        out.append(tuple(w for t in tokens for w in lx.NICKNAMES.get(t, t).split()))
    if script == "Cyrillic" and (tokens[0] in lx.KOREAN_CYRILLIC_SURNAMES
                                 or tokens[-1] in lx.KOREAN_CYRILLIC_SURNAMES):
        korean = tuple(lx.KOREAN_CYRILLIC.get(t, t) for t in tokens)
        if korean != tuple(tokens):
            out.append(korean)
    return tuple(dict.fromkeys(out))


def _number(token: str, index: int, last: int, person: bool = False,
            latin: bool = True) -> str | None:
    if token.isdigit():
        return token.lstrip("0") or "0"
    if not latin:  # a romanised syllable (``xi``, ``vi``) is no Roman numeral
        return None
    if person:  # an initial (``Putin V. V.``) or a name, except a generation (``III``)
        return lx.ROMAN[token] if token in _GENERATIONS and index == last > 0 else None
    if token in lx.NUMBER_WORDS and index > 0:
        return lx.NUMBER_WORDS[token]
    if token in lx.ROMAN and index > 0:
        return lx.ROMAN[token]
    if token in lx.ROMAN_TAIL and index > 0 and index == last:
        return lx.ROMAN_TAIL[token]
    return None


_VOWEL = re.compile("[aeiouy]")


def _may_be_weak(token: str, script: str) -> bool:
    """Whether a token may be a title or stop word: in an abjad, a token without vowels is
    a consonant reading (عمر read ``mr``, not the title Mr)."""
    return script not in ABJADS or _VOWEL.search(token) is not None


@lru_cache(maxsize=16)
def _weak_words(schema: Schema) -> frozenset[str]:
    if schema is Schema.PERSON:
        return lx.STOPWORDS | lx.TITLES
    if schema in (Schema.VESSEL, Schema.AIRPLANE):
        return lx.STOPWORDS | lx.VESSEL_PREFIXES | lx.LEGAL_WORDS | {"no", "nr"}
    return lx.STOPWORDS | lx.LEGAL_WORDS | {"no", "nr"}


def _words(text: str, script: str) -> list[tuple[str | None, tuple[str, ...]]]:
    """Each written word with its generic concept and its readings."""
    out: list[tuple[str | None, tuple[str, ...]]] = []
    words = text.split()
    alone = len(words) == 1
    for word in words:
        concept = lx.concept_of(word) if not word.isascii() else None
        out.append((concept, romanise(word, script if not word.isascii() else "Latin", alone)))
    return _with_systems(out, words) if script == "Arabic" else out


def _with_systems(out: list[tuple[str | None, tuple[str, ...]]], words: list[str],
                  ) -> list[tuple[str | None, tuple[str, ...]]]:
    """Each Arabic-script word's readings, then its ALA-LC and French (Maghreb) readings at
    the same positions for every word, so that the name is also read whole in each system
    (the positions before are as :func:`_tokens_of` pads them: a word's last reading)."""
    slots = max((len(r) for _, r in out), default=1)
    padded: list[tuple[str | None, tuple[str, ...]]] = []
    for (concept, readings), word in zip(out, words, strict=True):
        last = readings[-1]
        found = arabic_systems(word) if not word.isascii() else (readings[0],) * 2
        seen = {_folded(r): r for r in reversed(readings)}  # the first of those alike
        systems = tuple(seen.get(_folded(r), r) for r in found)
        padded.append((concept, (*readings, *((last,) * (slots - len(readings))), *systems)))
    return padded


def _folded(reading: str) -> tuple[str, ...]:
    """A reading's tokens folded. A system's reading folded alike to one the word has already
    (ALA-LC ``din`` beside ICU's ``dyn``) is written as that one: the scorer reads them
    alike, and the index would count the word twice for every listed name holding it
    (``DIN``); the system's variant then keeps its own letters (not the learned vowels that
    padding gives, which beside a system's words made names neither reading says:
    عبد البصیر read ``abd al bassir``, 0.82 against ABD AL-NASIR)."""
    return tuple(fold(t) for t in _ascii_tokens(reading))


def _tokens_of(words: list[tuple[str | None, tuple[str, ...]]], reading: int, join: bool,
               ) -> list[tuple[str, str | None]]:
    tokens: list[tuple[str, str | None]] = []
    for concept, readings in words:
        found = _ascii_tokens(readings[min(reading, len(readings) - 1)])
        if not found and reading:  # no such reading of this word: the first one stands in
            found = _ascii_tokens(readings[0])
        if concept is None and join and len(found) > 1 and found[0] in _ARTICLES:
            tokens.append((found[0], None))  # the article apart, as Latin spellings write it
            found = found[1:]
        if concept is not None or join:
            found = ("".join(found),) if found else ()
        for token in found:
            token = lx.ABBREVIATIONS.get(token, token)
            tokens.append((token, concept or lx.concept_of(token)))
    return tokens


def analyse(text: str, schema: Schema, former: bool = False) -> NameForm:
    """Analyse one name (no former-name splitting): script, readings, weak words, numbers."""
    text = clean_text(text)
    script = dominant_script(text)
    prepared, rigour_forms = _prepare_text(text, schema)
    words = _words(prepared, script)
    form_tokens = frozenset(t for f in rigour_forms for t in _ascii_tokens(f))
    weak_words = _weak_words(schema)
    readings = max((len(r) for _, r in words), default=1)
    variants: list[tuple[str, ...]] = []
    weak: set[str] = set()
    numbers: set[str] = set()
    concepts: dict[str, str] = {}
    for reading in range(readings):
        tokens = _tokens_of(words, reading, script in ABJADS)
        if schema is not Schema.PERSON:
            tokens = numerals(_join_letters(tokens))
        kept: list[str] = []
        for index, (token, concept) in enumerate(tokens):
            number = _number(token, index, len(tokens) - 1, schema is Schema.PERSON,
                             script in _LATIN)
            if number is not None:
                numbers.add(number)
                continue
            if not concept and ((token in weak_words and _may_be_weak(token, script))
                                or token in form_tokens):
                weak.add(token)
            if concept:
                concepts[token] = concept
            kept.append(token)
        for variant in (tuple(kept), *respelt(kept, script, schema)):
            if variant not in variants:
                variants.append(variant)
    pinyin = wade_giles(text) if schema is Schema.PERSON and script in _LATIN else None
    if pinyin and pinyin not in variants:  # ``Hsi Chin-p'ing`` also read ``xi jinping``
        variants.append(pinyin)
    legal = frozen(t for t in weak if t in lx.LEGAL_WORDS or t in form_tokens)
    legal = legal if schema in _ORGS else EMPTY
    return NameForm(
        original=text, script=script, variants=tuple(variants), weak=frozen(weak),
        numbers=tuple(sorted(numbers)), concepts=tuple(sorted(concepts.items())),
        legal_forms=legal, former=former, abjad=script in ABJADS,
    )


@lru_cache(maxsize=4096)
def analyse_all(text: str, schema: Schema) -> tuple[NameForm, ...]:
    """The current name and any former names written into ``text``, analysed."""
    current, formers = split_former(clean_text(text))
    forms = [analyse(strip_annotations(current, schema), schema)]
    forms.extend(analyse(strip_annotations(f, schema), schema, former=True) for f in formers)
    return tuple(f for f in forms if f.tokens or f.numbers)


_WARM_NAMES = (
    "Владимир Путин", "محمد بن سلمان", "ולדימיר פוטין", "Βλαδίμηρος Πούτιν", "习近平",
    "弗拉基米尔·普京", "ウラジーミル・プーチン", "金正恩", "김정은", "ဇေယျာလင်း", "ពូទីន",
    "วลาดีมีร์", "व्लादिमीर पुतिन", "Վլադիմիր", "ვლადიმერ",
)


@cache  # once per process
def warm() -> None:
    """Load every romaniser's tables now (pypinyin and pykakasi take ~0.5 s and ~170 MB).

    A long-running screener calls this before it answers, so that the first query in an
    unusual script does not pay for the loading, and no full pass of the cyclic collector
    walks the ~500,000 objects of the tables in the middle of a query.
    """
    for text in _WARM_NAMES:
        analyse(text, Schema.PERSON)
    analyse("Warm Trading Company Limited", Schema.COMPANY)  # legal forms: rigour's tables
    icu_ascii(" ".join(_WARM_NAMES) + _WARM_ICU)  # ICU builds each script's rules on first use
    gc.unfreeze()  # what was frozen before and has died since is collected now
    gc.collect()
    gc.freeze()  # the tables stay for the life of the process: keep the collector off them


_WARM_ICU = (" 佐々木 はなこ ハナコ ሰላም தமிழ் বাংলা ગુજરાતી ਪੰਜਾਬੀ ଓଡ଼ିଆ తెలుగు ಕನ್ನಡ"
             " മലയാളം සිංහල ລາວ བོད ᠮᠣᠩ ܣܘܪܝܝܐ ދިވެހި")
