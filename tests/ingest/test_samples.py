"""The parsers on the real files in ../shared/samples (see its MANIFEST.tsv).

Ordinary samples must parse and contain phrases read from the files by a person; the
adversarial (ADV_) ones must fail the declared way, each in a subprocess with a deadline
so a hang cannot hang the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_delimited import CSV_ADVERSARIAL, CSV_PHRASES, CSV_TABLE_CELLS
from test_hwp import HWP_ADVERSARIAL, HWP_PHRASES, HWP_TABLE_CELLS
from test_hwpx import HWPX_ADVERSARIAL, HWPX_PHRASES, HWPX_TABLE_CELLS
from test_pptx import PPTX_ADVERSARIAL, PPTX_PHRASES, PPTX_TABLE_CELLS
from test_xlsx import XLSX_ADVERSARIAL, XLSX_PHRASES, XLSX_TABLE_CELLS

from dalin.ingest.ocr import tesseract_missing
from dalin.ingest.parsers import SUPPORTED_SUFFIXES, parse_bytes
from dalin.testing.parser_contract import assert_well_formed
from dalin.types import Document

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
#: scans are read when Tesseract is installed (test_ocr.py tests both cases)
OCR = not tesseract_missing()
ADV_DEADLINE_SECONDS = 20

# file -> phrases from its text; one is a table cell wherever the file has tables.
# Each newer format's test module owns its samples' phrases; all are checked here alike.
PHRASES: dict[str, tuple[str, ...]] = {
    **HWP_PHRASES,
    **HWPX_PHRASES,
    **PPTX_PHRASES,
    **XLSX_PHRASES,
    **CSV_PHRASES,
    # the samples' own index is a real tab-separated file
    "MANIFEST.tsv": ("file: hwplib_표.hwp | format: HWP", "license: Apache-2.0"),
    "autorag_kbo_only_table.pdf": ("2024년 KBO 리그 규정 변경 요약사항", "KBO 피치클락 규정"),
    "autorag_kbo_table_text.pdf": ("제21조 주·야간경기 및 경기개시 시간", "일요일/공휴일", "18:30"),
    "haystack_sample_pdf_3.pdf": ("two multicolumn headers", "This is a subheader", "Val 3"),
    "korquad_KorQuAD_2.0_paper.pdf": (
        "KorQuAD 2.0: 웹문서 기계독해를 위한 한국어 질의응답",
        # the ruled table of data sizes, now a table block: "문서 38,496 4,736 4,725 47,957"
        "문서 | 학습: 38,496 | 검증: 4,736 | 평가: 4,725 | 합계: 47,957",
    ),
    "markitdown_REPAIR-2022-INV-001_multipage.pdf": (
        "Preliminary Estimate (ID: EST-1008)",
        "Batmobile",
        # a table laid out with whitespace alone, now a table block
        "Body Labor | Hours: 2 | Rate: 150 | Cost: 300",
        "GRAND TOTAL | Cost: 5,738",
    ),
    "odl_2125318_환경노동위원회_검토보고서.pdf": (
        "탄소중립녹색성장위원회 위원 후보 추천 단체 명시",
        "평균연령 : 53세",
    ),
    "odl_PDFUA-Ref-2-02_Invoice.pdf": (
        "Terms of payment: 30 days net",
        "ITEM DESCRIPTION: 2 Turbo Flyer | QUANTITY: 5 | PRICE (€): 40.00 | AMOUNT (€): 200.00",
    ),
    "odl_국회회의록_21대_414회_환경노동위원회.pdf": (
        "환경노동위원회회의록",
        "가축분뇨의 관리 및 이용에 관한 법률 일부개정법률안",
    ),
    "odl_제안요청서_온나라웹기안기_230524.pdf": (
        "데이터친화적 문서작성 기반의 온나라 웹기안기 도입",
        "사업금액 : 1,062,888천원",
        "17,737,227건",
    ),
    "korquad_1.0_KOR.html": (
        "KorQuAD 1.0은 한국어 Machine Reading Comprehension을 위해 만든 데이터셋입니다",
        "Model: EXAONE-LM-v1.0 (single model) LG AI Research",
    ),
    "haystack_sample_docx.docx": ('The US has "passed the peak"', "Is: Random", "Page 3 was empty"),
    "markitdown_test.docx": (
        "AutoGen: Enabling Next-Gen LLM Applications via Multi-Agent Conversation",
        "49e168b7-d2ae-407f-a055-2167576f39a1",
    ),
    "office2pdf_korean_alignment_autospace.docx": (
        "왼쪽 2026년 8월 150인 제3자 배정",
        "지연손해금 12인분을 부담한다",
    ),
}
# phrases that must sit inside a table block (formats whose parser finds tables)
TABLE_CELLS: dict[str, str] = {
    **HWP_TABLE_CELLS,
    **HWPX_TABLE_CELLS,
    **PPTX_TABLE_CELLS,
    **XLSX_TABLE_CELLS,
    **CSV_TABLE_CELLS,
    "MANIFEST.tsv": "file: ADV_odl_empty.pdf | format: PDF (malformed) | size_bytes: 0",
    "autorag_kbo_only_table.pdf": "구분: KBO 피치클락 규정 | 변경 전: - | 변경 후: 경기장 내",
    # 17:00 is one cell across 토요일 and 일요일/공휴일, and 18:30 one cell down all months
    "autorag_kbo_table_text.pdf": "구분: 6월 | 토요일: 17:00 | 일요일/공휴일: 17:00 | 평일: 18:30",
    "haystack_sample_pdf_3.pdf": "Value 1 | Value 2 | Val 3",
    "korquad_KorQuAD_2.0_paper.pdf": "문서 | 학습: 38,496 | 검증: 4,736",
    "odl_2125318_환경노동위원회_검토보고서.pdf": (
        "여성 | 제1기 2050 탄소중립‧녹색성장위원회: 28명 | 제2기 2050 탄소중립‧녹색성장위원회: 7명"
    ),
    "odl_국회회의록_21대_414회_환경노동위원회.pdf": (
        "사임위원: 김형동 | 보임위원: 조수진 | 교섭단체: 국민의힘 | 연월일: 2024. 4. 30."
    ),
    "odl_제안요청서_온나라웹기안기_230524.pdf": (
        "사용기관 수 (사용자 수): 69개 기관 (약 19만명 공무원) | "
        "웹기안기 사용건수(2022년 기준) 합계: 17,737,227건"
    ),
    "korquad_1.0_KOR.html": "EM: 89.71",
    "haystack_sample_docx.docx": "Just a: Table",
    "markitdown_test.docx": "3: 49e168b7-d2ae-407f-a055-2167576f39a1",
}


def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples not available at {SAMPLES.resolve()}")
    return SAMPLES


def supported(prefix_adv: bool) -> list[str]:
    return sorted(
        p.name
        for p in samples().iterdir()
        if p.suffix.lower() in SUPPORTED_SUFFIXES and p.name.startswith("ADV_") == prefix_adv
    )


def flat(doc: Document) -> str:
    """The text on one line: PDF line breaks fall inside phrases."""
    return " ".join(doc.text.split())


def test_every_supported_sample_has_phrases() -> None:
    assert supported(prefix_adv=False) == sorted([*PHRASES, *EDGE_CASES])


@pytest.mark.parametrize("name", sorted(PHRASES))
def test_sample_parses_and_holds_its_phrases(name: str) -> None:
    path = samples() / name
    doc = parse_bytes(path.read_bytes(), name=name)
    assert_well_formed(doc)
    assert doc.text.strip()
    text = flat(doc)
    for phrase in PHRASES[name]:
        assert phrase in text, f"{phrase!r} not found in {name}"
    if name in TABLE_CELLS:
        tables = " ".join(" ".join(b.text.split()) for b in doc.tables)
        assert TABLE_CELLS[name] in tables
    if path.suffix == ".pdf":
        assert doc.pages and all(b.page and 1 <= b.page <= doc.pages for b in doc.blocks)


# --- adversarial samples, each parsed in a subprocess with a deadline -------------------

_CHILD = """
import json, socket, sys
from pathlib import Path

attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args)[:200])
    raise OSError("network access is disabled in this test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from dalin.errors import ParseError
from dalin.ingest.parsers import parse_bytes

path = Path(sys.argv[1])
try:
    doc = parse_bytes(path.read_bytes(), name=path.name)
    result = {"error": None, "detail": "", "text": doc.text}
except ParseError as error:
    result = {"error": type(error).__name__, "detail": error.detail, "text": ""}
result["network"] = attempts
print(json.dumps(result))
"""


def parse_in_child(path: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=ADV_DEADLINE_SECONDS,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    assert result["network"] == [], "the parser tried to reach the network"
    return result


# file -> (error class name, or None for a successful parse; text expected in detail or text)
ADVERSARIAL: dict[str, tuple[str | None, str]] = {
    **HWP_ADVERSARIAL,
    **HWPX_ADVERSARIAL,
    **PPTX_ADVERSARIAL,
    **XLSX_ADVERSARIAL,
    **CSV_ADVERSARIAL,
    # fonts without a Unicode map: read by OCR, or refused saying how to get it
    "ADV_odl_cid-font-no-tounicode.pdf": (
        (None, "The quick brown fox jumps over the lazy dog")
        if OCR
        else ("NoTextLayer", "no Unicode map")
    ),
    "ADV_odl_empty.pdf": ("EmptyDocument", "0 bytes"),
    "ADV_odl_fake-jpg.pdf": ("CorruptDocument", "starts with a JPEG signature"),
    "ADV_poi_ExternalEntityInText.docx": ("CorruptDocument", "XML entity declarations"),
    "ADV_poi_clusterfuzz-XWPF-6733884933668864.docx": ("CorruptDocument", "Bad CRC-32"),
    "ADV_pypdf_encrypted-file.pdf": ("EncryptedDocument", "password"),
    "ADV_pypdf_issue-297_broken_xref.pdf": (None, "test example"),
    "ADV_pypdf_libreoffice-writer-password.pdf": ("EncryptedDocument", "password"),
}


# ordinary samples that cannot yield text, as MANIFEST.tsv says ("EDGE")
EDGE_CASES: dict[str, tuple[str | None, str]] = {
    "haystack_non_text_searchable.pdf": (
        (None, "This is an example of a non-text-searchable PDF")
        if OCR
        else ("NoTextLayer", "image-only PDF with no text layer")
    ),
}


def test_every_supported_adversarial_sample_has_an_expectation() -> None:
    assert supported(prefix_adv=True) == sorted(ADVERSARIAL)


@pytest.mark.parametrize("name", sorted([*ADVERSARIAL, *EDGE_CASES]))
def test_adversarial_sample_is_handled(name: str) -> None:
    error, needle = {**ADVERSARIAL, **EDGE_CASES}[name]
    result = parse_in_child(samples() / name)
    assert result["error"] == error, result
    assert needle in (result["detail"] if error else result["text"])
