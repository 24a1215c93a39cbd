"""The binding check (#19): a clause that puts one table row's value with another row's key
is an entity swap, though every word of it is the source's; a clause naming rows in the
same columns (a comparison, a list) is not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.answer import bindings
from dalin.answer.alignment import units_of
from dalin.answer.checker import MeaningChecker

AGENCIES = (
    "데이터 표준 · 기본 정보\n"
    "항목 | 내용\n"
    "항목: 관련법령 | 내용: 도로교통법\n"
    "항목: 소관기관 | 내용: 행정안전부\n"
    "항목: 제공기관 | 내용: 지방자치단체\n"
    "항목: 갱신주기 | 내용: 연간"
)
CONTACTS = (
    "보도자료 · 표 3\n"
    "부서: 체육정책과 | 직위: 사무관 | 이름: 김민수 | 전화: 044-203-3129\n"
    "부서: 장애인체육과 | 직위: 사무관 | 이름: 박서연 | 전화: 044-203-3185"
)
PARSERS = "소개.pptx · slide 8\n문서 파싱\n\nDOCX: docx-rs\nXLSX: umya-spreadsheet"
CODES = (
    "표준.hwpx · 표\n"
    "항목명: 개발주체유형코드 | 허용 값: 01/02/03 |"
    " 표현형식: 01:민간부문개발 02:공공부문개발 03:민관합동개발"
)
SCORES = (
    "성적.hwpx · ¶1\n"
    "이름: 개똥이 | 국어: 89 | 영어: 65\n"
    "이름: 팔푼이 | 국어: 88 | 영어: 88\n"
    "이름: 칠득이 | 국어: 77 | 영어: 70"
)


def _supported(sentence: str, passage: str) -> tuple[bool, str]:
    support = MeaningChecker().check(sentence, [passage])
    return support.supported, support.reason


def test_a_value_put_with_another_rows_key_is_an_entity_swap() -> None:
    assert _supported("소관기관은 행정안전부이고, 제공기관은 지방자치단체입니다.", AGENCIES) == (
        True,
        "",
    )
    assert _supported("소관기관은 지방자치단체입니다.", AGENCIES) == (False, "entity")
    assert _supported("장애인체육과 담당 사무관은 박서연입니다.", CONTACTS)[0]
    assert _supported("장애인체육과 담당 사무관은 김민수입니다.", CONTACTS) == (False, "entity")


def test_key_value_lines_and_code_lists_bind_their_pairs() -> None:
    assert _supported("DOCX 파싱에는 docx-rs를 씁니다.", PARSERS)[0]
    assert _supported("XLSX 파싱에는 docx-rs를 씁니다.", PARSERS) == (False, "entity")
    assert _supported("개발주체유형코드 02는 공공부문개발입니다.", CODES)[0]
    assert _supported("개발주체유형코드 02는 민간부문개발입니다.", CODES) == (False, "entity")


def test_rows_named_in_the_same_columns_compare_or_list_them() -> None:
    units = units_of([SCORES])
    # both rows by name and score: a comparison, each value with its own row
    assert bindings.swap("국어는 개똥이가 89점으로 팔푼이(88점)보다 1점 높습니다.", units) is None
    assert bindings.swap("개똥이와 칠득이는 같은 반입니다.", units) is None


def test_items_listed_side_by_side_are_not_bound_to_each_other() -> None:
    units = units_of([AGENCIES])
    # "도로교통법과 지방자치단체": two items of a list, neither said of the other
    assert bindings.swap("관련 자료는 도로교통법과 지방자치단체 고시입니다.", units) is None
    assert bindings.swap("관련법령은 지방자치단체 고시입니다.", units) is not None


def test_a_word_is_only_its_whole_written_word_or_with_a_particle() -> None:
    assert bindings._is("국토교통부입니다.", "국토교통부")
    assert bindings._is("docx-rs를", "docx-rs")
    assert not bindings._is("측정값은", "측정")
    assert not bindings._is("2017년", "2017")
    assert not bindings._is("hb-200-cs", "hb-200")


def test_a_sentence_line_a_shared_word_or_a_unit_names_no_cell() -> None:
    lines = "조건 · 거래\n배송비: 5만원 이상이면 무료입니다.\n결제: 월말 마감 후 익월 25일입니다."
    assert bindings.tables(units_of([lines])) == []
    words = bindings._distinctive(bindings.tables(units_of([SCORES]))[0])
    assert "88" not in words  # in two cells of one row: it names no column
    assert "개똥이" in words and "89" in words


NAMES = ("가람", "나래", "다온", "라온", "마루", "바다", "사랑", "아라", "자람", "하늘")
VALUES = ("서울역", "부산항", "대구공항", "광주터미널", "인천공항", "울산항", "수원역", "전주역")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(NAMES), min_size=2, max_size=5, unique=True),
    st.permutations(VALUES),
    st.data(),
)
def test_a_key_with_its_own_value_passes_and_with_another_rows_is_a_swap(
    keys: list[str], values: list[str], data: st.DataObject
) -> None:
    table = "\n".join(f"구분: {k} | 장소: {v}" for k, v in zip(keys, values, strict=False))
    units = units_of([f"안내 · 표\n{table}"])
    i = data.draw(st.integers(0, len(keys) - 1))
    j = data.draw(st.integers(0, len(keys) - 1).filter(lambda n: n != i))
    assert bindings.swap(f"{keys[i]}의 장소는 {values[i]}입니다.", units) is None
    found = bindings.swap(f"{keys[i]}의 장소는 {values[j]}입니다.", units)
    assert found is not None and found.unit.text == f"구분: {keys[i]} | 장소: {values[i]}"


FIELDS = (
    "표준 · 표\n"
    "NO: 1 | 항목명: 승강기설치여부 | 구분 (필수/선택): 필수 | 허용 값: Y/N\n"
    "NO: 2 | 항목명: 관리기관전화번호 | 구분 (필수/선택): 선택 | 허용 값: text"
)


def test_another_of_the_headers_alternatives_contradicts_the_rows_value() -> None:
    assert _supported("승강기설치여부는 필수 항목입니다.", FIELDS) == (True, "")
    assert _supported("승강기설치여부는 선택 항목이라 비워 둬도 됩니다.", FIELDS) == (
        False,
        "contradiction",
    )
    units = units_of([FIELDS])
    assert bindings.alternative("관리기관전화번호는 선택 항목입니다.", units) is None
    # "Y/N" is the cell's own list of values, not one of them
    assert bindings.alternative("승강기설치여부는 필수이고 N으로 적습니다.", units) is None


@settings(max_examples=20, deadline=None)
@given(st.permutations(("유료", "무료", "할인")), st.integers(0, 2))
def test_only_the_rows_own_alternative_passes(options: list[str], pick: int) -> None:
    own = options[pick]
    header = f"요금 ({'/'.join(options)})"
    passage = (
        f"안내 · 표\n시설: 주차장 | {header}: {own}\n시설: 도서관 | {header}: {options[pick - 1]}"
    )
    units = units_of([passage])
    assert bindings.alternative(f"주차장은 {own}입니다.", units) is None
    other = next(o for o in options if o != own)
    found = bindings.alternative(f"주차장은 {other}입니다.", units)
    assert found is not None and "주차장" in found.unit.text


LEAVE = (
    "복무 규정 · 표\n"
    "구분: 결혼 | 대상: 본인 | 일수: 5일\n"
    "구분: 사망 | 대상: 부모 | 일수: 5일\n"
    "구분: 사망 | 대상: 조부모 | 일수: 3일\n"
    "구분: 사망 | 대상: 형제자매 | 일수: 1일"
)


def test_a_value_other_rows_share_is_still_not_the_named_rows() -> None:
    assert _supported("조부모가 돌아가시면 휴가 3일을 받습니다.", LEAVE)[0]
    # "5일" names no row (two hold it), but the 조부모 row holds 3일
    assert _supported("조부모가 돌아가시면 휴가 5일을 받습니다.", LEAVE) == (False, "entity")
    units = units_of([LEAVE])
    # two rows named: a comparison, each with its own value
    assert bindings.swap("조부모는 3일, 형제자매는 1일입니다.", units) is None


def test_numbers_name_no_row_for_a_shared_value() -> None:
    units = units_of([SCORES])
    # "89" is 개똥이's alone, but an average over rows is about none of them
    assert bindings.swap("국어 평균은 (89 + 88) ÷ 2 = 88.5점입니다.", units) is None


def test_tables_are_read_once_per_set_of_passages_and_not_shared_between_sets() -> None:
    first = bindings.find("소관기관은 지방자치단체입니다.", units_of([AGENCIES]))
    again = bindings.find("소관기관은 지방자치단체입니다.", units_of([AGENCIES]))
    assert first is not None and again is not None
    assert (first[0], first[1].detail, first[1].unit.text) == (
        again[0],
        again[1].detail,
        again[1].unit.text,
    )
    assert first[0] == "entity" and "행정안전부" in first[1].unit.text
    # another passage with the same rows in another order is another set of tables
    swapped = AGENCIES.replace("내용: 행정안전부", "내용: X").replace(
        "내용: 지방자치단체", "내용: 행정안전부"
    )
    assert bindings.find("소관기관은 행정안전부입니다.", units_of([swapped])) is not None
    assert bindings.find("소관기관은 행정안전부입니다.", units_of([AGENCIES])) is None
