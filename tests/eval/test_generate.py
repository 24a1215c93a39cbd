"""Drafting question sets from a workspace's documents: passages picked by seed and spread
over documents, prompts in the passage's language, replies parsed, drafts kept only when
their evidence is really in the passage."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

import dalin
from dalin.eval.datasets import load_question_set
from dalin.eval.generate import (
    REVIEW_NOTE,
    SourceChunk,
    draft_questions,
    find_evidence,
    generate_questions,
    indexed_chunks,
    parse_draft,
    passage_language,
    pick_chunks,
    usable,
    write_drafts,
)
from dalin.eval.schema import QuestionItem
from dalin.llm.base import Event, Message, TextDelta
from dalin.llm.local import LocalGGUF
from dalin.testing.fake_llm import says

RULES = """제1장 총칙

제1조(목적) 이 규칙은 주식회사 한빛정밀 직원의 근로조건과 복무에 관한 사항을 정한다.

제2장 휴가

제12조(연차휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 연차휴가 15일을 준다.
② 3년 이상 근속한 직원에게는 최초 1년을 초과하는 근속 2년마다 1일을 가산한다.

제13조(경조휴가) 본인이 결혼하는 경우 5일의 경조휴가를 준다. 자녀가 결혼하는 경우에는 1일을 준다.
"""
GUIDE = """Warranty

The warranty of the HB-200 torque wrench lasts two years from the date of purchase,
covering parts and labour.
"""
CONTENTS = "# 목차\n\n## 1장\n\n## 2장\n"

GOOD_KO = (
    "질문: 결혼하면 경조휴가를 며칠 받나요?\n"
    "답: 5일\n"
    "근거: 본인이 결혼하는 경우 5일의 경조휴가를 준다."
)
GOOD_EN = (
    "Q: How long is the HB-200 warranty?\n"
    "A: two years\n"
    # retyped with other spacing: whitespace must not matter, and the document's form is kept
    "EVIDENCE: The warranty of the HB-200  torque wrench lasts two years from the\n"
    "date of purchase"
)
INVENTED = (
    "질문: 연차휴가는 며칠인가요?\n답: 20일\n근거: 회사는 모든 직원에게 연차휴가 20일을 준다."
)


class PassageLLM:
    """A fake model whose reply depends on the passage: the first key found in the prompt."""

    name = "fake:passage"
    context_window = 8192

    def __init__(self, replies: Mapping[str, str]) -> None:
        self.replies = replies
        self.calls: list[list[Message]] = []

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 1024, temperature: float = 0.2
    ) -> Iterator[Event]:
        self.calls.append(list(messages))
        prompt = messages[-1].content
        reply = next((r for key, r in self.replies.items() if key in prompt), "")
        return iter([TextDelta(reply)])

    def count_tokens(self, text: str) -> int:
        return len(text) // 2


def _workspace(tmp_path: Path, files: Mapping[str, str]) -> dalin.Workspace:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    ws = dalin.Workspace.create(tmp_path / "ws")
    assert ws.add([docs]).ok
    return ws


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    """Three documents, read-only for the tests that share it."""
    ws = _workspace(
        tmp_path_factory.mktemp("library"),
        {"취업규칙.txt": RULES, "guide.txt": GUIDE, "목차.md": CONTENTS},
    )
    yield ws
    ws.close()


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "질문: 며칠인가요?\n답: 5일\n근거: 5일의 경조휴가를 준다.",
        "Q: 며칠인가요?\nA: 5일\nEVIDENCE: 5일의 경조휴가를 준다.",
        "**질문:** 며칠인가요?\n**답:** 5일\n**근거:** “5일의 경조휴가를 준다.”",
        "- Question： 며칠인가요?\n- Answer: 5일\n- Evidence: '5일의 경조휴가를 준다.'",
        "1. 질문1: 며칠인가요?\n2. 정답: 5일\n3. 근거 문장: 5일의 경조휴가를 준다.",
        "Sure!\n질문: 며칠인가요?\n답: 5일\n근거: 5일의 경조휴가를 준다.\n질문: 또?\n답: 6일",
    ],
)
def test_parse_draft_reads_the_line_format_and_its_variants(reply: str) -> None:
    draft = parse_draft(reply)
    assert (draft.question, draft.answer, draft.evidence) == (
        "며칠인가요?",
        "5일",
        "5일의 경조휴가를 준다.",
    )


def test_parse_draft_joins_a_quote_broken_over_lines_and_leaves_missing_fields_empty() -> None:
    draft = parse_draft("질문: 며칠?\n근거: 본인이 결혼하는 경우\n5일의 경조휴가를 준다...")
    assert draft.evidence == "본인이 결혼하는 경우 5일의 경조휴가를 준다"
    assert draft.answer == ""
    assert parse_draft("I cannot help with that.") == parse_draft("")


def test_find_evidence_ignores_whitespace_and_returns_offsets() -> None:
    text = "제13조(경조휴가)  본인이 결혼하는\n경우 5일의 경조휴가를 준다. 끝."
    span = find_evidence("본인이 결혼하는 경우 5일의\t경조휴가를 준다.", text)
    assert span is not None
    assert text[span[0] : span[1]] == "본인이 결혼하는\n경우 5일의 경조휴가를 준다."
    assert find_evidence("본인이 결혼하는 경우 10일의 경조휴가를 준다.", text) is None
    assert find_evidence("5일", text) is None  # too short to prove anything


# --- picking passages ----------------------------------------------------------------------


def _chunk(doc: str, n: int, text: str = "") -> SourceChunk:
    body = text or f"{doc}의 {n}번째 조항은 직원의 근로조건에 관한 내용을 길게 정한다."
    return SourceChunk(doc, f"/docs/{doc}", f"제{n}조", body, n * 100)


def test_tiny_and_heading_only_passages_are_skipped() -> None:
    assert usable(_chunk("a", 1))
    assert not usable(_chunk("a", 2, "제3장 휴가"))
    assert not usable(_chunk("a", 3, "제1장 총칙\n제2장 휴가\n제3장 복무\n제4장 징계\n제5장 부칙"))


def test_pick_chunks_is_seeded_and_spread_over_documents() -> None:
    chunks = [_chunk(doc, n) for doc in ("a", "b", "c") for n in range(1, 9)]
    chunks.append(_chunk("d", 1, "목차"))  # a document with nothing to ask about
    first = pick_chunks(chunks, 6, seed=0)
    assert first == pick_chunks(list(reversed(chunks)), 6, seed=0)  # order of input is moot
    assert [c.label for c in first] != [c.label for c in pick_chunks(chunks, 6, seed=1)]
    assert sorted(c.document for c in first) == ["a", "a", "b", "b", "c", "c"]
    assert len(set(first)) == 6
    assert len(pick_chunks(chunks, 100, seed=0)) == 24  # every usable passage, once


def test_passage_language() -> None:
    assert passage_language(RULES) == "ko"
    assert passage_language(GUIDE) == "en"
    assert passage_language("HB-200 토크 렌치 (torque wrench) 설명서") == "ko"


# --- drafting ------------------------------------------------------------------------------


def test_a_good_draft_is_kept_with_its_source_span(tmp_path: Path) -> None:
    ws = _workspace(
        tmp_path, {"경조.txt": "제13조(경조휴가) 본인이 결혼하는 경우 5일의 경조휴가를 준다."}
    )
    try:
        run = draft_questions(ws, says(GOOD_KO), count=5)
        chunk = indexed_chunks(ws)[0]
    finally:
        ws.close()
    assert run.dropped == []
    (item,) = run.items
    assert item == {
        "id": "gen-001",
        "question": "결혼하면 경조휴가를 며칠 받나요?",
        "language": "ko",
        "answerable": True,
        "reference_answer": "5일",
        "answer_contains": ["5일"],
        "expected_sources": ["경조.txt"],
        "expected_label_contains": chunk.label,
        "tags": ["generated"],
        "review": REVIEW_NOTE,
        "evidence": "본인이 결혼하는 경우 5일의 경조휴가를 준다.",
        "source_span": {
            "document": "경조.txt",
            "label": chunk.label,
            "start": chunk.start + chunk.text.index("본인이"),
            "end": chunk.start + len(chunk.text),
        },
    }


def test_drafts_whose_evidence_is_not_in_the_passage_are_dropped_and_counted(
    library: dalin.Workspace,
) -> None:
    llm = PassageLLM(
        {
            "제13조(경조휴가)": GOOD_KO,
            "제12조(연차휴가)": INVENTED,
            "제1조(목적)": "질문: 목적은?\n답:\n근거: 직원의 근로조건과 복무에 관한 사항을 정한다.",
            "Warranty": GOOD_EN,
        }
    )
    run = draft_questions(library, llm, count=10)
    assert len(llm.calls) == 4  # the table of contents was never offered
    assert sorted(i["question"] for i in run.items) == [
        "How long is the HB-200 warranty?",
        "결혼하면 경조휴가를 며칠 받나요?",
    ]
    assert sorted((d.label, d.reason) for d in run.dropped) == [
        ("제12조(연차휴가)", "evidence_not_found"),
        ("제1조(목적)", "no_answer"),
    ]
    for item in run.items:
        assert QuestionItem.from_json(item).expected_sources == tuple(item["expected_sources"])
    english = next(i for i in run.items if i["language"] == "en")
    assert english["answer_contains"] == ["two years"]
    assert english["evidence"] == (
        "The warranty of the HB-200 torque wrench lasts two years from the date of purchase"
    )


def test_unparseable_replies_are_dropped(library: dalin.Workspace) -> None:
    run = draft_questions(library, says("질문을 만들 수 없습니다."), count=10)
    assert run.items == []
    assert {d.reason for d in run.dropped} == {"unparseable"}
    assert len(run.dropped) == 4


def test_prompt_language_follows_the_passage_unless_forced(library: dalin.Workspace) -> None:
    llm = PassageLLM({})
    draft_questions(library, llm, count=10)
    prompts = {call[-1].content.split("\n")[0]: call[-1].content for call in llm.calls}
    korean = [p for p in prompts.values() if "취업규칙" in p or "제1" in p]
    english = [p for p in prompts.values() if "guide.txt" in p]
    assert korean and all("질문:" in p and "근거:" in p for p in korean)
    assert english and all("Q:" in p and "EVIDENCE:" in p for p in english)

    forced = PassageLLM({})
    draft_questions(library, forced, count=10, language="en")
    assert all("EVIDENCE:" in call[-1].content for call in forced.calls)
    with pytest.raises(ValueError, match="language"):
        draft_questions(library, forced, count=1, language="fr")


def test_long_answers_are_not_required_verbatim(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"guide.txt": GUIDE})
    reply = GOOD_EN.replace("A: two years", "A: two years from the date of purchase, parts too")
    try:
        (item,) = generate_questions(ws, says(reply), count=1)
    finally:
        ws.close()
    assert "answer_contains" not in item
    assert item["reference_answer"].startswith("two years")


def test_written_drafts_load_as_a_question_set(library: dalin.Workspace, tmp_path: Path) -> None:
    llm = PassageLLM({"제13조(경조휴가)": GOOD_KO, "Warranty": GOOD_EN})
    items = generate_questions(library, llm, count=10, seed=3)
    path = write_drafts(items, tmp_path / "out" / "drafts.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == items
    assert "경조휴가" in lines[0] or "경조휴가" in lines[1]  # readable, not \\u escapes
    # the review notes (review, evidence, source_span) are read past, never scored
    loaded = load_question_set(path)
    assert [q.id for q in loaded] == [i["id"] for i in items]
    assert all(
        q.reference_answer == i["reference_answer"] for q, i in zip(loaded, items, strict=True)
    )


# --- with the bundled model ----------------------------------------------------------------


@pytest.mark.slow
def test_drafts_with_the_bundled_model_are_valid(local_llm: LocalGGUF, tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"취업규칙.txt": RULES, "guide.txt": GUIDE})
    try:
        run = draft_questions(ws, local_llm, count=2, seed=0)
        chunks = indexed_chunks(ws)
    finally:
        ws.close()
    # a 270M model rarely gets it right; what matters is that nothing unchecked is kept
    assert len(run.items) + len(run.dropped) == 2
    for item in run.items:
        QuestionItem.from_json(item)
        span = item["source_span"]
        chunk = next(
            c
            for c in chunks
            if c.document == span["document"]
            and c.start <= span["start"] < span["end"]
            and span["end"] <= c.start + len(c.text)
        )
        assert (
            chunk.text[span["start"] - chunk.start : span["end"] - chunk.start]
            == (item["evidence"])
        )
        assert find_evidence(item["evidence"], chunk.text) is not None
