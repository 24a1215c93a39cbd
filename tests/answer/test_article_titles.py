"""What an article is about, read from its heading (issue 13)."""

from __future__ import annotations

from test_reader import flat_idf, hit

from dalin.answer.extractive import extractive_answer

#: the 울산 남구 ordinance's notice (ADV_hwpxlib_20240626_no_manifest.hwpx), abridged
ORDINANCE = (
    "울산광역시 남구 구세 조례 일부개정조례안 입법예고\n"
    "제8조 중 “재산분”을 “사업소분”으로 한다.\n"
    "제9조 중 “재산분”을 “사업소분”으로 한다.\n"
    "신ㆍ구조문대비표\n"
    "현 행: 제8조(세율) 법 제81조제2항에 따른 재산분의 세율은 같은 조 제1항의 표준세율을 적용한다."
    " | 개 정 안: 제8조(세율) ---- 사업소분 ----\n"
    "현 행: 제9조(신고의무) 재산분의 납세의무자는 구청장에게 신고하여야 한다."
)
#: the minutes mention another law's 제8조
MINUTES = "최저임금법 제8조 제1항 등 위헌확인 헌법소원심판결정 통지가 있어 송부됨"
#: the KBO rules write headings without parentheses
KBO = "제21조 주·야간경기 및 경기개시 시간\n① 경기개시 시간은 다음과 같다.\n제22조 경기시간 제한\n"


def test_the_heading_in_a_comparison_table_names_the_article() -> None:
    hits = [hit(MINUTES, "회의록.pdf", 2), hit(ORDINANCE, "울산남구_구세조례.hwpx", 1)]
    answer = extractive_answer(
        "울산 남구 구세 조례 제8조는 무엇을 정한 조항인가요?", hits, flat_idf
    )
    assert answer.text.splitlines()[0] == "제8조(세율) [1]", answer.text
    answer = extractive_answer(
        "울산 남구 구세 조례 제9조는 무슨 의무를 정한 조항인가요?", hits, flat_idf
    )
    assert answer.text.splitlines()[0] == "제9조(신고의무) [1]", answer.text


def test_a_bare_heading_line_names_the_article_but_an_amendment_does_not() -> None:
    answer = extractive_answer(
        "KBO 규정 제22조는 무엇에 관한 조항인가요?", [hit(KBO, "KBO규정.pdf")], flat_idf
    )
    assert answer.text.splitlines()[0] == "제22조(경기시간 제한) [1]", answer.text
    amended = "구세 조례 개정안\n제8조 중 “재산분”을 “사업소분”으로 한다."
    answer = extractive_answer(
        "구세 조례 제8조는 무엇을 정한 조항인가요?", [hit(amended)], flat_idf
    )
    assert not answer.text.startswith("제8조(중"), answer.text


def test_a_question_on_what_an_article_says_is_not_asked_its_title() -> None:
    question = "KBO 규정 제22조에 따르면 경기는 몇 시간을 넘길 수 없나요?"
    answer = extractive_answer(question, [hit(KBO, "KBO규정.pdf")], flat_idf)
    assert not answer.text.startswith("제22조(경기시간 제한)"), answer.text


#: a footnote quoting an article: its heading on one line, its rule on the next
FOOTNOTE = (
    "1) 「상생협력 기본규정」 제7조(상생협의회의 설치)\n"
    "① 노사 간 협의를 위하여 대표이사 소속으로 상생협의회를 둔다.\n"
    "② 협의회는 위원 10명 이내로 구성한다.\n"
)


def test_a_heading_alone_does_not_answer_what_its_article_rules() -> None:
    answer = extractive_answer(
        "상생협력 기본규정 제7조에 따르면 상생협의회는 어디 소속으로 설치하나요?",
        [hit(FOOTNOTE, "규정.pdf", 1)],
        flat_idf,
    )
    assert "대표이사 소속" in answer.text.splitlines()[0], answer.text
