"""Contract tests every Parser runs: subclass and set the parser and a good sample.

class TestTextParser(ParserContract):
    parser = TextParser()
    good_sample = "제1조 목적\\n\\n이 규정은 …".encode()
    good_name = "rules.txt"
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dalin.errors import ParseError
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.base import Parser
from dalin.types import Document

# The same @given test runs once per subclass, which Hypothesis flags as "differing
# executors"; each subclass is a different parser, so that is intended here.
_FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.differing_executors, HealthCheck.too_slow],
)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def minimal_docx(body: str, *, styles: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """A small valid .docx; ``body`` is the WordprocessingML inside ``<w:body>``.

    ``styles`` is the inside of ``<w:styles>``; ``extra`` adds or replaces members.
    """
    parts: dict[str, bytes] = {
        "[Content_Types].xml": _CONTENT_TYPES.encode(),
        "_rels/.rels": _PACKAGE_RELS.encode(),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}">'
            f"<w:body>{body}</w:body></w:document>"
        ).encode(),
    }
    if styles:
        parts["word/styles.xml"] = f'<w:styles xmlns:w="{_W}">{styles}</w:styles>'.encode()
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def minimal_pdf(pages: Sequence[str]) -> bytes:
    """A small valid PDF with one line of Latin-1 text per page (Helvetica), xref included."""
    count = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
        + b"] /Count %d >>" % count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, text in enumerate(pages):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = b"BT /F1 12 Tf 72 720 Td (" + escaped.encode("latin-1") + b") Tj ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return pdf_file(objects)


def pdf_file(objects: Sequence[bytes]) -> bytes:
    """A PDF of numbered objects (object 1 must be the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def assert_well_formed(doc: Document) -> None:
    """Every block sits at its offsets, in order, without overlap, and is not empty."""
    previous_end = 0
    for block in doc.blocks:
        assert block.text, f"empty block: {block!r}"
        assert doc.text[block.start : block.end] == block.text
        assert block.start >= previous_end, f"block overlaps or is out of order: {block!r}"
        previous_end = block.end


class ParserContract:
    """Behaviour every Parser must show; subclasses set the three class attributes."""

    parser: ClassVar[Parser]
    good_sample: ClassVar[bytes]
    good_name: ClassVar[str]
    limits: ClassVar[Limits] = Limits()

    def parse(self, data: bytes, name: str | None = None) -> Document:
        return self.parser.parse(data, name=name or self.good_name, limits=self.limits)

    def parse_or_refuse(self, data: bytes) -> None:
        """Parse hostile bytes: a well-formed Document or a ParseError are both fine."""
        try:
            doc = self.parse(data)
        except ParseError:
            return
        assert_well_formed(doc)

    def test_suffixes_are_lower_case_with_a_dot(self) -> None:
        assert self.parser.suffixes
        for suffix in self.parser.suffixes:
            assert suffix.startswith(".") and suffix == suffix.lower()
        assert self.parser.format

    def test_good_sample_parses(self) -> None:
        doc = self.parse(self.good_sample)
        assert doc.text.strip()
        assert doc.name == self.good_name and doc.format == self.parser.format
        assert_well_formed(doc)

    def test_parse_is_deterministic(self) -> None:
        assert self.parse(self.good_sample) == self.parse(self.good_sample)

    def test_empty_bytes_raise_a_parse_error(self) -> None:
        with pytest.raises(ParseError):
            self.parse(b"")

    @_FUZZ
    @given(data=st.binary(max_size=4096))
    def test_garbage_raises_only_parse_errors(self, data: bytes) -> None:
        self.parse_or_refuse(data)

    @_FUZZ
    @given(
        cut=st.integers(min_value=0),
        flips=st.lists(st.tuples(st.integers(0), st.integers(0, 255)), max_size=8),
    )
    def test_damaged_sample_raises_only_parse_errors(
        self, cut: int, flips: list[tuple[int, int]]
    ) -> None:
        data = bytearray(self.good_sample[: 1 + cut % len(self.good_sample)])
        for position, value in flips:
            data[position % len(data)] = value
        self.parse_or_refuse(bytes(data))
