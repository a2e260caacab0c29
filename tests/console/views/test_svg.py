"""The SVG helpers: escaping that survives any text, numbers, links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.console.views.svg import attrs, document, entity_href, esc, num, shorten, text

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@given(st.text())
def test_any_text_round_trips_as_text(value: str) -> None:
    svg = document(10, 10, value, [text(1, 2, value, data_name=value)], class_=value)
    root = ET.fromstring(svg)
    expected = _ILLEGAL.sub("\ufffd", value)
    (node,) = [e for e in root.iter() if e.tag.endswith("}text")]
    xml_text = expected.replace("\r\n", "\n").replace("\r", "\n")  # XML end-of-line rules
    assert (node.text or "") == xml_text
    assert node.get("data-name") is not None and root.get("aria-label") is not None
    assert (root.findtext("{http://www.w3.org/2000/svg}title") or "") == xml_text


@pytest.mark.parametrize(("value", "escaped"), [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("a & b", "a &amp; b"), ('say "hi"', "say &quot;hi&quot;"), ("it's", "it&#39;s"),
    ("bell\x07", "bell\ufffd"), ("tab\tok", "tab\tok"),
])
def test_esc(value: str, escaped: str) -> None:
    assert esc(value) == escaped


@pytest.mark.parametrize(("value", "out"), [
    (1.0, "1"), (1.5, "1.5"), (1.234, "1.23"), (-0.001, "0"), (100.0, "100"), (0.0, "0"),
])
def test_num(value: float, out: str) -> None:
    assert num(value) == out


def test_attrs_names_and_none() -> None:
    assert attrs(class_="a", stroke_width="2", fill=None, x=1.5) == (
        ' class="a" stroke-width="2" x="1.5"')


def test_entity_href_is_one_segment() -> None:
    assert entity_href("ofac-sdn:36") == "/ui/entities/ofac-sdn%3A36"
    assert entity_href("a/b?c#d e") == "/ui/entities/a%2Fb%3Fc%23d%20e"


def test_shorten() -> None:
    assert shorten("abcdef", 10) == "abcdef"
    assert shorten("abcdef", 4) == "abc…" and len(shorten("x" * 100, 28)) == 28
