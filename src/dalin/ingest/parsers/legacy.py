"""Word 97-2003 .doc, PowerPoint 97-2003 .ppt and HWP 3.x (한글 97) files, read through
LibreOffice (``dalin.ingest.soffice``) and then by our DOCX and PPTX readers, so headings,
tables, slides and their citations come out as for the modern formats.
"""

from __future__ import annotations

import dataclasses

from dalin.errors import CorruptDocument, EmptyDocument, ReaderMissing
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.docx import DocxParser
from dalin.ingest.parsers.pdf import describe_signature
from dalin.ingest.parsers.pdf_ocr import parse_deadline
from dalin.ingest.parsers.pptx import PptxParser
from dalin.ingest.safezip import OLE_SIGNATURE
from dalin.ingest.soffice import INSTALL_HINT, convert, soffice_path
from dalin.types import Document

_RTF_SIGNATURE = b"{\\rtf"
#: the first bytes of an HWP 3.x file (HWP 5 files are OLE compound files)
HWP3_SIGNATURE = b"HWP Document File V3"


def _need_libreoffice(what: str) -> None:
    if soffice_path() is None:
        raise ReaderMissing(
            f"{what} files are read through LibreOffice, which is not installed here; "
            f"install it ({INSTALL_HINT}) and add the file again, or save the file in a "
            "current format"
        )


def _refuse_empty(data: bytes) -> None:
    if not data:
        raise EmptyDocument("empty file (0 bytes)")


class DocParser:
    """Word 97-2003 (.doc), and the RTF files that are often saved under that name."""

    suffixes: tuple[str, ...] = (".doc",)
    format: str = "doc"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        _refuse_empty(data)
        if data.startswith(OLE_SIGNATURE):
            import_filter = "MS Word 97"
        elif data.startswith(_RTF_SIGNATURE):
            import_filter = "Rich Text Format"
        else:
            raise CorruptDocument(f"not a Word 97-2003 document: the file {_signature(data)}")
        _need_libreoffice("Word 97-2003 (.doc)")
        docx = convert(
            data, import_filter=import_filter, target="docx", deadline=parse_deadline(limits)
        )
        document = DocxParser().parse(docx, name=name, limits=limits)
        return dataclasses.replace(document, format=self.format)


class PptParser:
    """PowerPoint 97-2003 (.ppt): slides, their tables and notes, cited by slide."""

    suffixes: tuple[str, ...] = (".ppt",)
    format: str = "ppt"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        _refuse_empty(data)
        if not data.startswith(OLE_SIGNATURE):
            raise CorruptDocument(f"not a PowerPoint 97-2003 file: the file {_signature(data)}")
        _need_libreoffice("PowerPoint 97-2003 (.ppt)")
        pptx = convert(
            data, import_filter="MS PowerPoint 97", target="pptx", deadline=parse_deadline(limits)
        )
        document = PptxParser().parse(pptx, name=name, limits=limits)
        return dataclasses.replace(document, format=self.format)


def parse_hwp3(data: bytes, *, name: str, limits: Limits) -> Document:
    """An HWP 3.x (한글 97 and older) document, through LibreOffice's HWP import."""
    if soffice_path() is None:
        raise ReaderMissing(
            "HWP 3.x document (한글 97 or older): it is read through LibreOffice, which is not "
            f"installed here ({INSTALL_HINT}); or open it in 한글 and save it as .hwp (HWP 5) "
            "or .hwpx, then add it again"
        )
    docx = convert(
        data, import_filter="writer_MIZI_Hwp_97", target="docx", deadline=parse_deadline(limits)
    )
    document = DocxParser().parse(docx, name=name, limits=limits)
    return dataclasses.replace(document, format="hwp3")


def _signature(data: bytes) -> str:
    described = describe_signature(data)  # "starts with a ZIP signature (…)", …
    return "has no OLE signature" if described.startswith("does not start") else described
