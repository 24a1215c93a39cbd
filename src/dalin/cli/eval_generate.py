"""`dalin eval generate`: draft a question set from the workspace's documents with a model.

Registered on the ``eval`` sub-app by the last line of this module; ``dalin.cli.eval``
imports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from dalin.cli.common import (
    BaseUrlOption,
    LlmOption,
    fail,
    open_workspace,
    out,
    progress_bar,
    state,
)
from dalin.eval.generate import DraftProgress, DraftRun, draft_questions, write_drafts

DEFAULT_OUT = Path("questions.draft.jsonl")

MESSAGES: dict[str, tuple[str, str]] = {
    "needs_model": (
        "질문 초안을 쓰려면 모델이 필요합니다. 예: --llm local 또는 --llm deepseek:deepseek-chat",
        "Drafting questions needs a model, e.g. --llm local or --llm deepseek:deepseek-chat",
    ),
    "no_passages": (
        "질문을 만들 만한 구절이 없습니다. 먼저 dalin add 로 문서를 추가하세요.",
        "No passages to draft from; add documents first with dalin add.",
    ),
    "progress": ("질문 초안 작성", "Drafting questions"),
    "written": ("질문 초안을 썼습니다: {path}", "Wrote draft questions to {path}"),
    "counts": ("남김 {kept} · 버림 {dropped}", "kept {kept} · dropped {dropped}"),
    "review": (
        "초안입니다. 쓰기 전에 질문과 답을 근거(evidence)와 대조해 하나씩 확인하고, 틀린 것은"
        " 고치거나 지우세요.",
        "These are drafts: check each question and answer against its evidence before use;"
        " fix or delete the wrong ones.",
    ),
}
#: why drafts were dropped, as the user reads it
DROPPED: dict[str, tuple[str, str]] = {
    "unparseable": ("형식에 맞지 않음", "not in the line format"),
    "no_answer": ("답이 없음", "no answer"),
    "evidence_not_found": ("근거 문장이 본문에 없음", "evidence not found in the passage"),
}


class Language(StrEnum):
    ko = "ko"
    en = "en"


def _say(key: str, **values: object) -> str:
    ko, en = MESSAGES[key]
    return (ko if state().lang == "ko" else en).format(**values)


def generate(
    count: Annotated[
        int, typer.Option("--count", min=1, help="How many passages to ask about.")
    ] = 20,
    out_path: Annotated[
        Path, typer.Option("--out", help="JSONL file to write the drafts to.")
    ] = DEFAULT_OUT,
    llm: LlmOption = None,
    base_url: BaseUrlOption = None,
    seed: Annotated[int, typer.Option("--seed", help="Which passages: same seed, same ones.")] = 0,
    language: Annotated[
        Language | None,
        typer.Option("--language", help="Prompt language (default: each passage's own)."),
    ] = None,
) -> None:
    """Draft questions from the documents with a model, to check before use.
    / 문서로 질문 초안을 만듭니다 (쓰기 전에 확인하세요)."""
    with open_workspace() as ws:
        model = ws.model(llm, base_url=base_url)
        if model is None:
            fail(_say("needs_model"))
        run = _draft_with_progress(
            lambda progress: draft_questions(
                ws,
                model,
                count=count,
                seed=seed,
                language=language.value if language else None,
                progress=progress,
            )
        )
    if run.passages == 0:
        fail(_say("no_passages"))
    path = write_drafts(run.items, out_path)
    out.print(_say("written", path=escape(str(path))))
    out.print(_say("counts", kept=len(run.items), dropped=len(run.dropped)))
    for reason, n in sorted(Counter(d.reason for d in run.dropped).items()):
        ko, en = DROPPED[reason]
        out.print(f"  [dim]{escape(ko if state().lang == 'ko' else en)}: {n}[/dim]")
    out.print(f"[yellow]{escape(_say('review'))}[/yellow]")


def _draft_with_progress(draft: Callable[[DraftProgress], DraftRun]) -> DraftRun:
    with progress_bar() as progress:
        task = progress.add_task(_say("progress"), total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return draft(update)


# Registered here, so the eval sub-app's module only has to import this one.
from dalin.cli.eval import eval_app  # noqa: E402

eval_app.command("generate")(generate)
