"""The meaning checks: polarity, scope, entities, conditions, numbers and arithmetic.

Passages are real ones from examples/documents (as dalin cites them: a label line, then the
text); the property tests build sentences from templates and require the verdict to follow
the polarity or the arithmetic, whatever the words.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from checker_support import verdict
from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.answer.checker import MeaningChecker
from dalin.answer.support import CheckContext, ComputedValue

FAQ_RETURNS = (
    "고객센터_FAQ.txt · ¶1\n"
    "Q3. 반품이나 교환은 언제까지 가능한가요?\n"
    "A. 제품을 받으신 날부터 7일 이내에 고객센터로 신청하시면 반품이나 교환이 가능합니다. "
    "단순 변심은 포장을 뜯지 않은 제품에 한하며 왕복 배송비는 고객님이 부담하십니다. "
    "도면에 따라 주문 제작한 가공품은 반품되지 않습니다."
)
FAQ_WARRANTY = (
    "고객센터_FAQ.txt · ¶8\n"
    "Q8. 배송비는 얼마인가요?\n"
    "A. 1회 주문 금액(부가세 별도)이 5만원 이상이면 무료이고, 5만원 미만이면 4,000원입니다. "
    "제주 및 도서 산간 지역은 추가 운임이 붙습니다.\n\n"
    "Q9. HB-200 보증 기간은 얼마나 되나요?\n"
    "A. 구입일로부터 1년입니다. 보증 기간 안에 정상적으로 사용하다 고장 난 경우 무상으로 "
    "수리해 드립니다. 다만 떨어뜨리거나 과부하로 생긴 고장, 임의 분해, 건전지 같은 소모품은 "
    "보증 대상이 아닙니다."
)
TRAVEL = (
    "출장비_규정.html · 제7조(일비 및 숙박비)\n"
    "제7조(일비 및 숙박비)\n\n"
    "① 일비와 숙박비는 다음 표의 직급별 기준에 따라 지급한다.\n\n"
    "직급 | 일비(1일) | 숙박비(1박 상한)\n"
    "직급: 임원 | 일비(1일): 40,000원 | 숙박비(1박 상한): 150,000원\n"
    "직급: 부장·차장 | 일비(1일): 30,000원 | 숙박비(1박 상한): 100,000원\n\n"
    "③ 숙박비는 상한액의 범위에서 실비로 지급한다. 다만, 서울특별시와 광역시에서 숙박하는 "
    "경우에는 상한액에 20퍼센트를 더한 금액까지 지급한다."
)
APPROVAL = (
    "출장비_규정.html · 제4조(출장 신청 및 승인)\n"
    "① 출장을 가려는 직원은 출발 1일 전까지 출장신청서를 전자결재로 올려 부서장의 승인을 "
    "받아야 한다.\n\n"
    "② 2박 이상의 출장은 대표이사의 승인을 받아야 한다."
)
HOLIDAYS = (
    "취업규칙.docx · 제10조(휴일)\n"
    "제10조(휴일) ① 회사의 휴일은 다음 각 호와 같으며, 모두 유급으로 한다.\n\n"
    "1. 주휴일: 매주 일요일\n\n2. 근로자의 날: 5월 1일\n\n② 토요일은 무급휴무일로 한다."
)
ERRORS = (
    "제품설명서_HB-200.pdf · p.5\n"
    "코드 | 내용 | 조치 방법\n"
    "코드: E01 | 내용: 배터리 부족 | 조치 방법: 건전지 2개를 모두 새 AAA 알칼리 건전지로 "
    "교체하십시오.\n"
    "코드: E02 | 내용: 과부하 (220 N·m 초과, 측정범위의 110%) | 조치 방법: 즉시 힘을 빼십시오."
)


@pytest.mark.parametrize(
    ("sentence", "passage", "question"),
    [
        (
            "제품을 받은 날로부터 일주일 안에 신청하면 반품이나 교환을 할 수 있습니다.",
            FAQ_RETURNS,
            "",
        ),
        ("주문 제작한 가공품은 반품이 안 됩니다.", FAQ_RETURNS, ""),
        ("떨어뜨려서 생긴 고장은 보증 대상이 아닙니다.", FAQ_WARRANTY, ""),
        ("주문 금액이 5만원 이상이면 배송비가 무료입니다.", FAQ_WARRANTY, ""),
        ("무료입니다.", FAQ_WARRANTY, "5만원 이상 주문하면 배송비는?"),  # the question has it
        ("임원의 일비는 하루 40,000원, 숙박비 상한은 1박에 150,000원입니다.", TRAVEL, ""),
        ("부장과 차장의 일비는 하루 3만 원입니다.", TRAVEL, ""),
        ("서울에서 숙박하면 상한액에 20퍼센트를 더한 금액까지 받을 수 있습니다.", TRAVEL, ""),
        ("2박 이상 출장은 대표이사 승인이 필요합니다.", APPROVAL, ""),
        ("토요일은 무급휴무일입니다.", HOLIDAYS, ""),
        ("5월 1일 근로자의 날도 유급휴일입니다.", HOLIDAYS, ""),
        ("E02는 과부하 오류로, 220 N·m를 넘었다는 뜻입니다.", ERRORS, ""),
    ],
)
def test_faithful_paraphrases_are_supported(sentence: str, passage: str, question: str) -> None:
    assert verdict(sentence, passage, question) == (True, "")


@pytest.mark.parametrize(
    ("sentence", "passage", "reason"),
    [
        ("주문 제작한 가공품도 7일 이내라면 반품할 수 있습니다.", FAQ_RETURNS, "contradiction"),
        (
            "떨어뜨려서 생긴 고장도 보증 기간 안이면 무상으로 수리됩니다.",
            FAQ_WARRANTY,
            "contradiction",
        ),
        ("토요일은 유급휴일입니다.", HOLIDAYS, "contradiction"),
        ("근로자의 날은 무급휴일입니다.", HOLIDAYS, "contradiction"),
        ("주문 금액과 관계없이 배송비는 항상 무료입니다.", FAQ_WARRANTY, "scope"),
        ("모든 출장은 대표이사의 승인을 받아야 합니다.", APPROVAL, "scope"),
        ("임원의 일비는 하루 30,000원입니다.", TRAVEL, "entity"),
        ("2박 이상의 출장은 부서장의 승인을 받아야 합니다.", APPROVAL, "entity"),
        ("E02는 배터리가 부족하다는 뜻입니다.", ERRORS, "entity"),
        ("배송비는 무료입니다.", FAQ_WARRANTY, "condition"),
        ("숙박비는 상한액에 20퍼센트를 더한 금액까지 지급합니다.", TRAVEL, "condition"),
        ("제품을 받은 날부터 30일 이내에 신청하면 반품이 가능합니다.", FAQ_RETURNS, "number"),
        ("반품하려면 구매 영수증 원본을 매장에 직접 가져와야 합니다.", FAQ_RETURNS, "unsupported"),
    ],
)
def test_unfaithful_sentences_are_flagged_with_their_reason(
    sentence: str, passage: str, reason: str
) -> None:
    assert verdict(sentence, passage, "배송비는 얼마인가요?") == (False, reason)


def test_a_flag_carries_the_statement_that_says_otherwise_and_its_span() -> None:
    support = MeaningChecker().check(
        "주문 제작한 가공품도 7일 이내라면 반품할 수 있습니다.", [FAQ_RETURNS]
    )
    start, end = support.span
    assert FAQ_RETURNS[start:end] == support.evidence
    assert support.evidence == "도면에 따라 주문 제작한 가공품은 반품되지 않습니다."


# --- polarity, as a property --------------------------------------------------------------

#: (noun, verb stem written with 하다) pairs a rule may allow or forbid
ACTIONS = [
    ("가공품", "반품"),
    ("공구", "반출"),
    ("휴가", "이월"),
    ("자료", "복사"),
    ("차량", "이용"),
]
ALLOWED = ["{v}할 수 있다.", "{v}한다.", "{v}하여도 된다."]
FORBIDDEN = ["{v}할 수 없다.", "{v}하지 않는다.", "{v}하지 못한다.", "{v}하여서는 아니 된다."]
SAYS_ALLOWED = ["{v}할 수 있습니다.", "{v}해도 됩니다.", "{v}하실 수 있습니다."]
SAYS_FORBIDDEN = [
    "{v}할 수 없습니다.",
    "{v}하지 않습니다.",
    "{v}하면 안 됩니다.",
    "{v}되지 않습니다.",
]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(ACTIONS),
    st.booleans(),
    st.booleans(),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_the_check_follows_polarity(
    action: tuple[str, str], rule_allows: bool, says_allowed: bool, rule_form: int, said_form: int
) -> None:
    noun, verb = action
    rules = ALLOWED if rule_allows else FORBIDDEN
    says = SAYS_ALLOWED if says_allowed else SAYS_FORBIDDEN
    passage = f"규정.docx · 제3조\n회사의 {noun}은 {rules[rule_form % len(rules)].format(v=verb)}"
    sentence = f"회사의 {noun}은 {says[said_form % len(says)].format(v=verb)}"
    supported, reason = verdict(sentence, passage)
    if rule_allows == says_allowed:
        assert supported, (sentence, passage, reason)
    else:
        assert (supported, reason) == (False, "contradiction"), (sentence, passage)


# --- numbers and arithmetic -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "passage"),
    [
        (
            "출근 시각은 오전 9시, 퇴근 시각은 오후 6시입니다.",
            "규칙 · 제8조\n시업시각은 09:00, 종업시각은 18:00로 한다.",
        ),
        ("반품은 일주일 안에 신청하세요.", "FAQ · Q3\n반품은 7일 이내에 신청하십시오."),
        ("교정 비용은 한 대당 55,000원입니다.", "FAQ · Q4\n교정 비용은 1대당 55,000원이다."),
        (
            "시내출장 일비는 원래 일비의 절반입니다.",
            "규정 · 제7조\n시내출장의 일비는 일비의 2분의 1로 한다.",
        ),
        ("전체 길이는 48.5 cm입니다.", "설명서 · p.3\n항목: 전체 길이 | 사양: 485 mm"),
        (
            "심사는 2024년 8월 13일 오후 2시에 열립니다.",
            "공문 · ¶1\n심사일정 : 2024. 8. 13.(화) 14:00 예정",
        ),
        (
            "The warranty lasts one year from purchase.",
            "Guide · 8\nThe warranty is 1 year from purchase.",
        ),
    ],
)
def test_one_value_written_two_ways_is_one_value(sentence: str, passage: str) -> None:
    assert verdict(sentence, passage) == (True, "")


def test_correct_arithmetic_with_operands_in_the_passage_is_supported() -> None:
    question = "임원이 2박 3일 출장을 가면 일비와 숙박비는 모두 얼마인가요?"
    sentence = "40,000원 × 3일 + 150,000원 × 2박 = 420,000원입니다."
    assert verdict(sentence, TRAVEL, question) == (True, "")
    spelled = "일비 40,000원 × 3일 + 숙박비 150,000원 × 2박 = 420,000원입니다."
    assert verdict(spelled, TRAVEL, question) == (True, "")


def test_wrong_arithmetic_is_flagged_with_the_recomputed_value() -> None:
    support = MeaningChecker().check(
        "30,000원 × 3 + 100,000원 × 2 = 310,000원입니다.",
        [TRAVEL],
        CheckContext(question="부장이 2박 3일 출장을 가면?"),
    )
    assert (support.supported, support.reason) == (False, "arithmetic")
    assert support.detail.endswith("= 290,000")


def test_an_operand_no_passage_gives_is_a_number_flag() -> None:
    sentence = "50,000원 × 3일 + 150,000원 × 2박 = 450,000원입니다."
    assert verdict(sentence, TRAVEL, "임원이 2박 3일 출장을 가면?") == (False, "number")


@pytest.mark.parametrize(
    ("sentence", "supported"),
    [
        ("숙박비 상한은 100,000원씩 3박이라 모두 300,000원입니다.", True),
        ("서울에서 숙박하면 150,000원에 20퍼센트를 더해 180,000원까지 받을 수 있습니다.", True),
        ("숙박비 상한은 100,000원씩 3박이라 모두 350,000원입니다.", False),
    ],
)
def test_a_result_written_in_words_is_recomputed(sentence: str, supported: bool) -> None:
    assert verdict(sentence, TRAVEL, "부장이 3박 4일 출장을 가면 숙박비는?")[0] is supported


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 500).map(lambda n: n * 1000),
    st.integers(1, 9),
    st.integers(1, 500).map(lambda n: n * 1000),
    st.integers(1, 9),
    st.sampled_from([0, 0, 1000, -1000, 10_000, 1]),
)
def test_arithmetic_is_verified_both_ways(
    daily: int, days: int, nightly: int, nights: int, error: int
) -> None:
    passage = f"규정 · 제7조\n직급: 임원 | 일비(1일): {daily:,}원 | 숙박비(1박 상한): {nightly:,}원"
    total = daily * days + nightly * nights + error
    sentence = f"{daily:,}원 × {days}일 + {nightly:,}원 × {nights}박 = {total:,}원입니다."
    supported, reason = verdict(sentence, passage, f"임원이 {nights}박 {days}일 출장을 가면?")
    if error == 0:
        assert supported, (sentence, reason)
    else:
        assert (supported, reason) == (False, "arithmetic"), sentence


def test_a_total_computed_from_the_passage_numbers_is_supported() -> None:
    sentence = "HB-200 3대와 케이스 3개를 합하면 1,251,000원입니다."
    passage = (
        "가격표 · 표 1\n품목: HB-200 | 단가(원): 385,000\n"
        "품목: HB-200 전용 케이스 | 단가(원): 32,000"
    )
    question = "HB-200 3대와 전용 케이스 3개는 모두 얼마인가요?"
    assert verdict(sentence, passage, question) == (True, "")  # (385,000 + 32,000) × 3
    assert verdict(sentence.replace("1,251,000", "1,261,000"), passage, question)[1] == "arithmetic"


def test_a_value_a_tool_computed_counts_as_support() -> None:
    sentence = "재고는 모두 12,345개입니다."
    passage = "재고.xlsx · 재고!A1:C2\n품목: 볼트 M8 | 재고: 3,000"
    assert verdict(sentence, passage) == (False, "arithmetic")  # "모두": a total, not shown
    tool = ComputedValue(Decimal(12_345), "개", "sum(C2:C40)", operands=(Decimal(3_000),))
    computed = CheckContext(computed=(tool,))
    assert MeaningChecker().check(sentence, [passage], computed).supported
