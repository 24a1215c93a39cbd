"""Speed of the local backend: time to first token and tokens per second.

Runs the bundled Gemma 3 270M (LocalGGUF, llama.cpp in-process) on one fixed Korean
question with a retrieved passage, the shape of a real dalin prompt, and reports the
median of N runs per thread count. Greedy decoding; the first run after loading is a
warm-up and is not counted. Each run's prompt starts with its own request number, so
llama.cpp cannot reuse the previous run's prompt from its cache: the first-token time
includes reading the whole prompt, as it does for a new question.

    python bench/llm_local.py [--runs 5] [--threads 1 2] [--max-tokens 64]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from dataclasses import dataclass

from dalin.llm.base import Message, collect
from dalin.llm.local import LocalGGUF, default_threads, unload_models

QUESTION = "3년 넘게 일한 직원의 연차휴가는 며칠인가요?"
SYSTEM = (
    "다음 문서를 참고해 질문에 답하세요. 문서에 없는 내용은 모른다고 답하세요.\n\n"
    "[1] 취업규칙 제26조(연차유급휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 "
    "15일의 유급휴가를 주어야 한다. ② 회사는 계속하여 근로한 기간이 1년 미만인 직원 "
    "또는 1년간 80퍼센트 미만 출근한 직원에게 1개월 개근 시 1일의 유급휴가를 주어야 "
    "한다. ③ 3년 이상 계속하여 근로한 직원에게는 최초 1년을 초과하는 계속 근로 연수 "
    "매 2년에 대하여 1일을 가산한 유급휴가를 주어야 한다. 이 경우 가산휴가를 포함한 "
    "총 휴가 일수는 25일을 한도로 한다."
)


def prompt(number: int) -> list[Message]:
    return [Message("system", f"요청 {number}. {SYSTEM}"), Message("user", QUESTION)]


@dataclass(frozen=True)
class Run:
    first_token: float
    total: float
    prompt_tokens: int
    completion_tokens: int

    @property
    def decode_rate(self) -> float:
        """Tokens per second after the first token (generation speed proper)."""
        return (self.completion_tokens - 1) / max(self.total - self.first_token, 1e-9)


def measure(llm: LocalGGUF, number: int, max_tokens: int) -> Run:
    answer = collect(llm.stream(prompt(number), max_tokens=max_tokens, temperature=0))
    return Run(
        first_token=answer.first_token_seconds or answer.total_seconds,
        total=answer.total_seconds,
        prompt_tokens=answer.usage.prompt_tokens,
        completion_tokens=answer.usage.completion_tokens,
    )


def bench(threads: int, runs: int, max_tokens: int) -> tuple[float, list[Run], str]:
    """Load time, the counted runs, and the answer text, for one thread count."""
    llm = LocalGGUF(n_threads=threads)
    started = time.perf_counter()
    llm.count_tokens("x")  # loads the model
    load = time.perf_counter() - started
    text = collect(llm.stream(prompt(0), max_tokens=max_tokens, temperature=0)).text  # warm-up
    return load, [measure(llm, number, max_tokens) for number in range(1, runs + 1)], text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[default_threads()])
    parser.add_argument("--max-tokens", type=int, default=64)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, ", end="")
    print(f"median of {args.runs} runs, max_tokens={args.max_tokens}\n")
    print(
        "| threads | load s | prompt tok | completion tok | first token s | decode tok/s "
        "| total s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    answers = []
    for threads in args.threads:
        unload_models()  # the cache keys on path and n_ctx, not threads: load afresh
        load, runs, text = bench(threads, args.runs, args.max_tokens)
        answers.append(text)
        print(
            f"| {threads} | {load:.2f} | {runs[0].prompt_tokens} | {runs[0].completion_tokens} "
            f"| {statistics.median(r.first_token for r in runs):.3f} "
            f"| {statistics.median(r.decode_rate for r in runs):.1f} "
            f"| {statistics.median(r.total for r in runs):.2f} |"
        )
    print(f"\nanswer: {answers[0].strip()!r}")


if __name__ == "__main__":
    main()
