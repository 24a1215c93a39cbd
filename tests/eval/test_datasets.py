"""Question sets: JSONL and YAML, every error message, and the benchmark adapters on real data."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from dalin.errors import DalinError, EvalError
from dalin.eval.datasets import korquad_set, load_question_set, save_question_set, sec10q_set
from dalin.eval.schema import QuestionItem

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared benchmark data not available: {path} (run inside the dalin workplace)")
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


FULL = QuestionItem(
    id="q01",
    question="연차휴가는 며칠인가요?",
    answerable=True,
    reference_answer="15일",
    answer_contains=("15일",),
    expected_sources=("취업규칙.docx", "*규정*"),
    expected_pages=(5, 6),
    expected_label_contains="제12조",
    tags=("hr", "easy"),
    language="ko",
)


# --- reading and writing ------------------------------------------------------------------


def test_jsonl_round_trip(tmp_path: Path) -> None:
    items = [FULL, QuestionItem("q02", "When are dividends paid?", answerable=False, language="en")]
    path = save_question_set(items, tmp_path / "sub" / "set.jsonl")
    assert load_question_set(path) == items
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 2 and "연차휴가" in lines[0]  # UTF-8, not \\uXXXX escapes


def test_yaml_list_and_questions_mapping(tmp_path: Path) -> None:
    listed = write(
        tmp_path,
        "set.yaml",
        """
- id: q01
  question: 연차휴가는 며칠인가요?
  reference_answer: 15일
  answer_contains: [15일]
  expected_sources: [취업규칙.docx, "*규정*"]
  expected_pages: [5, 6]
  expected_label_contains: 제12조
  tags: [hr, easy]
  language: ko
- question: When are dividends paid?
  answerable: false
""",
    )
    items = load_question_set(listed)
    assert items[0] == FULL
    # no id: "q" + the item number; no language: detected from the question
    assert items[1] == QuestionItem(
        "q2", "When are dividends paid?", answerable=False, language="en"
    )
    mapped = write(tmp_path, "set.yml", "questions:\n  - question: 정년이 몇 살이에요?\n")
    assert load_question_set(mapped) == [QuestionItem("q1", "정년이 몇 살이에요?", language="ko")]


def test_strings_and_numbers_where_lists_and_texts_are_expected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "set.yaml",
        """
- id: 7
  question: M8 볼트는 얼마예요?
  reference_answer: 135
  answer_contains: 135원
  expected_sources: 가격표_2025.md
  expected_pages: 3
  tags: price
""",
    )
    (item,) = load_question_set(path)
    assert item.id == "7" and item.reference_answer == "135"
    assert item.answer_contains == ("135원",) and item.expected_sources == ("가격표_2025.md",)
    assert item.expected_pages == (3,) and item.tags == ("price",)


def test_default_ids_in_jsonl_are_line_numbers_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "set.jsonl", '{"question": "a?"}\n\n{"question": "b?"}\n')
    assert [i.id for i in load_question_set(path)] == ["q1", "q3"]


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"question": "정년은?"}\n', encoding="utf-8-sig")
    assert load_question_set(path)[0].question == "정년은?"


def test_the_bundled_question_set_loads() -> None:
    items = load_question_set(ROOT / "examples" / "questions.jsonl")
    assert len(items) == 30
    assert len({i.id for i in items}) == 30
    assert sum(not i.answerable for i in items) == 4
    assert {i.language for i in items} == {"ko", "en"}
    first = items[0]
    assert (first.id, first.answer_contains, first.expected_sources) == (
        "q01",
        ("15일",),
        ("취업규칙.docx",),
    )
    assert first.expected_label_contains == "제12조"


# --- every error names the file and the line or item ---------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "bad.jsonl",
            '{"question": "a?"}\n{"question": "b?",}\n',
            "bad.jsonl, line 2: not valid JSON (Expecting property name enclosed in double quotes "
            "at column 19); each line must be one JSON object",
        ),
        (
            "bad.jsonl",
            '{"id": "q1", "question": "a?"}\n{"id": "q2"}\n',
            'bad.jsonl, line 2: no "question" (every item needs one)',
        ),
        (
            "bad.jsonl",
            '{"question": "   "}\n',
            'bad.jsonl, line 1: no "question" (every item needs one)',
        ),
        (
            "bad.jsonl",
            '["a?"]\n',
            'bad.jsonl, line 1: an item must be an object with a "question", not a list (["a?"])',
        ),
        (
            "bad.jsonl",
            '{"question": "a?", "answerable": "no"}\n',
            'bad.jsonl, line 1: "answerable" must be true or false, not a text ("no")',
        ),
        (
            "bad.jsonl",
            '{"question": "a?", "answer_contains": [["15일"]]}\n',
            'bad.jsonl, line 1: "answer_contains" must be a list of texts (or one text), '
            'not a list ([["15일"]])',
        ),
        (
            "bad.jsonl",
            '{"question": "a?", "expected_pages": [0]}\n',
            'bad.jsonl, line 1: "expected_pages" must be a list of page numbers (1 or more), '
            "not a list ([0])",
        ),
        (
            "bad.jsonl",
            '{"question": "a?", "expected_pages": "5"}\n',
            'bad.jsonl, line 1: "expected_pages" must be a list of page numbers (1 or more), '
            'not a text ("5")',
        ),
        (
            "bad.jsonl",
            '{"question": "a?", "language": "fr"}\n',
            "bad.jsonl, line 1: \"language\" must be 'ko' or 'en', not a text (\"fr\")",
        ),
        (
            "bad.jsonl",
            '{"question": "a?", "reference_answer": {"text": "x"}}\n',
            'bad.jsonl, line 1: "reference_answer" must be text, not an object ({"text": "x"})',
        ),
        (
            "bad.jsonl",
            '{"id": "q1", "question": "a?"}\n{"question": "b?"}\n{"id": "q1", "question": "c?"}\n',
            "bad.jsonl, line 3: id 'q1' is already used at line 1; ids must be unique "
            '(items without an id get "q" + their line or item number)',
        ),
        (
            "bad.jsonl",
            '{"question": "a?", "answer_contain": ["15일"]}\n',
            "bad.jsonl, line 1: unknown field 'answer_contain'; the fields are answer_contains, "
            "answerable, expected_label_contains, expected_pages, expected_sources, id, "
            "language, question, reference_answer, tags",
        ),
        (
            "bad.yaml",
            "- question: a?\n- question: b?\n  answerable: maybe\n",
            'bad.yaml, item 2 (line 2): "answerable" must be true or false, not a text ("maybe")',
        ),
        (
            "bad.yaml",
            "- id: x\n  question: a?\n\n- id: x\n  question: b?\n",
            "bad.yaml, item 2 (line 4): id 'x' is already used at item 1 (line 1); ids must be "
            'unique (items without an id get "q" + their line or item number)',
        ),
        (
            "bad.yaml",
            "- question: a?\n  tags: [hr\n",
            "bad.yaml: not valid YAML (expected ',' or ']', but got '<stream end>' at line 3)",
        ),
        (
            "bad.yaml",
            "question: a?\n",
            "bad.yaml: a YAML question set is a list of items, or {questions: [...]}",
        ),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(EvalError) as caught:
        load_question_set(path)
    assert str(caught.value) == f"{tmp_path}/{message}"
    assert caught.value.code == "eval_error" and isinstance(caught.value, DalinError)


def test_a_missing_file_is_an_eval_error(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="no such question set"):
        load_question_set(tmp_path / "missing.jsonl")


def test_a_file_that_is_not_utf8_is_an_eval_error(tmp_path: Path) -> None:
    path = tmp_path / "cp949.jsonl"
    path.write_bytes('{"question": "연차휴가는?"}\n'.encode("cp949"))
    with pytest.raises(EvalError, match="cannot read it as UTF-8"):
        load_question_set(path)


# --- the shared benchmarks ------------------------------------------------------------------


def test_korquad_dev_becomes_961_paragraphs_and_5774_questions(tmp_path: Path) -> None:
    data = shared("korquad1", "KorQuAD_v1.0_dev.json")
    docs, items = korquad_set(data, tmp_path)
    assert docs == tmp_path / "docs"
    assert len(items) == 5774 and len({i.id for i in items}) == 5774
    files = sorted(p.name for p in docs.iterdir())
    assert len(files) == 961 and files[0] == "kq_0000.md" and files[-1] == "kq_0960.md"
    first = items[0]
    assert first == QuestionItem(
        id="6548850-0-0",
        question="임종석이 여의도 농민 폭력 시위를 주도한 혐의로 지명수배 된 날은?",
        reference_answer="1989년 2월 15일",
        answer_contains=("1989년 2월 15일",),
        expected_sources=("kq_0000.md",),
        tags=("korquad", "임종석"),
        language="ko",
    )
    text = (docs / "kq_0000.md").read_text("utf-8")
    assert text.startswith("# 임종석\n\n1989년 2월 15일 여의도 농민 폭력 시위를 주도한")
    # every expected source exists and holds its answer
    for item in items[::97]:
        source = (docs / item.expected_sources[0]).read_text("utf-8")
        assert item.reference_answer in source


def test_korquad_limit_writes_only_the_paragraphs_needed(tmp_path: Path) -> None:
    data = shared("korquad1", "KorQuAD_v1.0_dev.json")
    korquad_set(data, tmp_path)  # a full run first: its other paragraphs must go
    docs, items = korquad_set(data, tmp_path, limit=10)
    assert len(items) == 10
    needed = {s for i in items for s in i.expected_sources}
    assert sorted(p.name for p in docs.iterdir()) == sorted(needed) == ["kq_0000.md", "kq_0001.md"]


def test_korquad_bad_file(tmp_path: Path) -> None:
    path = write(tmp_path, "x.json", '{"version": "1"}')
    with pytest.raises(EvalError, match='no top-level "data" list'):
        korquad_set(path, tmp_path / "out")
    with pytest.raises(EvalError, match="no such KorQuAD file"):
        korquad_set(tmp_path / "missing.json", tmp_path / "out")


def test_sec10q_questions_with_glob_sources() -> None:
    data = shared("sec10q")
    docs, items = sec10q_set(data)
    assert docs == data / "docs" and len(list(docs.glob("*.pdf"))) == 20
    assert len(items) == 195 and items[0].id == "sec001" and items[-1].id == "sec195"
    first = items[0]
    assert first.question == "How has Apple's total net sales changed over time?"
    assert first.expected_sources == ("*AAPL*",)
    assert first.tags == ("Multi-Doc RAG", "Table") and first.language == "en"
    assert first.reference_answer.startswith("Based on the provided documents, Apple's total")
    assert "$81,797 million" in first.reference_answer and not first.answer_contains
    # every glob names at least one of the 20 PDFs, and the spaces inside globs survive
    pdfs = [p.name for p in docs.glob("*.pdf")]
    for item in items:
        assert all(any(fnmatchcase(p, g) for p in pdfs) for g in item.expected_sources)
    assert ("*2023 Q3 AAPL*",) in {i.expected_sources for i in items}
    assert {t for i in items for t in i.tags} == {
        "Single-Doc Single-Chunk RAG",
        "Single-Doc Multi-Chunk RAG",
        "Multi-Doc RAG",
        "Table",
        "Text",
    }
    assert len(sec10q_set(data, limit=5)[1]) == 5


def test_sec10q_splits_several_globs(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    header = "Question,Source Docs,Question Type,Source Chunk Type,Answer\n"
    rows = (
        'Compare?,"*2023 Q3 AAPL*, *2023 Q3 MSFT*",Multi-Doc RAG,Text,Long.\n'
        "Both?,*AAPL* *MSFT*,Multi-Doc RAG,Table,Long.\n"
    )
    write(tmp_path, "qna_data.csv", header + rows)
    _, items = sec10q_set(tmp_path)
    assert items[0].expected_sources == ("*2023 Q3 AAPL*", "*2023 Q3 MSFT*")
    assert items[1].expected_sources == ("*AAPL*", "*MSFT*")


def test_sec10q_bad_folder(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="no documents folder"):
        sec10q_set(tmp_path)
    (tmp_path / "docs").mkdir()
    write(tmp_path, "qna_data.csv", "Question,Answer\nq?,a\n")
    with pytest.raises(EvalError, match="missing column"):
        sec10q_set(tmp_path)


def test_saved_benchmark_sets_load_back(tmp_path: Path) -> None:
    data = shared("sec10q")
    _, items = sec10q_set(data, limit=20)
    path = save_question_set(items, tmp_path / "sec10q.jsonl")
    assert load_question_set(path) == items
    assert json.loads(path.read_text("utf-8").splitlines()[0])["tags"] == ["Multi-Doc RAG", "Table"]


def test_review_notes_are_read_past(tmp_path: Path) -> None:
    line = {"question": "연차는?", "review": "draft", "evidence": "15일", "source_span": {}}
    path = write(tmp_path, "drafts.jsonl", json.dumps(line, ensure_ascii=False))
    (item,) = load_question_set(path)
    assert item.question == "연차는?"
