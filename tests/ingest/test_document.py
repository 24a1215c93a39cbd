"""DocumentBuilder helpers: cell cleaning must match the full clean_text pass."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dalin.ingest.document import _cell, clean_text, header_of


@given(st.text())
def test_the_clean_cell_fast_path_changes_nothing(text: str) -> None:
    assert _cell(text) == clean_text(text).replace("\n", " ")


def test_cells_are_tidied() -> None:
    assert _cell(" 볼트\tM8 \n 120원 ") == "볼트 M8 120원"
    assert _cell("e\u0301") == "é"  # decomposed input is NFC-normalised


def test_a_first_row_holding_a_contact_is_a_row_not_the_header() -> None:
    person = ["담당 부서", "체육국", "과장", "정태경", "(044-203-3111)"]
    other = ["(진천선수촌)", "체육정책과", "사무관", "최준규", "(044-203-3129)"]
    assert header_of(person, [other]) == ((), [person, other])
    mail = ["문의", "홍길동", "gildong@example.kr"]
    assert header_of(mail, [other]) == ((), [mail, other])
    # column names, years, dates and amounts stay the header; so does a table of one row
    for header in (
        ["구분", "전화번호", "이메일"],
        ["항목", "2024년", "2025. 1. 2."],
        ["계", "1,250,000원"],
    ):
        assert header_of(header, [other]) == (header, [other])
    assert header_of(person, []) == (person, [])


def test_a_row_naming_the_columns_a_merged_header_groups_joins_the_header() -> None:
    header = ["포맷", "서식 범주", "서식 범주", "서식 범주", "상태"]
    named = ["포맷", "텍스트 · 서식", "표 · 그리드", "그래픽", "상태"]
    body = [["PPTX", "텍스트 상자", "테마 기반 표 스타일", "도형", "Supported"]]
    assert header_of(header, [named, *body]) == (
        ["포맷", "서식 범주 텍스트 · 서식", "서식 범주 표 · 그리드", "서식 범주 그래픽", "상태"],
        body,
    )
    # a year over its halves; an empty cell under a column merged down
    assert header_of(["구분", "2023", "2023"], [["", "상반기", "하반기"], ["매출", "1", "2"]]) == (
        ["구분", "2023 상반기", "2023 하반기"],
        [["매출", "1", "2"]],
    )
    # numbers under the merged name are values; a header with no name spread stays as is
    for first in (["PPTX", "1", "2", "3", "Supported"], ["포맷", "표", "표", "그래픽", "상태"]):
        assert header_of(header, [first]) == (header, [first])
    plain = ["이름", "국어", "영어"]
    assert header_of(plain, [["이름", "듣기", "읽기"]]) == (plain, [["이름", "듣기", "읽기"]])


def test_a_contact_table_of_a_real_press_release_names_no_column_after_a_person() -> None:
    from dalin.ingest.parsers import parse_bytes
    from shared_samples import shared_path

    path = shared_path("samples", "hwpxlib_20241104_mot_보도자료.hwpx")
    document = parse_bytes(path.read_bytes(), name=path.name)
    contacts = next(b for b in document.blocks if b.table and "최준규" in b.text)
    assert contacts.table is not None and contacts.table.header == ()
    assert "(진천선수촌) | 체육정책과 | 담당자 | 사무관 | 최준규 | (044-203-3129)" in contacts.text
    assert "정태경:" not in contacts.text
