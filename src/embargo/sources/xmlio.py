"""Safe XML parsing: no DTDs, no entity expansion, never the network."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from lxml import etree

from embargo.errors import ParseError
from embargo.model import Entity


def parse_xml(path: Path, max_bytes: int | None = None) -> etree._Element:
    """The document's root element, parsed with every dangerous feature off.

    Documents that declare a DTD or entities are refused outright (sanctions
    lists never need one); the file and line of any syntax error are named.
    """
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ParseError(path, f"file is {size} bytes, over the limit of {max_bytes}")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_blank_text=True, remove_comments=True, remove_pis=True,
    )
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ParseError(path, f"malformed XML: {exc.msg}", line=line) from None
    except OSError as exc:
        raise ParseError(path, f"cannot read: {exc}") from None
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None or docinfo.system_url or docinfo.doctype:
        raise ParseError(path, "XML declares a DTD or entities; refused (possible entity attack)")
    root = tree.getroot()
    if root is None:
        raise ParseError(path, "empty XML document")
    return root


def local(tag: object) -> str:
    """An element's tag without its namespace."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def child_text(element: etree._Element, name: str) -> str | None:
    """Text of the first child named ``name`` (any namespace), stripped, or None."""
    for child in element:
        if local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child.tag) == name]


def parse_root(path: Path, name: str, what: str, max_bytes: int | None = None) -> etree._Element:
    """The document's root element, which must be ``<name>`` (else: "not {what}")."""
    root = parse_xml(path, max_bytes)
    if local(root.tag) != name:
        raise ParseError(path, f"not {what} (root is <{local(root.tag)}>)",
                         line=root.sourceline, element=local(root.tag))
    return root


Build = Callable[[etree._Element, Path], Entity]


def unique_entities(path: Path, elements: Iterable[etree._Element],
                    build: Build) -> tuple[list[Entity], list[str]]:
    """One entity per element, the first of any duplicate id kept (with a warning)."""
    entities: dict[str, Entity] = {}
    warnings: list[str] = []
    for element in elements:
        entity = build(element, path)
        if entity.id in entities:
            warnings.append(f"duplicate {entity.id} at line {element.sourceline}: kept the first")
            continue
        entities[entity.id] = entity
    return list(entities.values()), warnings
