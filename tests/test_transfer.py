"""Moving a workspace from SQLite to PostgreSQL and one back out, on a real PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from dalin import Workspace
from dalin.cli.main import app
from dalin.errors import WorkspaceExists
from dalin.stores.base import DocumentRecord, EvalRun
from dalin.stores.migrations import text_hash
from dalin.stores.postgres import PostgresStore, workspace_exists
from dalin.stores.postgres_db import database
from dalin.stores.sqlite import SQLiteStore
from dalin.testing.fake_embedder import HashEmbedder
from dalin.testing.postgres import PostgresURLs
from dalin.transfer import to_postgres, to_sqlite

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "documents"
QUERIES = ["연차휴가는 며칠인가요", "HB-200 오류 코드 E02", "출장비 숙박비 한도", "warranty"]


@pytest.fixture
def url(postgres: PostgresURLs, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DALIN_DATABASE_URL", postgres.app)
    return postgres.app


def keyword_only(folder: Path) -> None:
    config = folder / "dalin.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('embedder = "local"', 'embedder = "none"'),
        encoding="utf-8",
    )


def snapshot(ws: Workspace, embedder: HashEmbedder) -> dict[str, object]:
    """What must survive a move: documents, search results, answers, vectors, files."""
    ws.embedder = embedder  # searches fuse keyword and dense results
    documents = ws.store.documents()
    chunks = [c for d in documents for c in ws.store.document_chunks(d.id)]
    hashes = [text_hash(c.text) for c in chunks]
    vectors = ws.store.vectors(embedder.name, hashes)
    return {
        "documents": [(d.path, d.status, d.chunks, d.chars, d.content_hash) for d in documents],
        "tables": [[t.table for t in ws.store.tables(d.id)] for d in documents],
        "search": [[(h.document, h.label, h.start) for h in ws.search(q, k=5)] for q in QUERIES],
        "answers": [(a["question"], a["asked_at"], a.get("answer")) for a in ws.answer_log()],
        "evaluations": [
            (replace(r, idle_seconds=0.0), ws.store.eval_report(r.run_id))
            for r in ws.store.eval_runs()
        ],
        "coverage": ws.store.vector_coverage(embedder.name),
        "vectors": [vectors[h].round(2).tolist() for h in hashes],
        "glossary": ws.glossary_entries(),
        "profile": ws.profile(),
        "fusion": ws.settings.fusion,
    }  # fmt: skip


def test_a_workspace_moves_to_postgres_and_back_without_loss(tmp_path: Path, url: str) -> None:
    folder = tmp_path / "shop"
    embedder = HashEmbedder()
    with Workspace.create(folder, domain="general") as ws:
        keyword_only(folder)
    with Workspace.open(folder) as ws:
        report = ws.add([EXAMPLES])
        assert not report.failed
        ws.embedder = embedder
        ws.embed_pending()
        ws.ask("연차휴가는 며칠인가요?", conversation="c1")
        ws.ask("HB-200 보증 기간은?", conversation="c1")
        ws.save_glossary({"출장비": ("여비",)})
        broken = DocumentRecord(str(tmp_path / "broken.pdf"), "broken.pdf", 10, 1, "")
        ws.store.record_failure(broken, "corrupt", "truncated")
        done = EvalRun("r1", "done", "q.jsonl", ("extractive",), 1, "2026-12-01T00:00:00+00:00")
        ws.store.add_eval_run(done)
        ws.store.update_eval_run("r1", done=1, total=1, report='{"results": ["연차 15일"]}')
        before = snapshot(ws, embedder)

    moved = to_postgres(folder, url, "shop-1")
    assert moved.ok and not moved.mismatches and moved.agreement == 1.0
    assert moved.documents == len(before["documents"])  # type: ignore[arg-type]
    assert moved.answers == 2 and moved.vectors == {embedder.name: moved.chunks}
    assert moved.evaluations == 1
    assert (folder / "dalin.toml.sqlite").exists() and (folder / "dalin.db").exists()
    with Workspace.open(folder) as ws:
        assert isinstance(ws.store, PostgresStore) and ws.store.workspace == "shop-1"
        assert snapshot(ws, embedder) == before

    export = tmp_path / "export"
    back = to_sqlite(folder, export)
    assert back.ok and back.documents == moved.documents
    with Workspace.open(export) as ws:
        assert isinstance(ws.store, SQLiteStore)
        assert snapshot(ws, embedder) == before
        assert ws.settings.store_backend == "sqlite"

    with pytest.raises(WorkspaceExists):
        to_sqlite(folder, export)


def test_the_copy_of_a_name_taken_in_the_database_is_refused(tmp_path: Path, url: str) -> None:
    folder = tmp_path / "taken"
    Workspace.create(folder).close()
    to_postgres(folder, url, "taken-1", switch=False)
    with pytest.raises(WorkspaceExists):
        to_postgres(folder, url, "taken-1")
    assert not (folder / "dalin.toml.sqlite").exists()  # nothing switched


def test_init_add_ask_and_migrate_through_the_command_line(tmp_path: Path, url: str) -> None:
    runner = CliRunner()

    def dalin(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    online = tmp_path / "online"
    dalin("init", str(online), "--store", "postgres", "--name", "cli-online")
    keyword_only_in_database(online)
    dalin("-w", str(online), "add", str(EXAMPLES / "취업규칙.docx"), "--no-embed")
    assert "제" in dalin("-w", str(online), "search", "연차휴가")
    dalin("-w", str(online), "glossary", "add", "연차 = 연가")
    out = dalin("-w", str(online), "migrate", "--to", "sqlite", str(tmp_path / "local"))
    assert "1" in out
    local = tmp_path / "local"
    with Workspace.open(local) as ws:
        assert ws.glossary_entries() == {"연차": ("연가",)} and len(ws.documents()) == 1

    dalin("-w", str(local), "migrate", "--to", "postgres", "--name", "cli-again")
    with Workspace.open(local) as ws:
        assert isinstance(ws.store, PostgresStore) and len(ws.documents()) == 1


def keyword_only_in_database(folder: Path) -> None:
    with Workspace.open(folder) as ws:
        text = ws.files.read("dalin.toml") or ""
        ws.files.write("dalin.toml", text.replace('embedder = "local"', 'embedder = "none"'))


def test_stored_vectors_survive_as_float16(tmp_path: Path, url: str) -> None:
    folder = tmp_path / "v"
    with Workspace.create(folder) as ws:
        keyword_only(folder)
    with Workspace.open(folder) as ws:
        ws.add([EXAMPLES / "고객센터_FAQ.txt"])
        ws.embedder = HashEmbedder()
        ws.embed_pending()
        first = ws.store.documents()[0]
        hashes = [text_hash(c.text) for c in ws.store.document_chunks(first.id)]
        original = ws.store.vectors("hash:64", hashes)
    to_postgres(folder, url, "v-1")
    with Workspace.open(folder) as ws:
        copied = ws.store.vectors("hash:64", hashes)
    for h in hashes:
        np.testing.assert_array_equal(copied[h], original[h])  # float16 both sides


def test_an_interrupted_copy_leaves_no_half_workspace(tmp_path: Path, url: str) -> None:
    folder = tmp_path / "cut"
    with Workspace.create(folder) as ws:
        keyword_only(folder)
    with Workspace.open(folder) as ws:
        assert not ws.add([EXAMPLES]).failed

    def interrupt(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the copy

    with pytest.raises(KeyboardInterrupt):
        to_postgres(folder, url, "cut-1", progress=interrupt)
    assert not workspace_exists(database(url), "cut-1")
    assert not (folder / "dalin.toml.sqlite").exists()  # the folder still holds SQLite
    assert to_postgres(folder, url, "cut-1").ok  # the name is free again

    with pytest.raises(KeyboardInterrupt):
        to_sqlite(folder, tmp_path / "half", progress=interrupt)
    assert sorted(p.name for p in (tmp_path / "half").iterdir()) == []


def test_uploaded_files_move_into_the_database_with_their_workspace(
    tmp_path: Path, url: str
) -> None:
    folder = tmp_path / "served"
    with Workspace.create(folder, domain="general"):
        keyword_only(folder)
    uploads = folder / "files"  # where `dalin serve` keeps a workspace's uploads
    uploads.mkdir()
    kept, changed = uploads / "취업규칙.docx", uploads / "가격표_2025.md"
    for path in (kept, changed):
        path.write_bytes((EXAMPLES / path.name).read_bytes())
    with Workspace.open(folder) as ws:
        assert not ws.add([kept, changed, EXAMPLES / "고객센터_FAQ.txt"]).failed
    changed.write_bytes(b"# edited after indexing\n")  # not what was indexed: not kept

    # a run an older dalin kept in a folder (before the store kept runs), never served since
    legacy = folder / "eval" / "runs" / "20261130T090000Z-0a1b2c3d"
    legacy.mkdir(parents=True)
    status = {"status": "done", "question_set": "q.jsonl", "models": ["extractive"],
              "questions": 2, "started_at": "2026-11-30T09:00:00+00:00",
              "finished_at": "2026-11-30T09:01:00+00:00"}  # fmt: skip
    (legacy / "status.json").write_text(json.dumps(status), encoding="utf-8")
    (legacy / "run_report.json").write_text('{"results": []}', encoding="utf-8")

    moved = to_postgres(folder, url, "served-1")
    assert moved.ok and moved.uploads == 1
    assert moved.evaluations == 1
    store = PostgresStore(database(url), "served-1")
    run = store.eval_run(legacy.name)
    assert run is not None and (run.status, run.questions) == ("done", 2)
    assert store.eval_report(legacy.name) == '{"results": []}'
    assert (legacy / "status.json").is_file()  # the source is left as it was
    assert store.original(str(kept)) == kept.read_bytes()
    assert store.original(str(changed)) is None
    assert store.original(str(EXAMPLES / "고객센터_FAQ.txt")) is None  # not an upload
