"""HWP 5 body records: decompression, record headers, the record tree, paragraph text.

The binary layer under ``hwp.py``, after Hancom's "한글 문서 파일 형식 5.0" (revision 1.3):
a body stream is raw deflate (when the file says so) over a flat list of records whose
levels nest them into a tree.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dalin.errors import CorruptDocument, LimitExceeded
from dalin.ingest.limits import Limits

HWPTAG_BEGIN = 0x10
TAG_PARA_HEADER = HWPTAG_BEGIN + 50
TAG_PARA_TEXT = HWPTAG_BEGIN + 51
TAG_CTRL_HEADER = HWPTAG_BEGIN + 55
TAG_LIST_HEADER = HWPTAG_BEGIN + 56
TAG_TABLE = HWPTAG_BEGIN + 61
TAG_PARA_LINE_SEG = HWPTAG_BEGIN + 53
#: one line segment: text start, vertical position, heights, spacing, x, width, flags
_LINE_SEG = struct.Struct("<IiiiiiiiI")

#: records in one file; the largest sample holds about 1,500
MAX_RECORDS = 2_000_000
#: nesting of records; a table in a text box in a table cell is about 9 deep
MAX_DEPTH = 64

# PARA_TEXT control characters. Char controls take one code unit; the others take eight:
# the code, a 4-byte control id or parameters, more parameters, and the code again.
_LINE_BREAK, _PARA_END, _TAB = 10, 13, 9
_CHAR_CONTROLS = frozenset({0, _LINE_BREAK, _PARA_END, *range(24, 32)})
_EXTENDED_CONTROLS = frozenset({1, 2, 3, 11, 12, 14, 15, 16, 17, 18, 21, 22, 23})
_CONTROL_UNITS = 8
_CHAR_TEXT = {_LINE_BREAK: "\n", 24: "-", 30: " ", 31: " "}  # 24 hyphen, 30/31 fixed spaces
# Hancom fonts map symbols (bullets, boxes) into the private use areas; they mean nothing
# outside 한글, so they are dropped rather than indexed as unreadable characters.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a body stream."""

    tag: int
    level: int
    payload: bytes


@dataclass(slots=True)
class Node:
    """A record with the records nested under it."""

    tag: int
    payload: bytes
    children: list[Node] = field(default_factory=list)


def iter_records(data: bytes, *, what: str = "the stream") -> Iterator[Record]:
    """The records of a decompressed stream, in order; CorruptDocument if one is cut short."""
    offset, end = 0, len(data)
    while offset < end:
        if end - offset < 4:
            raise CorruptDocument(f"damaged HWP file: {what} ends inside a record header")
        (header,) = struct.unpack_from("<I", data, offset)
        offset += 4
        size = header >> 20
        if size == 0xFFF:
            if end - offset < 4:
                raise CorruptDocument(f"damaged HWP file: {what} ends inside a record header")
            (size,) = struct.unpack_from("<I", data, offset)
            offset += 4
        if size > end - offset:
            raise CorruptDocument(
                f"damaged HWP file: a record in {what} claims {size:,} bytes but only "
                f"{end - offset:,} remain (the file is truncated)"
            )
        yield Record(header & 0x3FF, (header >> 10) & 0x3FF, data[offset : offset + size])
        offset += size


class Budget:
    """What one file may still use: decompressed bytes and records, shared by all sections."""

    def __init__(self, max_bytes: int, max_records: int = MAX_RECORDS) -> None:
        self.bytes = max_bytes
        self.records = max_records
        self.max_records = max_records

    def take_bytes(self, count: int, what: str) -> None:
        if count > self.bytes:
            raise LimitExceeded(
                f"the HWP file's text streams decompress past the limit ({what}); "
                "it may be a decompression bomb"
            )
        self.bytes -= count


def build_tree(records: Iterable[Record], budget: Budget | None = None) -> list[Node]:
    """Nest records by level; returns the top-level nodes (a section's paragraphs)."""
    budget = budget or Budget(Limits().max_uncompressed_bytes)
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    count = 0
    for record in records:
        count += 1
        if count > budget.records:
            raise LimitExceeded(f"the HWP file holds more than {budget.max_records:,} records")
        while stack and stack[-1][0] >= record.level:
            stack.pop()
        if len(stack) >= MAX_DEPTH:
            raise LimitExceeded(f"the HWP file nests records more than {MAX_DEPTH} deep")
        node = Node(record.tag, record.payload)
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((record.level, node))
    budget.records -= count
    return roots


def inflate(data: bytes, budget: Budget, what: str) -> bytes:
    """Raw-deflate ``data`` without ever holding more output than the budget allows."""
    inflater = zlib.decompressobj(-15)
    parts: list[bytes] = []
    pending = data
    try:
        while not inflater.eof:
            # max_length caps each step's output; 0 would mean "unlimited", hence the +1
            piece = inflater.decompress(pending, budget.bytes + 1)
            budget.take_bytes(len(piece), what)
            parts.append(piece)
            pending = inflater.unconsumed_tail
            if not piece and not pending:
                break
    except zlib.error as error:
        raise CorruptDocument(
            f"damaged HWP file: {what} is not valid compressed data ({error})"
        ) from None
    if not inflater.eof:
        raise CorruptDocument(f"damaged HWP file: the compressed data of {what} ends early")
    return b"".join(parts)


# --- paragraph text ----------------------------------------------------------------------


@dataclass(frozen=True)
class ParaText:
    """A paragraph's text without control characters."""

    text: str
    #: offset in ``text`` of each extended control (table, note, header …), in stream order
    anchors: tuple[int, ...] = ()


def _plain(payload: bytes, start: int, end: int) -> str:
    """Code units ``start:end`` as text, without private-use symbols."""
    return _PRIVATE_USE.sub("", payload[2 * start : 2 * end].decode("utf-16-le", "replace"))


def decode_para_text(payload: bytes) -> ParaText:
    """Decode PARA_TEXT: UTF-16LE with control characters 0–31 replaced or removed.

    Extended controls (a table, a footnote, a header …) are each matched by a CTRL_HEADER
    child of the paragraph, in the same order; their positions are returned as anchors.
    """
    count = len(payload) // 2
    units = struct.unpack_from(f"<{count}H", payload)
    parts: list[str] = []
    anchors: list[int] = []
    length = 0
    run_start = i = 0
    while i < count and units[i] != _PARA_END:
        unit = units[i]
        if unit >= 32:
            i += 1
            continue
        run = _plain(payload, run_start, i)
        if unit in _CHAR_CONTROLS:
            run += _CHAR_TEXT.get(unit, "")
            i += 1
        else:
            if unit in _EXTENDED_CONTROLS:
                anchors.append(length + len(run))
            run += "\t" if unit == _TAB else ""
            i += _CONTROL_UNITS  # a control cut short by the end of the record ends the text
        parts.append(run)
        length += len(run)
        run_start = i
    parts.append(_plain(payload, run_start, min(i, count)))
    return ParaText("".join(parts), tuple(anchors))


def control_id(node: Node) -> str:
    """The 4-character id of a CTRL_HEADER, e.g. "tbl "; stored as a little-endian UINT32."""
    return node.payload[:4][::-1].decode("latin-1")


def line_positions(paragraph: Node) -> list[int]:
    """The vertical position of each line of a paragraph, as 한글 laid it out when it last
    saved the file (PARA_LINE_SEG; "문단의 레이아웃", a cache the format keeps)."""
    for child in paragraph.children:
        if child.tag == TAG_PARA_LINE_SEG:
            count = len(child.payload) // _LINE_SEG.size
            return [
                _LINE_SEG.unpack_from(child.payload, i * _LINE_SEG.size)[1] for i in range(count)
            ]
    return []
