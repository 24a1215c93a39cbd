"""A second, cheap check by a model: does each sentence follow from the passages it cites?

The offline check (:mod:`dalin.answer.checker`) reads words; a model reads meaning, so it
catches what words cannot show ("교정성적서는 별도 비용을 내야 발급됩니다" over "교정성적서를
함께 발급합니다"). One request per answer lists every sentence with the numbers of its
passages and the passages once; the model replies with one JSON object per sentence:
``{"n": 1, "verdict": "supported" | "contradicted" | "not_supported", "reason": "…"}``.
Greedy decoding, a few dozen output tokens per sentence.

How it combines with the offline check (``dalin.answer.generative``): the verifier can only
add flags. A sentence the offline check flagged stays flagged whatever the model says (its
numbers, arithmetic and negation rules are exact), and one it accepted is flagged when the
model says it is contradicted or not supported. A reply that cannot be read leaves the
offline verdicts as they are and is recorded as the verifier's error.

It is on by default for API models (``[answer] verify = "auto"``) and off for local runs
(the bundled model, or a server on 127.0.0.1): a 270M local model cannot judge entailment,
and a second call on one's own machine costs nothing but doubles the wait. Tokens, cost and
time are counted apart from the answer's own (``Answer.verification``) and stored in the
answer log and evaluation reports.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from dalin.errors import LLMError
from dalin.llm.base import LLM, Message, Usage, collect
from dalin.llm.cost import Price, cost, price_for
from dalin.types import SentenceVerdict, Verification

#: backends whose models are billed per request: the verifier is on for them by default
API_BACKENDS = frozenset({"openai", "deepseek"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
VERDICTS = ("supported", "contradicted", "not_supported")
#: output tokens allowed per sentence (a verdict and a short reason)
TOKENS_PER_SENTENCE = 60

SYSTEM = {
    "ko": (
        "당신은 답변의 각 문장이 주어진 자료에서 그대로 도출되는지 검사합니다. "
        "자료에 적힌 내용만 근거로 판단하세요.\n"
        "각 문장마다 한 줄에 JSON 객체 하나를 쓰세요: "
        '{"n": 문장 번호, "verdict": "supported" | "contradicted" | "not_supported", '
        '"reason": "짧은 이유"}\n'
        "supported: 자료가 그 문장을 말한다(다른 말로 바꿔 말한 것, 자료의 숫자로 맞게 계산한 "
        "것 포함). contradicted: 자료가 다르게 말한다(부정, 다른 숫자, 빠진 조건, 다른 대상). "
        "not_supported: 자료에 없는 내용이다. JSON 줄 말고는 아무것도 쓰지 마세요."
    ),
    "en": (
        "You check whether each sentence of an answer follows from the given sources. "
        "Judge only by what the sources say.\n"
        "For each sentence write one JSON object on its own line: "
        '{"n": sentence number, "verdict": "supported" | "contradicted" | "not_supported", '
        '"reason": "a short reason"}\n'
        "supported: the sources say it (in other words, or computed correctly from their "
        "numbers). contradicted: the sources say otherwise (negation, another number, a "
        "dropped condition, another subject). not_supported: the sources do not say it. "
        "Write nothing but the JSON lines."
    ),
}
_USER = {
    "ko": "자료:\n\n{sources}\n\n검사할 문장:\n{sentences}",
    "en": "Sources:\n\n{sources}\n\nSentences to check:\n{sentences}",
}
_OBJECT = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Claim:
    """One sentence to verify and the sources (number → passage) it rests on."""

    text: str
    sources: tuple[int, ...]


def verifier_enabled(setting: str, answering: LLM | None) -> bool:
    """Whether to verify: "on", "off", or "auto": on for a model behind an API elsewhere
    (DeepSeek, OpenAI, a vLLM server on the network), off for the bundled model and for a
    server on this machine (Ollama or llama.cpp on 127.0.0.1), where a second call costs
    nothing but doubles the wait."""
    choice = setting.strip().lower()
    if answering is None or choice in ("off", "false", "no"):
        return False
    if choice in ("on", "true", "yes"):
        return True
    if answering.name.partition(":")[0] not in API_BACKENDS:
        return False
    host = urlsplit(str(getattr(answering, "base_url", ""))).hostname or ""
    return host not in LOOPBACK_HOSTS


class ModelVerifier:
    """Asks ``llm`` whether each sentence follows from its cited passages."""

    def __init__(
        self,
        llm: LLM,
        *,
        prices: Mapping[str, Price] | None = None,
        krw_per_usd: float = 1400.0,
    ) -> None:
        self.llm = llm
        self.prices = prices
        self.krw_per_usd = krw_per_usd

    def messages(
        self, claims: Sequence[Claim], passages: Mapping[int, str], language: str
    ) -> list[Message]:
        """The prompt: every cited passage once, then the numbered sentences."""
        language = language if language in SYSTEM else "en"
        cited = sorted({n for c in claims for n in c.sources} or passages)
        sources = "\n\n".join(f"[{n}] {passages[n].strip()}" for n in cited if n in passages)
        lines = "\n".join(
            f"{i}. {c.text} (→ {', '.join(f'[{n}]' for n in c.sources) or '-'})"
            for i, c in enumerate(claims, start=1)
        )
        user = _USER[language].format(sources=sources, sentences=lines)
        return [Message("system", SYSTEM[language]), Message("user", user)]

    def verify(
        self, claims: Sequence[Claim], passages: Mapping[int, str], language: str
    ) -> Verification:
        """One request for all ``claims``; never raises for a model error (it is recorded)."""
        started = time.perf_counter()
        if not claims:
            return Verification(self.llm.name)
        messages = self.messages(claims, passages, language)
        budget = TOKENS_PER_SENTENCE * len(claims) + 20
        try:
            generation = collect(self.llm.stream(messages, max_tokens=budget, temperature=0.0))
        except LLMError as error:
            return Verification(
                self.llm.name, seconds=time.perf_counter() - started, error=f"{error.code}: {error}"
            )
        verdicts, problem = parse_verdicts(generation.text, len(claims))
        usage = generation.usage
        if not usage.prompt_tokens:  # a backend that reports nothing: count it ourselves
            prompt = sum(self.llm.count_tokens(m.content) for m in messages)
            usage = Usage(prompt, self.llm.count_tokens(generation.text), estimated=True)
        return Verification(
            model=self.llm.name,
            verdicts=verdicts,
            prompt_tokens=usage.prompt_tokens,
            cached_prompt_tokens=usage.cached_prompt_tokens,
            completion_tokens=usage.completion_tokens,
            cost_usd=self._cost(usage),
            seconds=time.perf_counter() - started,
            error=problem,
        )

    def _cost(self, usage: Usage) -> float | None:
        price = price_for(self.llm.name, self.prices) if self.prices else price_for(self.llm.name)
        return None if price is None else cost(usage, price, krw_per_usd=self.krw_per_usd).usd


def parse_verdicts(reply: str, count: int) -> tuple[tuple[SentenceVerdict, ...], str]:
    """The verdicts of a reply, one per sentence number 1..``count``, and what was wrong
    with the reply ("" when every sentence got a verdict it could read)."""
    found: dict[int, SentenceVerdict] = {}
    for match in _OBJECT.finditer(reply):
        try:
            data = json.loads(match.group())
        except json.JSONDecodeError:
            continue
        number, verdict = data.get("n"), str(data.get("verdict", "")).strip().lower()
        if not isinstance(number, int) or not 1 <= number <= count or verdict not in VERDICTS:
            continue
        found.setdefault(number, SentenceVerdict(number, verdict, str(data.get("reason", ""))))
    missing = [n for n in range(1, count + 1) if n not in found]
    problem = f"no readable verdict for sentence(s) {missing}" if missing else ""
    return tuple(found[n] for n in sorted(found)), problem
