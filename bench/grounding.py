"""The grounding check (issue #19): how it sorts the check set, what it adds to an answer's
time, and what the model verifier costs.

    python bench/grounding.py [--split heldout|heldout2|…|heldout5] [--verifier-answers 10]
        [--no-verifier]
    python bench/grounding.py --time-only      # the offline check's time on dev and heldout

1. **Check set** (examples/grounding): the default ``MeaningChecker`` against
   ``OverlapChecker`` (the check before #19) in the same run, on the dev split (tuned on)
   and the held-out split (never tuned on): faithful accepted, unfaithful caught, per type.
2. **Offline check time**: per sentence (each check-set sentence against its passages, the
   first time it is read) and per answer (four faithful sentences on one passage, checked
   together as ``check_answer`` checks a model's answer).
3. **Model verifier**: its time per answer through a real OpenAI-compatible server on
   loopback running the bundled Gemma 3 270M (llama.cpp; a stand-in for speed only: a
   270M base model cannot judge entailment, so its verdicts are not scored), and its cost
   per 1,000 answers from the tokens of the same prompts (dalin's estimate, which counts
   high for DeepSeek's tokenizer) at the shipped prices, with a verdict line of
   ``REPLY_TOKENS`` per sentence.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections import defaultdict
from pathlib import Path

from dalin.answer.checker import MeaningChecker
from dalin.answer.grounding import OverlapChecker, check_answer
from dalin.answer.support import SupportChecker
from dalin.answer.verifier import Claim, ModelVerifier
from dalin.eval.checkset import CheckItem, format_checks, load_check_set, run_checks, score_checks
from dalin.llm.cost import DEFAULT_PRICES
from dalin.llm.tokens import estimate_tokens
from dalin.text.korean import terms

ROOT = Path(__file__).resolve().parents[1]
GROUNDING = ROOT / "examples" / "grounding"
#: tokens of one verdict line ('{"n": 1, "verdict": "supported", "reason": "…"}')
REPLY_TOKENS = 30
SENTENCES_PER_ANSWER = 4


def checkset(split: str) -> None:
    items = load_check_set(GROUNDING, split)
    checkers: list[tuple[str, SupportChecker]] = [
        ("MeaningChecker (default)", MeaningChecker()),
        ("OverlapChecker (before #19)", OverlapChecker()),
    ]
    for name, checker in checkers:
        outcomes, _ = run_checks(items, checker)
        print(format_checks(score_checks(outcomes, split=split, checker=name)))


def answers(items: list[CheckItem]) -> list[tuple[str, dict[int, str]]]:
    """Faithful sentences grouped by their one passage, four to an answer, cited [1]."""
    by_passage: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.label == "faithful" and len(item.passages) == 1:
            by_passage[item.passages[0]].append(item.sentence)
    out = []
    for passage, sentences in by_passage.items():
        for start in range(0, len(sentences) - SENTENCES_PER_ANSWER + 1, SENTENCES_PER_ANSWER):
            group = sentences[start : start + SENTENCES_PER_ANSWER]
            out.append((" ".join(f"{s} [1]" for s in group), {1: passage}))
    return out


def offline_time(items: list[CheckItem]) -> None:
    terms("연차휴가는 며칠인가요")  # Kiwi's model loads once per process: not a check's time
    per_sentence = []
    for item in items:
        sources = dict(enumerate(item.passages, start=1))
        started = time.perf_counter()
        check_answer(f"{item.sentence} [1]", sources, question=item.question)
        per_sentence.append((time.perf_counter() - started) * 1000)
    per_answer = []
    batch = answers(items)
    for text, sources in batch:
        started = time.perf_counter()
        check_answer(text, sources)
        per_answer.append((time.perf_counter() - started) * 1000)
    print(
        f"offline check, per sentence ({len(per_sentence)}): p50 {_p(per_sentence, 50):.1f} ms,"
        f" p95 {_p(per_sentence, 95):.1f} ms"
    )
    print(
        f"offline check, per answer of {SENTENCES_PER_ANSWER} sentences ({len(per_answer)},"
        f" passages read before): p50 {_p(per_answer, 50):.1f} ms,"
        f" p95 {_p(per_answer, 95):.1f} ms"
    )


def verifier_cost(items: list[CheckItem]) -> None:
    verifier = ModelVerifier(_Nothing())
    prompts = []
    for text, sources in answers(items):
        sentences = [s.strip() + "." for s in text.split(" [1]") if s.strip(" .")]
        claims = [Claim(s, (1,)) for s in sentences]
        messages = verifier.messages(claims, sources, "ko")
        prompts.append((sum(estimate_tokens(m.content) + 8 for m in messages), len(claims)))
    prompt = statistics.mean(p for p, _ in prompts)
    completion = statistics.mean(n * REPLY_TOKENS for _, n in prompts)
    print(
        f"verifier prompt per answer: {prompt:,.0f} tokens (estimated), reply {completion:.0f}"
        f" tokens ({SENTENCES_PER_ANSWER} sentences)"
    )
    for model in ("deepseek-chat", "gpt-4o-mini"):
        price = DEFAULT_PRICES[model]
        usd = (prompt * price.input_per_mtok + completion * price.output_per_mtok) / 1_000_000
        print(f"  {model}: ${usd * 1000:.4f} per 1,000 answers (₩{usd * 1000 * 1400:,.0f})")


class _Nothing:
    """Only the prompt is built from this model: it is never asked."""

    name = "estimate:none"
    context_window = 32_000

    def stream(self, *args: object, **kwargs: object) -> object:
        raise AssertionError("not asked")

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)


def verifier_time(items: list[CheckItem], count: int) -> None:
    from dalin.llm.local import bundled_model_path
    from dalin.llm.openai import OpenAICompatible
    from dalin.testing.llm_server import SERVED_MODEL, running_llama_server

    batch = answers(items)[:count]
    with running_llama_server(bundled_model_path(), n_ctx=4096) as url:
        verifier = ModelVerifier(OpenAICompatible(SERVED_MODEL, base_url=url, read_timeout=600))
        verifier.verify([Claim("준비", (1,))], {1: "준비"}, "ko")  # loads the weights
        seconds, prompt, reply = [], [], []
        for text, sources in batch:
            claims = [Claim(s.strip() + ".", (1,)) for s in text.split(" [1]") if s.strip(" .")]
            run = verifier.verify(claims, sources, "ko")
            seconds.append(run.seconds)
            prompt.append(run.prompt_tokens)
            reply.append(run.completion_tokens)
    print(
        f"verifier through llama.cpp server on loopback (Gemma 3 270M, {len(seconds)} answers):"
        f" p50 {_p(seconds, 50):.2f} s, p95 {_p(seconds, 95):.2f} s per answer;"
        f" prompt {statistics.median(prompt):,.0f} tokens, reply {statistics.median(reply):.0f}"
        " tokens (Gemma's tokenizer)"
    )


def _p(values: list[float], q: int) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    splits = ["dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "all"]
    parser.add_argument("--split", default="heldout5", choices=splits)
    parser.add_argument("--verifier-answers", type=int, default=10)
    parser.add_argument("--no-verifier", action="store_true", help="skip the llama.cpp run")
    parser.add_argument(
        "--time-only",
        action="store_true",
        help="only the offline check's time over dev and heldout (to compare two checkouts:"
        " PYTHONPATH=OTHER/src python bench/grounding.py --time-only)",
    )
    args = parser.parse_args()
    if args.time_only:
        offline_time([*load_check_set(GROUNDING, "dev"), *load_check_set(GROUNDING, "heldout")])
        return
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {platform.node()} · {os.cpu_count()} cores · load {load:.1f} · {time.ctime()}\n")
    for split in ("dev", args.split) if args.split != "dev" else ("dev",):
        checkset(split)
    everything = load_check_set(GROUNDING, "all")
    offline_time(everything)
    verifier_cost(everything)
    if not args.no_verifier:
        verifier_time(everything, args.verifier_answers)


if __name__ == "__main__":
    main()
