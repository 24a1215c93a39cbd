"""The grounded-answer prompt: its instructions, numbered sources, and the context budget."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dalin.answer.prompt import MESSAGE_OVERHEAD_TOKENS, build_prompt, system_prompt
from dalin.llm.base import LLM, Event, Message
from dalin.types import Hit

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


def hit(text: str, label: str, chunk_id: int, section: str = "") -> Hit:
    start = 100 * chunk_id
    return Hit(chunk_id, 1, "/d/취업규칙.docx", "취업규칙.docx", f"취업규칙.docx · {label}",
               5.0 - chunk_id, text, start, start + len(text), None, section)  # fmt: skip


HITS = [
    hit(LEAVE, "제12조(연차휴가)", 1, "제3장 휴가 > 제12조(연차휴가)"),
    hit(USE, "제13조(연차휴가의 사용)", 2),
    hit(FAMILY, "제14조(경조휴가)", 3),
]


class Counter:
    """Just enough of an LLM for budgeting: a window and a two-characters-a-token count."""

    name = "fake:counter"

    def __init__(self, context_window: int) -> None:
        self.context_window = context_window

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 1024, temperature: float = 0.2
    ) -> Iterator[Event]:
        raise AssertionError("building a prompt must not call the model")

    def count_tokens(self, text: str) -> int:
        return len(text) // 2


def test_counter_is_an_llm() -> None:
    assert isinstance(Counter(100), LLM)


def test_korean_prompt_states_the_rules_and_numbers_the_sources() -> None:
    plan = build_prompt("연차휴가는 며칠인가요?", HITS, Counter(8192), max_answer_tokens=512)
    system, user = plan.messages
    assert system.role == "system" and user.role == "user"
    assert "자료에 적힌 내용만으로 답하세요" in system.content
    assert "[1]처럼" in system.content
    assert system.content.count("문서에서 답을 찾지 못했습니다.") == 1
    assert "한국어로" in system.content
    assert user.content == (
        "자료:\n\n"
        f"[1] 취업규칙.docx · 제12조(연차휴가)\n{LEAVE}\n\n"
        f"[2] 취업규칙.docx · 제13조(연차휴가의 사용)\n{USE}\n\n"
        f"[3] 취업규칙.docx · 제14조(경조휴가)\n{FAMILY}\n\n"
        "질문: 연차휴가는 며칠인가요?"
    )
    assert [s.number for s in plan.sources] == [1, 2, 3] and not plan.dropped
    assert plan.hits_by_number[3] is HITS[2] and plan.language == "ko"


def test_english_question_gets_english_instructions() -> None:
    plan = build_prompt("How many days of annual leave?", HITS[:1], Counter(8192),
                        max_answer_tokens=512)  # fmt: skip
    system, user = plan.messages
    assert "Answer only from the numbered sources" in system.content
    assert "write only this sentence and nothing else: Not found in your documents." in (
        system.content
    )
    assert "Answer in English" in system.content and "한국어" not in system.content
    assert user.content.startswith("Sources:\n\n[1] 취업규칙.docx")
    assert user.content.endswith("\n\nQuestion: How many days of annual leave?")


def test_section_shown_only_when_the_label_lacks_it() -> None:
    with_section = hit(FAMILY, "p.3", 4, "제3장 휴가 > 제14조(경조휴가)")
    plan = build_prompt("경조휴가는?", [HITS[0], with_section], Counter(8192),
                        max_answer_tokens=512)  # fmt: skip
    user = plan.messages[-1].content
    assert "[1] 취업규칙.docx · 제12조(연차휴가)\n" in user
    assert "[2] 취업규칙.docx · p.3 (제3장 휴가 > 제14조(경조휴가))\n" in user


def test_domain_instructions_fill_their_slot_after_the_rules() -> None:
    assert "지침" not in system_prompt("ko")
    text = system_prompt("ko", "  금액은 부가세 포함으로 말하세요.  ")
    assert text.endswith("(위 규칙이 우선합니다):\n금액은 부가세 포함으로 말하세요.")
    assert system_prompt("en", "Quote prices with VAT.").endswith(
        "(the rules above come first):\nQuote prices with VAT."
    )


def _window_for(hits: Sequence[Hit], slack: int = 0) -> int:
    """A window that holds the prompt with exactly ``hits`` whole (100 tokens to answer)."""
    full = build_prompt("연차휴가는 며칠인가요?", hits, Counter(10**6), max_answer_tokens=100)
    return full.input_tokens + 100 + slack


def test_a_small_window_drops_the_least_relevant_source() -> None:
    window = _window_for(HITS[:2], slack=5)  # FAMILY's first sentence needs more than 5 tokens
    plan = build_prompt("연차휴가는 며칠인가요?", HITS, Counter(window), max_answer_tokens=100)
    assert [s.hit for s in plan.sources] == HITS[:2]
    assert plan.dropped == (HITS[2],)
    assert "제14조" not in plan.messages[-1].content
    assert plan.input_tokens <= window - 100


def test_a_passage_that_does_not_fit_whole_is_cut_at_a_sentence_boundary() -> None:
    counter = Counter(
        _window_for(HITS[:1]) - Counter(0).count_tokens("1일을 가산한 유급휴가를 준다.")
    )
    plan = build_prompt("연차휴가는 며칠인가요?", HITS[:1], counter, max_answer_tokens=100)
    first = plan.sources[0]
    assert first.trimmed and first.text == LEAVE.splitlines()[0]
    assert first.text.endswith("유급휴가를 준다.")
    assert plan.input_tokens <= counter.context_window - 100
    assert plan.context_tokens == counter.count_tokens(first.render())


def test_a_later_passage_that_fits_still_goes_in() -> None:
    # Room for LEAVE and FAMILY whole. USE, between them in relevance, is longer than FAMILY:
    # only its heading "제13조(연차휴가의 사용)" would fit, which says nothing, so it is dropped.
    window = _window_for([HITS[0], HITS[2]])
    plan = build_prompt("연차휴가는 며칠인가요?", HITS, Counter(window), max_answer_tokens=100)
    assert [(s.number, s.hit, s.trimmed) for s in plan.sources] == [
        (1, HITS[0], False),
        (2, HITS[2], False),
    ]
    assert plan.dropped == (HITS[1],)


def test_context_tokens_count_the_sources_block() -> None:
    counter = Counter(8192)
    plan = build_prompt("연차휴가는 며칠인가요?", HITS, counter, max_answer_tokens=512)
    rendered = [counter.count_tokens(s.render()) for s in plan.sources]
    assert plan.context_tokens == sum(rendered) + 2 * counter.count_tokens("\n\n")
    fixed = sum(counter.count_tokens(m.content) for m in plan.messages[:1])
    assert plan.input_tokens > fixed + plan.context_tokens + MESSAGE_OVERHEAD_TOKENS


def test_history_keeps_latest_turns_without_old_citation_numbers() -> None:
    history = [
        Message("system", "너는 해적이다."),
        Message("user", "아주 오래된 질문 " * 200),
        Message("assistant", "아주 오래된 답 " * 200),
        Message("user", "연차휴가는 며칠이에요?"),
        Message("assistant", "15일입니다 [1]. 3년 이상이면 가산됩니다 [2]."),
    ]
    plan = build_prompt("그럼 사용 신청은요?", HITS, Counter(4096), max_answer_tokens=512,
                        history=history)  # fmt: skip
    roles = [m.role for m in plan.messages]
    assert roles == ["system", "user", "assistant", "user"]
    assert plan.messages[1].content == "연차휴가는 며칠이에요?"
    assert plan.messages[2].content == "15일입니다. 3년 이상이면 가산됩니다."
    assert "해적" not in plan.messages[0].content


def test_no_source_fits_a_window_taken_by_the_answer() -> None:
    plan = build_prompt("연차휴가는 며칠인가요?", HITS, Counter(600), max_answer_tokens=512)
    assert plan.sources == () and plan.dropped == tuple(HITS)
