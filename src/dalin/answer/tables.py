"""Cells of stored tables that answer a question, each cited to its cell or row.

A question about a table names a row (``울산``, ``개똥이``, ``Turbo Flyer``, filters such as
``2014년 1월`` or ``Government``) and a column (``총인원``, ``수학``, ``수량``). The stored
table (:class:`~dalin.types.StoredTable`) keeps the cells apart, so the answer is the cell,
not a sentence that happens to share the words. Tables come in several shapes, all read
into one :class:`Grid` of row labels × column names:

* a header row over body rows, whose first text column labels each row;
* two header rows (``검증 데이터 | 평가 데이터`` over ``EM | F1 | EM | F1``): the names join;
* merged header cells, read as empty cells after the one that spans them;
* key–value forms (``소요예산 | 270,000,000원``, ``보도시점 | … | 배포 | …``): each label
  names the value beside it;
* totals rows (``합계``, ``Total``): found like any row, left out of sums over rows.

Matching uses the question's morphemes (Kiwi) and the glossary's equivalents, so ``수량``
finds a ``QUANTITY`` column and ``총인원`` a header extracted as ``총인 원``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from dalin.ingest.chunking import cell_range
from dalin.ingest.document import holds_contact, table_lines
from dalin.text.korean import tokenize
from dalin.types import StoredTable

_NUMERIC = re.compile(
    r"^[-+]?[₩$€£]?\s*[\d,]*\.?\d+\s*(?:%|명|개|건|점|원|천원|만원|억원|회|대|곳|배|시간|분|초|개월"
    r"|일|년|주|[A-Za-z]{1,3})?$"
)
#: a cell that states a moment or a code rather than naming a row: "18:30", "2026-06-01"
_MOMENT = re.compile(r"^\d{1,2}:\d{2}|^\d{4}\s*[-./년]\s*\d{1,2}|^\d{1,2}\s*[./]\s*\d{1,2}\s*\.")
_SPACE = re.compile(r"\s+")
TOTAL = re.compile(r"^(?:합\s*계|총\s*계|소\s*계|계|총합|total|sum|subtotal|grand total)$", re.I)
#: header words that say "this column holds labels", not an attribute
_GENERIC_LABEL = re.compile(
    r"^(?:구\s*분|항\s*목|항목명|내\s*용|이\s*름|값|no|번호|순번|item|name|field|key|value|category)$",
    re.I,
)
_MAX_LABEL_CHARS = 80
#: a label column's cell may be longer: "NAMZ-ALBERT V2 (single) Mediazen NAMZ AI Reseach Team
#: and KISTI National Supercomputing Center" names a leaderboard's row
_MAX_LABEL_COLUMN_CHARS = 120
#: headers of columns that name rows rather than hold an attribute
_LABEL_HEADER = re.compile(
    r"^(?:구분|항목|항목명|이름|성명|품목|품명|코드|.*코드|no\.?|번호|순번|item|name|code|key|category|id)$",
    re.I,
)


def squash(text: str) -> str:
    """Normalised for matching: NFKC, lower case, no spaces ("총인 원" meets "총인원")."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def is_numeric(cell: str) -> bool:
    return bool(_NUMERIC.match(cell.strip())) and any(ch.isdigit() for ch in cell)


@dataclass(frozen=True)
class Grid:
    """A stored table read as labelled rows and named columns."""

    stored: StoredTable
    #: a name per column: "" for label columns with no useful header
    columns: tuple[str, ...]
    #: (index into ``stored.table.rows`` or -1 for the header row, cells)
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    #: columns holding row labels (text), the first one first
    label_columns: tuple[int, ...]
    #: whether the table is a form of label/value pairs rather than rows × columns
    pairs: bool = False


#: grids already read, by table identity: a workbook's tables are read question after question
_GRIDS: dict[tuple[int, int, int, int, int], Grid] = {}
_GRIDS_KEPT = 512


def read_grid(stored: StoredTable) -> Grid:
    """The grid of ``stored``: headers resolved, label columns found (see module doc)."""
    key = (stored.doc_id, stored.index, stored.start, stored.end, len(stored.table.rows))
    grid = _GRIDS.get(key)
    if grid is None or grid.stored != stored:
        if len(_GRIDS) >= _GRIDS_KEPT:
            _GRIDS.clear()
        grid = _GRIDS[key] = _read_grid(stored)
    return grid


def _read_grid(stored: StoredTable) -> Grid:
    table = stored.table
    width = max(len(table.header), *(len(r) for r in table.rows), 0)
    header = [_clean(c) for c in _padded(table.header, width)]
    body = [(i, tuple(_clean(c) for c in _padded(r, width))) for i, r in enumerate(table.rows)]
    if body and _is_header_like(body[0][1], header):
        header = [_join(h, s) for h, s in zip(_spread(header), body[0][1], strict=True)]
        body = body[1:]
    else:
        header = _spread(header)
    if _is_pairs(header, body):
        rows = ((-1, tuple(header)), *body) if any(header) else tuple(body)
        return Grid(stored, tuple("" for _ in header), tuple(rows), (), pairs=True)
    body = [(i, part) for i, cells in body for part in _slash_rows(cells)]
    labels = _label_columns(header, body)
    return Grid(stored, tuple(header), tuple(body), labels)


def _slash_rows(cells: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A row whose first cell names several things ("Star / Fork") and whose value cells
    give each alike ("83 / 9"), as one row per thing; any other row as it is."""
    names = _SLASH.split(cells[0]) if cells else []
    if len(names) < 2:
        return [cells]
    split = [_SLASH.split(c) for c in cells]
    if not any(len(parts) == len(names) for parts in split[1:]):
        return [cells]
    alike = [len(parts) == len(names) for parts in split]
    return [
        tuple(
            parts[n] if same else cell
            for parts, cell, same in zip(split, cells, alike, strict=True)
        )
        for n in range(len(names))
    ]


def _padded(cells: Sequence[str], width: int) -> list[str]:
    return [*cells, *([""] * (width - len(cells)))]


def _clean(cell: str) -> str:
    return " ".join(unicodedata.normalize("NFC", cell).split())


def _spread(header: Sequence[str]) -> list[str]:
    """A merged header cell spans the empty cells after it (not the first, label column)."""
    out: list[str] = []
    for i, name in enumerate(header):
        out.append(name or (out[-1] if i > 1 and out and out[-1] else ""))
    return out


def _join(top: str, below: str) -> str:
    if not below or squash(below) == squash(top):
        return top
    return f"{top} {below}".strip()


def _is_header_like(row: Sequence[str], header: Sequence[str]) -> bool:
    """A first body row that names columns under the header: text only, at least two, and
    repeating or refining the header rather than labelling a row."""
    filled = [c for c in row if c]
    if len(filled) < 2 or any(is_numeric(c) for c in filled) or holds_contact(filled):
        return False  # a contact row is a person's: the parser took it out of the header
    repeats = sum(1 for c in filled if c in header)
    return not row[0] or row[0] == header[0] or repeats >= 2 or not any(header)


def _is_pairs(header: Sequence[str], body: Sequence[tuple[int, tuple[str, ...]]]) -> bool:
    """A form of label/value cells: two columns, short text labels on the left, and no
    header naming an attribute (``항목 | 내용`` or a first pair such as ``과목명 | ○○○``);
    or rows alternating label, value, label, value."""
    rows = [header, *(cells for _, cells in body)] if any(header) else [c for _, c in body]
    if not rows or len(header) % 2:
        return False
    if len(header) == 2:
        labels = [r[0] for r in rows if r[0]]
        attribute = header[1] and not _GENERIC_LABEL.match(header[1].replace(" ", ""))
        generic = bool(_GENERIC_LABEL.match(header[0].replace(" ", ""))) if header[0] else True
        return bool(labels) and all(is_label(x) for x in labels) and (generic or not attribute)
    return all(
        all(is_label(r[c]) for c in range(0, len(r), 2) if r[c])
        and any(
            r[c + 1] and (is_numeric(r[c + 1]) or not is_label(r[c + 1]) or r[c + 1][:1].isdigit())
            for c in range(0, len(r), 2)
        )
        for r in rows
    )


def _label_columns(
    header: Sequence[str], body: Sequence[tuple[int, tuple[str, ...]]]
) -> tuple[int, ...]:
    """The leftmost column of mostly short text, and the text columns right after it whose
    header says they label rows too (구분, 항목, 코드) or is empty: they name the rows. A text
    column under an attribute ("위규 수준 B급") holds values, not labels."""
    if not body:
        return ()
    columns: list[int] = []
    for c in range(len(header)):
        cells = [cells[c] for _, cells in body if cells[c]]
        labels = bool(cells) and sum(1 for x in cells if is_label(x)) >= 0.6 * len(cells)
        if labels and (
            not columns or not header[c] or _LABEL_HEADER.match(header[c].replace(" ", ""))
        ):
            columns.append(c)
        elif columns:
            break  # labels sit left of the values
    return tuple(columns[:3])


def _pair_owners(cells: Sequence[str]) -> dict[int, int]:
    """In a headerless row of label and number pairs side by side ("소스 파일 수 | 171 | |
    커밋 픽스처 문서 수 | 345"), the label cell each number belongs to: the one just before
    it. Empty unless the row holds two or more such pairs."""
    pairs = {
        c + 1: c for c in range(len(cells) - 1) if is_label(cells[c]) and is_numeric(cells[c + 1])
    }
    return pairs if len(pairs) >= 2 else {}


def is_label(cell: str) -> bool:
    return (
        bool(cell)
        and not is_numeric(cell)
        and not _MOMENT.match(cell)
        and len(cell) <= _MAX_LABEL_CHARS
    )


def _long_label(cell: str) -> bool:
    return len(cell) <= _MAX_LABEL_COLUMN_CHARS and is_label(cell[:_MAX_LABEL_CHARS])


# --- matching -----------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def cell_tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


@dataclass(frozen=True)
class CellMatch:
    """A cell found for a question, with how well its row and column matched."""

    grid: Grid
    #: index into ``grid.rows``
    row: int
    column: int
    value: str
    #: the row's label ("울산") and the column's name ("총인원"), as shown in the answer
    row_label: str
    column_name: str
    row_score: float
    column_score: float
    #: question words the row and column hold (for coverage)
    covered: frozenset[str] = frozenset()

    @property
    def is_total(self) -> bool:
        return bool(TOTAL.match(self.row_label.replace(" ", "")))


def match_cells(
    grid: Grid,
    question: str,
    words: Sequence[str],
    idf: Mapping[str, float],
    equivalents: Mapping[str, frozenset[str]],
) -> list[CellMatch]:
    """Every non-empty cell whose row the question names, best first.

    A row is named by any of its text cells (its label, or filters such as a segment and a
    country); a cell's column by its header. ``equivalents`` maps a token of the table's
    text to question tokens that mean the same (the glossary: ``quantiti`` → ``수량``).
    """
    asked = squash(question)
    wanted = set(words)
    if grid.pairs:
        return _pair_matches(grid, asked, wanted, idf, equivalents)
    amounts = _amounts(question)
    written = _numbers(question)
    named_by: dict[str, tuple[float, frozenset[str]]] = {}

    def name_score(cell: str) -> tuple[float, frozenset[str]]:
        if cell not in named_by:  # a column of repeated labels is scored once
            named_by[cell] = _name_score(cell, asked, wanted, idf, equivalents)
            if named_by[cell][0] >= 1.0 and _inside_latin_word(cell, question):
                # "PDF" is not named by "office2pdf": written inside a longer Latin word
                named_by[cell] = _name_score(cell, "", wanted, idf, equivalents)
        return named_by[cell]

    found: list[CellMatch] = []
    repeated = repeated_cells(grid)
    columns = list(grid.columns)
    scores = _column_scores(columns, grid.label_columns, asked, wanted, idf, equivalents)
    stated = _stated_cells(columns, question)
    for c, entity in _entity_columns(grid, asked):
        columns[c], scores[c] = entity, (1.0, frozenset())  # "홍길동의 역할": 홍길동's column
    for r, (_, cells) in enumerate(grid.rows):
        if _is_subheader(cells):
            columns = [c or columns[i] for i, c in enumerate(cells)]
            scores = _column_scores(columns, (), asked, wanted, idf, equivalents)
            continue
        named = [
            (c, *name_score(cell)) for c, cell in enumerate(cells)
            if is_label(cell) or (c in grid.label_columns and _long_label(cell))
        ]  # fmt: skip
        named += [(c, 1.0, frozenset()) for c, cell in enumerate(cells) if _in_range(cell, amounts)]
        named += [(c, 1.0, frozenset()) for c, number in stated
                  if c < len(cells) and _number(cells[c]) == number]  # fmt: skip
        named = _distinct([(c, score, w) for c, score, w in named if score > 0], cells)
        if not named and len(grid.rows) == 1:
            named = [(-1, 0.5, frozenset())]  # a one-row table: its row needs no naming
        if not named:
            continue
        label_cells = [c for c in grid.label_columns if cells[c]]
        # a cell written down its whole column ("소속: office2pdf") names no one row: the row
        # is named by the cell only it holds ("typst-kit"), of all written whole
        top = max(named, key=lambda n: (n[1] >= 1.0 and (n[0], cells[n[0]]) not in repeated, n[1]))
        label = cells[top[0]] if top[0] >= 0 else ""
        if any(c == top[0] for c, _ in stated):
            label = f"{columns[top[0]]} {label}"  # "Alpha 96": the value that names the row
        # a cell the question itself names is where the question points, not its answer
        # (not one that only repeats some of the words of the label it sits beside:
        # "서울역복합환승센터" beside "환승센터명" is the example asked of that row)
        # (nor one stating a number the question does not write: "총 사업비의 0.1% 이하"
        # repeats 총 사업비 … 이하 and is the rate asked)
        # (nor one under the column the question asks and not written whole: "버스정류소명
        # 항목의 예시" is answered by "서울역버스환승센터+…", whose 버스 … 환승센터 it repeats)
        asked_cells = {
            c for c, score, w in named
            if score >= 0.5 and (c == top[0] or score >= top[1] or not w or not w < top[2])
            and (c == top[0] or _numbers(cells[c]) <= written)
            and (c == top[0] or score >= 1.0 or scores[c][0] < 1.0)
        }  # fmt: skip
        owners = _pair_owners(cells) if not any(columns) and top[0] >= 0 else {}
        for c, value in enumerate(cells):
            if not value or c in asked_cells:
                continue
            column_score, column_words = scores[c]
            if c in label_cells and len(label_cells) == 1:
                label_score = _label_asked(
                    c, top, columns, scores, (asked, wanted, idf, equivalents)
                )
                if label_score is None:
                    continue
                column_score, column_words = label_score
            if owners.get(c, top[0]) != top[0]:
                continue  # "총계 | 1,662 | 파일당 평균 LOC | 478": 1,662 is the 총계's
            row_score = sum(score for cn, score, _ in named if cn != c)
            if row_score <= 0:
                continue
            covered = frozenset().union(*(w for cn, _, w in named if cn != c))
            found.append(CellMatch(grid, r, c, value, label, columns[c], row_score,
                                   column_score, covered | column_words))  # fmt: skip
    return sorted(found, key=lambda m: -(m.row_score + m.column_score))


def _label_asked(
    column: int,
    top: tuple[int, float, frozenset[str]],
    columns: Sequence[str],
    scores: Sequence[tuple[float, frozenset[str]]],
    named_by: tuple[str, set[str], Mapping[str, float], Mapping[str, frozenset[str]]],
) -> tuple[float, frozenset[str]] | None:
    """How the question names the one label column when it asks that column's cell: "CLI
    오류 처리에는 어떤 크레이트를 써요?" over the row whose 역할 cell it writes whole. None
    when the label names the row, as it mostly does: when another cell does not name the row
    whole, or when the question names another column it asks instead ("… 크레이트 몇
    버전")."""
    if column == top[0] or top[1] < 1.0 or any(score >= 1.0 for score, _ in scores):
        return None
    named = _name_score(columns[column], *named_by)
    return named if named[0] >= 1.0 else None


def _numbers(text: str) -> frozenset[str]:
    """The numbers ``text`` writes, digit grouping aside ("2,500천원" → 2500)."""
    return frozenset(re.findall(r"\d+(?:\.\d+)?", text.replace(",", "")))


_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(년|개월|주|일|세|살|명|원|시간|분|회|개)")
_BOUND = re.compile(
    r"(\d+(?:\.\d+)?)\s*(년|개월|주|일|세|살|명|원|시간|분|회|개)?\s*(이상|초과|미만|이하|부터|까지)"
)
_SPAN = re.compile(
    r"(\d+(?:\.\d+)?)\s*(년|개월|주|일|세|명|원|시간|분|회|개)?\s*[~∼-]\s*(\d+(?:\.\d+)?)\s*(년|개월|주|일|세|명|원|시간|분|회|개)"
)


#: the label of a row that names what each column is about: "참가자 성명 | 고길동 | 홍길동"
_ENTITY_ROW = re.compile(r"성명|이름|name|구분|항목|품목|모델|제품", re.I)


def _entity_columns(grid: Grid, asked: str) -> list[tuple[int, str]]:
    """Columns named by an entity the question writes, where a row inside the table lists
    one entity per column (a form that runs people or products across): "홍길동의 역할" over
    "참가자 성명 | 고길동 | 홍길동" and "참가자 역할 | 역할 1 | 역할 2" is the 홍길동 column."""
    found = []
    for _, cells in grid.rows:
        if not cells or not _ENTITY_ROW.search(cells[0]):
            continue
        for c, cell in enumerate(cells):
            key = squash(cell)
            if c == 0 or len(key) < 2 or is_numeric(cell):
                continue
            if key in asked:  # its header, if any, is the form's first line, not its name
                found.append((c, cell))
    return found


#: a column's value the question states: "Alpha 값이 96인 행", "주문번호가 1024인", "Alpha가
#: 31로 적힌 줄", "the row where Alpha is 49"
_STATED_VALUE = (
    r"\s*(?:값|번호)?\s*(?:이|가|은|는|=|:)?\s*(-?\d[\d,]*(?:\.\d+)?)\s*"
    r"(?:인|이면|일|이고|$|(?:으로|로|이라고|라고)\s*(?:적|나와|나온|기재|표시|쓰|된|되어))"
    r"|\s+(?:is|equals|of)\s+(-?\d[\d,]*(?:\.\d+)?)(?![\d.,]?\d)"
)


#: a column of ranks, and a rank a question writes: "리더보드 1위 모델"
_RANK_COLUMN = re.compile(r"rank|ranking|순위|등수", re.I)
_RANKED = re.compile(r"(?<![\d.])(\d{1,3})\s*(?:위|등)(?![가-힣])")


def stated_rows(grid: Grid, question: str) -> list[int]:
    """The rows holding the number the question states for a column it names: "ColA 값이
    13인 행", "the row where Alpha is 49"."""
    stated = _stated_cells(grid.columns, question)
    return [
        r
        for r, (_, cells) in enumerate(grid.rows)
        if any(c < len(cells) and _number(cells[c]) == number for c, number in stated)
    ]


def _stated_cells(columns: Sequence[str], question: str) -> list[tuple[int, Decimal]]:
    """(column, number) for each column the question names with the value a row holds in it:
    "Alpha 값이 96인 행의 Delta 값" picks the row whose Alpha is 96."""
    found = []
    for c, name in enumerate(columns):
        name = name.strip()
        if not name or is_numeric(name):
            continue
        if _RANK_COLUMN.fullmatch(name):
            # "1위 모델" is the row ranked 1 ("Rank | 1", "순위 | 1")
            found += [(c, Decimal(n)) for n in _RANKED.findall(question)]
        for match in re.finditer(re.escape(name) + f"(?:{_STATED_VALUE})", question, re.I):
            number = _number(match.group(1) or match.group(2))
            if number is not None:
                found.append((c, number))
    return found


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None


def _amounts(question: str) -> list[tuple[float, str]]:
    """Quantities the question states ("10년 근무하면" → (10, "년"))."""
    return [(float(n), unit) for n, unit in _AMOUNT.findall(question)]


def _in_range(label: str, amounts: Sequence[tuple[float, str]]) -> bool:
    """Whether a row label states a range holding one of ``amounts``: "9년 이상 11년 미만"
    holds 10년, "21년 이상" holds 25년, "3~5년" holds 4년."""
    if not amounts or not label:
        return False
    low, high, unit = float("-inf"), float("inf"), ""
    span = _SPAN.search(label)
    bounds = _BOUND.findall(label)
    if span:
        low, high, unit = float(span.group(1)), float(span.group(3)), span.group(4)
    elif bounds:
        for number, bound_unit, word in bounds:
            unit = bound_unit or unit
            value = float(number)
            if word == "이상" or word == "부터":
                low = value
            elif word == "초과":
                low = value + 1e-9
            elif word == "미만":
                high = value - 1e-9
            else:
                high = value
    else:
        return False
    return any(low <= n <= high and (not unit or u == unit) for n, u in amounts)


def repeated_cells(grid: Grid) -> set[tuple[int, str]]:
    """(column, text) of every cell whose text its column holds in more than one row."""
    seen: set[tuple[int, str]] = set()
    repeated: set[tuple[int, str]] = set()
    for _, cells in grid.rows:
        for key in enumerate(cells):
            (repeated if key in seen else seen).add(key)
    return repeated


def _distinct(
    named: list[tuple[int, float, frozenset[str]]], cells: Sequence[str]
) -> list[tuple[int, float, frozenset[str]]]:
    """One entry per distinct text, its best score: a label repeated across side-by-side
    blocks counts once."""
    best: dict[str, tuple[int, float, frozenset[str]]] = {}
    for c, score, words in named:
        key = squash(cells[c])
        if key not in best or score > best[key][1]:
            best[key] = (c, score, words | best.get(key, (0, 0.0, frozenset()))[2])
    return list(best.values())


def _column_scores(
    columns: Sequence[str],
    label_columns: Sequence[int],
    asked: str,
    wanted: set[str],
    idf: Mapping[str, float],
    equivalents: Mapping[str, frozenset[str]],
) -> list[tuple[float, frozenset[str]]]:
    scores = [
        (0.0, frozenset())
        if c in label_columns
        else _name_score(name, asked, wanted, idf, equivalents)
        for c, name in enumerate(columns)
    ]
    for c in _other_siblings(columns, asked):
        scores[c] = (0.0, frozenset())
    return scores


def _other_siblings(columns: Sequence[str], asked: str) -> set[int]:
    """Columns under one parent header whose last level the question does not write when it
    writes a sibling's: "D급 위규는" names "위규 수준 D급", not "위규 수준 A급"."""
    levels = {c: name.strip().rpartition(" ") for c, name in enumerate(columns)}
    split = {c: (parent, leaf) for c, (parent, _, leaf) in levels.items() if parent and leaf}
    siblings: dict[str, list[int]] = {}
    cousins: dict[str, list[int]] = {}
    for c, (parent, leaf) in split.items():
        siblings.setdefault(squash(parent), []).append(c)
        # the same leaf under other parents: "검증 데이터로 받은 F1" names "검증 데이터 F1",
        # not "평가 데이터 F1"
        cousins.setdefault(squash(leaf), []).append(c)
    others: set[int] = set()
    for group in siblings.values():
        others |= _unnamed({c: split[c][1] for c in group}, asked)
    for group in cousins.values():
        others |= _unnamed({c: split[c][0] for c in group}, asked)
    return others


def _unnamed(levels: Mapping[int, str], asked: str) -> set[int]:
    """The columns (keys of ``levels``) whose distinct level the question does not write
    when it writes another's (none when it writes none, or all)."""
    squashed = {c: squash(level) for c, level in levels.items()}
    if len(set(squashed.values())) < 2:
        return set()
    named = {c for c, level in squashed.items() if level in asked}
    return set(squashed) - named if named and len(named) < len(squashed) else set()


def _is_subheader(cells: Sequence[str]) -> bool:
    """A body row that starts a new block of columns ("구분 | 위치 | 수량 | 비고")."""
    filled = [c for c in cells if c]
    return (
        len(filled) >= 2
        and all(is_label(c) for c in filled)
        and any(_GENERIC_LABEL.match(c.replace(" ", "")) for c in filled)
    )


def column_matches(
    grid: Grid,
    question: str,
    words: Sequence[str],
    idf: Mapping[str, float],
    equivalents: Mapping[str, frozenset[str]],
) -> list[tuple[int, float]]:
    """Value columns the question names, best first: for max/min/sum over a column."""
    if grid.pairs:
        return []
    asked, wanted = squash(question), set(words)
    scored = [
        (c, _name_score(name, asked, wanted, idf, equivalents)[0])
        for c, name in enumerate(grid.columns)
        if c not in grid.label_columns and name
    ]
    return sorted(((c, s) for c, s in scored if s > 0), key=lambda x: -x[1])


#: the number an invoice or a list puts before an item's name
ITEM_NUMBER = re.compile(r"^\d{1,3}\s+(?=\D)")


def name_words(
    name: str,
    question: str,
    words: Sequence[str],
    idf: Mapping[str, float],
    equivalents: Mapping[str, frozenset[str]],
) -> frozenset[str]:
    """The question's words that name ``name`` (a header or a row label)."""
    return _name_score(name, squash(question), set(words), idf, equivalents)[1]


_BRACKETS = re.compile(r"[()\[\]{}<>（）]")


def _unbracketed(text: str) -> str:
    """``text`` without brackets: "단위 테스트(#[test]) 수" writes the column "#[test] 수"."""
    return _BRACKETS.sub("", text)


def _inside_latin_word(name: str, question: str) -> bool:
    """Whether a Latin name the question writes is written only inside a longer Latin
    word of it ("PDF" in "office2pdf")."""
    key = name.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", key):
        return False
    text = question.lower()
    return key in text and not re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", text)


def _name_score(
    name: str,
    asked: str,
    wanted: set[str],
    idf: Mapping[str, float],
    equivalents: Mapping[str, frozenset[str]],
) -> tuple[float, frozenset[str]]:
    """How surely the question names ``name`` (a header or a row label), and with which of
    its words: the whole name written in the question counts most."""
    if not name or _GENERIC_LABEL.match(name.replace(" ", "")):
        return 0.0, frozenset()
    name = ITEM_NUMBER.sub("", name)  # "1 Super Kite": the line's number names nothing
    key = squash(name)
    # a word of the name the question writes whole, however Kiwi splits it in context
    # ("민간현황 학계" is read 학 + 계; the question's 학계 names it)
    whole = {w for w in (squash(part) for part in name.split()) if len(w) >= 2 and w in wanted}
    tokens = cell_tokens(name) | whole
    means = set(tokens)
    for token in tokens:
        means |= equivalents.get(token, frozenset())
    shared = frozenset(t for t in means if t in wanted)
    written_whole = key in asked or _unbracketed(key) in _unbracketed(asked)
    if written_whole and len(key) == 2 and key not in wanted and not set(tokens) & wanted:
        # "설명" inside "교통시설명": two syllables across words; but "부령" Kiwi reads as
        # 부 + 령 in "소관 부령은" is the word written whole
        written_whole = all(syllable in wanted for syllable in key)
    if written_whole and not tokens and key.isascii():
        written_whole = False  # a header of English function words ("This", "Is"): "this month"
    if len(key) >= 2 and written_whole:
        written = frozenset(t for t in wanted if squash(t) in key)
        return 1.0 + 0.1 * len(key) ** 0.5, shared | written
    if not tokens or not shared:
        return 0.0, frozenset()
    # how much of the name the question holds, and how much of the question the name holds:
    # a long row label ("EXAONE-LM-v1.0 (single model) LG AI Research") is named by its rare
    # word, a short header ("수학") by all of it
    weight = sum(idf.get(t, 1.0) for t in tokens)
    got = sum(
        idf.get(t, 1.0) for t in tokens if t in shared or equivalents.get(t, frozenset()) & shared
    )
    total = sum(idf.get(t, 1.0) for t in wanted)
    recall = sum(idf.get(t, 1.0) for t in shared) / total if total else 0.0
    # an identifier the question writes as the name does ("Mobile-BERT" of "Mobile-BERT(18M
    # Params & 36.6MB size) (single) Enliple AI and …") names the row surely, however long
    named = any(squash(part) in asked for part in _IDENTIFIER.findall(name))
    bonus = _NAMED_BONUS if named else 0.0
    return (got / weight if weight else 0.0) * 0.5 + recall + bonus, shared


#: an identifier in a name: Latin words joined by hyphens ("Mobile-BERT", "EXAONE-LM-v1.0");
#: a word with a digit alone ("office2pdf") is as often the product every row is about
_IDENTIFIER = re.compile(r"(?<![\w-])[A-Za-z][\w.]*(?:-[\w.]+)+")
#: what writing a row name's identifier adds to its naming
_NAMED_BONUS = 0.3


def _pair_matches(
    grid: Grid,
    asked: str,
    wanted: set[str],
    idf: Mapping[str, float],
    equivalents: Mapping[str, frozenset[str]],
) -> list[CellMatch]:
    found: list[CellMatch] = []
    for r, (_, cells) in enumerate(grid.rows):
        for c in range(0, len(cells) - 1, 2):
            if not cells[c + 1] or not is_label(cells[c]):
                continue
            for label, value in _slash_pairs(cells[c], cells[c + 1]):
                score, words = _name_score(label, asked, wanted, idf, equivalents)
                if score > 0:
                    found.append(CellMatch(grid, r, c + 1, value, label, label, score, 0.5, words))
    return sorted(found, key=lambda m: -m.row_score)


#: what parts a label and its value alike: "Star / Fork | 83 / 9", "정원 / 현원 | 30 / 27"
_SLASH = re.compile(r"\s+/\s+")


def _slash_pairs(label: str, value: str) -> list[tuple[str, str]]:
    """A label cell naming several things and a value cell giving each, parted alike by
    " / ": each label with its value ("Star" 83, "Fork" 9), then the whole pair."""
    labels, values = _SLASH.split(label), _SLASH.split(value)
    parts = list(zip(labels, values, strict=True)) if len(labels) == len(values) > 1 else []
    return [*parts, (label, value)]


# --- where a cell is ------------------------------------------------------------------------


@dataclass(frozen=True)
class CellPlace:
    """Where a cell's row sits in the document, and how a citation names it."""

    label: str
    #: the rendered row line (document text at ``start``–``end``)
    quote: str
    start: int
    end: int


def row_in_brief(grid: Grid, row: int, columns: Sequence[int]) -> str:
    """A row shown by its label cells and the ``columns`` used, the rest elided:
    "구분: 서울 | 총인원: 40 | …" for a row of twelve cells."""
    _, cells = grid.rows[row]
    owners = _pair_owners(cells) if not any(grid.columns) else {}
    # a number of a row of label and number pairs is shown beside its own label
    labels = [owners[c] for c in columns if c in owners] or grid.label_columns[:1]
    keep = [c for c in (*labels, *columns) if c < len(cells) and cells[c]]
    keep = list(dict.fromkeys(keep))
    shown = [f"{grid.columns[c]}: {cells[c]}" if grid.columns[c] else cells[c] for c in keep]
    rest = sum(1 for c, cell in enumerate(cells) if cell and c not in keep)
    return " | ".join(shown) + (" | …" if rest else "")


def place_of(match: CellMatch) -> CellPlace | None:
    """The row line holding ``match`` and a label naming the cell (``Sheet1!L2``) or the
    row (``표 3 · '이륙 중량' 행``); None when the row renders no line."""
    source_row, _ = match.grid.rows[match.row]
    found = row_line(match.grid.stored, None if source_row == -1 else source_row)
    if found is None:
        return None
    line, start, end = found
    return CellPlace(_label(match, source_row), line, start, end)


def row_line(stored: StoredTable, index: int | None) -> tuple[str, int, int] | None:
    """The rendered line of body row ``index`` of a stored table (None: its header) and
    where it sits in the document; None when the row renders no line."""
    offset = stored.start
    for line_index, line in table_lines(stored.table):
        if line_index == index:
            return line, offset, offset + len(line)
        offset += len(line) + 1
    return None


def _label(match: CellMatch, source_row: int) -> str:
    stored = match.grid.stored
    table = stored.table
    page = f"p.{stored.page} · " if stored.page else ""
    if table.sheet and table.first_column:
        row_number = (
            table.header_row if source_row == -1
            else table.row_numbers[source_row] if source_row < len(table.row_numbers) else 0
        )  # fmt: skip
        if row_number:
            column = table.first_column + match.column
            return cell_range(table.sheet, column, column, row_number, row_number).rsplit(":", 1)[0]
    name = match.row_label if len(match.row_label) <= 30 else match.row_label[:29] + "…"
    return f"{page}표 {stored.index} · '{name}' 행"
