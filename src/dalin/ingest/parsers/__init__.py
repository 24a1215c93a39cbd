"""The parser registry: pick a parser by file suffix and turn bytes into a Document.

``parse_bytes`` is the one entry point the rest of dalin uses. Whatever goes wrong inside a
parser or the libraries it calls, only ``ParseError`` subclasses leave it, so one bad file
never stops a batch.
"""

from __future__ import annotations

from pathlib import PurePath

from dalin.errors import (
    CorruptDocument,
    EmptyDocument,
    LimitExceeded,
    ParseError,
    UnsupportedFormat,
)
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.base import Parser
from dalin.ingest.parsers.calamine import CalamineParser
from dalin.ingest.parsers.delimited import CsvParser
from dalin.ingest.parsers.docx import DocxParser
from dalin.ingest.parsers.html import HtmlParser
from dalin.ingest.parsers.hwp import HwpParser
from dalin.ingest.parsers.hwpx import HwpxParser
from dalin.ingest.parsers.image import ImageParser
from dalin.ingest.parsers.legacy import DocParser, PptParser
from dalin.ingest.parsers.markdown import MarkdownParser
from dalin.ingest.parsers.pdf import PdfParser
from dalin.ingest.parsers.pptx import PptxParser
from dalin.ingest.parsers.text import TextParser
from dalin.ingest.parsers.xlsx import XlsxParser
from dalin.types import Document

PARSERS: tuple[Parser, ...] = (
    TextParser(),
    MarkdownParser(),
    HtmlParser(),
    PdfParser(),
    DocxParser(),
    HwpParser(),
    HwpxParser(),
    PptxParser(),
    XlsxParser(),
    CsvParser(),
    ImageParser(),
    CalamineParser(),
    DocParser(),
    PptParser(),
)
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for p in PARSERS for s in p.suffixes)
_BY_SUFFIX: dict[str, Parser] = {s: p for p in PARSERS for s in p.suffixes}

__all__ = ["PARSERS", "SUPPORTED_SUFFIXES", "Parser", "parse_bytes", "parser_for"]


def parser_for(name: str) -> Parser:
    """The parser for a file name, chosen by its suffix (case-insensitive)."""
    suffix = PurePath(name).suffix.lower()
    parser = _BY_SUFFIX.get(suffix)
    if parser is None:
        found = f'"{suffix}" files are' if suffix else "files without a suffix are"
        raise UnsupportedFormat(
            f"{found} not supported; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return parser


def parse_bytes(data: bytes, *, name: str, limits: Limits | None = None) -> Document:
    """Parse one file's bytes; raises only ParseError subclasses."""
    limits = limits or Limits()
    if len(data) > limits.max_file_bytes:
        raise LimitExceeded(
            f"the file is {len(data):,} bytes, more than the limit of {limits.max_file_bytes:,}"
        )
    parser = parser_for(name)
    try:
        document = parser.parse(data, name=name, limits=limits)
    except ParseError:
        raise
    except RecursionError:
        raise LimitExceeded("the file nests structures too deeply to read") from None
    except MemoryError:
        raise LimitExceeded("the file needs more memory to read than is available") from None
    except Exception as error:  # a library failing on hostile input is a damaged file to us
        raise CorruptDocument(
            f"damaged or unreadable {parser.format} file: reading it failed with "
            f"{type(error).__name__}: {error}"
        ) from error
    if not document.text.strip():
        raise EmptyDocument("the file holds no text")
    if len(document.text) > limits.max_text_chars:
        raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
    return document
