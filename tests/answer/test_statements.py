"""A passage cut into the statements it makes, each with its exact place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dalin.answer.statements import statements

MANUAL = (
    "제품설명서_HB-200.pdf · p.6\n"
    "보증 기간은 구입일로부터 1년입니다. "
    "보증 기간 안에 정상적으로 사용하다가 고장 난 경우에는 무상으로 수리해\n"
    "드립니다. 다음의 경우에는 보증 기간 안이라도 유상으로\n"
    "수리합니다.\n"
    "• 떨어뜨림, 과부하, 침수 등 사용자의 잘못으로 고장 난 경우\n"
    "• 임의로 분해하거나 개조한 경우\n"
    "고객센터: 1588-0000 (평일 09:00~18:00)\n"
    "계약 종료 후에도 개인정보를 제3자에게 제공 또는 누설하여\n"
    "서는 안 된다."
)


def test_broken_lines_are_joined_and_lists_read_with_their_opener() -> None:
    texts = [s.text for s in statements(MANUAL)]
    assert texts == [
        "보증 기간은 구입일로부터 1년입니다.",
        "보증 기간 안에 정상적으로 사용하다가 고장 난 경우에는 무상으로 수리해 드립니다.",
        "다음의 경우에는 보증 기간 안이라도 유상으로 수리합니다. • 떨어뜨림, 과부하, 침수 등 "
        "사용자의 잘못으로 고장 난 경우 • 임의로 분해하거나 개조한 경우",
        "고객센터: 1588-0000 (평일 09:00~18:00)",
        "계약 종료 후에도 개인정보를 제3자에게 제공 또는 누설하여서는 안 된다.",  # one word
    ]


def test_each_statement_spans_its_own_words_in_the_passage() -> None:
    for s in statements(MANUAL):
        raw = "".join(MANUAL[s.start : s.end].split())
        assert raw == "".join(s.text.split())


def test_table_rows_and_paragraph_marks_stand_alone() -> None:
    passage = (
        "출장비_규정.html · 제7조\n① 일비와 숙박비는 다음 표에 따른다\n"
        "직급: 임원 | 일비(1일): 40,000원\n직급: 부장 | 일비(1일): 30,000원\n② 시내출장의 일비는"
        " 2분의 1로 한다."
    )
    assert [s.text for s in statements(passage)] == [
        "① 일비와 숙박비는 다음 표에 따른다",
        "직급: 임원 | 일비(1일): 40,000원",
        "직급: 부장 | 일비(1일): 30,000원",
        "② 시내출장의 일비는 2분의 1로 한다.",
    ]


@given(st.lists(st.sampled_from(["연차는 15일이다.", "병가는 무급이다", "가. 항목", "\n", "• 점"])))
def test_spans_are_inside_the_passage_and_in_order(parts: list[str]) -> None:
    passage = "라벨 · 위치\n" + "\n".join(parts)
    found = statements(passage)
    assert all(0 <= s.start < s.end <= len(passage) for s in found)
    assert [s.start for s in found] == sorted(s.start for s in found)
