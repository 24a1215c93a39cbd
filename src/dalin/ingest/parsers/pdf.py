"""PDF files, read with PDFium through pypdfium2 (Apache-2.0/BSD; PyMuPDF is AGPL)."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from dalin.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    LimitExceeded,
    NoTextLayer,
    ParseError,
)
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.pdf_layout import split_tables
from dalin.ingest.parsers.pdf_ocr import PdfOcr
from dalin.ingest.parsers.pdf_pages import (
    Edges,
    Furniture,
    find_furniture,
    page_edges,
    printed_labels,
    split_furniture,
)
from dalin.ingest.parsers.pdf_tables import PdfTable
from dalin.ingest.parsers.text import split_paragraphs
from dalin.types import Document

#: the PDF header may follow some junk; readers look for it in the first kilobyte
_HEADER_WINDOW = 1024
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "a JPEG signature"),
    (b"\x89PNG\r\n\x1a\n", "a PNG signature"),
    (b"GIF8", "a GIF signature"),
    (b"II*\x00", "a TIFF signature"),
    (b"MM\x00*", "a TIFF signature"),
    (b"PK\x03\x04", "a ZIP signature (perhaps a DOCX, XLSX, PPTX or HWPX file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE signature (perhaps an HWP, DOC or XLS file)"),
    (b"%!PS", "a PostScript signature"),
    (b"{\\rtf", "an RTF signature"),
)
# Characters a real text layer (almost) never holds. When a font lacks a ToUnicode map,
# PDFium falls back to raw glyph codes: "The quick" comes out as "7KH\x03TXLFN", every
# space a \x03. Indexing that would store meaningless tokens, so such pages are dropped.
_GLYPH_CODES = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_MAX_GLYPH_CODE_SHARE = 0.05
_MIN_GLYPH_CODES = 3
# Control characters PDFium leaves in good text (e.g. \x02 for a hyphen at a line end).
_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def describe_signature(data: bytes) -> str:
    """What the first bytes of a file look like, for "not a PDF" messages."""
    for signature, label in _SIGNATURES:
        if data.startswith(signature):
            return f"starts with {label}"
    head = data[:_HEADER_WINDOW]
    if head.lstrip().startswith(b"<"):
        return "holds markup (HTML or XML), not PDF data"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "holds plain text, not PDF data"
    return "does not start with the %PDF header"


def _open(data: bytes) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_raw.FPDF_ERR_PASSWORD:
            raise EncryptedDocument(
                "encrypted PDF: a password is needed to open it; save an unprotected copy "
                "and add that instead"
            ) from None
        if code == pdfium_raw.FPDF_ERR_SECURITY:
            raise EncryptedDocument(
                "PDF protected by an unsupported security handler (DRM); it cannot be read"
            ) from None
        raise CorruptDocument(f"damaged PDF: PDFium cannot open it ({error})") from None


@dataclass(frozen=True)
class _Page:
    """One page as read: its text layer, and the same split around its ruled tables."""

    text: str
    #: the text split around its ruled tables, in reading order (empty: no table found)
    parts: tuple[str | PdfTable, ...] = ()
    #: the text layer is raw glyph codes (see ``_GLYPH_CODES``), so the page gives nothing
    glyph_codes: bool = False
    #: the lines nearest the page's edges, where running headers and footers are found
    edges: Edges = field(default_factory=Edges)


def _read_page(document: Any, index: int) -> _Page | None:
    """One page's text and tables, or None when the page itself cannot be loaded."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return None
    try:
        textpage = page.get_textpage()
        try:
            text = str(textpage.get_text_bounded())
            if _is_glyph_codes(text):
                return _Page(text, glyph_codes=True)
            if not text.strip():
                return _Page(text)  # a scan: no text to put in a table, so no need to look
            parts = tuple(_split_tables(page, textpage, text))
            return _Page(text, parts, edges=page_edges(textpage))
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()


def _split_tables(page: Any, textpage: Any, text: str) -> list[str | PdfTable]:
    # Tables are a refinement: when PDFium or odd drawing data trips the detector, the page
    # is read as plain text, exactly as without it.
    try:
        return split_tables(page, textpage, text)
    except (pdfium.PdfiumError, ctypes.ArgumentError, ValueError, ArithmeticError):
        return []


def _is_glyph_codes(text: str) -> bool:
    codes = len(_GLYPH_CODES.findall(text))
    visible = len("".join(text.split()))
    return codes >= _MIN_GLYPH_CODES and codes > _MAX_GLYPH_CODE_SHARE * visible


class _PageTally:
    """Why pages gave no text, to explain an empty result."""

    def __init__(self, pages: int, ocr: PdfOcr) -> None:
        self.pages = pages
        self.unreadable = 0
        self.glyph_codes = 0
        self.ocr = ocr

    def no_text_error(self) -> ParseError:
        if self.pages == 0:
            return EmptyDocument("the PDF has no pages")
        pages = f"{self.pages} page{'s' if self.pages != 1 else ''}"
        if self.unreadable == self.pages:
            return CorruptDocument(f"damaged PDF: none of its {pages} can be read")
        if self.ocr.wanted and not self.ocr.missing:
            return NoTextLayer(f"image-only PDF ({pages}): OCR found no text on its pages")
        # OCR is what reads such a file; without it, say how to get it
        remedy = f"run OCR first; {self.ocr.missing}" if self.ocr.missing else "run OCR first"
        if self.glyph_codes:
            return NoTextLayer(
                "the PDF's text cannot be extracted: its fonts have no Unicode map (ToUnicode), "
                f"so the text layer is meaningless glyph codes ({self.glyph_codes} of {pages}); "
                + remedy
            )
        return NoTextLayer(f"image-only PDF with no text layer ({pages}); {remedy}")


def _add_page(
    builder: DocumentBuilder, parts: tuple[str | PdfTable, ...], number: int, furniture: Furniture
) -> None:
    """A page's blocks: its running header, its text and tables, its running footer."""
    header: list[str] = []
    footer: list[str] = []
    body: list[str | PdfTable] = []
    for part in parts:
        if isinstance(part, PdfTable):
            body.append(part)
            continue
        top, text, bottom = split_furniture(_STRAY_CONTROLS.sub("", part), furniture)
        header.append(top)
        body.append(text)
        footer.append(bottom)
        # a line is furniture once per page
        furniture = Furniture(
            tuple(x for x in furniture.header if x not in top.split("\n")),
            tuple(x for x in furniture.footer if x not in bottom.split("\n")),
        )
    builder.paragraph("\n".join(header), page=number, role="header")
    for part in body:
        if isinstance(part, PdfTable):
            builder.table(part.header, part.rows, page=number)
        else:
            for paragraph in split_paragraphs(part):
                builder.paragraph(paragraph, page=number)
    builder.paragraph("\n".join(footer), page=number, role="footer")


class PdfParser:
    """PDF: the text layer of each page, split into paragraphs on blank lines; ruled tables
    become table blocks (see ``pdf_tables``)."""

    suffixes: tuple[str, ...] = (".pdf",)
    format: str = "pdf"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        if b"%PDF" not in data[:_HEADER_WINDOW]:
            raise CorruptDocument(f"not a PDF: the file {describe_signature(data)}")
        document = _open(data)
        try:
            return self._read(document, name, limits)
        finally:
            document.close()

    def _read(self, document: Any, name: str, limits: Limits) -> Document:
        pages = len(document)
        if pages > limits.max_pages:
            raise LimitExceeded(
                f"the PDF has {pages:,} pages, more than the limit of {limits.max_pages:,}"
            )
        builder = DocumentBuilder(name, format=self.format)
        builder.pages = pages
        tally = _PageTally(pages, PdfOcr(limits))
        read: list[_Page | None] = []
        characters = 0
        for index in range(pages):
            page = _read_page(document, index)
            if page is None:
                tally.unreadable += 1
            else:
                characters += len(page.text)
            read.append(page)
            if characters > limits.max_text_chars:
                raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        # headers and footers are told apart from text by recurring across pages
        furniture = find_furniture([p.edges if p else Edges() for p in read])
        builder.page_labels = printed_labels(document, furniture)
        for index, (page, found) in enumerate(zip(read, furniture, strict=True)):
            if page is None:
                continue
            if page.glyph_codes or not page.text.strip():
                # no usable text layer: a scan, or fonts without a Unicode map
                tally.glyph_codes += page.glyph_codes
                tally.ocr.read_page(document, index, builder, glyph_codes=page.glyph_codes)
            else:
                _add_page(builder, page.parts or (page.text,), index + 1, found)
            if builder.char_count > limits.max_text_chars:
                raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        if builder.char_count == 0:
            raise tally.no_text_error()
        return builder.build()
