"""Scanned documents made from text PDFs, for OCR tests: the pages as pictures, no text.

A scan made this way has a known truth (the text layer it was rendered from), which is
what tests and bench/ocr.py compare OCR against.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pypdfium2 as pdfium
from PIL import Image


def render_pages(pdf: bytes, pages: Sequence[int], dpi: int = 200) -> list[Image.Image]:
    """Pages (0-based) of a PDF rendered as 8-bit grey images."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in pages]
    finally:
        document.close()


def image_pdf(images: Sequence[Image.Image], dpi: int = 200) -> bytes:
    """A PDF whose pages are only these images (JPEG), as a scanner writes them."""
    document = pdfium.PdfDocument.new()
    try:
        for image in images:
            buffer = io.BytesIO()
            image.convert("L").save(buffer, "JPEG", quality=85)
            width, height = image.width * 72 / dpi, image.height * 72 / dpi
            page = document.new_page(width, height)
            picture = pdfium.PdfImage.new(document)
            picture.load_jpeg(io.BytesIO(buffer.getvalue()), inline=True)
            picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
            page.insert_obj(picture)
            page.gen_content()
            page.close()
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    finally:
        document.close()


def scanned_pdf(pdf: bytes, pages: Sequence[int], dpi: int = 200) -> bytes:
    """``pages`` of a text PDF as an image-only PDF: a scan of a printout."""
    return image_pdf(render_pages(pdf, pages, dpi), dpi)
