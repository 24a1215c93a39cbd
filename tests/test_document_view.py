"""Looking inside a document, scoping a question, resuming and exporting: the library API
on real files (a built HWP, shared PDF, HWPX and XLSX samples) in real SQLite workspaces."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dalin
from dalin.answer.ask import log_entry
from dalin.answer.export import answer_markdown, conversation_markdown
from dalin.content import document_content
from dalin.errors import ConversationNotFound, DocumentNotFound
from dalin.testing.hwp import cell, hwp_file, paragraph, section, table
from dalin.tools.base import NumberedPassages
from dalin.tools.tables import ScopedTables
from dalin.types import Chunk, DocumentInfo
from shared_samples import shared_path

LEAVE = "제12조(연차휴가) 회사는 1년간 80퍼센트 이상 출근한 직원에게 연차휴가 15일을 준다.\n"
SHIPPING = "배송 안내\n\n일반 배송은 서울 지역에서 영업일 기준 3일이 걸린다.\n"


def _rules_hwp(folder: Path) -> Path:
    rows = [cell(0, 0, "구분"), cell(0, 1, "일수"), cell(1, 0, "연차"), cell(1, 1, "15일")]
    body = section(
        paragraph("제1조(목적) 이 규정은 직원의 휴가를 정한다."),
        paragraph("제2조(연차휴가) 연차휴가는 15일로 한다."),
        paragraph(table(rows, 2, 2)),
        paragraph("제3조(병가) 병가는 1년에 10일까지 쓸 수 있다."),
    )
    path = folder / "휴가규정.hwp"
    path.write_bytes(hwp_file([body]))
    return path


def test_hwp_content_follows_the_articles_in_order(
    workspace: dalin.Workspace, tmp_path: Path
) -> None:
    workspace.add([_rules_hwp(tmp_path)])
    content = workspace.content("휴가규정.hwp")
    labels = [b.label for b in content.blocks]
    articles = [label.split(" ")[0] for label in labels if label.startswith("제")]
    assert articles[0].startswith("제1조") and articles[-1].startswith("제3조")
    assert [a for a in articles if a.startswith("제2조")], labels
    text = "\n".join(b.text for b in content.blocks)
    assert text.index("제1조") < text.index("제2조") < text.index("제3조")
    assert "병가는 1년에 10일" in text
    [stored] = content.tables
    assert (stored.name, stored.label) == ("표 1", "표 1")
    assert stored.header == ("구분", "일수") and stored.rows == (("연차", "15일"),)
    assert content.document.name == "휴가규정.hwp" and content.document.status == "indexed"


def test_pdf_content_is_labelled_by_page_and_article(workspace: dalin.Workspace) -> None:
    workspace.add([shared_path("samples", "autorag_kbo_table_text.pdf")])
    content = workspace.content("autorag_kbo_table_text.pdf")
    assert all(b.label.startswith("p.1") for b in content.blocks)
    assert any("제21조" in b.label for b in content.blocks)
    [stored] = content.tables
    assert stored.label == "p.1 · 표 1"
    assert stored.header == ("구분", "토요일", "일요일/공휴일", "평일") and stored.rows


def test_hwpx_content_keeps_pages_and_the_addenda(workspace: dalin.Workspace) -> None:
    workspace.add([shared_path("samples", "ADV_hwpxlib_20240626_no_manifest.hwpx")])
    content = workspace.content("ADV_hwpxlib_20240626_no_manifest.hwpx")
    pages = [b.label.split(" ")[0] for b in content.blocks]
    assert pages[0] == "p.1" and pages == sorted(pages, key=lambda p: int(p[2:]))
    assert any("부 칙" in b.label for b in content.blocks)
    assert content.tables and content.tables[0].header


def test_xlsx_content_names_sheet_ranges(workspace: dalin.Workspace) -> None:
    workspace.add([shared_path("samples", "markitdown_test.xlsx")])
    content = workspace.content("markitdown_test.xlsx")
    first = content.tables[0]
    assert (first.name, first.label) == ("Sheet1", "Sheet1!A1:D24")
    assert first.header == ("Alpha", "Beta", "Gamma", "Delta") and len(first.rows) == 23
    assert content.blocks[0].label == "Sheet1 · Sheet1!A2:D2"
    assert {b.kind for b in content.blocks} == {"table"}
    assert len(content.tables) == 2 and content.tables[1].label.startswith("'")


def test_content_holds_every_chunk_once(workspace: dalin.Workspace, tmp_path: Path) -> None:
    workspace.add([_rules_hwp(tmp_path)])
    doc = workspace.document("휴가규정.hwp")
    chunks = workspace.store.document_chunks(doc.id)
    content = workspace.content(doc.id)
    assert len(content.blocks) <= len(chunks)
    joined = "".join(b.text for b in content.blocks)
    assert all(c.text in joined for c in chunks)
    assert len(joined) <= sum(len(c.text) + 1 for c in chunks)
    with pytest.raises(DocumentNotFound):
        workspace.content("없는문서.hwp")


def test_a_scoped_question_never_cites_another_document(
    workspace: dalin.Workspace, tmp_path: Path
) -> None:
    (tmp_path / "leave.txt").write_text(LEAVE, encoding="utf-8")
    (tmp_path / "shipping.txt").write_text(SHIPPING, encoding="utf-8")
    workspace.add([tmp_path / "leave.txt", tmp_path / "shipping.txt"])
    leave, shipping = workspace.document("leave.txt"), workspace.document("shipping.txt")
    question = "연차휴가는 며칠인가요?"
    assert workspace.ask(question).citations[0].doc_id == leave.id
    scoped = workspace.ask(question, documents=[shipping.id])
    assert all(c.doc_id == shipping.id for c in scoped.citations)
    assert all(h.doc_id == shipping.id for h in scoped.hits)
    assert "15일" not in scoped.text
    assert workspace.ask(question, documents=[leave.id]).citations[0].doc_id == leave.id
    # a model's search tool is kept to the scope as well
    cited = NumberedPassages()
    [search] = [t for t in workspace.tools([shipping.id]) if t.spec.name == "search"]
    search.run({"query": "연차휴가 15일"}, cited)
    assert cited.passages and {h.doc_id for h in cited.passages} == {shipping.id}


def test_scoped_tables_see_only_the_scope(workspace: dalin.Workspace, tmp_path: Path) -> None:
    workspace.add([_rules_hwp(tmp_path), shared_path("samples", "markitdown_test.xlsx")])
    hwp, xlsx = workspace.document("휴가규정.hwp"), workspace.document("markitdown_test.xlsx")
    scoped = ScopedTables(workspace, frozenset({hwp.id}))
    assert [d.id for d in scoped.documents()] == [hwp.id]
    assert scoped.tables(xlsx.id) == [] and len(scoped.tables(hwp.id)) == 1
    scoped_tools, all_tools = workspace.tools([hwp.id]), workspace.tools()
    described = "\n".join(t.spec.description for t in scoped_tools)
    assert "휴가규정.hwp" in described and "markitdown_test.xlsx" not in described
    assert "markitdown_test.xlsx" in "\n".join(t.spec.description for t in all_tools)
    for tool in (*scoped_tools, *all_tools):
        close = getattr(tool, "close", None)
        if callable(close):
            close()


def test_a_conversation_reads_back_oldest_first(workspace: dalin.Workspace, tmp_path: Path) -> None:
    (tmp_path / "leave.txt").write_text(LEAVE, encoding="utf-8")
    workspace.add([tmp_path / "leave.txt"])
    with pytest.raises(ConversationNotFound, match="nope"):
        workspace.conversation("nope")
    workspace.ask("연차휴가는 며칠인가요?", conversation="c1")
    workspace.ask("누가 받나요?", conversation="c1", history=[("연차휴가는 며칠인가요?", "15일")])
    turns = workspace.conversation("c1")
    assert [t["question"] for t in turns] == ["연차휴가는 며칠인가요?", "누가 받나요?"]
    with pytest.raises(ConversationNotFound):
        workspace.conversation("c1", owner="key:9")


def test_an_exported_answer_has_question_answer_and_quoted_sources(
    workspace: dalin.Workspace, tmp_path: Path
) -> None:
    (tmp_path / "leave.txt").write_text(LEAVE, encoding="utf-8")
    workspace.add([tmp_path / "leave.txt"])
    answer = workspace.ask("연차휴가는 며칠인가요?", conversation="x")
    text = answer_markdown(log_entry(answer))
    citation = answer.citations[0]
    assert "> 연차휴가는 며칠인가요?" in text and answer.text.strip() in text
    label = citation.label.removeprefix("leave.txt · ")
    assert f"1. **leave.txt** · {label}" in text
    assert f"   > {citation.quote.strip()}" in text
    assert "모델 / Model: extractive · 날짜 / Date: " in text
    logged = conversation_markdown(workspace.conversation("x"), "x")
    assert logged.split("\n", 2)[2] == text.split("\n", 2)[2].replace("## 질문", "## 1. 질문")


@given(
    question=st.text(min_size=1, max_size=200).filter(lambda t: t.strip()),
    quote=st.text(max_size=200),
)
def test_every_line_of_a_question_and_quote_stays_in_its_block_quote(
    question: str, quote: str
) -> None:
    entry = {
        "question": question,
        "answer": "답",
        "citations": [{"number": 1, "document": "/a/b.txt", "label": "p.1", "quote": quote}],
        "asked_at": "2026-12-03T16:00:00+00:00",
    }
    text = answer_markdown(entry)
    lines = text.splitlines()
    for line in question.strip().splitlines():
        assert f"> {line}".rstrip() in lines
    for line in quote.strip().splitlines():
        assert f"   > {line}".rstrip() in lines
    assert "2026-12-03 16:00 UTC" in text


@st.composite
def _chunked(draw: st.DrawFn) -> list[Chunk]:
    """Chunks as the chunker makes them: slices of one text in order, some gaps between,
    labels that repeat for a stretch."""
    chunks, at = [], 0
    for _ in range(draw(st.integers(0, 12))):
        at += draw(st.integers(0, 2))  # blank lines no chunk holds
        text = draw(st.text(min_size=1, max_size=20))
        label = draw(st.sampled_from(["제1조(목적)", "제2조(휴가)", "p.3"]))
        kind = draw(st.sampled_from(["text", "text", "table"]))
        chunks.append(Chunk(text, at, at + len(text), label, kind=kind))
        at += len(text)
    return chunks


@given(_chunked())
def test_blocks_keep_every_chunk_in_order_one_per_run_of_a_label(chunks: list[Chunk]) -> None:
    info = DocumentInfo(1, "/a.txt", "a.txt", "indexed", 0, 0, "", len(chunks))
    blocks = document_content(info, chunks, []).blocks
    runs = [
        k
        for i, k in enumerate(chunks)
        if i == 0 or (k.label, k.kind) != (chunks[i - 1].label, chunks[i - 1].kind)
    ]
    assert [(b.label, b.kind) for b in blocks] == [(k.label, k.kind) for k in runs]
    joined, at = "\n".join(b.text for b in blocks), 0
    for chunk in chunks:
        at = joined.index(chunk.text, at) + len(chunk.text)
    assert len(joined) <= sum(len(c.text) + 1 for c in chunks)
