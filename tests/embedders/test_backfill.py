"""Computing the vectors a workspace lacks: cached by text, resumable, in the background."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import dalin
from dalin.embedders.backfill import embed_pending
from dalin.embedders.base import EmbedKind
from dalin.errors import EmbedderUnreachable
from dalin.stores.sqlite import SQLiteStore
from dalin.testing.fake_embedder import HashEmbedder
from dalin.testing.store_contract import chunk, record


def articles(n: int, prefix: str = "조항") -> str:
    """A regulation of ``n`` articles; each article becomes one chunk."""
    return "\n\n".join(
        f"제{i}조({prefix}{i}) {prefix} {i}번의 내용입니다." for i in range(1, n + 1)
    )


def texts_embedded(embedder: HashEmbedder) -> list[str]:
    return [text for texts, kind in embedder.calls if kind == "passage" for text in texts]


@pytest.fixture
def ws(workspace: dalin.Workspace) -> dalin.Workspace:
    workspace.embedder = HashEmbedder()
    return workspace


class FailingEmbedder(HashEmbedder):
    """Fails on call number ``fail_on`` (1-based), as a crash or a dead server would."""

    def __init__(self, fail_on: int, error: BaseException) -> None:
        super().__init__()
        self.fail_on, self.error = fail_on, error

    def embed(self, texts: Sequence[str], *, kind: EmbedKind) -> np.ndarray:
        if len(self.calls) + 1 == self.fail_on:
            self.calls.append((list(texts), "failed"))
            raise self.error
        return super().embed(texts, kind=kind)


class SlowEmbedder(HashEmbedder):
    """Waits ``seconds`` per call, so a test can act while a batch is in flight."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.started = threading.Event()

    def embed(self, texts: Sequence[str], *, kind: EmbedKind) -> np.ndarray:
        self.started.set()
        time.sleep(self.seconds)
        return super().embed(texts, kind=kind)


def test_each_distinct_text_is_embedded_once(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    store.upsert_document(record("/d/a.txt"), [chunk(f"문장 {i}", ["x"]) for i in range(5)])
    store.upsert_document(record("/d/b.txt"), [chunk("문장 0", ["x"]), chunk("다른 문장", ["y"])])
    embedder = HashEmbedder()
    seen: list[tuple[int, int]] = []
    assert embed_pending(store, embedder, batch=2, progress=lambda *p: seen.append(p)) == 6
    assert texts_embedded(embedder) == [*(f"문장 {i}" for i in range(5)), "다른 문장"]
    assert [len(texts) for texts, _ in embedder.calls] == [2, 2, 2]
    assert seen[0] == (0, 7) and seen[-1] == (7, 7)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert embed_pending(store, embedder) == 0 and len(embedder.calls) == 3
    store.close()


def test_re_adding_a_changed_file_embeds_only_its_new_text(
    ws: dalin.Workspace, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    rules = tmp_path / "docs" / "규정.txt"
    rules.write_text(articles(3), encoding="utf-8")
    (tmp_path / "docs" / "사본.txt").write_text(articles(3), encoding="utf-8")
    ws.add([tmp_path / "docs"])
    assert ws.embed_pending() == 3  # the copy shares every text with the original
    rules.write_text(articles(3) + "\n\n제4조(새 조항) 새로 생긴 조항입니다.", encoding="utf-8")
    report = ws.add([tmp_path / "docs"])
    assert len(report.replaced) == 1
    embedder = ws.embedder
    assert isinstance(embedder, HashEmbedder)
    before = len(texts_embedded(embedder))
    assert ws.embed_pending() == 1
    assert texts_embedded(embedder)[before:] == ["제4조(새 조항) 새로 생긴 조항입니다."]
    assert ws.embedding_status() == (7, 7)
    assert sorted(d.vectors for d in ws.documents()) == [3, 4]


def test_a_crash_mid_run_keeps_the_committed_batches(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    store.upsert_document(record("/d/a.txt"), [chunk(f"문장 {i}", ["x"]) for i in range(10)])
    crashing = FailingEmbedder(fail_on=3, error=RuntimeError("power cut"))
    with pytest.raises(RuntimeError, match="power cut"):
        embed_pending(store, crashing, batch=4)
    assert store.vector_coverage(crashing.name) == (8, 10)
    assert store.integrity_check() == "ok"
    store.close()

    store = SQLiteStore(tmp_path / "dalin.db")  # a new process resumes where it stopped
    again = HashEmbedder()
    assert embed_pending(store, again, batch=4) == 2
    assert texts_embedded(again) == ["문장 8", "문장 9"]
    assert store.vector_coverage(again.name) == (10, 10)
    store.close()


def test_stop_is_honoured_between_batches(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    store.upsert_document(record("/d/a.txt"), [chunk(f"문장 {i}", ["x"]) for i in range(10)])
    stop = threading.Event()

    def after_first_batch(done: int, total: int) -> None:
        if done:
            stop.set()

    assert embed_pending(store, HashEmbedder(), batch=3, stop=stop, progress=after_first_batch) == 3
    store.close()


def test_background_embedding_fills_the_workspace(ws: dalin.Workspace, tmp_path: Path) -> None:
    (tmp_path / "규정.txt").write_text(articles(5), encoding="utf-8")
    ws.add([tmp_path / "규정.txt"])
    assert ws.embedding_status() == (0, 5)
    assert ws.start_background_embedding()
    deadline = time.monotonic() + 30
    while ws.embedding_running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ws.embedding_status() == (5, 5) and ws.embedding_error is None


def test_close_stops_background_embedding_cleanly(
    workspace: dalin.Workspace, tmp_path: Path
) -> None:
    (tmp_path / "규정.txt").write_text(articles(40), encoding="utf-8")
    workspace.add([tmp_path / "규정.txt"])
    slow = SlowEmbedder(seconds=0.2)
    workspace.embedder = slow
    workspace.start_background_embedding()
    assert slow.started.wait(10)
    database = workspace.store.path
    workspace.close()
    assert not workspace.embedding_running
    store = SQLiteStore(database)
    done, total = store.vector_coverage(slow.name)
    assert total == 40 and 0 < done < 40 and done % 16 == 0  # whole batches only
    assert store.integrity_check() == "ok"
    store.close()


def test_a_background_failure_is_kept_for_the_status(ws: dalin.Workspace, tmp_path: Path) -> None:
    (tmp_path / "규정.txt").write_text(articles(3), encoding="utf-8")
    ws.add([tmp_path / "규정.txt"])
    ws.embedder = FailingEmbedder(fail_on=1, error=EmbedderUnreachable("no server"))
    ws.start_background_embedding()
    deadline = time.monotonic() + 30
    while ws.embedding_running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert isinstance(ws.embedding_error, EmbedderUnreachable)
    assert ws.embedding_status() == (0, 3)


def test_dense_off_embeds_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    dalin.Workspace.create(folder).close()
    config = folder / "dalin.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('embedder = "local"', 'embedder = "none"'),
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(articles(2), encoding="utf-8")
    with dalin.Workspace.open(folder) as ws:
        ws.add([tmp_path / "a.txt"])
        assert ws.embedder is None and ws.embed_pending() == 0
        assert not ws.start_background_embedding()
        assert ws.embedding_status() == (0, 2)
        assert [d.vectors for d in ws.documents()] == [0]
