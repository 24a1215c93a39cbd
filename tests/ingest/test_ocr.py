"""OCR of scanned PDFs and image files with Tesseract (dalin.ingest.ocr), with and without it.

The scans are made here from real Korean text PDFs in ../shared/samples (rendered pages
put into an image-only PDF, see dalin.testing.scans), so their text is known. Tests that
need Tesseract skip with the reason when it is missing (`make test` installs it as root);
the refusal without it is tested in a child process whose PATH holds no Tesseract.
"""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw

import dalin
from dalin.errors import CorruptDocument, LimitExceeded, NoTextLayer
from dalin.ingest.chunking import chunk_document
from dalin.ingest.external import Deadline, run_program
from dalin.ingest.limits import Limits
from dalin.ingest.ocr import OcrWord, join_words, page_from_words, parse_tsv, tesseract_missing
from dalin.ingest.parsers import parse_bytes
from dalin.ingest.parsers.image import ImageParser
from dalin.testing.parser_contract import ParserContract, assert_well_formed
from dalin.testing.scans import image_pdf, render_pages, scanned_pdf
from shared_samples import shared_path

needs_tesseract = pytest.mark.skipif(
    bool(tesseract_missing()), reason=f"OCR tests need Tesseract: {tesseract_missing()}"
)


def flat(text: str) -> str:
    return " ".join(text.split())


def kbo_scan() -> bytes:
    """Page 1 of a Korean regulation (KBO 리그 규정 제21조), scanned: an image-only PDF."""
    return scanned_pdf(shared_path("samples", "autorag_kbo_table_text.pdf").read_bytes(), [0])


# --- reading Tesseract's output (no Tesseract needed) ----------------------------------------


def word(text: str, left: int, width: int, conf: float = 90.0, line: int = 1) -> OcrWord:
    return OcrWord(text, left, 100 * line, width, 20, conf, (1, 1, line))


def test_korean_pieces_join_and_spaces_stay() -> None:
    # Tesseract's TSV cuts "경기개시 시간" into syllables; the gaps tell where spaces were
    pieces = [word("경", 0, 18), word("기", 21, 18), word("개시", 42, 38), word("시간", 95, 38)]
    assert join_words(pieces) == "경기개시 시간"


def test_latin_words_are_always_spaced() -> None:
    assert join_words([word("Annual", 0, 60), word("leave", 64, 50)]) == "Annual leave"


def test_a_justified_line_keeps_its_words() -> None:
    # stretched syllable gaps (0.5 of the height) against stretched spaces (1.0)
    gaps = [0, 10, 10, 20, 10, 10, 20, 10, 20, 10, 10]
    texts = ["탄", "소", "중", "립", "녹", "색", "성", "장", "기", "본", "법"]
    words, left = [], 0
    for text, gap in zip(texts, gaps, strict=True):
        left += gap
        words.append(word(text, left, 18))
        left += 18
    assert join_words(words) == "탄소중 립녹색 성장 기본법"


def test_tsv_rows_become_lines_and_specks_are_dropped() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "5\t1\t1\t1\t1\t1\t10\t10\t30\t20\t95.5\t제21조\n"
        "5\t1\t1\t1\t1\t2\t55\t10\t40\t20\t91.0\t경기\n"
        "5\t1\t1\t1\t2\t1\t10\t40\t5\t5\t12.0\t~\n"
        "5\t1\t1\t1\t3\t1\t10\t70\t30\t20\t88.0\t토요일\n"
        "4\t1\t1\t1\t3\t0\t10\t70\t30\t20\t-1\t\n"
        "garbage line\n"
    )
    words = parse_tsv(tsv)
    assert [w.text for w in words] == ["제21조", "경기", "~", "토요일"]
    page = page_from_words(words, 200, 100)
    assert [line.text for line in page.lines] == ["제21조 경기", "토요일"]
    assert 88 < page.confidence < 96


@given(st.text(alphabet=st.sampled_from("5\t1ab-9.\n가"), max_size=400))
def test_any_tsv_is_read_without_error(tsv: str) -> None:
    page = page_from_words(parse_tsv(tsv), 100, 100)
    assert all(line.text for line in page.lines)


# --- scanned PDFs and images -------------------------------------------------------------------


@needs_tesseract
def test_scanned_korean_page_is_read_and_cited_with_its_page() -> None:
    doc = parse_bytes(kbo_scan(), name="스캔_규정.pdf")
    assert_well_formed(doc)
    text = flat(doc.text)
    assert "경기개시" in text and "제22조" in text and "일몰시간" in text
    assert doc.pages == 1 and [p for p, _ in doc.ocr_pages] == [1]
    assert all(b.page == 1 for b in doc.blocks)
    labels = {c.label for c in chunk_document(doc)}
    assert labels and all(label.startswith("p.1 · OCR") for label in labels)


@needs_tesseract
def test_scanned_page_is_searchable_and_cited(tmp_path: Path) -> None:
    # the "done when": a scanned Korean page, searchable and cited with its page
    scan = tmp_path / "docs" / "규정_스캔.pdf"
    scan.parent.mkdir()
    scan.write_bytes(kbo_scan())
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        ws.embedder = None
        report = ws.add([scan])
        assert report.ok and report.added == (str(scan),)
        hits = ws.search("야간 조명시설이 없는 구장 일몰시간", k=3)
        assert hits and hits[0].name == "규정_스캔.pdf" and hits[0].page == 1
        # the page, that OCR read it, and the article the scan prints (a bare "제22조 …" heading)
        assert hits[0].label.startswith("규정_스캔.pdf · p.1 · OCR")
        answer = ws.ask("조명시설이 없는 구장에서 주간경기는 언제까지 새 이닝에 들어갈 수 있나요?")
        assert not answer.abstained
        assert "p.1 · OCR" in answer.citations[0].label
        [info] = ws.documents()
        assert info.ocr_pages == 1 and info.ocr_confidence is not None
        assert info.ocr_confidence > 50


@needs_tesseract
def test_mixed_pdf_reads_only_the_scanned_page() -> None:
    original = shared_path("samples", "autorag_kbo_table_text.pdf").read_bytes()
    text_page = render_pages(original, [0])[0]
    doc = parse_bytes(image_pdf([text_page, text_page]), name="two.pdf")
    assert [p for p, _ in doc.ocr_pages] == [1, 2]
    assert {b.page for b in doc.blocks} == {1, 2}


@needs_tesseract
def test_pdf_fonts_without_unicode_map_are_read_by_ocr() -> None:
    doc = parse_bytes(
        shared_path("samples", "ADV_odl_cid-font-no-tounicode.pdf").read_bytes(), name="cid.pdf"
    )
    assert "The quick brown fox jumps over the lazy dog" in doc.text
    assert "7KH" not in doc.text  # none of the raw glyph codes of its text layer


def _image_bytes(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


@needs_tesseract
@pytest.mark.parametrize(("suffix", "fmt"), [(".png", "PNG"), (".jpg", "JPEG")])
def test_image_files_are_read(suffix: str, fmt: str) -> None:
    original = shared_path("samples", "autorag_kbo_table_text.pdf").read_bytes()
    [page] = render_pages(original, [0])
    doc = parse_bytes(_image_bytes(page, fmt, dpi=(200, 200)), name="규정" + suffix)
    assert doc.format == "image" and doc.pages == 1
    assert "경기개시" in flat(doc.text)


@needs_tesseract
def test_multi_page_tiff_keeps_its_pages() -> None:
    original = shared_path("samples", "odl_2125318_환경노동위원회_검토보고서.pdf").read_bytes()
    first, second = render_pages(original, [2, 3], dpi=150)
    data = _image_bytes(first, "TIFF", save_all=True, append_images=[second], dpi=(150, 150))
    doc = parse_bytes(data, name="검토보고서.tif")
    assert doc.pages == 2 and [p for p, _ in doc.ocr_pages] == [1, 2]
    assert "제안경위" in flat(doc.text).replace(" ", "")
    assert {b.page for b in doc.blocks} == {1, 2}


@pytest.mark.timed
@needs_tesseract
def test_ocr_stops_at_the_time_limit_and_leaves_no_program_running() -> None:
    original = shared_path("samples", "odl_2125318_환경노동위원회_검토보고서.pdf").read_bytes()
    scan = scanned_pdf(original, range(6), dpi=150)
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"OCR|time"):
        parse_bytes(scan, name="long.pdf", limits=Limits(max_seconds=3.0))
    assert time.monotonic() - start < 8
    assert not _running("tesseract")


def _running(program: str) -> list[str]:
    """Processes of ``program`` that are children of this test process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split()
        except OSError:
            continue
        if fields[1] == f"({program})" and int(fields[3]) == os.getpid():
            found.append(stat.parent.name)
    return found


@pytest.mark.timed
def test_a_program_past_its_deadline_is_killed_with_its_children() -> None:
    marker = "31.4159"  # a sleep nobody else runs
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match="sleeping"):
        run_program(
            ["sh", "-c", f"sleep {marker} & sleep {marker}"],
            deadline=Deadline.after(0.5),
            what="sleeping",
        )
    assert time.monotonic() - start < 5
    time.sleep(0.2)
    leftovers = [
        p for p in Path("/proc").glob("[0-9]*/cmdline") if marker in _cmdline(p) and p.exists()
    ]
    assert leftovers == []


def test_a_program_killed_while_its_input_is_written_leaves_no_open_pipe() -> None:
    # more input than a pipe holds, to a program that never reads it: the deadline passes
    # while communicate() is still writing, and the pipe must be closed with the kill (an
    # unclosed pipe is a ResourceWarning, which fails whichever test the collector hits)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(LimitExceeded, match="sleeping"):
            run_program(
                ["sleep", "30"], deadline=Deadline.after(0.3), what="sleeping", stdin=b"x" * 2**20
            )
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def _cmdline(path: Path) -> str:
    try:
        return path.read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# --- hostile images ----------------------------------------------------------------------------


def test_decompression_bomb_is_refused_before_decoding() -> None:
    # a PNG header claiming 100,000 x 100,000 pixels (10 gigapixels) over a few bytes
    huge = Image.new("1", (1, 1))
    data = bytearray(_image_bytes(huge, "PNG"))
    data[16:24] = (100_000).to_bytes(4, "big") * 2  # IHDR width and height
    with pytest.raises((LimitExceeded, CorruptDocument)):
        parse_bytes(bytes(data), name="bomb.png")


def test_not_an_image_is_refused() -> None:
    with pytest.raises(CorruptDocument, match="not an image"):
        parse_bytes(b"%PDF-1.4 not an image at all", name="photo.jpg")


def test_truncated_image_is_refused() -> None:
    data = _image_bytes(Image.new("L", (400, 300), 255), "PNG")
    with pytest.raises((CorruptDocument, NoTextLayer)):
        parse_bytes(data[: len(data) // 2], name="cut.png")


def _text_image() -> bytes:
    image = Image.new("L", (520, 90), 255)
    ImageDraw.Draw(image).text((10, 20), "Annual leave is 15 days", fill=0, font_size=36)
    return _image_bytes(image, "PNG")


@needs_tesseract
class TestImageParser(ParserContract):
    parser = ImageParser()
    good_sample = _text_image()
    good_name = "leave.png"


# --- without Tesseract: the refusal says how to install it ----------------------------------

_PARSE_IN_CHILD = """
import json, sys
from pathlib import Path
from dalin.errors import ParseError
from dalin.ingest.parsers import parse_bytes
path = Path(sys.argv[1])
try:
    parse_bytes(path.read_bytes(), name=path.name)
    print(json.dumps({"error": None}))
except ParseError as error:
    print(json.dumps({"error": type(error).__name__, "detail": error.detail}))
"""


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("haystack_non_text_searchable.pdf", "image-only PDF with no text layer"),
        ("ADV_odl_cid-font-no-tounicode.pdf", "no Unicode map"),
    ],
)
def test_without_tesseract_scans_are_refused_with_the_install_command(
    name: str, needle: str, tmp_path: Path
) -> None:
    path = shared_path("samples", name)
    result = parse_without_programs(path, tmp_path)
    assert result["error"] == "NoTextLayer"
    assert needle in result["detail"]
    assert "apt-get install tesseract-ocr tesseract-ocr-kor" in result["detail"]


def test_without_tesseract_images_are_refused_with_the_install_command(tmp_path: Path) -> None:
    image = tmp_path / "scan.png"
    image.write_bytes(_text_image())
    result = parse_without_programs(image, tmp_path)
    assert result["error"] == "NoTextLayer"
    assert "tesseract-ocr-kor" in result["detail"]


def parse_without_programs(path: Path, tmp_path: Path) -> dict[str, str]:
    """Parse ``path`` in a child process whose PATH holds no program at all (no Tesseract,
    no LibreOffice); the ParseError it gives, as {"error": class name, "detail": …}."""
    empty = tmp_path / "no-programs"
    empty.mkdir(exist_ok=True)
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", _PARSE_IN_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": str(empty)},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, str] = json.loads(completed.stdout)
    return result
