"""Scoring of one answer: normalisation, text matches, retrieval ranks and every verdict."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dalin.errors import LLMRateLimited
from dalin.eval.judge import Judge
from dalin.eval.schema import QuestionItem
from dalin.eval.scoring import (
    char_f1,
    contains_all,
    error_result,
    exact_match,
    fact_in,
    normalize,
    retrieval_scores,
    score_answer,
    source_key,
)
from dalin.testing.fake_llm import says
from dalin.types import Answer, Citation, Hit

# --- normalisation and text matches -------------------------------------------------------


def test_normalize_follows_korquad_and_keeps_decimal_points() -> None:
    # quotes and brackets become spaces, other punctuation goes, case folds, spaces collapse
    assert normalize("  《HB-200》의 가격은 385,000원(부가세 포함)입니다. ") == (
        "hb200 의 가격은 385000원 부가세 포함 입니다"
    )
    assert normalize("3.5%") == "3.5"  # a decimal point between digits is part of the number
    assert normalize("1,234.5") == "1234.5"  # a thousands comma is not
    assert normalize("20~200N·m, 09:00") == "20 200nm 09 00"  # ranges and times stay apart
    assert normalize("끝.5") == "끝5"  # ... but not a full stop before a digit
    assert normalize("ＡＢＣ　１２３") == "abc 123"  # NFKC: full-width letters, digits, space
    assert normalize("‘연차’ “휴가”") == "연차 휴가"


def test_exact_match_ignores_punctuation_and_case_but_not_spacing() -> None:
    assert exact_match("1989년 2월 15일.", "1989년 2월 15일")
    assert exact_match("Overload", "overload!")
    # KorQuAD's EM keeps whitespace: "15 일" is not "15일" (containment covers spacing)
    assert not exact_match("15 일", "15일")


def test_char_f1_hand_computed() -> None:
    # "15일" vs "15일간": prediction {1,5,일}, reference {1,5,일,간}; same = 3
    # P = 3/3, R = 3/4, F1 = 2·1·0.75 / 1.75 = 6/7
    assert char_f1("15일", "15일간") == pytest.approx(6 / 7)
    # "1989년" vs "1989년 2월 15일" (spaces removed: 10 chars 1,9,8,9,년,2,월,1,5,일)
    # same = 1,9,8,9,년 = 5; P = 5/5, R = 5/10, F1 = 2·0.5 / 1.5 = 2/3
    assert char_f1("1989년", "1989년 2월 15일") == pytest.approx(2 / 3)
    # repeated characters count once per occurrence: "aab" vs "ab": same = 2, P = 2/3, R = 1
    assert char_f1("aab", "ab") == pytest.approx(2 * (2 / 3) / (2 / 3 + 1))
    # whitespace and punctuation do not count: "3,000 원" and "3000원" are identical
    assert char_f1("3,000 원", "3000원") == 1.0
    assert char_f1("가나", "다라") == 0.0
    assert char_f1("", "15일") == 0.0


@pytest.mark.parametrize(
    ("answer", "fact", "found"),
    [
        ("연차휴가는 15일입니다 [1].", "15일", True),  # a particle after the fact is fine
        ("연차휴가는 115일입니다", "15일", False),  # not inside a longer number
        ("개당 1,350원", "135", False),  # commas go first, then the number must end
        ("개당 135원", "135", True),
        ("HB-200은 385000원", "385,000", True),  # "3,000" == "3000"
        ("HB-200은 385,000원", "385000", True),
        ("5만 원 이상 무료", "5만원", True),  # Korean spacing varies both ways
        ("5만원 이상 무료", "5만 원", True),
        ("측정 범위 20~200N·m", "200 N·m", True),
        ("The warranty is 11 years", "1 year", False),
        ("The warranty is 1-year", "1 year", True),
        ("금리 3.15%", "15%", False),  # not the tail of a decimal
        ("금리 3.5%", "35%", False),  # not the digits of a decimal
        ("금리 35%", "3.5%", False),
        ("Press and hold ZERO", "zero", True),
        ("오전 9시 출근", "09:00", False),
        ("09:00까지 출근", "09:00", True),
        ("0900까지 출근", "09:00", False),
        ("범위는 20-200", "20200", False),
        ("아니요 — 교섭단체에 속하지 아니하는 의원", "아니오", True),  # either spelling of "no"
        ("아니오. 해당 없음", "아니요", True),
        ("예 — 속하지 아니하는 의원", "아니오", False),  # 아니하는 is no verdict
    ],
)
def test_fact_in(answer: str, fact: str, found: bool) -> None:
    assert fact_in(answer, fact) is found


def test_contains_all_needs_every_fact() -> None:
    answer = "ZERO 버튼을 2초간 누르세요. Hold ZERO for 2 seconds."
    assert contains_all(answer, ["ZERO", "2 seconds"])
    assert not contains_all(answer, ["ZERO", "3 seconds"])
    assert contains_all(answer, [])


@given(st.text(max_size=60))
@example("0:\x1b0")  # found by hypothesis: stripping ":" left a control between digits
@example("1.\x1b5")
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


@given(st.text(max_size=40), st.text(max_size=40))
def test_char_f1_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert char_f1(a, b) == pytest.approx(char_f1(b, a))
    assert 0.0 <= char_f1(a, b) <= 1.0 + 1e-9


@given(st.text(min_size=1, max_size=40))
def test_an_answer_contains_itself(text: str) -> None:
    assert fact_in(text, text)
    if normalize(text).replace(" ", ""):
        assert char_f1(text, text) == pytest.approx(1.0)


# --- retrieval ------------------------------------------------------------------------------


def hit(name: str, page: int | None = None, chunk_id: int = 0) -> Hit:
    return Hit(chunk_id, 1, f"/docs/{name}", name, f"{name} · x", 1.0, "text", 0, 4, page)


def test_source_key_names_the_page_when_there_is_one() -> None:
    assert source_key(hit("취업규칙.docx")) == "취업규칙.docx"
    assert source_key(hit("manual.pdf", page=5)) == "manual.pdf#p.5"


def item(**fields: object) -> QuestionItem:
    return QuestionItem.from_json({"id": "q1", "question": "연차휴가는 며칠인가요?", **fields})


def test_retrieval_scores_count_ranks_over_distinct_sources() -> None:
    hits = [hit("a.md"), hit("a.md"), hit("b.md"), hit("c.md")]
    # a.md's two passages count as one source, so c.md is at source rank 3: RR = 1/3
    assert retrieval_scores(item(expected_sources=["c.md"]), hits, 8) == (1.0, pytest.approx(1 / 3))
    assert retrieval_scores(item(expected_sources=["b.md"]), hits, 8) == (1.0, 0.5)
    assert retrieval_scores(item(expected_sources=["a.md", "b.md"]), hits, 8) == (1.0, 1.0)
    # only the first k passages count: with k = 2 only a.md was retrieved
    assert retrieval_scores(item(expected_sources=["c.md"]), hits, 2) == (0.0, 0.0)
    assert retrieval_scores(item(expected_sources=["z.md"]), hits, 8) == (0.0, 0.0)


def test_retrieval_scores_are_none_without_expected_sources() -> None:
    assert retrieval_scores(item(), [hit("a.md")], 8) == (None, None)


def test_expected_sources_may_be_globs() -> None:
    hits = [hit("2023 Q2 AAPL.pdf", 3), hit("2023 Q3 AAPL.pdf", 7)]
    assert retrieval_scores(item(expected_sources=["*2023 Q3 AAPL*"]), hits, 8) == (1.0, 0.5)
    assert retrieval_scores(item(expected_sources=["*AAPL*"]), hits, 8) == (1.0, 1.0)
    assert retrieval_scores(item(expected_sources=["*MSFT*"]), hits, 8) == (0.0, 0.0)
    # case matters in file names, as on the systems the documents come from
    assert retrieval_scores(item(expected_sources=["*aapl*"]), hits, 8) == (0.0, 0.0)


def test_expected_pages_must_match_too() -> None:
    hits = [hit("manual.pdf", 4), hit("faq.txt"), hit("manual.pdf", 5)]
    wanted = item(expected_sources=["manual.pdf"], expected_pages=[5, 6])
    # manual.pdf#p.4 is the wrong page; manual.pdf#p.5 is the third distinct source
    assert retrieval_scores(wanted, hits, 8) == (1.0, pytest.approx(1 / 3))
    assert retrieval_scores(item(expected_sources=["manual.pdf"]), hits, 8) == (1.0, 1.0)


def test_names_match_across_unicode_normal_forms() -> None:
    # question sets are typed in NFC; a macOS disk hands back NFD (decomposed jamo)
    decomposed = unicodedata.normalize("NFD", "취업규칙.docx")
    assert decomposed != "취업규칙.docx"
    wanted = item(expected_sources=["취업규칙.docx"])
    assert retrieval_scores(wanted, [hit(decomposed)], 8) == (1.0, 1.0)


# --- score_answer: every verdict --------------------------------------------------------------


def citation(number: int, document: str, label: str) -> Citation:
    return Citation(number, 1, document, label, "quote", 0, 5)


def answer(text: str, *, abstained: bool = False, citations: tuple[Citation, ...] = ()) -> Answer:
    return Answer("연차휴가는 며칠인가요?", text, citations, abstained, "ko")


def test_score_answer_fills_every_field_from_the_answer() -> None:
    full = Answer(
        question="연차휴가는 며칠인가요?",
        text="연차휴가는 15일입니다 [1].",
        citations=(citation(1, "/docs/취업규칙.docx", "취업규칙.docx · 제12조(연차휴가) ①"),),
        abstained=False,
        language="ko",
        method="generative",
        hits=(hit("가격표.md"), hit("취업규칙.docx"), hit("manual.pdf", 3)),
        model="openai:deepseek-chat",
        prompt_tokens=812,
        cached_prompt_tokens=768,
        completion_tokens=19,
        reasoning_tokens=4,
        first_token_seconds=0.42,
        total_seconds=1.5,
        removed_citations=(7, 9),
        grounded_rate=0.5,
        cost_usd=0.0003,
    )
    wanted = item(
        expected_sources=["취업규칙.docx"],
        answer_contains=["15일"],
        reference_answer="15일",
        tags=["hr", "easy"],
    )
    result = score_answer(wanted, full, config="deepseek", k=8)
    assert result.question_id == "q1" and result.config == "deepseek"
    assert result.question == wanted.question and result.answer == full.text
    assert result.method == "generative" and not result.abstained
    assert result.retrieved == ("가격표.md", "취업규칙.docx", "manual.pdf#p.3")
    assert result.citations == ("[1] 취업규칙.docx · 제12조(연차휴가) ①",)
    assert result.removed_citations == 2
    assert result.grounded_rate == 0.5
    assert (result.hit_at_k, result.reciprocal_rank) == (1.0, 0.5)
    assert result.exact_match == 0.0  # a sentence is not the bare "15일"
    assert result.contains == 1.0
    # without the "[1]" marker: 연차휴가는15일입니다 = 11 chars, 3 shared; P = 3/11, R = 1
    assert result.char_f1 == pytest.approx(2 * (3 / 11) / (3 / 11 + 1))
    assert result.verdict == "correct" and result.judge == {}
    assert (result.prompt_tokens, result.cached_prompt_tokens) == (812, 768)
    assert (result.completion_tokens, result.reasoning_tokens) == (19, 4)
    assert result.cost_usd == 0.0003
    assert (result.first_token_seconds, result.total_seconds) == (0.42, 1.5)
    assert result.tags == ("hr", "easy") and result.answerable and result.error == ""


@pytest.mark.parametrize(("abstained", "verdict"), [(True, "correct"), (False, "incorrect")])
def test_unanswerable_is_correct_only_when_the_answer_abstains(
    abstained: bool, verdict: str
) -> None:
    wanted = item(answerable=False)
    result = score_answer(
        wanted, answer("문서에서 찾지 못했습니다.", abstained=abstained), config="c", k=8
    )
    assert result.verdict == verdict and not result.answerable
    assert result.hit_at_k is None and result.contains is None and result.exact_match is None


def test_answerable_but_abstained_is_abstained() -> None:
    wanted = item(answer_contains=["15일"])
    # the abstention happens to contain the fact; it is still not an answer
    result = score_answer(
        wanted, answer("15일 관련 내용을 찾지 못했습니다.", abstained=True), config="c", k=8
    )
    assert result.verdict == "abstained"


@pytest.mark.parametrize(
    ("facts", "text", "verdict", "share"),
    [
        (["ZERO", "2 seconds"], "Hold ZERO for 2 seconds.", "correct", 1.0),
        (["ZERO", "2 seconds"], "Hold ZERO for 3 seconds.", "incorrect", 0.5),
        (["25,000원"], "대리는 일비 25000원입니다.", "correct", 1.0),
    ],
)
def test_answer_contains_decides(facts: list[str], text: str, verdict: str, share: float) -> None:
    result = score_answer(item(answer_contains=facts), answer(text), config="c", k=8)
    assert (result.verdict, result.contains) == (verdict, share)


@pytest.mark.parametrize(
    ("text", "f1", "verdict"),
    [
        ("1989년 2월 15일", 1.0, "correct"),  # exact match
        # 11 chars, 10 shared: P = 10/11, R = 1, F1 = 20/21 ≥ 0.8, and 1989, 2, 15 all appear
        ("1989년 2월 15일께", 20 / 21, "correct"),
        # 16 chars, 10 shared: P = 10/16, R = 1, F1 = 20/26 = 0.77 < 0.8; but the whole
        # reference is in it (a sentence around the span)
        ("그 날은 1989년 2월 15일입니다 [1].", 20 / 26, "correct"),
        ("1989년", 2 / 3, "incorrect"),  # 5 of 10 shared: P = 1, R = 1/2, F1 = 2/3 < 0.8
        # one wrong digit: 9 of 10 shared, F1 = 0.9 ≥ 0.8, but the reference's 15 is missing
        ("1989년 2월 16일", 0.9, "incorrect"),
    ],
)
def test_short_reference_em_f1_numbers_or_containment(text: str, f1: float, verdict: str) -> None:
    wanted = item(reference_answer="1989년 2월 15일")
    result = score_answer(wanted, answer(text), config="c", k=8)
    assert result.char_f1 == pytest.approx(f1)
    assert result.verdict == verdict
    assert result.exact_match == float(text == "1989년 2월 15일")


@pytest.mark.parametrize(
    ("text", "reference", "f1", "verdict"),
    [
        # 4 of 6 chars, none extra: P = 1, R = 4/6, F1 = (4/3) / (5/3) = 0.8: at the threshold
        ("연차휴가", "연차유급휴가", 0.8, "correct"),
        # 6 of 10 chars (서울검찰공안 of 서울지방검찰청공안부): F1 = 1.2 / 1.6 = 0.75 < 0.8
        ("서울 검찰 공안", "서울지방검찰청 공안부", 0.75, "incorrect"),
    ],
)
def test_short_reference_f1_threshold(text: str, reference: str, f1: float, verdict: str) -> None:
    result = score_answer(item(reference_answer=reference), answer(text), config="c", k=8)
    assert result.char_f1 == pytest.approx(f1)
    assert result.verdict == verdict


LONG_REFERENCE = (
    "Apple's total net sales were $82,959 million in Q3 2022, $117,154 million in Q1 2023, "
    "$94,836 million in Q2 2023 and $81,797 million in Q3 2023."
)


def test_long_reference_without_a_judge_uses_char_f1() -> None:
    wanted = item(reference_answer=LONG_REFERENCE, language="en")
    close = "Net sales: $82,959M (Q3 2022), $117,154M (Q1 2023), $94,836M, $81,797M (Q3 2023)."
    assert score_answer(wanted, answer(close), config="c", k=8).verdict == "correct"
    assert score_answer(wanted, answer("Revenue went up."), config="c", k=8).verdict == "incorrect"
    assert score_answer(wanted, answer(close), config="c", k=8).judge == {}


@pytest.mark.parametrize(
    ("text", "f1", "verdict"),
    [
        # a 60-char reference; 20 of its chars and nothing else: P = 1, R = 1/3, F1 = 0.5
        ("abcdefghij" * 2, 0.5, "correct"),
        # 19 of its chars: R = 19/60, F1 = (38/60) / (79/60) = 38/79 = 0.481 < 0.5
        ("abcdefghij" + "abcdefghi", 38 / 79, "incorrect"),
    ],
)
def test_long_reference_f1_threshold(text: str, f1: float, verdict: str) -> None:
    wanted = item(reference_answer="abcdefghij" * 6, language="en")
    result = score_answer(wanted, answer(text), config="c", k=8)
    assert result.char_f1 == pytest.approx(f1)
    assert result.verdict == verdict


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [("VERDICT: CORRECT\nSame figures.", "correct"), ("VERDICT: INCORRECT\nWrong.", "incorrect")],
)
def test_long_reference_with_a_judge_takes_its_verdict(reply: str, verdict: str) -> None:
    wanted = item(reference_answer=LONG_REFERENCE, language="en")
    judge = Judge(says(reply))
    # the answer text would pass char F1 (it is the reference); the judge still decides
    result = score_answer(wanted, answer(LONG_REFERENCE), config="c", k=8, judge=judge)
    assert result.verdict == verdict
    assert result.judge["model"] == "fake:scripted"
    assert result.judge["reply"] == reply
    assert LONG_REFERENCE in result.judge["prompt"]
    assert result.judge["reason"] == reply.split("\n")[1]


def test_the_judge_is_not_asked_about_abstentions_or_short_references() -> None:
    judge = Judge(says("VERDICT: INCORRECT\nno"))
    long_item = item(reference_answer=LONG_REFERENCE)
    short_item = item(reference_answer="15일")
    score_answer(long_item, answer("없음", abstained=True), config="c", k=8, judge=judge)
    score_answer(short_item, answer("15일"), config="c", k=8, judge=judge)
    assert judge.llm.calls == []  # type: ignore[attr-defined]


def test_judge_errors_propagate() -> None:
    class Failing:
        name = "fake:failing"
        context_window = 8192

        def stream(self, *args: object, **kwargs: object) -> object:
            raise LLMRateLimited("still 429 after 3 retries")

        def count_tokens(self, text: str) -> int:
            return 0

    wanted = item(reference_answer=LONG_REFERENCE)
    with pytest.raises(LLMRateLimited):
        score_answer(wanted, answer("x"), config="c", k=8, judge=Judge(Failing()))  # type: ignore[arg-type]


def test_without_reference_or_facts_a_citation_of_an_expected_source_decides() -> None:
    wanted = item(expected_sources=["*취업규칙*"])
    right = answer("15일입니다 [1].", citations=(citation(1, "/w/취업규칙.docx", "제12조"),))
    wrong = answer("15일입니다 [1].", citations=(citation(1, "/w/가격표.md", "표 1"),))
    assert score_answer(wanted, right, config="c", k=8).verdict == "correct"
    assert score_answer(wanted, wrong, config="c", k=8).verdict == "incorrect"
    # nothing at all to check against: an answer (not an abstention) counts
    assert score_answer(item(), answer("15일입니다."), config="c", k=8).verdict == "correct"


def test_error_result_records_code_and_detail() -> None:
    wanted = item(tags=["hr"], answerable=False)
    result = error_result(wanted, "deepseek", LLMRateLimited("still 429 after 3 retries"))
    assert result.verdict == "error"
    assert result.error == "llm_rate_limited: still 429 after 3 retries"
    assert (result.question_id, result.config, result.tags) == ("q1", "deepseek", ("hr",))
    assert not result.answerable and result.answer == ""
    other = error_result(wanted, "local", ValueError("bad"), total_seconds=2.0)
    assert other.error == "ValueError: bad" and other.total_seconds == 2.0
