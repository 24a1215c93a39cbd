"""`dalin add` prepares meaning search (vectors) after the keyword index, `dalin embed`
resumes, `dalin docs` counts them; Ctrl-C and a failing embedder keep what was done."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from rich.progress import Progress
from typer.testing import CliRunner

from dalin.cli.indexing import TimeLeftColumn, time_left
from dalin.cli.main import app
from dalin.cli.messages import message
from dalin.embedders.base import EmbedKind
from dalin.errors import EmbedderUnreachable
from dalin.testing.fake_embedder import HashEmbedder

runner = CliRunner()


def dalin(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--lang", "en", *args])
    return result.exit_code, result.output


@pytest.fixture
def ws(tmp_path: Path) -> str:
    path = str(tmp_path / "ws")
    assert dalin("-w", path, "init")[0] == 0
    return path


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """Two files of 20 articles each: 40 chunks, so more than two batches of 16."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("규정", "지침"):
        text = "\n\n".join(
            f"제{i}조({name}{i}) {name} {i}번 조항의 내용입니다." for i in range(1, 21)
        )
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


class BreaksOnCall(HashEmbedder):
    """Raises ``error`` on call number ``call`` (1-based)."""

    def __init__(self, call: int, error: BaseException) -> None:
        super().__init__()
        self.call, self.error = call, error

    def embed(self, texts: Sequence[str], *, kind: EmbedKind) -> np.ndarray:
        if len(self.calls) + 1 == self.call:
            raise self.error
        return super().embed(texts, kind=kind)


def use_embedder(monkeypatch: pytest.MonkeyPatch, embedder: HashEmbedder) -> None:
    monkeypatch.setattr("dalin.workspace.make_embedder", lambda spec, **_: embedder)


def test_add_embeds_after_the_keyword_index(ws: str, docs: Path) -> None:
    code, output = dalin("-w", ws, "add", str(docs))
    assert code == 0 and "added 2" in output
    assert output.index("passages 40") < output.index("searchable by keyword now")
    assert "ready for meaning search: 40/40 passages" in output
    code, output = dalin("-w", ws, "docs")
    assert code == 0 and "Semantic" in output
    assert "ready for meaning search: 40/40 passages" in output
    code, output = dalin("-w", ws, "docs", "--json")
    assert [d["vectors"] for d in json.loads(output)] == [20, 20]
    code, output = dalin("-w", ws, "add", str(docs))  # nothing new: nothing to embed
    assert code == 0 and "unchanged 2" in output and "meaning search" not in output


def test_no_embed_then_dalin_embed(ws: str, docs: Path, hash_embedder: list[HashEmbedder]) -> None:
    code, output = dalin("-w", ws, "add", "--no-embed", str(docs))
    assert code == 0 and "ready for meaning search" not in output
    # one line says what is left and which command does it
    [later] = [line for line in output.splitlines() if "dalin embed" in line]
    assert "not ready yet (40 passages)" in later
    assert dalin("-w", ws, "docs")[1].count("ready for meaning search: 0/40 passages") == 1
    code, output = dalin("-w", ws, "embed")
    assert code == 0 and "ready for meaning search: 40/40 passages" in output
    code, output = dalin("-w", ws, "embed")
    assert code == 0 and "ready for meaning search: 40/40 passages" in output
    assert sum(len(e.calls) for e in hash_embedder) == 3  # 16 + 16 + 8, once


def test_ctrl_c_keeps_the_finished_batches_and_embed_resumes(
    ws: str, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_embedder(monkeypatch, BreaksOnCall(2, KeyboardInterrupt()))
    code, output = dalin("-w", ws, "add", str(docs))
    assert code == 130 and "added 2" in output
    assert "ready for meaning search: 16/40 passages" in output and f"dalin -w {ws} embed" in output
    resumed = HashEmbedder()
    use_embedder(monkeypatch, resumed)
    code, output = dalin("-w", ws, "embed")
    assert code == 0 and "ready for meaning search: 40/40 passages" in output
    assert sum(len(texts) for texts, _ in resumed.calls) == 24


def test_a_failing_embedder_leaves_keyword_search_working(
    ws: str, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_embedder(monkeypatch, BreaksOnCall(1, EmbedderUnreachable("no reply from 127.0.0.1:9")))
    code, output = dalin("-w", ws, "add", str(docs))
    assert code == 3 and "no reply from 127.0.0.1:9" in output
    assert "keyword search works" in output and "ready for meaning search: 0/40 passages" in output
    code, output = dalin("-w", ws, "search", "조항", "--json")
    assert code == 0 and json.loads(output)


def test_dense_off(ws: str, docs: Path) -> None:
    config = Path(ws) / "dalin.toml"
    text = config.read_text(encoding="utf-8").replace('embedder = "local"', 'embedder = "none"')
    config.write_text(text, encoding="utf-8")
    code, output = dalin("-w", ws, "add", str(docs))
    assert code == 0 and "meaning search" not in output
    code, output = dalin("-w", ws, "add", "--no-embed", str(docs))
    assert code == 0 and "dalin embed" not in output
    code, output = dalin("-w", ws, "embed")
    assert code == 0 and "Meaning search is off" in output
    code, output = dalin("-w", ws, "docs")
    assert code == 0 and "ready for meaning search" not in output


@pytest.mark.parametrize(
    ("seconds", "lang", "text"),
    [
        (None, "ko", "남은 시간 계산 중"),
        (3.2, "ko", "남은 시간 약 10초"),
        (41, "en", "about 50 s left"),
        (61, "ko", "남은 시간 약 2분"),
        (7 * 60, "en", "about 7 min left"),
        (2 * 3600 + 5 * 60 + 1, "ko", "남은 시간 약 2시간 6분"),
    ],
)
def test_the_time_left_in_words(seconds: float | None, lang: str, text: str) -> None:
    assert time_left(seconds, lang) == text


def test_the_progress_line_estimates_from_the_measured_rate() -> None:
    """A 400-passage run measured at 4 passages a second has 100 s, about 2 min, left."""
    now = [0.0]
    screen = Console(file=io.StringIO(), width=80, force_terminal=False)
    progress = Progress(TimeLeftColumn("ko"), console=screen, get_time=lambda: now[0])
    task = progress.add_task(message("embed.progress", "ko"), total=800, completed=0)
    assert str(TimeLeftColumn("ko").render(progress.tasks[0])) == "남은 시간 계산 중"
    for _ in range(10):
        now[0] += 10
        progress.update(task, advance=40)  # 4 a second
    assert str(TimeLeftColumn("ko").render(progress.tasks[0])) == "남은 시간 약 2분"
    assert message("embed.progress", "ko") == "의미 검색 준비"
