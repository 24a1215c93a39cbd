"""Stress the local backend the way dalin uses it, to check a llama.cpp build does not crash.

Generations with prompts of random size up to 90 % of the context window, replies of up to
2,048 tokens (more than the window can hold), 1 to 3 llama.cpp threads and three callers at
once on one shared model — the calls `dalin ask`, `dalin chat` and `dalin eval generate`
make, pushed to their edges. Run it after building llama-cpp-python on a new kind of CPU
(issue #18); a crash kills the process, so run it under ``-X faulthandler``.

    python -X faulthandler bench/llm_stress.py [--rounds 5] [--contexts 512 2048]

Prints the build's instruction sets and, per configuration, how many generations finished
and how many were refused for not fitting (LLMContextOverflow: the guard in LocalGGUF).
"""

from __future__ import annotations

import argparse
import random
import threading

from dalin.errors import LLMContextOverflow
from dalin.llm.base import Message, collect
from dalin.llm.local import LocalGGUF, unload_models

WORDS = [
    "연차",
    "휴가",
    "근로",
    "기준법",
    "제60조",
    "회사",
    "직원",
    "출장비",
    "정산",
    "반품",
    "배송",
    "the",
    "warranty",
    "period",
    "of",
    "HB-200",
    "is",
    "12",
    "months",
]
CALLERS = 3


def caller(llm: LocalGGUF, seed: int, rounds: int, tally: dict[str, int]) -> None:
    rng = random.Random(seed)
    for _ in range(rounds):
        size = rng.randint(10, int(llm.context_window * 0.9))
        text = " ".join(rng.choice(WORDS) for _ in range(size // 2))
        messages = [Message("system", text), Message("user", "요약해 주세요.")]
        try:
            collect(llm.stream(messages, max_tokens=rng.choice([8, 300, 2048]), temperature=0.7))
            tally["done"] += 1
        except LLMContextOverflow:
            tally["refused"] += 1
        llm.count_tokens(text)  # tokenizing beside a generation, as the prompt builder does


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="generations per caller")
    parser.add_argument("--contexts", type=int, nargs="+", default=[512, 2048])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    import llama_cpp

    print(llama_cpp.__file__, llama_cpp.llama_print_system_info().decode().strip(), flush=True)
    for threads in args.threads:
        for n_ctx in args.contexts:
            llm = LocalGGUF(n_ctx=n_ctx, n_threads=threads)
            tally = {"done": 0, "refused": 0}
            workers = [
                threading.Thread(
                    target=caller, args=(llm, threads * 1000 + n_ctx + i, args.rounds, tally)
                )
                for i in range(CALLERS)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            print(f"threads {threads} n_ctx {n_ctx}: {tally}", flush=True)
            unload_models()
    print("no crash")


if __name__ == "__main__":
    main()
