"""`dalin show`, `ask --doc/--export` and `chat --resume/--export` through Typer's runner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from dalin.cli.main import app
from dalin.testing.hwp import minimal_hwp
from shared_samples import shared_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "documents"
SNAPSHOTS = Path(__file__).parent / "snapshots"
runner = CliRunner()


def dalin(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("view") / "ws")
    xlsx = shared_path("samples", "markitdown_test.xlsx")
    assert dalin("-w", path, "init")[0] == 0
    code, output = dalin("-w", path, "add", str(EXAMPLES), str(xlsx))
    assert code == 0, output
    return path


def test_show_prints_the_text_under_its_labels_in_order(ws: str) -> None:
    code, output = dalin("-w", ws, "--lang", "ko", "show", "취업규칙.docx")
    assert code == 0, output
    labels = re.findall(r"^── (제\d+)조", output, flags=re.MULTILINE)
    numbers = [int(label[1:]) for label in labels]
    assert numbers[:3] == [1, 2, 3] and numbers == sorted(numbers)
    assert "회사는 1년간 80퍼센트 이상 출근한 직원에게 15일의 유급휴가를 준다" in output
    assert "dalin show 취업규칙.docx --tables" in output  # it has a table: say how to see it


@pytest.mark.parametrize(
    ("options", "snapshot"),
    [((), "show_minimal_hwp.txt"), (("--tables",), "show_minimal_hwp_tables.txt")],
)
def test_show_at_80_columns_matches_its_snapshot(
    tmp_path: Path, options: tuple[str, ...], snapshot: str
) -> None:
    (tmp_path / "규정.hwp").write_bytes(minimal_hwp())
    ws = str(tmp_path / "ws")
    assert dalin("-w", ws, "init")[0] == 0
    assert dalin("-w", ws, "add", str(tmp_path / "규정.hwp"))[0] == 0
    code, output = dalin("-w", ws, "--lang", "ko", "show", "규정.hwp", *options)
    head, rest = output.split("\n", 1)
    assert code == 0 and head == f"규정.hwp  {tmp_path / '규정.hwp'}"
    assert rest == (SNAPSHOTS / snapshot).read_text(encoding="utf-8")


def test_show_tables_draws_them_within_80_columns(ws: str) -> None:
    code, output = dalin("-w", ws, "show", "markitdown_test.xlsx", "--tables")
    assert code == 0, output
    assert "Sheet1 · Sheet1!A1:D24" in output
    assert re.search(r"┃ Alpha\s+┃ Beta\s+┃ Gamma\s+┃ Delta\s+┃", output)
    assert re.search(r"│ 89\s+│ 82\s+│ 100\s+│ 12\s+│", output)
    assert max(cell_len(line) for line in output.splitlines()) <= 80


def test_show_json_has_the_rest_shape(ws: str) -> None:
    code, output = dalin("-w", ws, "show", "markitdown_test.xlsx", "--json")
    content = json.loads(output)
    assert code == 0 and set(content) == {"document", "blocks", "tables"}
    assert content["document"]["name"] == "markitdown_test.xlsx"
    assert content["blocks"][0] == {
        "label": "Sheet1 · Sheet1!A2:D2",
        "kind": "table",
        "text": content["blocks"][0]["text"],
    }
    assert content["tables"][0]["header"] == ["Alpha", "Beta", "Gamma", "Delta"]


def test_show_of_an_unknown_document_says_so(ws: str) -> None:
    code, output = dalin("-w", ws, "--lang", "en", "show", "nope.pdf")
    assert code == 1 and "nope.pdf" in output


def test_ask_doc_keeps_the_question_to_that_document(ws: str) -> None:
    question = "연차휴가는 며칠인가요?"
    code, output = dalin("-w", ws, "ask", question, "--json")
    assert code == 0 and json.loads(output)["citations"][0]["document"].endswith("취업규칙.docx")
    code, output = dalin("-w", ws, "ask", question, "--doc", "고객센터_FAQ.txt", "--json")
    assert code == 0, output
    assert "취업규칙" not in output
    code, output = dalin(
        "-w", ws, "ask", question, "--doc", "고객센터_FAQ.txt", "--doc", "취업규칙.docx", "--json"
    )
    assert json.loads(output)["citations"][0]["document"].endswith("취업규칙.docx")


def test_ask_doc_naming_no_document_exits_2_naming_it(ws: str) -> None:
    code, output = dalin("-w", ws, "--lang", "ko", "ask", "휴가", "--doc", "없는문서.hwp")
    assert code == 2 and "없는문서.hwp" in output and "dalin docs" in output


def test_ask_export_writes_the_answer_with_numbered_quoted_sources(ws: str, tmp_path: Path) -> None:
    target = tmp_path / "answer.md"
    code, output = dalin("-w", ws, "ask", "수습 기간은 얼마인가요?", "--export", str(target))
    assert code == 0, output
    text = target.read_text(encoding="utf-8")
    assert "> 수습 기간은 얼마인가요?" in text and "3개월" in text
    assert re.search(r"^1\. \*\*취업규칙\.docx\*\* · 제7조\(수습기간\)", text, re.MULTILINE)
    assert re.search(r"^   > .*3개월", text, re.MULTILINE)
    assert "모델 / Model: extractive" in text
    code, output = dalin("-w", ws, "ask", "휴가", "--export", str(tmp_path / "no" / "a.md"))
    assert code == 1 and "a.md" in output


def test_chat_export_then_resume_continues_the_conversation(ws: str, tmp_path: Path) -> None:
    first = tmp_path / "chat.md"
    code, output = dalin(
        "-w", ws, "--lang", "en", "chat", "--export", str(first), stdin="연차휴가는 며칠인가요?\n"
    )
    assert code == 0, output
    found = re.search(r"dalin chat --resume (\w+)", output)
    assert found is not None
    conversation = found.group(1)
    assert f"`{conversation}`" in first.read_text(encoding="utf-8")
    second = tmp_path / "chat2.md"
    code, output = dalin(
        "-w",
        ws,
        "--lang",
        "en",
        "chat",
        "--resume",
        conversation,
        "--export",
        str(second),
        stdin="수습 기간은 얼마인가요?\n",
    )
    assert code == 0 and "Continuing after 1 earlier questions" in output
    text = second.read_text(encoding="utf-8")
    assert text.index("## 1. 질문") < text.index("연차휴가는") < text.index("## 2. 질문")
    assert text.index("## 2. 질문") < text.index("수습 기간은 얼마인가요?")


def test_chat_resume_of_an_unknown_conversation_exits_2(ws: str) -> None:
    code, output = dalin("-w", ws, "--lang", "en", "chat", "--resume", "nope", stdin="")
    assert code == 2 and "nope" in output and "dalin chat" in output


def test_chat_doc_keeps_every_question_to_that_document(ws: str) -> None:
    stdin = "연차휴가는 며칠인가요?\n수습 기간은 얼마인가요?\n"
    code, output = dalin("-w", ws, "chat", "--doc", "고객센터_FAQ.txt", stdin=stdin)
    assert code == 0 and "취업규칙" not in output
    code, output = dalin("-w", ws, "chat", stdin=stdin)
    assert code == 0 and "취업규칙.docx" in output
