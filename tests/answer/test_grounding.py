"""Checks after generation: citation markers, sentence support, the checked answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.answer.grounding import (
    INFERRED_MIN_SCORE,
    OverlapChecker,
    check_answer,
    citation_numbers,
    split_cited,
    strip_citations,
)

LEAVE = (
    "취업규칙.docx · 제12조(연차휴가)\n"
    "제12조(연차휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 15일의 유급휴가를 준다.\n"
    "② 3년 이상 근속한 직원에게는 최초 1년을 초과하는 계속 근로연수 매 2년에 대하여 "
    "1일을 가산한 유급휴가를 준다."
)
HOURS = (
    "취업규칙.docx · 제20조(근무시간)\n"
    "제20조(근무시간) ① 근무시간은 오전 9시부터 오후 6시까지로 하며, "
    "휴게시간은 낮 12시부터 1시간으로 한다."
)
SCALE = (
    "manual.pdf · p.7\n"
    "To zero the scale, press and hold the TARE key for 3 seconds until the display shows 0.00."
)


# --- markers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "numbers"),
    [
        ("1", [1]),
        ("1, 3", [1, 3]),
        ("2-4", [2, 3, 4]),
        ("2–3", [2, 3]),
        ("１２", [12]),
        ("1-2024", [1, 2024]),  # not two thousand citations
        ("3-1", [3, 1]),
    ],
)
def test_citation_numbers(body: str, numbers: list[int]) -> None:
    assert citation_numbers(body) == numbers


def test_every_marker_form_is_read() -> None:
    text = "가 [1]. 나 [2, 3]. 다 [1][2]. 라 [1-3]. 마 ［2］. 바 【3】. 사 [자료 1]. 아 [Source 2]."
    sentences, removed = split_cited(text, {1, 2, 3})
    assert [s.cited for s in sentences] == [
        (1,), (2, 3), (1, 2), (1, 2, 3), (2,), (3,), (1,), (2,)
    ]  # fmt: skip
    assert [s.text for s in sentences] == ["가.", "나.", "다.", "라.", "마.", "바.", "사.", "아."]
    assert removed == []


def test_numbers_naming_no_source_are_removed_and_reported() -> None:
    sentences, removed = split_cited("연차는 15일입니다 [1, 7]. 병가는 30일입니다 [9].", {1, 2})
    assert removed == [7, 9]
    assert [(s.text, s.cited) for s in sentences] == [
        ("연차는 15일입니다.", (1,)),
        ("병가는 30일입니다.", ()),
    ]


def test_markers_after_the_full_stop_belong_to_the_sentence_before() -> None:
    text = "연차는 15일입니다.[1] 근무는 9시부터입니다. [2][3]\n[1]\n[2] 휴게는 1시간입니다."
    sentences, _ = split_cited(text, {1, 2, 3})
    assert [(s.text, s.cited, s.separator) for s in sentences] == [
        ("연차는 15일입니다.", (1,), ""),
        ("근무는 9시부터입니다.", (2, 3, 1), " "),  # the lone "[1]" line joins the one above
        ("휴게는 1시간입니다.", (2,), "\n"),  # a marker opening a line belongs to that line
    ]


def test_strip_citations_tidies_the_space_left_behind() -> None:
    assert (
        strip_citations("연차는 15일입니다 [1] . 그리고 [2], 끝") == "연차는 15일입니다. 그리고, 끝"
    )


_WORDS = st.lists(st.sampled_from(["연차", "휴가", "15일", "직원", "출근", "유급"]), min_size=1)
#: how a model may write the markers of a sentence, and the numbers that names
_FORMATS: list[tuple[str, Callable[[int, int], list[int]]]] = [
    ("{s} [{a}].", lambda a, b: [a]),
    ("{s}.[{a}]", lambda a, b: [a]),
    ("{s}. [{a}]", lambda a, b: [a]),
    ("{s} [{a}, {b}].", lambda a, b: [a, b]),
    ("{s} [{a}][{b}].", lambda a, b: [a, b]),
    ("{s} ［{a}］.", lambda a, b: [a]),
    ("{s} [{a}-{c}].", lambda a, b: [a, a + 1]),
]


@given(
    st.lists(
        st.tuples(_WORDS, st.sampled_from(_FORMATS), st.integers(1, 9), st.integers(1, 9)),
        min_size=1,
        max_size=6,
    ),
    st.sets(st.integers(1, 9)),
)
def test_each_sentence_keeps_exactly_its_own_valid_markers(
    spec: list[tuple[list[str], tuple[str, Callable[[int, int], list[int]]], int, int]],
    valid: set[int],
) -> None:
    lines: list[str] = []
    wanted: list[tuple[int, ...]] = []
    invalid: list[int] = []
    for words, (form, named), a, b in spec:
        lines.append(form.format(s=" ".join(words) + "다", a=a, b=b, c=a + 1))
        numbers = named(a, b)
        wanted.append(tuple(dict.fromkeys(n for n in numbers if n in valid)))
        invalid.extend(n for n in numbers if n not in valid and n not in invalid)
    sentences, removed = split_cited(" ".join(lines), valid)
    assert [s.cited for s in sentences] == wanted
    assert all("[" not in s.text and "［" not in s.text for s in sentences)
    assert removed == invalid


# --- the overlap checker ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "1년간 80% 이상 출근하면 15일의 유급휴가가 주어집니다.",
        "연차휴가는 1년 동안 80% 이상 출근한 근로자에게 15일이 부여됩니다.",  # 근로자 for 직원
        "3년 이상 근속하면 2년마다 1일이 가산됩니다.",
        "제12조에 따라 직원은 연차휴가로 15일을 받습니다.",
    ],
)
def test_paraphrase_of_the_passage_is_supported(sentence: str) -> None:
    assert OverlapChecker().check(sentence, [LEAVE]).supported


@pytest.mark.parametrize(
    "sentence",
    [
        "연차휴가는 20일입니다.",  # invented number
        "1년간 80% 이상 출근한 직원에게 15개월의 유급휴가를 준다.",  # unit swapped
        "1년간 90% 이상 출근한 직원에게 15일의 유급휴가를 준다.",  # one number swapped
        "3년 근무하면 연차는 16일입니다.",  # a sum the passage does not state
        "연차휴가는 입사 첫날부터 사용할 수 있습니다.",  # a claim the passage does not make
        "연차휴가를 쓰려면 사장의 승인이 필요합니다.",
        "요약하면 다음과 같습니다.",  # no claim the passage could confirm
    ],
)
def test_claims_the_passage_does_not_make_are_unsupported(sentence: str) -> None:
    assert not OverlapChecker().check(sentence, [LEAVE]).supported


def test_a_number_swap_fails_even_when_every_word_matches() -> None:
    support = OverlapChecker().check(
        "Press and hold TARE for 5 seconds to zero the scale.", [SCALE]
    )
    assert support.score >= 0.75 and not support.supported
    assert OverlapChecker().check("Hold TARE for 3 seconds to zero the scale.", [SCALE]).supported


@pytest.mark.parametrize(
    ("sentence", "passage"),
    [
        ("근무시간은 09:00부터 18:00까지입니다.", HOURS),  # 오전 9시, 오후 6시
        ("Office hours are 09:00 to 18:00.", "Office hours: 9 a.m. - 6 pm, Monday to Friday."),
        ("국내 출장 일비는 2만 원입니다.", "일비: 국내 출장 20,000원"),
        ("숙박비는 1만 5천 원까지입니다.", "숙박비 상한 15,000원"),
        ("신청은 3일 전까지 합니다.", "출장은 3 일 전까지 신청한다."),  # a spaced unit
        ("제12조 제2항에 따라 1일이 가산됩니다.", LEAVE),  # ② is 제2항
        ("Unused leave expires after 30 days.", "Unused leave expires 30 calendar days later."),
    ],
)
def test_one_value_written_two_ways_is_supported(sentence: str, passage: str) -> None:
    assert OverlapChecker().check(sentence, [passage]).supported


@pytest.mark.parametrize(
    ("sentence", "passage"),
    [
        ("근무는 오후 5시까지입니다.", HOURS),
        ("근무시간은 9:30부터입니다.", HOURS),  # 9 and 30 are both in it, 9:30 is not
        ("휴게시간은 12시부터 2시간입니다.", HOURS),
        ("국내 출장 일비는 3만 원입니다.", "일비: 국내 출장 20,000원"),
        # the 3 of a heading is not the 3 of a claimed "3초"
        ("영점 버튼을 3초간 누르세요.", "3. 사용 방법\n영점: [ZERO] 버튼을 2초간 누르십시오."),
    ],
)
def test_another_value_is_unsupported(sentence: str, passage: str) -> None:
    assert not OverlapChecker().check(sentence, [passage]).supported


def test_the_threshold_is_configurable() -> None:
    sentence = "연차휴가는 입사 첫날부터 사용할 수 있습니다."  # 2 of 5 claim terms in the passage
    assert OverlapChecker(threshold=0.3).check(sentence, [LEAVE]).supported
    assert not OverlapChecker(threshold=0.6).check(sentence, [LEAVE]).supported
    assert OverlapChecker().check(sentence, [LEAVE]).score == pytest.approx(0.4)


def test_support_may_come_from_several_cited_passages() -> None:
    sentence = "연차휴가는 15일이고 근무시간은 오전 9시부터입니다."
    assert not OverlapChecker().check(sentence, [LEAVE]).supported
    assert OverlapChecker().check(sentence, [LEAVE, HOURS]).supported


# --- the checked answer ----------------------------------------------------------------------


def test_check_answer_marks_each_sentence() -> None:
    checked = check_answer(
        "연차휴가는 15일입니다 [1]. 3년 이상이면 20일입니다 [1]. 근무는 오전 9시부터입니다 [7].",
        {1: LEAVE, 2: HOURS},
    )
    assert [(s.supported, s.citations, s.inferred) for s in checked.sentences] == [
        (True, (1,), False),
        (False, (1,), False),
        (True, (2,), True),  # its only citation named no source; source 2 supports it
    ]
    assert checked.removed_citations == (7,)
    assert checked.grounded_rate == pytest.approx(2 / 3)


def test_a_miscited_sentence_is_not_reattributed() -> None:
    # Source 2 says it, but the model cited 1: a wrong citation is not silently repaired,
    # because a wrong claim can match some other passage just as well.
    checked = check_answer("휴게시간은 낮 12시부터 1시간입니다 [1].", {1: LEAVE, 2: HOURS})
    only = checked.sentences[0]
    assert not only.supported and only.citations == (1,) and not only.inferred


def test_an_uncited_sentence_is_cited_only_on_clear_support() -> None:
    # 7 of its 10 content words and numbers (0.7) pass the checker, but too weakly to guess
    # a citation from.
    sentence = "연차휴가는 1년 동안 80% 이상 출근한 근로자에게 15일이 부여됩니다."
    assert OverlapChecker().check(sentence, [LEAVE]).supported
    weak = check_answer(sentence, {1: LEAVE}).sentences[0]
    assert not weak.supported and weak.citations == () and weak.score == 0.7
    assert weak.reason == "unsupported" and INFERRED_MIN_SCORE > 0.7
    clear = check_answer("1년간 80% 이상 출근하면 15일의 유급휴가가 주어집니다.", {1: LEAVE})
    assert clear.sentences[0].supported and clear.sentences[0].citations == (1,)


def test_an_uncited_unsupported_sentence_stays_unsupported() -> None:
    checked = check_answer("경조휴가는 5일입니다.", {1: LEAVE, 2: HOURS})
    assert not checked.any_supported and checked.sentences[0].citations == ()
    assert checked.grounded_rate == 0.0


def test_list_markers_are_not_claimed_numbers() -> None:
    checked = check_answer(
        "- 1년간 80% 이상 출근하면 15일 [1]\n2. 3년 이상 근속하면 매 2년에 1일 가산 [1]",
        {1: LEAVE},
    )
    assert all(s.supported for s in checked.sentences)
    assert [s.text for s in checked.sentences] == [
        "- 1년간 80% 이상 출근하면 15일",
        "2. 3년 이상 근속하면 매 2년에 1일 가산",
    ]


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.sampled_from(["일", "원", "개월", "명"]))
def test_a_claimed_number_is_supported_exactly_when_the_passage_states_it(
    claimed: int, stated: int, unit: str
) -> None:
    passage = f"취업규칙 · 제9조\n회사는 직원에게 {stated:,}{unit}의 휴가비를 준다."
    support = OverlapChecker().check(f"직원은 {claimed}{unit}의 휴가비를 받습니다.", [passage])
    assert support.supported == (claimed == stated)
