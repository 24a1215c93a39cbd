"""Question sets: reading and writing them, and making them from the shared benchmarks.

A set is JSONL (one object per line) or YAML (a list, or ``{questions: [...]}``) with the
fields described in :mod:`dalin.eval.schema`. Reading is strict, because a typo that is
silently ignored (``answer_contain``) would quietly change what is measured: every problem
is an :class:`~dalin.errors.EvalError` naming the file and the line (JSONL) or the item and
its line (YAML).

The benchmark adapters turn shared data into a documents folder and a question set that
``dalin eval run`` can use like a business's own: KorQuAD 1.0 dev (Korean Wikipedia,
one short extractive answer per question) and Docugami's SEC 10-Q set (English 10-Q PDFs,
long human-reviewed answers, gold sources as file-name globs).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dalin.errors import EvalError
from dalin.eval.schema import QuestionItem
from dalin.text.korean import has_korean

_TEXT_FIELDS = ("id", "question", "reference_answer", "expected_label_contains", "language")
_LIST_FIELDS = ("answer_contains", "expected_sources", "tags")
#: fields a person or `dalin eval generate` adds for reviewing; read past, never scored
NOTE_FIELDS = frozenset(("review", "evidence", "source_span", "note", "notes"))
_KNOWN_FIELDS = frozenset(
    (*_TEXT_FIELDS, *_LIST_FIELDS, "answerable", "expected_pages"),
)
_LANGUAGES = ("ko", "en")
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class _Raw:
    """One item as read from the file, with where it was."""

    data: Any
    #: how to name its place in messages: "line 3" or "item 2 (line 7)"
    where: str
    #: the id to use when the item gives none
    default_id: str


def load_question_set(path: str | Path) -> list[QuestionItem]:
    """Read a JSONL or YAML question set; raises EvalError naming file and line on problems."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise EvalError(f"{file}: no such question set") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{file}: cannot read it as UTF-8 text ({exc})") from exc
    raws = (
        _yaml_items(file, text)
        if file.suffix.lower() in _YAML_SUFFIXES
        else _jsonl_items(file, text)
    )
    items = [_item(file, raw) for raw in raws]
    _check_unique_ids(file, items, raws)
    return items


def save_question_set(items: Iterable[QuestionItem], path: str | Path) -> Path:
    """Write items as JSONL (UTF-8, one object per line); returns the path written."""
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(item.to_json(), ensure_ascii=False) for item in items)
    file.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return file


# --- reading -----------------------------------------------------------------------------


def _jsonl_items(file: Path, text: str) -> list[_Raw]:
    raws = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(
                f"{file}, line {number}: not valid JSON ({exc.msg} at column {exc.colno}); "
                "each line must be one JSON object"
            ) from exc
        raws.append(_Raw(data, f"line {number}", f"q{number}"))
    return raws


def _yaml_items(file: Path, text: str) -> list[_Raw]:
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EvalError(f"{file}: not valid YAML ({_yaml_problem(exc)})") from exc
    if isinstance(data, dict) and "questions" in data:
        data, node = data["questions"], _mapping_value(node, "questions")
    if not isinstance(data, list):
        raise EvalError(f"{file}: a YAML question set is a list of items, or {{questions: [...]}}")
    lines = _item_lines(node, len(data))
    return [
        _Raw(value, f"item {n} (line {line})", f"q{n}")
        for n, (value, line) in enumerate(zip(data, lines, strict=True), start=1)
    ]


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
                return v
    return None


def _item_lines(node: yaml.Node | None, count: int) -> list[int]:
    """The 1-based line where each item of a YAML sequence starts (0 when unknown)."""
    if isinstance(node, yaml.SequenceNode) and len(node.value) == count:
        return [child.start_mark.line + 1 for child in node.value]
    return [0] * count


def _item(file: Path, raw: _Raw) -> QuestionItem:
    place = f"{file}, {raw.where}"
    data = raw.data
    if not isinstance(data, dict):
        raise EvalError(f'{place}: an item must be an object with a "question", not {_kind(data)}')
    unknown = sorted(set(map(str, data)) - _KNOWN_FIELDS - NOTE_FIELDS)
    if unknown:
        raise EvalError(
            f"{place}: unknown field {', '.join(map(repr, unknown))}; "
            f"the fields are {', '.join(sorted(_KNOWN_FIELDS))}"
        )
    fields = _Fields(place, data)
    question = fields.text("question")
    if not question.strip():
        raise EvalError(f'{place}: no "question" (every item needs one)')
    return QuestionItem(
        id=fields.text("id") or raw.default_id,
        question=question,
        answerable=fields.flag("answerable", default=True),
        reference_answer=fields.text("reference_answer"),
        answer_contains=fields.texts("answer_contains"),
        expected_sources=fields.texts("expected_sources"),
        expected_pages=fields.pages("expected_pages"),
        expected_label_contains=fields.text("expected_label_contains"),
        tags=fields.texts("tags"),
        language=fields.language(question),
    )


class _Fields:
    """Typed access to one item's fields, with errors that say which field is wrong."""

    def __init__(self, place: str, data: Mapping[str, Any]) -> None:
        self.place = place
        self.data = data

    def _wrong(self, name: str, expected: str) -> EvalError:
        value = self.data[name]
        return EvalError(f'{self.place}: "{name}" must be {expected}, not {_kind(value)}')

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if value is None:
            return ""
        # YAML reads `id: 7` or `reference_answer: 3000` as numbers; they mean the text
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise self._wrong(name, "text")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name)
        if value is None:
            return ()
        values = [value] if isinstance(value, str | int | float) else value
        if not isinstance(values, list) or not all(_is_text(v) for v in values):
            raise self._wrong(name, "a list of texts (or one text)")
        return tuple(str(v) for v in values if str(v).strip())

    def flag(self, name: str, *, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise self._wrong(name, "true or false")
        return value

    def pages(self, name: str) -> tuple[int, ...]:
        value = self.data.get(name)
        if value is None:
            return ()
        values = [value] if isinstance(value, int) else value
        if not isinstance(values, list) or not all(_is_page(v) for v in values):
            raise self._wrong(name, "a list of page numbers (1 or more)")
        return tuple(values)

    def language(self, question: str) -> str:
        language = self.text("language").strip().lower()
        if not language:
            return "ko" if has_korean(question) else "en"
        if language not in _LANGUAGES:
            raise self._wrong("language", " or ".join(map(repr, _LANGUAGES)))
        return language


def _is_text(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _is_page(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _kind(value: object) -> str:
    """How a wrong value is described in a message: its JSON type and a short repr."""
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a text"}
    names |= {list: "a list", dict: "an object", type(None): "null"}
    shown = json.dumps(value, ensure_ascii=False, default=str)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"{names.get(type(value), type(value).__name__)} ({shown})"


def _check_unique_ids(file: Path, items: list[QuestionItem], raws: list[_Raw]) -> None:
    first: dict[str, str] = {}
    for item, raw in zip(items, raws, strict=True):
        if item.id in first:
            raise EvalError(
                f"{file}, {raw.where}: id {item.id!r} is already used at {first[item.id]}; "
                'ids must be unique (items without an id get "q" + their line or item number)'
            )
        first[item.id] = raw.where


# --- benchmark adapters ------------------------------------------------------------------


def korquad_set(
    data_file: str | Path, out_dir: str | Path, *, limit: int | None = None
) -> tuple[Path, list[QuestionItem]]:
    """KorQuAD 1.0 (SQuAD-format JSON) as ``out_dir/docs`` and a question set.

    Each unique paragraph becomes ``docs/kq_{i:04d}.md`` (``# title`` and the paragraph),
    numbered in file order as ``bench/korquad.py`` numbers its corpus; all 961 of the dev set
    are written, the one without questions included, so the corpus is the benchmark's.
    ``limit`` takes the first questions and writes only the paragraphs they need.
    """
    paragraphs, questions = _korquad_read(_korquad_articles(Path(data_file)))
    questions = questions[:limit]
    items = [_korquad_item(qa, p.title, p.file_name) for qa, p in questions]
    chosen = paragraphs if limit is None else list(dict.fromkeys(p for _, p in questions))
    docs = Path(out_dir) / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for paragraph in chosen:
        text = f"# {paragraph.title}\n\n{paragraph.context}\n"
        (docs / paragraph.file_name).write_text(text, encoding="utf-8")
    _remove_stale(docs, "kq_*.md", keep={p.file_name for p in chosen})
    return docs, items


@dataclass(frozen=True)
class _Paragraph:
    """A unique KorQuAD paragraph, numbered in order of first appearance."""

    number: int
    title: str
    context: str

    @property
    def file_name(self) -> str:
        return f"kq_{self.number:04d}.md"


def _korquad_read(
    articles: list[Any],
) -> tuple[list[_Paragraph], list[tuple[dict[str, Any], _Paragraph]]]:
    """The unique paragraphs (the dev set repeats some texts), and each question with its
    paragraph, in file order."""
    unique: dict[str, _Paragraph] = {}
    questions: list[tuple[dict[str, Any], _Paragraph]] = []
    for article in articles:
        for raw in article["paragraphs"]:
            context = raw["context"]
            if context not in unique:
                unique[context] = _Paragraph(len(unique), article["title"], context)
            questions.extend((qa, unique[context]) for qa in raw["qas"])
    return list(unique.values()), questions


def _korquad_articles(file: Path) -> list[Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise EvalError(f"{file}: no such KorQuAD file") from exc
    except ValueError as exc:
        raise EvalError(f"{file}: not valid JSON ({exc})") from exc
    articles = data.get("data") if isinstance(data, dict) else None
    if not isinstance(articles, list):
        raise EvalError(f'{file}: not in SQuAD/KorQuAD form (no top-level "data" list)')
    return articles


def _korquad_item(qa: dict[str, Any], title: str, source: str) -> QuestionItem:
    answer = qa["answers"][0]["text"]
    return QuestionItem(
        id=str(qa["id"]),
        question=qa["question"],
        reference_answer=answer,
        answer_contains=(answer,),
        expected_sources=(source,),
        tags=("korquad", title),
        language="ko",
    )


def _remove_stale(folder: Path, pattern: str, *, keep: set[str]) -> None:
    # A paragraph left from an earlier, larger run would sit in the corpus as a distractor
    # the questions do not expect, making retrieval look worse than it is.
    for path in folder.glob(pattern):
        if path.name not in keep:
            path.unlink()


_SEC_COLUMNS = ("Question", "Source Docs", "Question Type", "Source Chunk Type", "Answer")
# Globs contain spaces ("*2023 Q3 AAPL*"), so several are split only at commas, semicolons
# and line breaks, or between a closing and an opening star ("*AAPL* *MSFT*").
_GLOB_SEPARATOR = re.compile(r"[,;\n]+|(?<=\*)\s+(?=\*)")


def sec10q_set(
    data_dir: str | Path, *, limit: int | None = None
) -> tuple[Path, list[QuestionItem]]:
    """Docugami's SEC 10-Q set: ``data_dir/docs`` (used in place) and its question set."""
    folder = Path(data_dir)
    docs = folder / "docs"
    if not docs.is_dir():
        raise EvalError(f"{docs}: no documents folder (expected the 10-Q PDFs here)")
    rows = _sec_rows(folder / "qna_data.csv")
    chosen = rows if limit is None else rows[:limit]
    return docs, [_sec_item(number, row) for number, row in enumerate(chosen, start=1)]


def _sec_rows(file: Path) -> list[dict[str, str]]:
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:  # the file starts with a BOM
            reader = csv.DictReader(handle)
            missing = [c for c in _SEC_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise EvalError(f"{file}: missing column(s) {', '.join(missing)}")
            return list(reader)
    except FileNotFoundError as exc:
        raise EvalError(f"{file}: no such question file") from exc


def _sec_item(number: int, row: Mapping[str, str]) -> QuestionItem:
    globs = (g.strip() for g in _GLOB_SEPARATOR.split(row["Source Docs"]))
    return QuestionItem(
        id=f"sec{number:03d}",
        question=row["Question"].strip(),
        reference_answer=row["Answer"].strip(),
        expected_sources=tuple(g for g in globs if g),
        tags=(row["Question Type"].strip(), row["Source Chunk Type"].strip()),
        language="en",
    )
