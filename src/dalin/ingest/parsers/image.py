"""Images (scans, faxes, photos of documents): decoded by Pillow, read by Tesseract OCR.

Each image is one page (a multi-page TIFF, one page per frame), cited as ``p.N · OCR``.
The image's own size is checked before any pixel is decoded (a PNG of 1 × 10⁹ pixels is a
few kilobytes), and an image larger than a page needs is read scaled down.
"""

from __future__ import annotations

import io
import math
import warnings

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from dalin.errors import CorruptDocument, EmptyDocument, LimitExceeded, NoTextLayer
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.ocr import add_page, read_image, tesseract_missing
from dalin.ingest.parsers.pdf_ocr import MAX_PIXELS, parse_deadline
from dalin.types import Document

#: formats Pillow may decode here; anything else is refused before decoding
FORMATS = ("PNG", "JPEG", "TIFF", "BMP", "GIF", "WEBP")
#: pixels of one frame beyond which the file is refused unread (a decompression bomb)
MAX_DECLARED_PIXELS = 250_000_000
# Below this resolution a scan's text is too small for Tesseract: it is read enlarged.
_MIN_DPI = 150


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise LimitExceeded("the image declares more pixels than can be read safely") from None
    except UnidentifiedImageError:
        raise CorruptDocument(
            "not an image Pillow can read (PNG, JPEG, TIFF, BMP, GIF, WebP)"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # a damaged header
        raise CorruptDocument(f"damaged image: {error}") from None
    return image


def _dpi(image: Image.Image) -> int | None:
    """The resolution the file states, when it states a believable one."""
    value = image.info.get("dpi")
    try:
        dpi = round(float(value[0])) if value else 0
    except (TypeError, ValueError, IndexError):
        return None
    return dpi if 50 <= dpi <= 1200 else None


def page_image(frame: Image.Image) -> tuple[Image.Image, int | None]:
    """One frame as 8-bit grey, upright, within MAX_PIXELS; with its resolution."""
    width, height = frame.size
    if width * height > MAX_DECLARED_PIXELS:
        raise LimitExceeded(
            f"an image of {width:,} × {height:,} pixels is larger than can be read safely"
        )
    dpi = _dpi(frame)
    upright = ImageOps.exif_transpose(frame).convert("L")
    scale = min(1.0, math.sqrt(MAX_PIXELS / max(1, width * height)))
    if dpi is not None and dpi < _MIN_DPI:
        scale = _MIN_DPI / dpi
    if scale != 1.0:
        size = (max(1, round(upright.width * scale)), max(1, round(upright.height * scale)))
        upright = upright.resize(size, Image.Resampling.LANCZOS)
        dpi = round(dpi * scale) if dpi else None
    return upright, dpi


class ImageParser:
    """PNG, JPEG, TIFF (every page), BMP, GIF and WebP files, read with OCR."""

    suffixes: tuple[str, ...] = (
        ".png",
        ".jpg",
        ".jpeg",
        ".tif",
        ".tiff",
        ".bmp",
        ".gif",
        ".webp",
    )
    format: str = "image"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        image = _open(data)
        missing = tesseract_missing()
        if missing:
            raise NoTextLayer(f"an image holds no text, only pixels: run OCR first; {missing}")
        deadline = parse_deadline(limits)
        builder = DocumentBuilder(name, format=self.format)
        pages = 0
        try:
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if number > limits.max_pages:
                    raise LimitExceeded(f"the image has more than {limits.max_pages:,} pages")
                pages = number
                grey, dpi = page_image(frame)
                read = read_image(grey, dpi=dpi, deadline=deadline)
                if read.lines:
                    add_page(builder, read, number)
        except (OSError, ValueError, SyntaxError, EOFError) as error:  # damaged pixel data
            raise CorruptDocument(f"damaged image: {error}") from None
        builder.pages = pages
        if builder.char_count == 0:
            raise NoTextLayer(f"OCR found no text in the image ({pages} page(s))")
        return builder.build()
