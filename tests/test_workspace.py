"""The library API end to end on real SQLite files in temporary folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import dalin
from dalin.errors import DocumentNotFound, WorkspaceExists, WorkspaceNotFound
from dalin.stores.base import DocumentRecord

RULES = """제1조(목적) 이 규칙은 직원의 근로조건을 정한다.

제12조(연차휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 연차휴가 15일을 준다.
② 3년 이상 근속한 직원에게는 2년마다 1일을 가산한다.

제13조(경조휴가) 본인 결혼 시 5일의 경조휴가를 준다.
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def test_create_and_open(tmp_path: Path) -> None:
    dalin.Workspace.create(tmp_path / "ws").close()
    with pytest.raises(WorkspaceExists):
        dalin.Workspace.create(tmp_path / "ws")
    dalin.Workspace.open(tmp_path / "ws").close()
    with pytest.raises(WorkspaceNotFound, match="dalin init"):
        dalin.Workspace.open(tmp_path / "nowhere")


def test_korean_question_finds_the_article(workspace: dalin.Workspace, tmp_path: Path) -> None:
    write(tmp_path, "취업규칙.txt", RULES)
    report = workspace.add([tmp_path / "취업규칙.txt"])
    assert len(report.added) == 1 and report.chunks >= 3
    hits = workspace.search("연차휴가는 며칠인가요", k=3)
    assert hits[0].label == "취업규칙.txt · 제12조(연차휴가)"
    assert "연차휴가 15일" in hits[0].text
    assert hits[0].end - hits[0].start == len(hits[0].text)


def test_ask_cites_and_abstains(workspace: dalin.Workspace, tmp_path: Path) -> None:
    write(tmp_path, "취업규칙.txt", RULES)
    workspace.add([tmp_path])
    answer = workspace.ask("연차휴가는 며칠인가요?")
    assert not answer.abstained and "15일" in answer.text and "[1]" in answer.text
    assert answer.citations[0].label == "취업규칙.txt · 제12조(연차휴가) ①"
    quote = answer.citations[0]
    assert quote.quote in RULES
    nothing = workspace.ask("우주선 발사 일정이 어떻게 되나요?")
    assert (
        nothing.abstained
        and nothing.text == "문서에서 답을 찾지 못했습니다."
        and not nothing.citations
    )
    assert workspace.ask("When does the rocket launch?").text == "Not found in your documents."


def test_unchanged_replaced_and_removed(workspace: dalin.Workspace, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    path = write(docs, "note.txt", "zebraword 휴가 규정입니다.")
    assert workspace.add([docs]).added == (str(path),)
    assert workspace.add([docs]).unchanged == (str(path),)
    os.utime(path, ns=(1, 1))  # same bytes, new mtime: hashed, still unchanged
    assert workspace.add([docs]).unchanged == (str(path),)
    write(docs, "note.txt", "giraffeword 새 규정입니다.")
    assert workspace.add([docs]).replaced == (str(path),)
    assert workspace.search("zebraword") == []
    assert len(workspace.search("giraffeword")) == 1
    removed = workspace.remove("note.txt")
    assert removed.path == str(path)
    assert workspace.search("giraffeword") == [] and workspace.documents() == []
    with pytest.raises(DocumentNotFound):
        workspace.remove("note.txt")


def test_bad_files_never_stop_the_batch(workspace: dalin.Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    write(folder, "good.txt", "좋은 문서의 내용입니다.")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "fake.pdf").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    (folder / "image.xyz").write_bytes(b"data")
    write(folder, "euckr.txt", "출장비는 실비로 정산한다.", encoding="cp949")
    report = workspace.add([folder, tmp_path / "missing.txt"])
    assert sorted(Path(p).name for p in report.added) == ["euckr.txt", "good.txt"]
    codes = {Path(f.path).name: f.code for f in report.failed}
    assert codes == {"empty.pdf": "empty", "fake.pdf": "corrupt", "missing.txt": "not_found"}
    # a type no parser reads is set aside, not a failure, and not stored
    assert [Path(p).name for p in report.skipped] == ["image.xyz"]
    failed = {d.name: d for d in workspace.documents() if d.status == "failed"}
    assert set(failed) == {"empty.pdf", "fake.pdf"}
    assert all(d.error for d in failed.values())
    assert workspace.search("출장비 정산")[0].name == "euckr.txt"


def test_a_skipped_type_drops_the_failure_an_older_run_recorded(
    workspace: dalin.Workspace, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.zip"
    archive.write_bytes(b"PK\x03\x04 not read")
    record = DocumentRecord(str(archive.resolve()), archive.name, 16, 0, "")
    workspace.store.record_failure(record, "unsupported", '".zip" files are not supported')
    assert [d.name for d in workspace.documents()] == ["backup.zip"]
    report = workspace.add([tmp_path])
    assert report.skipped == (str(archive.resolve()),) and not report.failed
    assert workspace.documents() == []


def test_failed_update_keeps_the_indexed_version(
    workspace: dalin.Workspace, tmp_path: Path
) -> None:
    path = write(tmp_path, "manual.md", "# 설명서\n\n보증 기간은 1년입니다.")
    workspace.add([path])
    path.write_bytes(b"   \n")  # now blank: nothing to index
    report = workspace.add([path])
    assert report.failed and report.failed[0].code == "empty"
    [doc] = workspace.documents()
    assert doc.status == "indexed" and doc.error
    assert workspace.search("보증 기간")[0].name == "manual.md"


def test_workspace_folder_itself_is_not_indexed(tmp_path: Path) -> None:
    ws = dalin.Workspace.create(tmp_path / ".dalin")
    write(tmp_path, "a.txt", "내용")
    report = ws.add([tmp_path])
    assert [Path(p).name for p in report.added] == ["a.txt"]
    ws.close()


def test_examples_index_without_failures(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "documents"
    shutil.copytree(examples, tmp_path / "docs")
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        report = ws.add([tmp_path / "docs"])
        assert not report.failed and len(report.added) >= 6
        formats = {d.format for d in ws.documents()}
        assert {"pdf", "docx", "text", "markdown", "html"} <= formats


def test_one_path_may_be_given_alone(tmp_path: Path) -> None:
    # a Path used to raise "'PosixPath' object is not iterable", and a string was read
    # letter by letter as missing one-letter paths
    folder = tmp_path / "docs"
    folder.mkdir()
    write(folder, "취업규칙.txt", RULES)
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        assert [Path(p).name for p in ws.add(folder).added] == ["취업규칙.txt"]
        report = ws.add(str(folder / "취업규칙.txt"))
        assert report.unchanged and not report.failed
