"""Parse untrusted XML (Office, HWPX parts) without entities, DTDs, network or huge trees.

Defends against XML external entities (file:// or http:// reads) and entity expansion
("billion laughs"), see SECURITY.md row 11. Office Open XML and OWPML never declare
entities, so any document that does is refused outright instead of parsed carefully.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from dalin.errors import CorruptDocument, LimitExceeded

# An entity declaration in the prolog, in ASCII-compatible or UTF-16 encodings.
_ENTITY_DECLARATIONS = (
    re.compile(rb"<!ENTITY", re.I),
    re.compile("<!ENTITY".encode("utf-16-le"), re.I),
    re.compile("<!ENTITY".encode("utf-16-be"), re.I),
)
# libxml2's messages when a limit of the non-huge parser trips (depth 256, 10 MB text node)
_LIMIT_MESSAGES = ("Excessive depth", "Resource limit exceeded", "huge", "amplification")


def _refuse_entities(what: str) -> CorruptDocument:
    return CorruptDocument(
        f"{what} declares XML entities (<!ENTITY>); XML entity declarations are refused "
        "because they can read local files or the network or expand without bound, and "
        "genuine office documents never use them"
    )


def _declares_entities(data: bytes) -> bool:
    return any(pattern.search(data) for pattern in _ENTITY_DECLARATIONS)


def _parser() -> etree.XMLParser:
    # Not collect_ids=False: with it libxml2 tries to fetch an external DTD (no_network
    # still blocks that, but it turns a harmless DOCTYPE into a parse error).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, what: str) -> etree._Element:
    """Parse one XML part; ``what`` names it in error messages, e.g. "word/document.xml".

    Raises:
        CorruptDocument: the XML is not well-formed, or declares entities.
        LimitExceeded: deeper than 256 levels or a text node larger than 10 MB.
    """
    if _declares_entities(data):
        raise _refuse_entities(what)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        message = str(error)
        if any(marker in message for marker in _LIMIT_MESSAGES):
            raise LimitExceeded(f"{what} exceeds the XML parser's limits: {message}") from None
        raise CorruptDocument(f"{what} is not well-formed XML: {message}") from None
    # Encodings the byte scan cannot see (e.g. UTF-32, EBCDIC) still end up here.
    dtd: Any = root.getroottree().docinfo.internalDTD  # lxml-stubs lack iterentities()
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _refuse_entities(what)
    return root
