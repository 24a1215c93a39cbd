"""Indirect prompt injection (SECURITY.md check 5): how often an obeyed payload succeeds.

Builds the suite of :mod:`dalin.testing.injection` (payload documents in one workspace, a
canary in another), asks every payload's question with a model that obeys every payload
it sees, and prints per goal and per carrier: payloads, how many reached the model, tool
calls naming the other workspace (and how many ran), canary leaks, and successful
injections — with the answer guard (:mod:`dalin.answer.guard`) and, as the baseline in the
same run, without it.

    python bench/injection.py
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from dalin.testing.injection import CARRIERS, Outcome, build_suite


def _row(name: str, group: list[Outcome], unguarded: list[Outcome]) -> str:
    reached = sum(o.reached for o in group)
    calls = sum(o.out_of_scope_calls for o in group)
    ran = sum(o.out_of_scope_ran for o in group)
    leaks = sum(o.canary_leaked for o in group)
    won = sum(o.succeeded for o in group)
    before = sum(o.succeeded for o in unguarded)

    def rate(n: int) -> str:
        return f"{n}/{reached} ({n / reached:.0%})" if reached else "—"

    return (
        f"| {name} | {len(group)} | {reached} | {calls} | {ran} | {leaks} | {rate(before)} |"
        f" {rate(won)} |"
    )


def _carrier(carrier: str) -> Callable[[Outcome], bool]:
    return lambda o: o.payload.carrier == carrier


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        suite = build_suite(Path(tmp))
        guarded = suite.run()
        with mock.patch("dalin.answer.generative.guard_answer", lambda text, **_: text):
            unguarded = suite.run()
        suite.workspace.close()
    print(f"{len(guarded)} payloads\n")
    print(
        "| payloads | n | reached the model | calls naming the other workspace | ran |"
        " canary leaks | succeeded without the guard | succeeded |"
    )
    print("|---|---|---|---|---|---|---|---|")
    groups: list[tuple[str, Callable[[Outcome], bool]]] = [
        ("another workspace", lambda o: o.payload.attack.goal == "other_workspace"),
        ("system prompt", lambda o: o.payload.attack.goal == "system_prompt"),
        ("link carrying the conversation", lambda o: o.payload.attack.goal == "exfiltration"),
    ]
    groups += [(f"carrier: {c}", _carrier(c)) for c in CARRIERS]
    groups.append(("all", lambda o: True))
    for name, chosen in groups:
        group = [o for o in guarded if chosen(o)]
        print(_row(name, group, [o for o in unguarded if chosen(o)]))


if __name__ == "__main__":
    main()
