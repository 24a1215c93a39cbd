"""Build small HWP 5 files in tests: an OLE compound file writer and record builders.

olefile only reads, so the compound file is written here (version 3, 512-byte sectors,
streams under 4,096 bytes in the mini stream), after [MS-CFB]. Records are built with
levels relative to their parent; ``section`` makes them absolute and encodes them::

    body = section(paragraph("제1조(목적)"), paragraph(table([cell(0, 0, "구분"), ...], 2, 2)))
    data = hwp_file([body])
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dalin.ingest.parsers.hwp_records import (
    TAG_CTRL_HEADER,
    TAG_LIST_HEADER,
    TAG_PARA_HEADER,
    TAG_PARA_TEXT,
    TAG_TABLE,
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SECTOR = 512
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_FREE, _END_OF_CHAIN, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5

TAG_SHAPE_COMPONENT = 0x10 + 60
#: (tag, level relative to the enclosing record's children, payload)
Rec = tuple[int, int, bytes]


# --- the compound file ---------------------------------------------------------------


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    start: int = _END_OF_CHAIN
    left: int = _NO_STREAM
    right: int = _NO_STREAM
    child: int = _NO_STREAM

    def pack(self) -> bytes:
        name = self.name.encode("utf-16-le") + b"\x00\x00"
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            self.kind,
            1,  # black; readers do not check the red-black colouring
            self.left,
            self.right,
            self.child,
            b"",
            0,
            0,
            0,
            self.start,
            len(self.data),
        )


class _Sectors:
    """Sectors and their allocation table, for either the file or the mini stream."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data = bytearray()
        self.table: list[int] = []

    def add(self, data: bytes) -> int:
        if not data:
            return _END_OF_CHAIN
        start = len(self.table)
        count = -(-len(data) // self.size)
        self.data += data.ljust(count * self.size, b"\x00")
        self.table += [start + i + 1 for i in range(count - 1)] + [_END_OF_CHAIN]
        return start


def _entries(streams: Mapping[str, bytes]) -> list[_Entry]:
    entries = [_Entry("Root Entry", _ROOT)]
    folders = {"": 0}
    for path, data in streams.items():
        parent = ""
        for part in path.split("/")[:-1]:
            folder = f"{parent}/{part}"
            if folder not in folders:
                folders[folder] = len(entries)
                entries[folders[parent]].children.append(len(entries))
                entries.append(_Entry(part, _STORAGE))
            parent = folder
        entries[folders[parent]].children.append(len(entries))
        entries.append(_Entry(path.split("/")[-1], _STREAM, data))
    for entry in entries:
        # siblings form a balanced search tree ordered by name length, then upper case name
        siblings = sorted(
            entry.children, key=lambda i: (len(entries[i].name), entries[i].name.upper())
        )
        entry.child = _link(entries, siblings)
    return entries


def _link(entries: list[_Entry], siblings: list[int]) -> int:
    if not siblings:
        return _NO_STREAM
    middle = len(siblings) // 2
    top = entries[siblings[middle]]
    top.left = _link(entries, siblings[:middle])
    top.right = _link(entries, siblings[middle + 1 :])
    return siblings[middle]


def ole_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file holding ``streams``, named by path ("BodyText/Section0")."""
    entries = _entries(streams)
    sectors, mini = _Sectors(_SECTOR), _Sectors(_MINI_SECTOR)
    for entry in entries[1:]:
        if entry.kind == _STREAM:
            small = len(entry.data) < _MINI_CUTOFF
            entry.start = (mini if small else sectors).add(entry.data)
    entries[0].data = bytes(mini.data)
    entries[0].start = sectors.add(entries[0].data)
    minifat = b"".join(struct.pack("<I", n) for n in mini.table)
    minifat_start = sectors.add(minifat)
    directory = b"".join(e.pack() for e in entries)
    empty = bytes(68) + b"\xff" * 12 + bytes(48)  # unused: no name, no siblings
    directory += empty * (-len(entries) % (_SECTOR // 128))
    directory_start = sectors.add(directory)
    fat_count = 1
    while len(sectors.table) + fat_count > fat_count * (_SECTOR // 4):
        fat_count += 1
    fat_start = len(sectors.table)
    fat = sectors.table + [_FAT_SECTOR] * fat_count
    fat += [_FREE] * (fat_count * (_SECTOR // 4) - len(fat))
    difat = [fat_start + i for i in range(fat_count)] + [_FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        OLE_SIGNATURE,
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,
        fat_count,
        directory_start,
        0,
        _MINI_CUTOFF,
        minifat_start,
        -(-len(minifat) // _SECTOR),
        _END_OF_CHAIN,
        0,
        *difat,
    )
    return header + bytes(sectors.data) + b"".join(struct.pack("<I", n) for n in fat)


# --- HWP records -----------------------------------------------------------------------


@dataclass(frozen=True)
class Control:
    """A control in a paragraph: its id, its code in the text, its data and nested records."""

    id: str
    code: int
    data: bytes = b""
    children: tuple[Rec, ...] = ()


def _nest(records: Iterable[Rec], by: int) -> list[Rec]:
    return [(tag, level + by, payload) for tag, level, payload in records]


def _control_units(control: Control) -> bytes:
    """The eight code units an extended control takes in PARA_TEXT."""
    code = struct.pack("<H", control.code)
    return code + control.id.encode("latin-1")[::-1] + bytes(8) + code


def paragraph(*parts: str | Control) -> list[Rec]:
    """A paragraph of text runs and controls, in order."""
    units = b""
    controls: list[Control] = []
    for part in parts:
        if isinstance(part, str):
            units += part.encode("utf-16-le")
        else:
            units += _control_units(part)
            controls.append(part)
    units += struct.pack("<H", 13)  # paragraph end
    header = struct.pack("<IIHBBHHHI", len(units) // 2, 0, 0, 0, 0, 1, 0, 1, 0)
    records: list[Rec] = [(TAG_PARA_HEADER, 0, header), (TAG_PARA_TEXT, 1, units)]
    for control in controls:
        payload = control.id.encode("latin-1")[::-1] + control.data
        records.append((TAG_CTRL_HEADER, 1, payload))
        records += _nest(control.children, 2)
    return records


def paragraph_list(*paragraphs: list[Rec], extra: bytes = b"") -> list[Rec]:
    """A LIST_HEADER and its paragraphs, as in notes, headers, captions and text boxes."""
    header = struct.pack("<HHI", len(paragraphs), 0, 0) + extra
    return [(TAG_LIST_HEADER, 0, header), *(r for p in paragraphs for r in p)]


def _as_paragraphs(parts: Sequence[str | list[Rec]]) -> list[list[Rec]]:
    return [paragraph(p) if isinstance(p, str) else p for p in parts]


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    paragraphs: tuple[list[Rec], ...]
    rows: int = 1
    cols: int = 1


def cell(row: int, col: int, *parts: str | list[Rec], rows: int = 1, cols: int = 1) -> Cell:
    """A table cell at (row, col); each part is a paragraph's text or built paragraph."""
    return Cell(row, col, tuple(_as_paragraphs(parts)), rows, cols)


def table(cells: Sequence[Cell], rows: int, cols: int, caption: str = "") -> Control:
    """A ``tbl `` control: caption list, TABLE record, then each cell's list."""
    children: list[Rec] = []
    if caption:
        children += paragraph_list(paragraph(caption))
    sizes = struct.pack(f"<{rows}H", *([1] * rows))
    children.append((TAG_TABLE, 0, struct.pack("<IHHH4H", 0, rows, cols, 0, 0, 0, 0, 0) + sizes))
    for c in cells:
        address = struct.pack("<4HII4HH", c.col, c.row, c.cols, c.rows, 0, 0, 0, 0, 0, 0, 0)
        children += paragraph_list(*c.paragraphs, extra=address)
    return Control("tbl ", 11, bytes(40), tuple(children))


def text_box(*parts: str | list[Rec]) -> Control:
    """A ``gso `` drawing object with a text box: the list sits under its shape component."""
    inner = [(TAG_SHAPE_COMPONENT, 0, bytes(8)), *_nest(paragraph_list(*_as_paragraphs(parts)), 1)]
    return Control("gso ", 11, bytes(40), tuple(inner))


def note(kind: str, *parts: str | list[Rec]) -> Control:
    """A control holding one paragraph list: "fn  ", "en  ", "head", "foot" or "tcmt"."""
    codes = {"fn  ": 17, "en  ": 17, "head": 16, "foot": 16, "tcmt": 15}
    return Control(kind, codes[kind], bytes(8), tuple(paragraph_list(*_as_paragraphs(parts))))


def auto_number(number: int, *, counted: int = 4) -> Control:
    """An ``atno`` control: ``counted`` 4 numbers tables, 0 pages."""
    return Control("atno", 18, struct.pack("<IHHHH", counted, number, 0, 0, 0))


def encode_records(records: Iterable[Rec]) -> bytes:
    """Records with 32-bit headers; sizes of 0xFFF and more use the extended size."""
    out = bytearray()
    for tag, level, payload in records:
        size = len(payload)
        if size >= 0xFFF:
            out += struct.pack("<II", tag | level << 10 | 0xFFF << 20, size)
        else:
            out += struct.pack("<I", tag | level << 10 | size << 20)
        out += payload
    return bytes(out)


def section(*paragraphs: list[Rec]) -> bytes:
    """A section's body stream, uncompressed."""
    return encode_records(r for p in paragraphs for r in p)


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def file_header(*, flags: int = 1, version: int = 0x05000300) -> bytes:
    """The 256-byte FileHeader stream; flags bit 0 compressed, 1 password, 2 배포용."""
    return struct.pack("<32sII", b"HWP Document File", version, flags).ljust(256, b"\x00")


def hwp_file(
    sections: Sequence[bytes],
    *,
    compressed: bool = True,
    flags: int = 0,
    extra: Mapping[str, bytes] | None = None,
) -> bytes:
    """An HWP 5 file with the given section bodies (uncompressed; compressed here if asked)."""
    streams = {"FileHeader": file_header(flags=flags | int(compressed))}
    for number, body in enumerate(sections):
        streams[f"BodyText/Section{number}"] = deflate(body) if compressed else body
    streams.update(extra or {})
    return ole_file(streams)


def minimal_hwp() -> bytes:
    """A small compressed HWP: a heading line, a paragraph and a 2x2 table."""
    rows = [cell(0, 0, "구분"), cell(0, 1, "일수"), cell(1, 0, "연차"), cell(1, 1, "15일")]
    return hwp_file(
        [
            section(
                paragraph("제1조(목적)"),
                paragraph("이 규정은 휴가를 정한다."),
                paragraph(table(rows, 2, 2)),
            )
        ]
    )
