"""An LLM that decides whether a long answer says what the reference answer says.

Character overlap cannot tell whether a paragraph-long answer is right (SEC 10-Q references
run to hundreds of words), so such answers go to a judge model, prompted in the question's
language with the question, the reference and the candidate, at temperature 0. It must reply
``VERDICT: CORRECT`` or ``VERDICT: INCORRECT`` on the first line and a one-line reason on the
second; replies that drift from that (``판정: 정답``, a bare ``오답``, a JSON object) are read
too, and anything else counts as incorrect with the reason "unparseable judge reply". The
prompt and the raw reply are kept with every verdict, so a surprising one can be checked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from dalin.eval.schema import QuestionItem
from dalin.llm.base import LLM, Message, collect
from dalin.text.korean import has_korean

UNPARSEABLE = "unparseable judge reply"

_SYSTEM = {
    "ko": "당신은 질의응답 시스템의 답변을 채점하는 엄격하고 공정한 평가자입니다.",
    "en": "You are a strict, fair grader of the answers of a question-answering system.",
}

_INSTRUCTIONS = {
    "ko": (
        "아래 질문에 대한 '평가할 답변'이 '참고 정답'과 같은 내용을 말하는지 판정하세요.\n"
        "- 참고 정답의 핵심 사실(수치, 날짜, 이름, 결론)을 맞게 담고 있으면 정답입니다. "
        "표현이나 순서가 달라도 뜻이 같으면 정답입니다.\n"
        "- 핵심 사실이 틀렸거나, 빠졌거나, 참고 정답과 모순되면 오답입니다.\n"
        "- 참고 정답에 없는 내용이 더 있어도 참고 정답과 모순되지 않으면 감점하지 마세요.\n"
        "- [1] 같은 출처 번호는 무시하세요."
    ),
    "en": (
        "Decide whether the candidate answer to the question below says what the reference "
        "answer says.\n"
        "- It is correct if it states the reference's key facts (figures, dates, names, "
        "conclusions) correctly; different wording or order is fine.\n"
        "- It is incorrect if a key fact is wrong, missing, or contradicts the reference.\n"
        "- Extra information not in the reference is fine unless it contradicts it.\n"
        "- Ignore source markers such as [1]."
    ),
}

_LABELS = {
    "ko": ("질문", "참고 정답", "평가할 답변"),
    "en": ("Question", "Reference answer", "Candidate answer"),
}

_FORMAT = {
    "ko": (
        "첫 줄에는 `VERDICT: CORRECT` 또는 `VERDICT: INCORRECT`만 쓰고, "
        "둘째 줄에 판정 이유를 한 줄로 쓰세요."
    ),
    "en": (
        "Write only `VERDICT: CORRECT` or `VERDICT: INCORRECT` on the first line, "
        "then the reason in one line on the second."
    ),
}


@dataclass(frozen=True)
class JudgeVerdict:
    """What the judge decided about one answer, with what it was asked and what it said."""

    correct: bool
    reason: str
    model: str
    prompt: str
    reply: str

    def record(self) -> dict[str, str]:
        """The form kept in ``QuestionResult.judge``."""
        return {
            "model": self.model,
            "prompt": self.prompt,
            "reply": self.reply,
            "reason": self.reason,
        }


class Judge:
    """Asks an LLM whether an answer matches an item's reference answer."""

    def __init__(self, llm: LLM, *, max_tokens: int = 1024) -> None:
        """``max_tokens`` leaves room for reasoning models, whose thinking counts against it."""
        self.llm = llm
        self.max_tokens = max_tokens

    @property
    def model(self) -> str:
        """The judge model's name, "backend:model"."""
        return self.llm.name

    def judge(self, item: QuestionItem, answer_text: str) -> JudgeVerdict:
        """The verdict on ``answer_text``; raises the LLM's ``LLMError`` when it cannot answer."""
        messages = judge_messages(item, answer_text)
        events = self.llm.stream(messages, max_tokens=self.max_tokens, temperature=0.0)
        reply = collect(events).text
        correct, reason = parse_verdict(reply)
        return JudgeVerdict(correct, reason, self.model, _as_text(messages), reply)


def judge_messages(item: QuestionItem, answer_text: str) -> list[Message]:
    """The system and user messages that ask the judge about one answer."""
    language = item.language or ("ko" if has_korean(item.question) else "en")
    lang = "ko" if language == "ko" else "en"
    question, reference, candidate = _LABELS[lang]
    user = (
        f"{_INSTRUCTIONS[lang]}\n\n"
        f"## {question}\n{item.question.strip()}\n\n"
        f"## {reference}\n{item.reference_answer.strip()}\n\n"
        f"## {candidate}\n{answer_text.strip()}\n\n"
        f"{_FORMAT[lang]}"
    )
    return [Message("system", _SYSTEM[lang]), Message("user", user)]


def _as_text(messages: list[Message]) -> str:
    return "\n\n".join(f"[{m.role}]\n{m.content}" for m in messages)


# --- reading the reply -------------------------------------------------------------------

_WORDS = {"correct": True, "incorrect": False, "정답": True, "오답": False}
_WORD = r"(incorrect|correct|정답|오답)"
# "정답입니다" is a whole verdict; "정답과 ..." or "correctly" is not
_END = r"(?:입니다|이다)?(?!\w)"
_LABELLED = re.compile(rf"^(?:verdict|판정|평가|결과)\s*[:：]\s*{_WORD}{_END}(.*)$", re.IGNORECASE)
# A bare verdict only counts as the whole first line ("정답", "오답입니다.", "CORRECT -
# ..."), so that a first line like "정답과 비교하면 ..." is not read as one.
_BARE = re.compile(rf"^{_WORD}{_END}(?:$|\s*[.:：\-–—]\s*(.*)$)", re.IGNORECASE)
_REASON_LABEL = re.compile(r"^(?:reason|이유|근거|판정 이유)\s*[:：]\s*", re.IGNORECASE)
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def parse_verdict(reply: str) -> tuple[bool, str]:
    """(correct, reason) read from a judge's reply; (False, UNPARSEABLE) if none is found."""
    lines = [_plain(line) for line in reply.splitlines()]
    lines = [line for line in lines if line]
    found = _labelled(lines) or _from_json(reply) or _bare(lines)
    return found if found is not None else (False, UNPARSEABLE)


def _plain(line: str) -> str:
    """A line without Markdown emphasis, heading marks or code ticks."""
    return line.strip().strip("*#`>_ ").replace("**", "").replace("`", "").strip()


def _labelled(lines: list[str]) -> tuple[bool, str] | None:
    for index, line in enumerate(lines):
        match = _LABELLED.match(line)
        if match:
            rest = match.group(2).strip(" .:-–—()")
            return _WORDS[match.group(1).lower()], rest or _next_reason(lines, index)
    return None


def _bare(lines: list[str]) -> tuple[bool, str] | None:
    match = _BARE.match(lines[0]) if lines else None
    if match is None:
        return None
    rest = (match.group(2) or "").strip()
    return _WORDS[match.group(1).lower()], rest or _next_reason(lines, 0)


def _next_reason(lines: list[str], index: int) -> str:
    following = lines[index + 1 : index + 2]
    return _REASON_LABEL.sub("", following[0]).strip() if following else ""


def _from_json(reply: str) -> tuple[bool, str] | None:
    """A JSON object with a "verdict" (or "correct") field, anywhere in the reply."""
    match = _JSON_OBJECT.search(reply)
    if match is None:
        return None
    try:
        data = json.loads(match.group(0))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    value = data.get("verdict", data.get("correct"))
    if isinstance(value, bool):
        correct = value
    elif isinstance(value, str) and value.strip().lower() in _WORDS:
        correct = _WORDS[value.strip().lower()]
    else:
        return None
    return correct, str(data.get("reason", "")).strip()
