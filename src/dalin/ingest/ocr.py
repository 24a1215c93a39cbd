"""Read the text of page images with Tesseract and its Korean model, offline.

Tesseract is an optional system program (Debian: ``tesseract-ocr tesseract-ocr-kor``); its
``kor`` model ships in the package, so nothing is downloaded. It runs as a program under the
parse's deadline and memory cap (``external.py``), one thread per call: parse workers
already use every core.

What we take from it is the TSV output: every word with its box and confidence. Lines and
paragraphs are rebuilt from the boxes, because Tesseract splits Korean into "words" of one
or two syllables (``경 기 개 시``) and only its plain-text output knows where the spaces
were: the gaps between the pieces tell, measured against the line's height and its widest
gaps (``join_words``; the rule was chosen on the dev pages of bench/ocr.py).
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import shutil
import statistics
from dataclasses import dataclass

from PIL import Image

from dalin.errors import CorruptDocument, ParseError
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.external import Deadline, run_program

#: what a page is read with first: Korean alone, because with ``kor+eng`` the English
#: model takes Korean words it doubts for Latin junk ("WS", "Aes"); bench/ocr.py
LANGUAGES = "kor"
#: what a page that turns out not to be Korean is read with again: the Korean model alone
#: reads English as digits and symbols
OTHER_LANGUAGES = "kor+eng"
#: below this share of Hangul among the letters read, a page is read again
_MIN_HANGUL_SHARE = 0.3
INSTALL_HINT = "sudo apt-get install tesseract-ocr tesseract-ocr-kor"
#: page segmentation mode 4, "a single column of text of variable sizes": the default
#: (3) cuts justified Korean lines into columns at their wide word gaps (bench/ocr.py)
PAGE_SEGMENTATION = "4"
#: a gap between two words narrower than this share of the line height is no space
_SPACE_GAP = 0.4
#: ... and narrower than this share of the line's widest gaps (its 90th percentile),
#: once a line has enough gaps to tell
_WIDE_GAP_SHARE = 0.6
_MIN_GAPS_TO_COMPARE = 6
#: a vertical gap between lines wider than this share of the line height starts a paragraph
_PARAGRAPH_GAP = 0.9
#: words Tesseract itself doubts this much (0-100) and that are this short are specks
_NOISE_CONFIDENCE = 40.0
_NOISE_CHARS = 1


@functools.cache
def tesseract_missing() -> str:
    """Why OCR cannot run here ("" when it can): no program, or no Korean model."""
    program = shutil.which("tesseract")
    if program is None:
        return f"Tesseract OCR is not installed ({INSTALL_HINT})"
    try:
        listed = run_program(
            [program, "--list-langs"], deadline=Deadline.after(30), what="ask Tesseract"
        )
    except (OSError, ParseError):
        return f"Tesseract OCR does not start ({INSTALL_HINT})"
    languages = set(listed.stdout.decode(errors="replace").split())
    missing = [lang for lang in OTHER_LANGUAGES.split("+") if lang not in languages]
    if missing:
        return f"Tesseract has no {'/'.join(missing)} model ({INSTALL_HINT})"
    return ""


@dataclass(frozen=True)
class OcrWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    #: Tesseract's confidence, 0-100
    confidence: float
    #: Tesseract's (block, paragraph, line) numbers: words of one line share them
    line: tuple[int, int, int]

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class OcrLine:
    words: tuple[OcrWord, ...]
    text: str

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)


@dataclass(frozen=True)
class OcrPage:
    """One image as read: its lines in reading order and how sure Tesseract was."""

    lines: tuple[OcrLine, ...]
    #: mean word confidence (0-100), weighted by characters; 0 when nothing was read
    confidence: float
    width: int
    height: int

    def paragraphs(self) -> list[list[OcrLine]]:
        """Lines grouped into paragraphs at vertical gaps wider than a line."""
        groups: list[list[OcrLine]] = []
        heights = [line.bottom - line.top for line in self.lines]
        typical = statistics.median(heights) if heights else 0
        for line in self.lines:
            last = groups[-1][-1] if groups else None
            if last is None or line.top - last.bottom > _PARAGRAPH_GAP * typical:
                groups.append([line])
            else:
                groups[-1].append(line)
        return groups


def read_image(
    image: Image.Image,
    *,
    dpi: int | None,
    deadline: Deadline,
    languages: str = "",
    segmentation: str = PAGE_SEGMENTATION,
) -> OcrPage:
    """OCR one image (any mode; read as 8-bit grey) before ``deadline``; ``dpi`` None:
    unknown.

    Read as Korean first, and again with English when little of it came out as Hangul.
    ``languages`` (Tesseract's ``-l``, one pass) and ``segmentation`` (``--psm``) are for
    bench/ocr.py, which chose the defaults.
    """
    grey = image if image.mode == "L" else image.convert("L")
    buffer = io.BytesIO()
    grey.save(buffer, "PPM")  # uncompressed PGM: nothing to encode or decode
    pgm = buffer.getvalue()

    def read(languages: str) -> OcrPage:
        words = _tesseract(pgm, languages, segmentation, dpi, deadline)
        return page_from_words(words, grey.width, grey.height)

    if languages:
        return read(languages)
    page = read(LANGUAGES)
    if hangul_share(page) >= _MIN_HANGUL_SHARE:
        return page
    other = read(OTHER_LANGUAGES)
    return other if other.confidence >= page.confidence else page


def hangul_share(page: OcrPage) -> float:
    """The share of Hangul among the letters and digits of a page's text."""
    letters = [c for line in page.lines for c in line.text if c.isalnum()]
    return sum(_is_cjk(c) for c in letters) / len(letters) if letters else 0.0


def _tesseract(
    pgm: bytes, languages: str, segmentation: str, dpi: int | None, deadline: Deadline
) -> list[OcrWord]:
    resolution = ["--dpi", str(dpi)] if dpi else []  # unknown: Tesseract estimates it
    command = ["tesseract", "stdin", "stdout", "-l", languages, "--psm", segmentation]
    completed = run_program(
        [*command, *resolution, "tsv"],
        stdin=pgm,
        deadline=deadline,
        what="reading a page image with OCR",
        env={"OMP_THREAD_LIMIT": "1"},
    )
    if completed.returncode != 0:
        problem = completed.stderr.decode(errors="replace").strip().splitlines()
        raise CorruptDocument(
            f"OCR failed on a page image: {problem[-1] if problem else completed.returncode}"
        )
    return parse_tsv(completed.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> list[OcrWord]:
    """The recognised words of Tesseract's TSV output, in its reading order."""
    words: list[OcrWord] = []
    for row in csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(row) != 12 or row[0] != "5" or not row[11].strip():
            continue
        try:
            numbers = [int(value) for value in row[2:10]]
            confidence = float(row[10])
        except ValueError:
            continue
        block, paragraph, line, _, left, top, width, height = numbers
        if width <= 0 or height <= 0:
            continue
        text = row[11].strip()
        words.append(OcrWord(text, left, top, width, height, confidence, (block, paragraph, line)))
    return words


def _is_noise(word: OcrWord) -> bool:
    return len(word.text) <= _NOISE_CHARS and 0 <= word.confidence < _NOISE_CONFIDENCE


def _is_cjk(char: str) -> bool:
    """Hangul (syllables and jamo) or a CJK ideograph: the scripts Tesseract splits."""
    code = ord(char)
    return (
        0xAC00 <= code <= 0xD7A3
        or 0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0x4E00 <= code <= 0x9FFF
    )


def join_words(words: list[OcrWord]) -> str:
    """One line's words, spaced as printed.

    Latin words come whole, so a space always separates them; Korean comes in pieces, which
    join unless the gap between them is as wide as a space.
    """
    height = statistics.median(w.height for w in words)
    pairs = list(itertools.pairwise(words))
    gaps = [(b.left - a.right) / height for a, b in pairs]
    korean = [_is_cjk(a.text[-1]) or _is_cjk(b.text[0]) for a, b in pairs]
    space = _space_gap([g for g, k in zip(gaps, korean, strict=True) if k and g > 0])
    parts = [words[0].text]
    for (_, word), gap, between_korean in zip(pairs, gaps, korean, strict=True):
        parts.append(("" if between_korean and gap < space else " ") + word.text)
    return "".join(parts)


def _space_gap(gaps: list[float]) -> float:
    """The narrowest gap (in line heights) that is a space on this line.

    A justified line stretches its spaces and its syllable gaps alike, so beside the fixed
    share a space must also be near the line's widest gaps.
    """
    if len(gaps) < _MIN_GAPS_TO_COMPARE:
        return _SPACE_GAP
    wide = statistics.quantiles(gaps, n=10)[-1]
    return max(_SPACE_GAP, _WIDE_GAP_SHARE * wide)


def page_from_words(words: list[OcrWord], width: int, height: int) -> OcrPage:
    """Group words into lines (Tesseract's own line numbers) and weigh its confidence."""
    kept = [w for w in words if not _is_noise(w)]
    lines: list[OcrLine] = []
    run: list[OcrWord] = []
    for word in kept:
        if run and word.line != run[-1].line:
            lines.append(OcrLine(tuple(run), join_words(run)))
            run = []
        run.append(word)
    if run:
        lines.append(OcrLine(tuple(run), join_words(run)))
    scored = [w for w in kept if w.confidence >= 0]
    chars = sum(len(w.text) for w in scored)
    confidence = sum(w.confidence * len(w.text) for w in scored) / chars if chars else 0.0
    return OcrPage(tuple(lines), round(confidence, 1), width, height)


def add_page(builder: DocumentBuilder, page: OcrPage, number: int) -> None:
    """Put one OCR'd page into a document: its paragraphs, and its confidence."""
    for paragraph in page.paragraphs():
        builder.paragraph("\n".join(line.text for line in paragraph), page=number)
    builder.ocr_pages[number] = page.confidence
