"""PDF files, read with PDFium through pypdfium2 (Apache-2.0/BSD; PyMuPDF is AGPL)."""

from __future__ import annotations

import re
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


def _page_text(document: Any, index: int) -> str | None:
    """The text of one page, or None when the page itself cannot be loaded."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return None
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_bounded())
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()


def _is_glyph_codes(text: str) -> bool:
    codes = len(_GLYPH_CODES.findall(text))
    visible = len("".join(text.split()))
    return codes >= _MIN_GLYPH_CODES and codes > _MAX_GLYPH_CODE_SHARE * visible


class _PageTally:
    """Why pages gave no text, to explain an empty result."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.unreadable = 0
        self.glyph_codes = 0

    def no_text_error(self) -> ParseError:
        if self.pages == 0:
            return EmptyDocument("the PDF has no pages")
        pages = f"{self.pages} page{'s' if self.pages != 1 else ''}"
        if self.unreadable == self.pages:
            return CorruptDocument(f"damaged PDF: none of its {pages} can be read")
        if self.glyph_codes:
            return NoTextLayer(
                "the PDF's text cannot be extracted: its fonts have no Unicode map (ToUnicode), "
                f"so the text layer is meaningless glyph codes ({self.glyph_codes} of {pages}); "
                "run OCR first"
            )
        return NoTextLayer(f"image-only PDF with no text layer ({pages}); run OCR first")


class PdfParser:
    """PDF: the text layer of each page, split into paragraphs on blank lines."""

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
        tally = _PageTally(pages)
        for index in range(pages):
            text = _page_text(document, index)
            if text is None:
                tally.unreadable += 1
            elif _is_glyph_codes(text):
                tally.glyph_codes += 1
            else:
                for paragraph in split_paragraphs(_STRAY_CONTROLS.sub("", text)):
                    builder.paragraph(paragraph, page=index + 1)
            if builder.char_count > limits.max_text_chars:
                raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        if builder.char_count == 0:
            raise tally.no_text_error()
        return builder.build()
