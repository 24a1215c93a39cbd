"""Grounded answers with a scripted model: gate, reasoning, checks, citations, fallback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from dalin.answer.extractive import extractive_answer
from dalin.answer.generative import (
    fallback_answer,
    generative_answer,
    says_not_found,
    strip_think,
)
from dalin.answer.shown import NOTICES, UNSUPPORTED_MARK
from dalin.llm.base import LLM, Message, ReasoningDelta, TextDelta, Usage
from dalin.testing.fake_llm import ScriptedLLM, says
from dalin.types import Answer, Hit

LEAVE = (
    "제12조(연차휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 15일의 유급휴가를 준다.\n"
    "② 3년 이상 근속한 직원에게는 최초 1년을 초과하는 계속 근로연수 매 2년에 대하여 "
    "1일을 가산한 유급휴가를 준다."
)
USE = (
    "제13조(연차휴가의 사용) ① 직원은 연차휴가를 사용하려면 3일 전까지 부서장에게 "
    "신청하여야 한다.\n"
    "② 사용하지 않은 연차휴가는 다음 해로 이월하지 아니한다."
)
FAMILY = "제14조(경조휴가) ① 본인이 결혼하는 경우 5일의 경조휴가를 준다."


def hit(text: str, label: str, chunk_id: int) -> Hit:
    return Hit(chunk_id, 7, "/d/취업규칙.docx", "취업규칙.docx", f"취업규칙.docx · {label}",
               5.0 - chunk_id, text, 1000 * chunk_id, 1000 * chunk_id + len(text))  # fmt: skip


HITS = [hit(LEAVE, "제12조(연차휴가)", 1), hit(USE, "제13조(연차휴가의 사용)", 2),
        hit(FAMILY, "제14조(경조휴가)", 3)]  # fmt: skip
QUESTION = "연차휴가는 며칠인가요?"
BOTH = "연차휴가와 경조휴가는 며칠인가요?"  # covered by all three passages


def flat_idf(tokens: Sequence[str]) -> Mapping[str, float]:
    return dict.fromkeys(tokens, 1.0)


def ask(llm: ScriptedLLM, question: str = QUESTION, hits: Sequence[Hit] = HITS) -> Answer:
    return generative_answer(question, hits, llm, flat_idf)


def test_scripted_llm_is_an_llm() -> None:
    assert isinstance(ScriptedLLM(), LLM)


def test_supported_answer_is_cited_with_the_matching_paragraph() -> None:
    answer = ask(says("1년간 80% 이상 출근하면 ", "15일의 유급휴가가 주어집니다 [1]."))
    assert answer.method == "generative" and not answer.abstained
    assert answer.text == "1년간 80% 이상 출근하면 15일의 유급휴가가 주어집니다. [1]"
    (citation,) = answer.citations
    assert citation.label == "취업규칙.docx · 제12조(연차휴가) ①"
    assert citation.quote.startswith("① 회사는 1년간") and citation.doc_id == 7
    assert LEAVE[citation.start - 1000 : citation.end - 1000] == citation.quote
    assert answer.grounded_rate == 1.0 and not answer.unsupported and not answer.notice


def test_only_relevant_passages_are_given_to_the_model() -> None:
    def idf(tokens: Sequence[str]) -> Mapping[str, float]:
        return {t: 3.0 if t == "연차" else 1.0 for t in tokens}  # 휴가 is in every rule

    llm = says("연차휴가는 15일입니다 [1].")
    generative_answer(QUESTION, HITS, llm, idf)  # FAMILY covers 1 of 4: below 0.5
    prompt = llm.calls[0][-1].content
    assert "제12조" in prompt and "제13조" in prompt and "제14조(경조휴가)" not in prompt


def test_citations_are_renumbered_in_order_of_appearance() -> None:
    answer = ask(says("결혼하면 5일의 경조휴가를 받습니다 [3]. 연차휴가는 15일입니다 [1]."), BOTH)
    assert answer.text == "결혼하면 5일의 경조휴가를 받습니다. [1] 연차휴가는 15일입니다. [2]"
    first, second = answer.citations
    assert (first.number, first.label) == (1, "취업규칙.docx · 제14조(경조휴가) ①")
    assert (second.number, second.label) == (2, "취업규칙.docx · 제12조(연차휴가) ①")
    assert FAMILY[first.start - 3000 : first.end - 3000] == first.quote


def test_one_source_cited_for_two_paragraphs_gives_two_citations() -> None:
    answer = ask(says("연차휴가는 15일입니다 [1]. 3년 이상 근속하면 2년마다 1일이 가산됩니다 [1]."))
    assert [c.label[-1] for c in answer.citations] == ["①", "②"]
    assert answer.text.endswith("가산됩니다. [2]")


def test_invalid_citations_are_removed_and_reported() -> None:
    answer = ask(says("연차휴가는 15일입니다 [1][7]. 신청은 3일 전까지 합니다 [2, 9]."))
    assert answer.removed_citations == (7, 9)
    assert "[7]" not in answer.text and "9]" not in answer.text
    assert [c.number for c in answer.citations] == [1, 2]


def test_a_sentence_its_source_contradicts_is_replaced_by_the_source_words() -> None:
    answer = ask(says("연차휴가는 15일입니다 [1]. 3년 이상 근속하면 20일이 됩니다 [1]."))
    assert answer.method == "generative"
    second = (
        "② 3년 이상 근속한 직원에게는 최초 1년을 초과하는 계속 근로연수 매 2년에 대하여 "
        "1일을 가산한 유급휴가를 준다."
    )
    assert answer.text == f"연차휴가는 15일입니다. [1] ⚠ 숫자가 근거와 다름: {second} [2]"
    (flag,) = answer.flags
    assert (flag.sentence, flag.reason, flag.action) == (
        "3년 이상 근속하면 20일이 됩니다.",
        "number",
        "replaced",
    )
    assert flag.replacement == second and flag.citation == 2 and flag.detail == "20일"
    first, replaced = answer.citations
    assert first.flag == "" and replaced.flag == "number"
    assert replaced.reason == "⚠ 숫자가 근거와 다름" and replaced.quote == second
    assert LEAVE[replaced.start - 1000 : replaced.end - 1000] == second
    assert answer.unsupported == () and answer.grounded_rate == 0.5
    assert answer.notice == NOTICES["replaced"]["ko"]


def test_a_sentence_no_source_speaks_to_is_marked() -> None:
    answer = ask(says("연차휴가는 15일입니다 [1]. 연차휴가를 쓰려면 사장의 결재가 필요합니다 [1]."))
    assert answer.text == (
        "연차휴가는 15일입니다. [1] 연차휴가를 쓰려면 사장의 결재가 필요합니다. ⚠ (근거 없음)"
    )
    assert answer.unsupported == ("연차휴가를 쓰려면 사장의 결재가 필요합니다.",)
    (flag,) = answer.flags
    assert (flag.reason, flag.action, flag.message) == ("unsupported", "marked", "⚠ 근거 없음")
    assert len(answer.citations) == 1 and answer.notice == NOTICES["partly"]["ko"]


def test_a_replacement_already_shown_is_not_repeated() -> None:
    answer = ask(says("연차휴가는 15일입니다 [1]. 연차휴가는 20일입니다 [1]."))
    assert answer.text == "연차휴가는 15일입니다. [1]"
    (flag,) = answer.flags
    assert (flag.reason, flag.action) == ("number", "removed")


def test_a_wrong_calculation_is_shown_recomputed() -> None:
    answer = ask(says("결혼 휴가 5일 + 연차 15일 = 25일입니다 [1][3]."), BOTH)
    assert answer.text.startswith("⚠ 계산이 맞지 않음: 결혼 휴가 5일 + 연차 15일 = 20")
    (flag,) = answer.flags
    assert (flag.reason, flag.action) == ("arithmetic", "replaced")
    assert {c.flag for c in answer.citations} == {"arithmetic"}


def test_no_sentence_reaches_the_text_unmarked_and_uncited() -> None:
    answer = ask(
        says("연차휴가는 15일입니다.\n연차는 다음 해로 이월할 수 있습니다 [2].\n감사합니다.")
    )
    for line in answer.text.splitlines():
        assert line.endswith(("]", UNSUPPORTED_MARK["ko"])), line
    assert answer.text.splitlines()[0] == "연차휴가는 15일입니다. [1]"  # cited by the check


def test_all_unsupported_falls_back_to_the_extractive_answer() -> None:
    llm = ScriptedLLM(TextDelta("연차휴가는 사장님과 면담한 뒤 입사 첫날부터 쓸 수 있습니다 [1]."),
                      Usage(prompt_tokens=500, completion_tokens=40))  # fmt: skip
    answer = ask(llm)
    extractive = extractive_answer(QUESTION, HITS, flat_idf)
    assert answer.method == "extractive-fallback"
    assert answer.notice == NOTICES["unverified"]["ko"]
    assert answer.text == extractive.text and answer.citations == extractive.citations
    assert "면담" not in answer.text
    assert answer.model == "fake:scripted" and answer.completion_tokens == 40
    assert answer.grounded_rate == 0.0


def test_an_answer_its_sources_contradict_shows_their_words_not_a_fallback() -> None:
    answer = ask(says("연차휴가는 30일입니다 [1]."))
    assert answer.method == "generative" and "30일" not in answer.text
    assert answer.text.startswith("⚠ 숫자가 근거와 다름: ① 회사는 1년간 80퍼센트")
    assert answer.grounded_rate == 0.0 and answer.flags[0].action == "replaced"


def test_an_empty_model_answer_falls_back_too() -> None:
    answer = ask(ScriptedLLM(ReasoningDelta("생각만 하다가 끝났다")))
    assert answer.method == "extractive-fallback" and answer.reasoning == "생각만 하다가 끝났다"


def test_reasoning_stays_out_of_the_text_and_citations() -> None:
    llm = ScriptedLLM(
        ReasoningDelta("자료 [5]를 보면 20일일까? "),
        ReasoningDelta("아니, [1]에 15일이라고 되어 있다."),
        TextDelta("연차휴가는 15일입니다 [1]."),
    )
    answer = ask(llm)
    assert answer.text == "연차휴가는 15일입니다. [1]"
    assert answer.reasoning == "자료 [5]를 보면 20일일까? 아니, [1]에 15일이라고 되어 있다."
    assert answer.removed_citations == () and len(answer.citations) == 1


def test_think_leftovers_are_stripped_into_the_reasoning() -> None:
    answer = ask(says("<thi", "nk>20일인가? [4]</think>\n", "연차휴가는 15일입니다 [1]."))
    assert answer.text == "연차휴가는 15일입니다. [1]"
    assert "think" not in answer.text and answer.reasoning == "20일인가? [4]"
    assert answer.removed_citations == ()


@pytest.mark.parametrize(
    ("raw", "text", "thought"),
    [
        ("<think>a</think>답", "답", "a"),
        ("a</think>답", "답", "a"),  # the template opened the block
        ("답<think>쓰다 만 생각", "답", "쓰다 만 생각"),
        ("<THINK>\nx\n</THINK> 답 <think>y</think>", "답", "x\ny"),
        ("그냥 답", "그냥 답", ""),
    ],
)
def test_strip_think(raw: str, text: str, thought: str) -> None:
    assert strip_think(raw) == (text, thought)


def test_abstains_without_calling_the_model_when_nothing_is_relevant() -> None:
    llm = says("우주선은 내일 발사됩니다 [1].")
    answer = ask(llm, "우주선 발사 일정은?")
    assert llm.calls == []
    assert answer.abstained and answer.text == "문서에서 답을 찾지 못했습니다."
    assert answer.citations == () and answer.model == "fake:scripted"
    assert answer.method == "generative" and answer.notice == ""
    assert ask(says("x"), "When is the rocket launch?").text == "Not found in your documents."


def test_the_model_saying_not_found_is_an_abstention() -> None:
    llm = ScriptedLLM(TextDelta("문서에서 답을 찾지 못했습니다."), Usage(completion_tokens=9))
    answer = ask(llm)
    assert llm.calls and answer.abstained and answer.method == "generative"
    assert answer.text == "문서에서 답을 찾지 못했습니다." and answer.completion_tokens == 9
    assert says_not_found("Sorry — not found in your documents [1]")
    assert not says_not_found("연차휴가는 15일입니다.")


def test_english_question_gets_english_prompt_and_marks() -> None:
    hits = [hit("Annual leave: employees who worked 80% of the year get 15 days of paid leave. "
                "Unused days expire at the end of the year.", "p.3", 1)]  # fmt: skip
    llm = says("You get 15 days of paid leave [1]. Unused days carry over for 2 years [1].")
    answer = generative_answer("How many days of annual leave do I get?", hits, llm, flat_idf)
    assert llm.calls[0][0].content.startswith("You are an assistant")
    assert answer.language == "en"
    assert answer.text == (
        "You get 15 days of paid leave. [1] ⚠ a number differs from its source: "
        "Unused days expire at the end of the year. [2]"
    )
    assert answer.notice == NOTICES["replaced"]["en"]


def test_usage_and_timings_are_recorded() -> None:
    usage = Usage(prompt_tokens=812, completion_tokens=50, cached_prompt_tokens=512,
                  reasoning_tokens=20)  # fmt: skip
    answer = ask(ScriptedLLM(ReasoningDelta("음"), TextDelta("연차휴가는 15일입니다 [1]."), usage))
    assert (answer.prompt_tokens, answer.cached_prompt_tokens) == (812, 512)
    assert (answer.completion_tokens, answer.reasoning_tokens) == (50, 20)
    assert answer.context_tokens > 0 and answer.first_token_seconds is not None
    assert answer.total_seconds >= answer.first_token_seconds


def test_domain_instructions_and_history_reach_the_prompt() -> None:
    llm = says("연차휴가는 15일입니다 [1].")
    history = [Message("user", "안녕하세요"), Message("assistant", "무엇을 도와드릴까요? [3]")]
    generative_answer(QUESTION, HITS, llm, flat_idf, domain_instructions="존댓말로 답하세요.",
                      history=history)  # fmt: skip
    system, *past, _ = llm.calls[0]
    assert system.content.endswith("존댓말로 답하세요.")
    assert [m.content for m in past] == ["안녕하세요", "무엇을 도와드릴까요?"]


def test_a_window_too_small_for_any_source_falls_back_without_calling() -> None:
    llm = ScriptedLLM(TextDelta("연차휴가는 15일입니다 [1]."), context_window=1100)
    answer = generative_answer(QUESTION, HITS, llm, flat_idf, max_tokens=1024)
    assert llm.calls == [] and answer.method == "extractive-fallback"
    assert answer.notice == NOTICES["no_room"]["ko"]


def test_fallback_after_a_model_failure_says_so() -> None:
    answer = fallback_answer(QUESTION, HITS, flat_idf, reason="model_failed", model="x:y")
    assert answer.notice == NOTICES["model_failed"]["ko"] and answer.model == "x:y"
    nothing = fallback_answer("우주선 발사 일정은?", HITS, flat_idf, reason="model_failed")
    assert nothing.abstained and nothing.notice == ""
