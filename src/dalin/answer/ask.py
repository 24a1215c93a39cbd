"""Answering one question end to end: standalone query, retrieval, model or extractive
answer, fallback when the model fails, cost, and the log entry.

``Workspace.ask`` is a thin caller of ``answer_question``; this module holds the decisions
so that every surface (CLI, API, chat, evaluation) answers the same way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from dalin.answer.bilingual import bilingual_equivalents, gloss_equivalents
from dalin.answer.confidence import Gate
from dalin.answer.extractive import (
    Equivalents,
    IdfLookup,
    Sources,
    extractive_answer,
    question_language,
)
from dalin.answer.followup import standalone_query
from dalin.answer.generative import fallback_answer, generative_answer
from dalin.answer.plain_words import plain_equivalents
from dalin.answer.shown import NOTICES
from dalin.answer.transliteration import transliterated_equivalents
from dalin.answer.verifier import ModelVerifier, verifier_enabled
from dalin.errors import LLMContextOverflow, LLMRateLimited, LLMServerError, LLMUnreachable
from dalin.llm.base import LLM, Message, Usage, offers_tools
from dalin.llm.cost import Price, cost, price_for
from dalin.profiles import Profile
from dalin.text.korean import has_korean
from dalin.tools.agent import AgentLimits
from dalin.tools.base import Tool
from dalin.types import Answer, Hit

log = logging.getLogger("dalin.answer")

#: failures of a reachable setup that the extractive answer can stand in for; setup errors
#: (bad key, unknown model, missing package) are raised so the installer sees them
TRANSIENT_FAILURES = (LLMUnreachable, LLMRateLimited, LLMServerError, LLMContextOverflow)


@dataclass(frozen=True)
class AskOptions:
    """How to answer: thresholds and generation settings from the workspace."""

    k: int = 8
    min_coverage: float = 0.5
    max_answer_tokens: int = 1024
    temperature: float = 0.2
    krw_per_usd: float = 1400.0
    prices: Mapping[str, Price] | None = None
    #: the workspace glossary's view of a query (term tokens, synonym tokens), for the gate
    equivalents: Callable[[str], Equivalents] | None = None
    #: tools offered to a model that can call them (never to one that cannot)
    tools: Sequence[Tool] = ()
    agent_limits: AgentLimits | None = None
    #: the model verifier: "auto" (on for API models), "on" or "off"
    verify: str = "auto"
    #: the model that verifies (None: the model that answered)
    verifier: LLM | None = None
    #: the stored tables and text the offline reader may consult beyond the passages
    sources: Sources | None = None
    #: withholds a model-free answer unlikely to be right (answer/confidence.py)
    gate: Gate | None = None


def answer_question(
    question: str,
    *,
    search: Callable[[str, int], list[Hit]],
    idf: IdfLookup,
    llm: LLM | None,
    profile: Profile,
    options: AskOptions,
    history: Sequence[tuple[str, str]] = (),
) -> Answer:
    """Answer ``question`` (after ``history`` turns of question and answer)."""
    started = time.perf_counter()
    query = standalone_query(question, history, llm)
    hits = search(query, options.k)
    glossary = options.equivalents(query) if options.equivalents else ()
    same = (*glossary, *plain_equivalents(query))  # 돌려받다 is 반환 (answer/plain_words.py)
    same += gloss_equivalents(query)  # "차량 제조사(Make)": the question says they are one
    across = bilingual_equivalents(query)  # 주행거리 is Odometer (answer/bilingual.py)
    # 김하성 is Kim Ha-seong, 신시내티 Cincinnati (answer/transliteration.py)
    across += transliterated_equivalents(query, hits)
    if llm is None:
        answer = _read(query, hits, idf, options, same)
        if answer.abstained and across:
            # across languages only when the question's own language answers nothing: a
            # Korean manual answers "렌치 영점은?" better than its English quick start
            crossed = _read(query, hits, idf, options, (*same, *across))
            if crossed.abstained:
                # the passage in the other language may not have been found at all ("샘플
                # 파워포인트의 제목 슬라이드" over "Sample Title Slide"): search once more
                # with the question's words in that language
                found = search(f"{query} {_other_side(across)}", options.k)
                spelled = transliterated_equivalents(query, found)
                crossed = _read(query, found, idf, options, (*same, *across, *spelled))
                if not _cites_other_language(crossed):
                    crossed = answer  # a passage in the question's own language was there to read
            answer = answer if crossed.abstained else crossed
    else:
        answer = _model_answer(query, hits, llm, idf, profile, options, history,
                               (*same, *across))  # fmt: skip
    answer = replace(answer, question=question, query=query if query != question else "")
    if not answer.total_seconds:  # no model timed it: the whole answer's time
        answer = replace(answer, total_seconds=time.perf_counter() - started)
    return _with_cost(answer, llm, options)


def _cites_other_language(answer: Answer) -> bool:
    """Whether an answer rests on a passage in the other language than its question's."""
    korean = answer.language == "ko"
    return any(has_korean(c.quote) != korean for c in answer.citations)


def _other_side(pairs: Sequence[tuple[frozenset[str], frozenset[str]]]) -> str:
    """The words a passage in the other language holds for the question's, as a query."""
    return " ".join(sorted({token for _, other in pairs for token in other}))


def _read(
    query: str, hits: Sequence[Hit], idf: IdfLookup, options: AskOptions, same: Equivalents
) -> Answer:
    return extractive_answer(query, hits, idf, min_coverage=options.min_coverage,
                             equivalents=same, sources=options.sources,
                             gate=options.gate)  # fmt: skip


def _model_answer(
    query: str,
    hits: Sequence[Hit],
    llm: LLM,
    idf: IdfLookup,
    profile: Profile,
    options: AskOptions,
    history: Sequence[tuple[str, str]],
    equivalents: Equivalents = (),
) -> Answer:
    messages = [m for q, a in history for m in (Message("user", q), Message("assistant", a))]
    try:
        return generative_answer(
            query,
            hits,
            llm,
            idf,
            min_coverage=options.min_coverage,
            max_tokens=options.max_answer_tokens,
            temperature=options.temperature,
            domain_instructions=profile.instructions_for(question_language(query)),
            history=messages,
            equivalents=equivalents,
            tools=options.tools if offers_tools(llm) else (),
            agent_limits=options.agent_limits,
            verifier=_verifier(llm, options),
            reader_sources=options.sources,
        )
    except TRANSIENT_FAILURES as error:
        answer = fallback_answer(
            query,
            hits,
            idf,
            min_coverage=options.min_coverage,
            reason="model_failed",
            model=llm.name,
            equivalents=equivalents,
            sources=options.sources,
        )
        notice = NOTICES["model_failed"][answer.language]
        # the detail names servers and network errors: for the operator's log, not the
        # answer every reader of the conversation sees (issue 15 item 12)
        log.warning("%s failed, answered from the documents: %s", llm.name, error.detail)
        return replace(answer, notice=f"{notice} ({error.code})")


def _verifier(llm: LLM, options: AskOptions) -> ModelVerifier | None:
    if not verifier_enabled(options.verify, llm):
        return None
    return ModelVerifier(
        options.verifier or llm, prices=options.prices, krw_per_usd=options.krw_per_usd
    )


def _with_cost(answer: Answer, llm: LLM | None, options: AskOptions) -> Answer:
    if llm is None:
        return replace(answer, cost_usd=0.0, cost_krw=0.0)
    price = price_for(llm.name, options.prices) if options.prices else price_for(llm.name)
    if price is None:
        return answer
    usage = Usage(
        prompt_tokens=answer.prompt_tokens,
        completion_tokens=answer.completion_tokens,
        cached_prompt_tokens=answer.cached_prompt_tokens,
        reasoning_tokens=answer.reasoning_tokens,
    )
    money = cost(usage, price, krw_per_usd=options.krw_per_usd)
    return replace(answer, cost_usd=money.usd, cost_krw=money.krw)


def log_entry(answer: Answer, *, conversation: str = "") -> dict[str, Any]:
    """What the answer log keeps of an answer: everything but the passages' full text."""
    return {
        "question": answer.question,
        "query": answer.query,
        "conversation": conversation,
        "model": answer.model or "extractive",
        "method": answer.method,
        "language": answer.language,
        "abstained": answer.abstained,
        "answer": answer.text,
        "notice": answer.notice,
        "reasoning": answer.reasoning,
        "sources": [
            {"label": h.label, "document": h.document, "chunk_id": h.chunk_id, "score": h.score}
            for h in answer.hits
        ],
        "citations": [
            {
                "number": c.number,
                "label": c.label,
                "document": c.document,
                "quote": c.quote,
                **({"flag": c.flag, "reason": c.reason} if c.flag else {}),
            }
            for c in answer.citations
        ],
        "removed_citations": list(answer.removed_citations),
        "unsupported": list(answer.unsupported),
        "flags": [asdict(f) for f in answer.flags],
        "verification": asdict(answer.verification) if answer.verification else None,
        "check_seconds": answer.check_seconds,
        "grounded_rate": answer.grounded_rate,
        "prompt_tokens": answer.prompt_tokens,
        "cached_prompt_tokens": answer.cached_prompt_tokens,
        "completion_tokens": answer.completion_tokens,
        "reasoning_tokens": answer.reasoning_tokens,
        "context_tokens": answer.context_tokens,
        "cost_usd": answer.cost_usd,
        "cost_krw": answer.cost_krw,
        "first_token_seconds": answer.first_token_seconds,
        "total_seconds": answer.total_seconds,
        "tools": [asdict(use) for use in answer.tools],
    }
