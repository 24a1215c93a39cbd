"""The prompt for a grounded answer, fitted to the model's context window.

The system message states the rules (answer only from the sources, cite each claim with
[n], say the exact not-found sentence when the sources do not answer) in the question's
language; the user message holds the numbered sources, most relevant first, then the
question.

The budget for sources is ``context_window - max_answer_tokens - everything else in the
prompt``, counted with the model's own ``count_tokens``. Passages go in whole while they
fit. One that does not fit whole is cut after its last sentence that fits
(``split_sentences``; a cut inside a sentence could change its meaning: "15일 이내" →
"15일"); it is dropped when nothing but its heading ("제13조(연차휴가의 사용)") would fit.
Less relevant passages after it still go in when they fit, so a small window is spent on
the most relevant text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dalin.answer.extractive import NOT_FOUND, question_language
from dalin.answer.grounding import strip_citations
from dalin.llm.base import LLM, Message
from dalin.text.korean import split_sentences, tokenize
from dalin.types import Hit

#: chat templates wrap each message in role markers; 8 tokens covers the common templates
#: (Gemma, Qwen, Llama, ChatML) with room to spare
MESSAGE_OVERHEAD_TOKENS = 8
#: conversation history may take at most this share of the room left for sources and history
HISTORY_SHARE = 0.25

SYSTEM = {
    "ko": (
        "당신은 회사 문서를 근거로 직원의 질문에 답하는 도우미입니다.\n\n"
        "규칙:\n"
        "1. 아래 번호가 붙은 자료에 적힌 내용만으로 답하세요. "
        "자료에 없는 사실, 숫자, 날짜, 금액은 쓰지 마세요.\n"
        "2. 사실을 말하는 문장마다 끝에 근거 자료의 번호를 [1]처럼 붙이세요. "
        "두 자료에 근거하면 [1][2]처럼 쓰고, 주어진 번호만 쓰세요.\n"
        "3. 숫자와 단위는 자료에 적힌 그대로 쓰세요.\n"
        "4. 자료로 답할 수 없으면 다른 말 없이 이 문장만 쓰세요: {not_found}\n"
        "5. 한국어로, 짧고 분명하게 답하세요."
    ),
    "en": (
        "You are an assistant that answers staff questions from the company's own documents.\n\n"
        "Rules:\n"
        "1. Answer only from the numbered sources below. "
        "Do not state any fact, number, date or amount that is not in them.\n"
        "2. End every sentence that states a fact with the number of its source, like [1]; "
        "for two sources write [1][2]. Use only the numbers given.\n"
        "3. Copy numbers and units exactly as the sources write them.\n"
        "4. If the sources do not answer the question, write only this sentence and nothing "
        "else: {not_found}\n"
        "5. Answer in English, briefly and clearly."
    ),
}
_DOMAIN = {
    "ko": "\n\n이 업무에 관한 지침 (위 규칙이 우선합니다):\n{instructions}",
    "en": "\n\nInstructions for this business (the rules above come first):\n{instructions}",
}
_USER = {
    "ko": "자료:\n\n{sources}\n\n질문: {question}",
    "en": "Sources:\n\n{sources}\n\nQuestion: {question}",
}


@dataclass(frozen=True)
class Source:
    """A passage as numbered and given to the model."""

    number: int
    hit: Hit
    #: the passage text given: ``hit.text``, or its first sentences when cut to fit
    text: str

    @property
    def trimmed(self) -> bool:
        return len(self.text) < len(self.hit.text)

    @property
    def header(self) -> str:
        """The line above the passage: document and label, and the section when it adds one."""
        section = self.hit.section
        if section and section.split(" > ")[-1] not in self.hit.label:
            return f"{self.hit.label} ({section})"
        return self.hit.label

    @property
    def evidence(self) -> str:
        """Everything the model was shown for this source, for checking what it wrote."""
        return f"{self.header}\n{self.text}"

    def render(self) -> str:
        return f"[{self.number}] {self.header}\n{self.text.strip()}"


@dataclass(frozen=True)
class PromptPlan:
    """The messages to send and what went into them."""

    messages: tuple[Message, ...]
    #: the sources given, numbered from 1 in order of relevance
    sources: tuple[Source, ...]
    #: tokens of the numbered sources block
    context_tokens: int
    #: tokens of the whole prompt, with per-message overhead (what the window must hold)
    input_tokens: int
    #: passages left out because nothing but their heading would have fitted
    dropped: tuple[Hit, ...]
    language: str

    def source(self, number: int) -> Source:
        return self.sources[number - 1]

    @property
    def hits_by_number(self) -> dict[int, Hit]:
        return {s.number: s.hit for s in self.sources}


def system_prompt(language: str, domain_instructions: str = "") -> str:
    """The rules for a grounded answer in ``language`` ("ko" or "en")."""
    text = SYSTEM[language].format(not_found=NOT_FOUND[language])
    if domain_instructions.strip():
        text += _DOMAIN[language].format(instructions=domain_instructions.strip())
    return text


def user_prompt(language: str, sources: Sequence[Source], question: str) -> str:
    rendered = "\n\n".join(s.render() for s in sources)
    return _USER[language].format(sources=rendered, question=question.strip())


def build_prompt(
    question: str,
    hits: Sequence[Hit],
    llm: LLM,
    *,
    max_answer_tokens: int,
    domain_instructions: str = "",
    history: Sequence[Message] = (),
) -> PromptPlan:
    """Messages for ``question`` over ``hits`` (most relevant first) that fit ``llm``'s window."""
    language = question_language(question)
    system = system_prompt(language, domain_instructions)
    frame = user_prompt(language, (), question)
    fixed = llm.count_tokens(system) + llm.count_tokens(frame) + 2 * MESSAGE_OVERHEAD_TOKENS
    room = llm.context_window - max_answer_tokens - fixed
    past, past_tokens = _fit_history(history, llm, int(max(room, 0) * HISTORY_SHARE))
    sources, dropped, context_tokens = _fit_sources(hits, llm, room - past_tokens)
    messages = (
        Message("system", system),
        *past,
        Message("user", user_prompt(language, sources, question)),
    )
    return PromptPlan(
        messages,
        tuple(sources),
        context_tokens,
        fixed + past_tokens + context_tokens,
        tuple(dropped),
        language,
    )


def _fit_sources(hits: Sequence[Hit], llm: LLM, room: int) -> tuple[list[Source], list[Hit], int]:
    sources: list[Source] = []
    dropped: list[Hit] = []
    used = 0
    separator = llm.count_tokens("\n\n")
    for hit in hits:
        cost = separator if sources else 0
        source = _fit_passage(Source(len(sources) + 1, hit, hit.text), llm, room - used - cost)
        if source is None:
            dropped.append(hit)
            continue
        sources.append(source)
        used += cost + llm.count_tokens(source.render())
    return sources, dropped, used


def _fit_passage(source: Source, llm: LLM, room: int) -> Source | None:
    """``source`` whole, or cut after its last sentence that fits ``room``, or None."""
    if llm.count_tokens(source.render()) <= room:
        return source
    text = source.hit.text
    fitted: Source | None = None
    for sentence in split_sentences(text):
        candidate = Source(source.number, source.hit, text[: sentence.end])
        if llm.count_tokens(candidate.render()) > room:
            break
        fitted = candidate
    if fitted is not None and set(tokenize(fitted.text)) <= set(tokenize(fitted.header)):
        return None  # only the article's heading fitted: it would cost tokens and say nothing
    return fitted


def _fit_history(history: Sequence[Message], llm: LLM, limit: int) -> tuple[list[Message], int]:
    """The latest turns that fit ``limit``, opening with a question.

    Earlier answers lose their citation markers: their numbers named the sources of an
    earlier prompt, and the model would take them for this prompt's sources.
    """
    kept: list[Message] = []
    used = 0
    for message in reversed(history):
        if message.role == "system":
            continue  # the rules are ours; an old system message would contradict them
        content = (
            strip_citations(message.content) if message.role == "assistant" else message.content
        )
        cost = llm.count_tokens(content) + MESSAGE_OVERHEAD_TOKENS
        if used + cost > limit:
            break
        kept.append(Message(message.role, content))
        used += cost
    kept.reverse()
    while kept and kept[0].role != "user":
        used -= llm.count_tokens(kept[0].content) + MESSAGE_OVERHEAD_TOKENS
        kept.pop(0)
    return kept, used
