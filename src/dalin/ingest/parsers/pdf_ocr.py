"""Scanned PDF pages: rendered by PDFium, read by Tesseract (``dalin.ingest.ocr``).

A page goes here when its text layer gives nothing: no text at all but an image on it (a
scan or a fax), or text whose fonts have no Unicode map (raw glyph codes, which render
fine). Pages with a real text layer never do: their text is exact, OCR's is not.
"""

from __future__ import annotations

import math
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from dalin.ingest.document import DocumentBuilder
from dalin.ingest.external import Deadline
from dalin.ingest.limits import Limits
from dalin.ingest.ocr import add_page, read_image, tesseract_missing

#: resolution pages are rendered at for OCR, chosen on the dev pages of bench/ocr.py
RENDER_DPI = 200
#: a huge page (a poster, a drawing) is rendered smaller rather than to gigabytes
MAX_PIXELS = 16_000_000
# Seconds kept back from ingest.max_seconds, so that OCR stops and says why before the
# worker's own deadline kills the parse without a word.
_MARGIN_SECONDS = 2.0


def parse_deadline(limits: Limits) -> Deadline:
    """When OCR of one file must stop: ingest.max_seconds from now, less a margin."""
    margin = min(_MARGIN_SECONDS, 0.1 * limits.max_seconds)
    return Deadline.after(limits.max_seconds - margin)


def render_scale(width_pt: float, height_pt: float, dpi: int = RENDER_DPI) -> float:
    """PDFium's scale for ``dpi``, reduced so the image stays within MAX_PIXELS."""
    scale = dpi / 72
    area = max(width_pt * height_pt, 1.0)
    return min(scale, math.sqrt(MAX_PIXELS / area))


def has_image(page: Any) -> bool:
    """Whether a page draws an image anywhere (also inside form objects)."""
    return any(True for _ in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))


class PdfOcr:
    """OCR for the pages of one PDF that need it, within the file's deadline."""

    def __init__(self, limits: Limits) -> None:
        self.deadline = parse_deadline(limits)
        #: why OCR cannot run here ("" when it can)
        self.missing = tesseract_missing()
        #: pages that needed OCR, and those of them OCR found text on
        self.wanted = 0
        self.read = 0

    def read_page(
        self, document: Any, index: int, builder: DocumentBuilder, *, glyph_codes: bool
    ) -> bool:
        """OCR page ``index`` into ``builder``; False when it holds nothing to read."""
        try:
            page = document[index]
        except pdfium.PdfiumError:
            return False
        try:
            if not glyph_codes and not has_image(page):
                return False  # a blank page: nothing to read, nothing to miss
            self.wanted += 1
            if self.missing:
                return False
            width, height = page.get_size()
            scale = render_scale(width, height)
            image = page.render(scale=scale, grayscale=True).to_pil()
        finally:
            page.close()
        ocr_page = read_image(image, dpi=round(72 * scale), deadline=self.deadline)
        if not ocr_page.lines:
            return False
        add_page(builder, ocr_page, index + 1)
        self.read += 1
        return True
