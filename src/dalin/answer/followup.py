"""Follow-up questions in a conversation, rewritten into standalone search queries.

"그럼 3년 근무하면요?" cannot be searched on its own: retrieval and the relevance gate need
the topic ("연차휴가") that the previous question gave. With a model configured, the model
rewrites the follow-up; without one, or when its rewrite is unusable, a rule carries the
previous question's topic words over when the new question leans on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.extractive import Question
from dalin.errors import LLMError
from dalin.llm.base import LLM, Message, collect

#: words that point back at an earlier question ("then", "that one", "what about")
_CUES = re.compile(
    r"^(?:그럼|그러면|그렇다면|그건|그것|그거|이건|이것|저건|거기|그때|그리고|또|그\s)"
    r"|\b(?:it|its|that|those|these|they|them|this|there|what about|how about|and|also)\b",
    re.IGNORECASE,
)
_MAX_QUERY_CHARS = 300
_REWRITE_TURNS = 3

_INSTRUCTIONS = {
    "ko": (
        "대화의 마지막 질문을, 앞의 대화를 보지 않아도 이해되는 하나의 검색 질문으로 고쳐 "
        "쓰세요. 같은 언어로, 질문 한 줄만 쓰고 다른 말은 하지 마세요."
    ),
    "en": (
        "Rewrite the last question of the conversation as one standalone search question "
        "that can be understood without the earlier turns. Same language; write only the "
        "question, nothing else."
    ),
}


def needs_context(question: str) -> bool:
    """True when a question leans on an earlier one: a pointing word, or almost no topic."""
    q = Question.parse(question)
    return bool(_CUES.search(question.strip())) or len(q.topic) <= 1


def rule_rewrite(question: str, previous: Sequence[str]) -> str:
    """Prefix the previous question's topic words the new question lacks, when it needs them."""
    if not previous or not needs_context(question):
        return question
    asked = set(Question.parse(question).words)
    for earlier in reversed(previous):
        carried = [t for t in Question.parse(earlier).topic if t not in asked]
        if carried:
            return " ".join([*carried, question])
    return question


def model_rewrite(llm: LLM, question: str, history: Sequence[tuple[str, str]]) -> str | None:
    """The model's standalone rewrite, or None when it fails or gives something unusable."""
    q = Question.parse(question)
    turns = [
        line
        for asked, answered in history[-_REWRITE_TURNS:]
        for line in (f"Q: {asked}", f"A: {answered[:400]}")
    ]
    prompt = "\n".join([*turns, f"Q: {question}"])
    messages = [Message("system", _INSTRUCTIONS[q.language]), Message("user", prompt)]
    try:
        text = collect(llm.stream(messages, max_tokens=96, temperature=0.0)).text
    except LLMError:
        return None
    lines = [line for line in text.strip().splitlines() if line.strip()]
    line = lines[0].strip().removeprefix("Q:").strip().strip("\"'“”") if lines else ""
    if not line or len(line) > _MAX_QUERY_CHARS:
        return None
    return line


def standalone_query(
    question: str, history: Sequence[tuple[str, str]], llm: LLM | None = None
) -> str:
    """The query to search with for ``question`` after ``history`` (question, answer) turns."""
    if not history or not needs_context(question):
        return question
    if llm is not None:
        rewritten = model_rewrite(llm, question, history)
        if rewritten:
            return rewritten
    return rule_rewrite(question, [asked for asked, _ in history])
