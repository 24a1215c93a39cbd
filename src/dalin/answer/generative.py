"""A model's answer over numbered sources, checked sentence by sentence before anyone sees it.

The steps, and what each guarantees:

1. **Gate.** The passages must cover the question's topic, by the same coverage test the
   extractive answer uses; if none does, the answer is "not found" and the model is not
   called, so both paths abstain alike. Only passages that pass are given to the model.
2. **Generate.** The prompt (:mod:`dalin.answer.prompt`) is streamed through the model.
   Reasoning (``ReasoningDelta``, and any ``<think>…</think>`` left in the text) is kept in
   ``Answer.reasoning``; it never enters the answer text or its citations. A model that
   can call tools is given them (:mod:`dalin.tools.agent`): passages the tools read become
   further numbered sources it may cite, and every call is kept in ``Answer.tools``.
3. **Check** (:mod:`dalin.answer.grounding`, :mod:`dalin.answer.checker`). Links no source
   holds and sentences that repeat the model's instructions are taken out first
   (:mod:`dalin.answer.guard`). Citations naming no given source are removed; each sentence
   is checked against what it cites (numbers, arithmetic, polarity, entities, scope,
   conditions) — a number a tool computed from the cited passages counts as stated there
   (:mod:`dalin.tools.evidence`) — and, when a verifier is given
   (:mod:`dalin.answer.verifier`), by a model too; the model can only add flags.
4. **Compose.** Supported sentences are shown as written, cited with renumbered
   :class:`Citation` objects whose quote is the passage sentence that best matches.
   A sentence its source *contradicts* (a negation, another number, a wrong sum, another
   row's value, a widened scope, a dropped condition) is **replaced by the source's own
   words**, cited, behind the reason ("⚠ 근거와 반대되는 표현: 도면에 따라 주문 제작한
   가공품은 반품되지 않습니다. [1]"); a wrong calculation by the expression recomputed; a
   replacement already shown is not repeated (the sentence is removed). A sentence no source
   speaks to is *kept, with a visible marker* ("⚠ (근거 없음)") and without citations:
   dropping it could leave a partial answer that reads as complete, while the marker lets
   the reader weigh it. ``Answer.flags`` lists every flagged sentence as the model wrote it,
   with the reason and what was shown; a replacement's citation carries the flag and reason.
   When no sentence is supported or replaced, the extractive answer is shown with a notice
   (method "extractive-fallback"); when the model says the not-found sentence, the answer
   abstains.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from dalin.answer.extractive import (
    NOT_FOUND,
    Equivalents,
    IdfLookup,
    Question,
    Sources,
    extractive_answer,
    question_language,
)
from dalin.answer.extractive import relevant_hits as gate
from dalin.answer.grounding import (
    CheckedAnswer,
    check_answer,
    strip_citations,
)
from dalin.answer.guard import guard_answer
from dalin.answer.prompt import PromptPlan, Source, build_prompt
from dalin.answer.shown import NOTICES, compose, replaceable
from dalin.answer.support import ComputedValue, SupportChecker
from dalin.answer.verifier import Claim, ModelVerifier
from dalin.llm.base import LLM, Generation, Message, collect
from dalin.tools.agent import TOOL_RULES, AgentLimits, Citations, run_agent, with_tool_rules
from dalin.tools.base import Tool
from dalin.tools.evidence import computed_values
from dalin.types import Answer, Hit, ToolUse, Verification

#: why a model's answer gave way to the extractive one: a key of ``NOTICES``
FallbackReason = Literal["unverified", "no_room", "model_failed"]
_THINK_BLOCK = re.compile(r"<think>(.*?)(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_THINK_TAIL = re.compile(r"^(.*?)</think>", re.DOTALL | re.IGNORECASE)


def relevant_hits(
    question: str,
    hits: Sequence[Hit],
    idf_of: IdfLookup,
    *,
    min_coverage: float,
    equivalents: Equivalents = (),
) -> list[Hit]:
    """The hits whose text covers the question's topic, in their given order.

    The same test ``extractive_answer`` applies, so both answers abstain on the same
    questions.
    """
    q = Question.parse(question)
    idf = idf_of(q.words) if q.words else {}
    return [
        hit for hit, _ in gate(q, hits, idf, min_coverage=min_coverage, equivalents=equivalents)
    ]


def generative_answer(
    question: str,
    hits: Sequence[Hit],
    llm: LLM,
    idf_of: IdfLookup,
    *,
    min_coverage: float = 0.5,
    checker: SupportChecker | None = None,
    max_tokens: int = 1024,
    temperature: float = 0.2,
    domain_instructions: str = "",
    history: Sequence[Message] = (),
    equivalents: Equivalents = (),
    tools: Sequence[Tool] = (),
    agent_limits: AgentLimits | None = None,
    verifier: ModelVerifier | None = None,
    computed: Sequence[ComputedValue] = (),
    reader_sources: Sources | None = None,
) -> Answer:
    """Answer ``question`` with ``llm`` over ``hits``, each sentence checked and cited.

    ``tools`` are offered to the model (only pass them when ``llm.supports_tools``), within
    ``agent_limits``. ``verifier`` adds a model's entailment check to the offline one;
    ``computed`` are values computed elsewhere from the sources (the tools' own numbers are
    added), which count as support for the same numbers; ``reader_sources`` are the stored
    tables and text the offline reader consults when its answer is shown instead.

    Raises what ``llm.stream`` raises (``dalin.errors.LLMError``); :func:`fallback_answer`
    with reason "model_failed" is the answer to show then.
    """
    language = question_language(question)
    relevant = relevant_hits(
        question, hits, idf_of, min_coverage=min_coverage, equivalents=equivalents
    )
    if not relevant:
        return _abstention(question, language, hits, model=llm.name)
    plan = build_prompt(
        question,
        relevant,
        llm,
        max_answer_tokens=max_tokens,
        domain_instructions=domain_instructions,
        history=history,
    )
    if not plan.sources:
        return fallback_answer(
            question,
            hits,
            idf_of,
            min_coverage=min_coverage,
            reason="no_room",
            model=llm.name,
            equivalents=equivalents,
            sources=reader_sources,
        )
    generation, uses, given, stopped = _generate(
        llm, plan, tools, agent_limits or AgentLimits(), max_tokens, temperature
    )
    text, stray = strip_think(generation.text)
    run = _Run(llm.name, generation, _join(generation.reasoning, stray), plan, uses)
    if stopped and not text:  # the tool loop hit a bound before the model answered
        fallback = fallback_answer(
            question, hits, idf_of, min_coverage=min_coverage, reason="model_failed",
            equivalents=equivalents, sources=reader_sources,
        )  # fmt: skip
        notice = f"{fallback.notice} ({stopped})" if fallback.notice else ""
        return run.stamp(replace(fallback, notice=notice))
    if says_not_found(text):
        return run.stamp(_abstention(question, language, hits, model=llm.name))
    # after the not-found test: that sentence is in the instructions, and may be the answer
    text = guard_answer(
        text,
        sources=[s.evidence for s in given.values()],
        instructions=plan.messages[0].content + (TOOL_RULES[plan.language] if tools else ""),
        language=language,
    )
    sources = {s.number: s.evidence for s in given.values()}
    checking = time.perf_counter()
    values = [*computed, *computed_values(uses)]
    checked = check_answer(text, sources, checker, question=question, computed=values)
    run = replace(run, check_seconds=time.perf_counter() - checking)
    if verifier is not None and checked.sentences:
        claims = [Claim(c.text, c.citations) for c in checked.sentences]
        run = replace(run, verification=verifier.verify(claims, sources, language))
        checked = with_verdicts(checked, run.verification)
    if not any(s.supported or replaceable(s) for s in checked.sentences):
        fallback = fallback_answer(
            question,
            hits,
            idf_of,
            min_coverage=min_coverage,
            reason="unverified",
            equivalents=equivalents,
            sources=reader_sources,
        )
        return run.stamp(fallback, checked)
    return run.stamp(compose(question, language, checked, given, hits), checked)


def _generate(
    llm: LLM,
    plan: PromptPlan,
    tools: Sequence[Tool],
    limits: AgentLimits,
    max_tokens: int,
    temperature: float,
) -> tuple[Generation, tuple[ToolUse, ...], dict[int, Source], str]:
    """The model's generation, with tools when there are any: (generation, the tool calls,
    every source it may cite by number, why a tool loop stopped without an answer or "")."""
    given = {s.number: s for s in plan.sources}
    if not tools:
        events = llm.stream(plan.messages, max_tokens=max_tokens, temperature=temperature)
        return collect(events, started=time.perf_counter()), (), given, ""
    cite = Citations(plan.hits_by_number)
    run = run_agent(
        llm,
        with_tool_rules(plan.messages, plan.language),
        tools,
        cite=cite,
        limits=limits,
        max_tokens=max_tokens,
        temperature=temperature,
        room_tokens=llm.context_window - plan.input_tokens - max_tokens,
    )
    given.update((n, Source(n, hit, hit.text)) for n, hit in cite.added)
    stopped = f"tool loop stopped: {run.stopped}" if run.stopped in ("time", "tokens") else ""
    return run.generation, tuple(run.uses), given, stopped


def with_verdicts(checked: CheckedAnswer, verification: Verification | None) -> CheckedAnswer:
    """``checked`` with the verifier's "contradicted" and "not_supported" verdicts applied to
    the sentences the offline check accepted (it never clears an offline flag)."""
    if verification is None:
        return checked
    by_number = {v.number: v for v in verification.verdicts}
    sentences = []
    for number, sentence in enumerate(checked.sentences, start=1):
        verdict = by_number.get(number)
        note = f"{verdict.verdict}: {verdict.reason}".strip(": ") if verdict else ""
        if verdict is not None and sentence.supported and verdict.verdict != "supported":
            contradicted = verdict.verdict == "contradicted"
            sentence = replace(
                sentence,
                supported=False,
                reason="verifier",
                detail=verdict.reason,
                evidence=sentence.evidence if contradicted else "",
            )
        sentences.append(replace(sentence, verifier=note))
    return replace(checked, sentences=tuple(sentences))


def fallback_answer(
    question: str,
    hits: Sequence[Hit],
    idf_of: IdfLookup,
    *,
    min_coverage: float = 0.5,
    reason: FallbackReason = "unverified",
    model: str = "",
    equivalents: Equivalents = (),
    sources: Sources | None = None,
) -> Answer:
    """The extractive answer, shown in place of a model's, with a notice saying why."""
    answer = extractive_answer(
        question, hits, idf_of, min_coverage=min_coverage, equivalents=equivalents,
        sources=sources,
    )  # fmt: skip
    notice = "" if answer.abstained else NOTICES[reason][answer.language]
    return replace(answer, method="extractive-fallback", notice=notice, model=model)


def strip_think(text: str) -> tuple[str, str]:
    """``text`` without ``<think>`` blocks, and what they held.

    Backends already route reasoning to ``ReasoningDelta``; this catches what slips
    through: a block anywhere, one that never closes, or a bare ``…</think>`` whose opening
    tag was in the chat template.
    """
    thoughts = [m.group(1).strip() for m in _THINK_BLOCK.finditer(text)]
    text = _THINK_BLOCK.sub("", text)
    tail = _THINK_TAIL.match(text)
    if tail is not None:
        thoughts.insert(0, tail.group(1).strip())
        text = text[tail.end() :]
    return text.strip(), "\n".join(t for t in thoughts if t)


def says_not_found(text: str) -> bool:
    """Whether the model gave the not-found sentence (in either language), as instructed.

    The prompt asks for that sentence alone; a model that writes it and goes on is hedging
    about evidence it judged missing, so its saying it at all counts as abstaining.
    """
    flat = " ".join(strip_citations(text).split()).casefold()
    return any(sentence.rstrip(".").casefold() in flat for sentence in NOT_FOUND.values())


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p.strip())


def _abstention(question: str, language: str, hits: Sequence[Hit], *, model: str) -> Answer:
    return Answer(
        question, NOT_FOUND[language], (), True, language, "generative", tuple(hits), model=model
    )


@dataclass(frozen=True)
class _Run:
    """What one model call cost and said besides its answer text."""

    model: str
    generation: Generation
    reasoning: str
    plan: PromptPlan
    tools: tuple[ToolUse, ...] = ()
    verification: Verification | None = None
    check_seconds: float = 0.0

    def stamp(self, answer: Answer, checked: CheckedAnswer | None = None) -> Answer:
        usage = self.generation.usage
        return replace(
            answer,
            reasoning=self.reasoning,
            model=self.model,
            prompt_tokens=usage.prompt_tokens,
            cached_prompt_tokens=usage.cached_prompt_tokens,
            completion_tokens=usage.completion_tokens,
            reasoning_tokens=usage.reasoning_tokens,
            context_tokens=self.plan.context_tokens,
            first_token_seconds=self.generation.first_token_seconds,
            total_seconds=self.generation.total_seconds,
            removed_citations=checked.removed_citations if checked else (),
            grounded_rate=checked.grounded_rate if checked else None,
            tools=self.tools,
            verification=self.verification,
            check_seconds=self.check_seconds,
        )
