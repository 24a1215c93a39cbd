"""Structural lines of Korean regulations: headings are recognised, citations are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.ingest.structure import match_marker


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("제12조(연차휴가) ① 1년간 80퍼센트 이상", "제12조(연차휴가)"),
        ("제4조 (위탁업무 기간) 이 계약서에 의한 개인정보 처리업무의 기간", "제4조(위탁업무 기간)"),
        ("제10조(연차휴가) <개정 2020. 1. 1.>", "제10조(연차휴가)"),
        ("제12조의2(특례) 내용", "제12조의2(특례)"),
        ("제3조", "제3조"),
        ("제3조 ① 직원은 성실히 근무한다.", "제3조"),
        # bare headings, as the KBO rules write them
        ("제21조 주·야간경기 및 경기개시 시간", "제21조 주·야간경기 및 경기개시 시간"),
        ("제22조 경기시간 제한", "제22조 경기시간 제한"),
        (
            "제23조 심판위원, 기록위원의 사고발생으로 인한 임시조치",
            "제23조 심판위원, 기록위원의 사고발생으로 인한 임시조치",
        ),
        ("제2조 정의", "제2조 정의"),
        ("제3조 정의 ① 이 법에서 사용하는 용어의 뜻은 다음과 같다.", "제3조 정의"),
    ],
)
def test_article_headings_are_recognised(line: str, label: str) -> None:
    marker = match_marker(line)
    assert marker is not None and marker.kind == "article" and marker.label == label


@pytest.mark.parametrize(
    "line",
    [
        # a citation whose title the writer quoted (온나라 제안요청서, p.18)
        "제76조(부정당업자의 입찰참가자격 제한)에 해당되지 않은 업체",
        "제3조(의료기관)에 따른 의료기관",
        "제3조(의료기관)의 규정에도 불구하고",
        "제3조(의료기관) 및 제4조(의료인)에 따라",
        "제5조에 따라 신청한다",
        "제12조의 규정에 불구하고",
        "제12조는 대규모유통업자가 납품업자에게 직원",
        "제5조 제3항 등 위헌확인",
        "제3조 내지 제5조",
        "제12조 이 규정에 의한 휴가는",
        "제8조 위원회는 다음 각 호의 사항을 심의한다.",
    ],
)
def test_citations_never_open_an_article(line: str) -> None:
    assert match_marker(line) is None


def test_an_article_cited_after_a_law_name_on_the_line_before_opens_nothing() -> None:
    # a PDF wrapped "「의료법」 제3조(의료기관) …" after the law's name
    assert match_marker("제3조(의료기관) ① 의료기관은", previous="설치된 「의료법」") is None
    assert match_marker("제3조(의료기관) ① 의료기관은", previous="이 법은 …을 정한다.") is not None


@given(
    st.integers(1, 999),
    st.text(alphabet="가나다라마바사 ", min_size=1, max_size=20).filter(str.strip),
    st.sampled_from(["에", "의", "에 따른", "을", "를", "에서", "과", "와", "으로"]),
)
def test_a_particle_glued_to_the_title_is_always_a_citation(
    number: int, title: str, particle: str
) -> None:
    assert match_marker(f"제{number}조({title.strip()}){particle} 관한 사항") is None
