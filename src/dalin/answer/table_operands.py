"""Operands from stored tables: the rows and columns a question names, and their cells.

Arithmetic works on cells the question names with confidence: named rows × a named column
("서울과 부산 … 총인원"), named columns × a named row ("개똥이의 국어, 영어, 수학"), a whole
column for a largest or smallest value, or — for the time between two moments — two dates
or years of a table ("v0.4.0 … v0.6.0 릴리스", "착공연도부터 완료연도까지"). A row is named by
the words it holds that few other rows hold, and by the beginning of its label written out;
a word every row repeats (the table's topic) names none. :mod:`dalin.answer.operands`
falls back to sentences when no table answers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from dalin.answer.cells import table_context
from dalin.answer.intent import SHARE_ASKED, TAKEN_OUT, Asked, Operation, spans_extremes
from dalin.answer.reader_question import (
    QUOTED,
    Evidence,
    Reading,
    Sources,
    part_reading,
    share_of,
)
from dalin.answer.row_count import kept_rows
from dalin.answer.shown_work import Operand
from dalin.answer.tables import (
    ITEM_NUMBER,
    TOTAL,
    CellMatch,
    Grid,
    cell_tokens,
    column_matches,
    is_label,
    is_numeric,
    match_cells,
    name_words,
    place_of,
    repeated_cells,
    row_in_brief,
    squash,
    stated_rows,
)
from dalin.answer.values import find_values
from dalin.answer.yes_no import named_formats
from dalin.text.korean import tokenize
from dalin.types import Hit


@dataclass
class Operands:
    """The operands found, the evidence they cite, what could not be found, and how
    surely the question names them."""

    operands: list[Operand]
    evidence: list[Evidence]
    missing: list[str] = field(default_factory=list)
    score: float = 0.0


def table_operands(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]], sources: Sources
) -> Operands | None:
    """Operands from one table: named rows × a named column, named columns × a named row,
    or a whole column for max/min. A table whose caption or lead-in names what the question
    asks about (광역 … 위원 구성) wins over one whose columns only repeat its topic."""
    across = _across_pages(reading, grids)
    if across is not None:
        return across
    best: Operands | None = None
    cells_read = _without_table_name(reading)
    for grid, hit, relevance in grids:
        if grid.pairs:
            continue
        chosen, score = (
            _total_less_part(reading, grid)
            or _per_cells(reading, grid)
            or _kept_cells(reading, grid)
            or _run_cells(reading, grid)
            or _table_cells(cells_read, grid)
        )
        if not chosen:
            continue
        operands, evidence = _cell_operands(chosen, hit)
        if _unlike_asked(reading, operands):
            continue  # "몇 개" is no sum of "100%" and "100%": another table may hold counts
        score += relevance + _CONTEXT_WEIGHT * share_of(
            reading, table_context(grid.stored, hit, sources)
        )
        if hit.name.rpartition(".")[2].upper() in named_formats(reading.question):
            score += _FORMAT_BONUS  # "테스트 파워포인트에 있는 표": the .pptx's, not the .xlsx's
        if operands and (best is None or score > best.score):
            best = Operands(operands, evidence, score=score)
    return best


#: the least row score that names a row whole: its name written out ("순환경제사회 전환 촉진법
#: 시행령 일부개정령안"), not a few of its words
_WHOLE_ROW = 0.9


def _across_pages(reading: Reading, grids: Sequence[tuple[Grid, Hit, float]]) -> Operands | None:
    """Two moments from two pages of one table: a list the layout broke over pages is stored
    as one table per page, and "시행령 일부개정령안과 … 시행규칙 일부개정령안은 공포일이 며칠
    차이" names one row on each. Only for two things compared, each row named whole and the
    only row its page's table names so, in tables of one document with the same columns."""
    if reading.intent.operation not in (Operation.DIFFERENCE, Operation.ELAPSED):
        return None
    named: list[tuple[Grid, Hit, int]] = []
    for grid, hit, _ in grids:
        if grid.pairs:
            continue
        matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
        whole = [r for r, s in _row_scores(matches).items() if s >= _WHOLE_ROW]
        if len(whole) > 1:
            return None  # one page names both: read as one table
        if whole:
            named.append((grid, hit, whole[0]))
    if not named:
        return None
    table = (named[0][1].doc_id, named[0][0].columns)
    pages = [(grid, hit, row) for grid, hit, row in named if (hit.doc_id, grid.columns) == table]
    if len(pages) != 2 or len({id(g) for g, _, _ in pages}) != 2:
        return None
    columns = [c for c, _ in _named_columns(reading, pages[0][0])]
    cells = []
    for grid, _, row in pages:
        column = _moment_column(grid, [row], columns)
        cell = _cell(grid, row, column) if column is not None else None
        if cell is None:
            return None
        cells.append(cell)
    operands, evidence = _cell_operands(cells, pages[0][1])
    return Operands(operands, evidence) if len(operands) == 2 else None


#: where the question names a table: "… 문서 및 질문 개수 표에서", "의존성 표의"
_TABLE_NAMED = re.compile(r"\s*표(?:에서|의|에|를)\s")
#: a word ending what owns the table's name or where it is: "논문의", "엑셀에서"
_OWNER_END = re.compile(r"(?:의|에서|에|은|는|이|가|을|를)$")
#: the most words a table's name runs to
_TABLE_NAME_WORDS = 4


def _without_table_name(reading: Reading) -> Reading:
    """The question without the words that name its table, which name no row or column of
    it: "문서 및 질문 개수 표에서 검증 데이터와 평가 데이터의 질문 수를 합하면" sums the 질문
    row's 검증 and 평가, not the 검증 column of the rows 문서 and 질문 the caption names."""
    named = _TABLE_NAMED.search(reading.question)
    if named is None:
        return reading
    before = reading.question[: named.start()].split()
    name = 0
    for word in reversed(before[-_TABLE_NAME_WORDS:]):
        if _OWNER_END.search(word):
            break
        name += 1
    if name == 0 or name == len(before):
        return reading  # no owner bounds the name: it may run back to the question's start
    text = f"{' '.join(before[:-name])}{reading.question[named.start() :]}"
    return replace(part_reading(reading, text), intent=reading.intent)


#: what naming the file format a table is in adds ("파워포인트에 있는 표")
_FORMAT_BONUS = 0.3


def share_operands(reading: Reading, grids: Sequence[tuple[Grid, Hit, float]]) -> Operands | None:
    """A part and its total, for the share of it a question asks: the cell of the column
    the question names best and the total column of its row ("… 사용건수 문서작성" and "…
    사용건수 합계"), or the named row's cell and the total row's in that column."""
    if reading.intent.operation is not Operation.SHARE:
        return None
    for grid, hit, _ in grids:
        if grid.pairs:
            continue
        chosen = _part_and_total(reading, grid)
        if chosen:
            operands, evidence = _cell_operands(chosen, hit)
            if len(operands) == 2:
                return Operands(operands, evidence)
        summed = _share_of_row(reading, grid, hit)
        if summed is not None:
            return summed
        named = _named_part_and_whole(reading, grid, hit)
        if named is not None:
            return named
    return None


#: words a question adds to a row's name: "'구현 완료' 항목" is the row 구현 완료
_ROW_WORDS = re.compile(r"항목|행|칸|건수|개수|수$")


def _named_part_and_whole(reading: Reading, grid: Grid, hit: Hit) -> Operands | None:
    """The part and the whole as two rows the question names, in the one column of
    numbers both fill: "전체 기능 항목 가운데 '구현 완료' 항목의 비율" over a summary
    writing ``전체 기능 항목 수 | 67`` and ``구현 완료 | 59``. None unless exactly one row
    is named for each, by its whole name."""
    asked = SHARE_ASKED.search(reading.question)
    if asked is None:
        return None
    quoted = QUOTED.findall(asked.group("part"))
    part = squash(quoted[0]) if quoted else _ROW_WORDS.sub("", squash(asked.group("part")))
    whole = _ROW_WORDS.sub("", squash(asked.group("whole")))
    found: dict[str, list[tuple[int, int]]] = {"part": [], "whole": []}
    for row, (_, cells) in enumerate(grid.rows):
        names = [_ROW_WORDS.sub("", squash(c)) for c in cells if c.strip() and not is_numeric(c)]
        numbers = [c for c, cell in enumerate(cells) if is_numeric(cell)]
        if len(names) != 1 or len(numbers) != 1 or len(names[0]) < _LEAST_NAME:
            continue
        if names[0] == part:
            found["part"].append((row, numbers[0]))
        elif whole.endswith(names[0]):  # the whole's words may follow where to look
            found["whole"].append((row, numbers[0]))
    if len(found["part"]) != 1 or len(found["whole"]) != 1:
        return None
    (part_row, column), (whole_row, whole_column) = found["part"][0], found["whole"][0]
    if column != whole_column or part_row == whole_row:
        return None
    chosen = [_cell(grid, part_row, column), _cell(grid, whole_row, column)]
    operands, evidence = _cell_operands([c for c in chosen if c is not None], hit)
    return Operands(operands, evidence) if len(operands) == _PAIR else None


#: the fewest characters of a row name a question must write whole
_LEAST_NAME = 2
_PAIR = 2


#: the fewest counts a row must hold for their sum to be the whole its cells divide
_LEAST_PARTS = 3
_COUNT = re.compile(r"\d[\d,]*")


def _share_of_row(reading: Reading, grid: Grid, hit: Hit) -> Operands | None:
    """A cell's share of its row when the table writes no total: "환경 소관 행정입법 가운데
    고시가 차지하는 비율" over ``구분: 환경 소관 | 대통령령: 27 | … | 고시: 122 | 기타: 17``
    is 122 over the sum of the row's counts. Only when the question names the row as the
    whole and the column as the part, and every cell of the row beyond its label is a count
    (so the cells are the row's parts, not measures of another kind)."""
    asked = SHARE_ASKED.search(reading.question)
    if asked is None or any(_TOTAL_COLUMN.match(c) for c in grid.columns):
        return None
    whole, part = squash(asked.group("whole")), squash(asked.group("part"))
    for row, (_, cells) in enumerate(grid.rows):
        label = squash(" ".join(cells[c] for c in grid.label_columns if c < len(cells)))
        counts = [c for c in range(len(cells)) if c not in grid.label_columns]
        if not label or label not in whole or len(counts) < _LEAST_PARTS:
            continue
        if not all(_COUNT.fullmatch(cells[c].strip()) for c in counts):
            continue
        named = [c for c in counts if squash(grid.columns[c]) and squash(grid.columns[c]) in part]
        if len(named) != 1:
            continue
        cell = _cell(grid, row, named[0])
        if cell is None:
            return None
        operands, evidence = _cell_operands([cell], hit)
        # the row is shown with every cell the sum adds, as the work cites them all
        evidence = [replace(e, display=row_in_brief(grid, row, counts)) for e in evidence]
        summed = sum((Decimal(cells[c].replace(",", "")) for c in counts), Decimal(0))
        terms = " + ".join(cells[c].strip() for c in counts)
        # shown as the cells it adds, each cited: the sum itself is written nowhere
        total = Operand(f"{cell.row_label} 합계", f"({terms})", summed, "", None, 0)
        return Operands([*operands, total], evidence)
    return None


def _part_and_total(reading: Reading, grid: Grid) -> list[CellMatch]:
    columns = [c for c, _ in sorted(_named_columns(reading, grid), key=lambda x: -x[1])
               if _holds_numbers(grid, c)]  # fmt: skip
    matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
    rows = _named_rows(grid, matches, reading.question)
    body = [r for r, (_, cells) in enumerate(grid.rows) if any(is_numeric(c) for c in cells)]
    if not rows and len(body) == 1:
        rows = body  # a one-row table needs no row named
    totals = [c for c in range(len(grid.columns)) if _TOTAL_COLUMN.match(grid.columns[c])]
    totals = totals or _whole_columns(reading, grid, columns)
    parts = [c for c in columns if c not in totals]
    if rows and parts and totals:
        pair = [_cell(grid, rows[0], parts[0]), _cell(grid, rows[0], totals[0])]
    else:
        if not columns:
            columns = _part_and_total_column(reading, grid, rows)
        if not columns:
            return []
        column = [(r, _cell(grid, r, columns[0])) for r in range(len(grid.rows))]
        total_rows = [r for r, m in column if m is not None and m.is_total]
        total_rows = total_rows or _summing_rows(grid, columns[0])
        part_rows = [r for r in rows if r not in total_rows]
        if not (part_rows and total_rows):
            return []
        pair = [_cell(grid, part_rows[0], columns[0]), _cell(grid, total_rows[0], columns[0])]
    cells = [m for m in pair if m is not None and is_numeric(m.value)]
    return cells if len(cells) == 2 else []


#: a part taken out of a total the question names: "what would the invoice total come to
#: if the Giga Trash line were taken off", "합계에서 Giga Trash를 빼면"
_TOTAL_NAMED = re.compile(r"\btotal\b|합계|총액|총계|총\s*금액", re.I)


def _total_less_part(reading: Reading, grid: Grid) -> tuple[list[CellMatch], float] | None:
    """The total and the part the question takes out of it, total first, found as a share's
    part and whole are (:func:`_part_and_total`): an invoice's unlabelled total under its
    AMOUNT column, less the named line's amount. None for any other question."""
    if reading.intent.operation is not Operation.DIFFERENCE:
        return None
    if not (TAKEN_OUT.search(reading.question) and _TOTAL_NAMED.search(reading.question)):
        return None
    pair = _part_and_total(reading, grid)
    if len(pair) != _PAIR:
        return None
    part, total = pair
    return [total, part], part.row_score


def _per_cells(reading: Reading, grid: Grid) -> tuple[list[CellMatch], float] | None:
    """For an average per one thing, the amount and the count of those things in one row:
    "사용건수 합계를 사용기관 수로 나누면, 기관 한 곳당 평균 몇 건" over ``사용기관 수 (사용자 수):
    69개 기관 (약 19만명 공무원) | 웹기안기 사용건수 … 합계: 17,737,227건``. The count's column
    is the one whose header holds the thing (기관), though a count written with words beside
    it is no numeric cell; the amount's is the column the question names best. None unless
    the table has one row of numbers or the question names one row."""
    per = reading.intent.per
    if reading.intent.operation is not Operation.AVERAGE or not per:
        return None
    matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
    rows = _named_rows(grid, matches, reading.question)
    body = [r for r, (_, cells) in enumerate(grid.rows) if any(is_numeric(c) for c in cells)]
    rows = rows if len(rows) == 1 else body if len(body) == 1 else []
    counts = [c for c, name in enumerate(grid.columns) if per in squash(name)]
    if not rows or len(counts) != 1:
        return None
    named = [(c, s) for c, s in _named_columns(reading, grid)
             if c != counts[0] and _holds_numbers(grid, c)]  # fmt: skip
    if not named:
        return None
    column, score = max(named, key=lambda x: x[1])
    cells = [_cell(grid, rows[0], column), _cell(grid, rows[0], counts[0])]
    chosen = [m for m in cells if m is not None and find_values(m.value)]
    return (chosen, score) if len(chosen) == _PAIR else None


def _whole_columns(reading: Reading, grid: Grid, columns: Sequence[int]) -> list[int]:
    """Of the columns the question names, the one it names as the whole of the share
    ("광주 위원회 총인원 가운데 민간 위원 비율" over 총인원 and 구성 민간), when the part is
    named by another column."""
    asked = SHARE_ASKED.search(reading.question)
    if asked is None:
        return []
    whole = squash(asked.group("whole"))
    named = [c for c in columns if squash(grid.columns[c]) in whole]
    if not named and _ALL_OF.search(asked.group("whole")):
        # "전체 위원 가운데 민간 위원 비율" over 총인원 and 구성 민간: the whole is the one
        # column of numbers headed as everyone's
        named = [
            c for c in range(len(grid.columns))
            if _WHOLE_HEADER.match(squash(grid.columns[c])) and _holds_numbers(grid, c)
        ]  # fmt: skip
    return named[:1] if any(c not in named for c in columns) and len(named) == 1 else []


#: a share's whole asked as everything: "전체 위원 가운데", "모든 직원 중"
_ALL_OF = re.compile(r"(?:^|\s)(?:전체|모든|총)(?:\s|$)")
#: a column headed as the whole: "총인원", "전체 직원 수", "총 사업비"
_WHOLE_HEADER = re.compile(r"^(?:총|전체)")


def _summing_rows(grid: Grid, column: int) -> list[int]:
    """An unlabelled row whose one value is the sum of the column's values above it: an
    invoice writes its total under the AMOUNT column with no word beside it ("| | | 845.00"
    under seven lines adding to 845.00)."""
    found = []
    for row, (_, cells) in enumerate(grid.rows):
        if column >= len(cells) or not is_numeric(cells[column]):
            continue
        if any(cell.strip() for c, cell in enumerate(cells) if c != column):
            continue
        above = [grid.rows[r][1][column] for r in range(row) if column < len(grid.rows[r][1])]
        values = [Decimal(v.replace(",", "")) for v in above if _AMOUNT.fullmatch(v.strip())]
        total = cells[column].strip().replace(",", "")
        if (
            len(values) >= _LEAST_PARTS
            and _AMOUNT.fullmatch(total)
            and sum(values) == Decimal(total)
        ):
            found.append(row)
    return found


#: a plain amount a column may add: "845.00", "1,250"
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _part_and_total_column(reading: Reading, grid: Grid, rows: Sequence[int]) -> list[int]:
    """The one column a named row and a total row both fill with numbers, when the question
    names no column: "부품비(Parts)는 소계(Subtotal)의 몇 %" reads ``Parts … 2,100`` and
    ``Subtotal … 2,730`` in the estimate's cost column. The total row the question names is
    preferred ("Subtotal", not the "GRAND TOTAL" under it); with no row saying it is a
    total, the one column an unlabelled row sums ("| | | 845.00" under an invoice's lines)."""
    asked = squash(reading.question)
    totals = [
        r for r, (_, cells) in enumerate(grid.rows)
        if any(TOTAL.match(squash(cell)) for cell in cells if cell and not is_numeric(cell))
    ]  # fmt: skip
    totals.sort(key=lambda r: not any(
        squash(cell) in asked for cell in grid.rows[r][1] if cell and not is_numeric(cell)
    ))  # fmt: skip
    if not totals:
        # no row says it is the total: the one column an unlabelled row sums ("| | | 845.00"
        # under an invoice's AMOUNT column), if the named row fills it
        sums = {c: found for c in range(len(grid.columns)) if (found := _summing_rows(grid, c))}
        if len(sums) == 1:
            ((column, summing),) = sums.items()
            named = [r for r in rows if r not in summing]
            if named and _cell(grid, named[0], column) is not None:
                return [column]
    parts = [r for r in rows if r not in totals]
    if not parts or not totals:
        return []
    only = _only_number_column(grid, [parts[0], totals[0]])
    return [] if only is None else [only]


def _unlike_asked(reading: Reading, operands: Sequence[Operand]) -> bool:
    """Whether the operands are of another kind than the result asked: a question asking
    "몇 개" or "몇 MB" is not answered by adding, subtracting or averaging percentages, nor
    one asking "몇 퍼센트" by adding counts. A ratio takes either."""
    if reading.intent.operation is Operation.RATIO:
        return False
    asked_share = reading.intent.asked is Asked.PERCENT or reading.intent.counter in ("%", "퍼센트")
    shares = [o.unit == "%" or o.text.rstrip().endswith("%") for o in operands]
    return not all(shares) if asked_share else any(shares)


#: how surely a sum over the rows a question keeps by a number is what it asks
_KEPT_SCORE = 1.0


def _kept_cells(reading: Reading, grid: Grid) -> tuple[list[CellMatch], float] | None:
    """For a sum or an average over the rows a question keeps by a number ("수량이 1개인
    품목 … 금액을 합치면"), the cells of the column of numbers it names besides the one it
    keeps rows by, in those rows; None when it keeps no rows so or names no other column."""
    if reading.intent.operation not in (Operation.SUM, Operation.AVERAGE):
        return None
    kept = kept_rows(reading, grid)
    if kept is None or len(kept[1]) < 2:
        return None
    by, rows, named = kept
    columns = [c for c, _ in _named_columns(reading, grid) if c != by and _holds_numbers(grid, c)]
    if not columns:
        return None
    cells = [cell for r in rows if (cell := _cell(grid, r, columns[0])) is not None]
    # rows kept by a value the question writes in a column it names ("office2pdf-cli
    # 크레이트에 속한") are surely the ones meant, however well another table's are named
    return (cells, _KEPT_SCORE + named) if len(cells) == len(rows) else None


#: a run of columns along a row, by its two ends: "ColA부터 ColF까지", "from Q1 to Q4"
_COLUMN_RUN = re.compile(
    r"(?<![^\s'\"‘“])['\"‘“]?([^\s'\"‘’“”]+?)['\"’”]?\s*부터\s+['\"‘“]?([^\s'\"‘’“”]+?)['\"’”]?\s*까지"
    r"|\bfrom\s+(\S+)\s+(?:to|through)\s+([^\s,?]+)",
    re.IGNORECASE,
)


def _run_cells(reading: Reading, grid: Grid) -> tuple[list[CellMatch], float] | None:
    """For a sum or an average along one row, the cells of the run of columns the question
    names by its two ends, in the one row a number it states names ("ColA 값이 13인 행의
    ColA부터 ColF까지 여섯 값을 모두 더하면"); None unless every cell of the run is a number."""
    if reading.intent.operation not in (Operation.SUM, Operation.AVERAGE):
        return None
    run = _COLUMN_RUN.search(reading.question)
    if run is None:
        return None
    ends = (run.group(1), run.group(2)) if run.group(1) else (run.group(3), run.group(4))
    names = [squash(name) for name in grid.columns]
    first, last = (squash(end) for end in ends)
    if first not in names or last not in names:
        return None
    start, end = names.index(first), names.index(last)
    rows = stated_rows(grid, reading.question)
    if end <= start or len(rows) != 1:
        return None
    cells = [cell for c in range(start, end + 1) if (cell := _cell(grid, rows[0], c)) is not None]
    if len(cells) != end - start + 1 or not all(is_numeric(m.value) for m in cells):
        return None
    return cells, _KEPT_SCORE + 1.0


def _table_cells(reading: Reading, grid: Grid) -> tuple[list[CellMatch], float]:
    """The cells an operation works on in ``grid``, and how surely the question names them."""
    operation = reading.intent.operation
    matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
    columns = [
        (c, s + share_of(reading, cell_tokens(grid.columns[c]), reading.focus))
        for c, s in _named_columns(reading, grid)
    ]
    # a column of names ("사임위원 | 보임위원") or of versions ("버전 | 0.14") holds no
    # operand, however well it is named: a version is a name written in digits
    columns = [
        (c, s)
        for c, s in columns
        if _holds_numbers(grid, c) and not _VERSION.search(grid.columns[c])
    ]
    columns.sort(key=lambda x: -x[1])
    rows = _written_out(grid, reading.question, _named_rows(grid, matches, reading.question))
    body = [r for r, (_, cells) in enumerate(grid.rows) if any(is_numeric(c) for c in cells)]
    row_named = bool(rows)
    if not rows and len(body) == 1:
        rows = body  # a one-row table needs no row named
    pair = operation in (Operation.DIFFERENCE, Operation.RATIO, Operation.ELAPSED)
    chosen: list[CellMatch | None] = []
    if operation in (Operation.MAX, Operation.MIN) and columns:
        return _whole_column(grid, columns[0][0]), columns[0][1]
    extremes = _extremes(reading, grid, columns[0][0]) if columns and len(rows) < 2 else []
    if operation is Operation.DIFFERENCE and extremes:
        return extremes, columns[0][1]  # "제일 높은 학생이랑 제일 낮은 학생은 몇 점 차이"
    if operation in (Operation.SUM, Operation.AVERAGE) and not rows and columns:
        whole = [m for m in _whole_column(grid, columns[0][0]) if not m.is_total]
        if len(whole) >= 2 and _counts_every_row(reading.question, _listed_rows(grid)):
            # "17개 시도 위원회의 총인원을 모두 더하면", "네 학생의 수학 점수 평균": every row,
            # as many as it says; a table listing as many things as the question counts is
            # surely the one meant
            if operation is Operation.SUM:
                whole = _every_row_of_written(reading, grid, columns) or whole
            return whole, columns[0][1] + _EVERY_ROW_BONUS
        if len(whole) >= 2 and _whole_column_asked(reading.question, grid.columns[columns[0][0]]):
            return whole, columns[0][1]  # "the ColB values add up to", "ColB 열을 모두 더하면"
    if len(rows) >= 2:
        column = columns[0][0] if columns else _only_number_column(grid, rows[:8])
        if operation is Operation.ELAPSED:
            # "v0.6.1 릴리스부터 v0.6.4 릴리스까지 며칠": the rows' dates, not a count of days
            # since another release that the question's words name better
            column = _moment_column(grid, rows[:2], [c for c, _ in columns]) or column
        picked = rows[:2] if pair else rows[:8]
        chosen = [_cell(grid, r, column) for r in picked] if column is not None else []
    elif len(rows) == 1:
        top = columns[0][1] if columns else 0.0
        named = [c for c, s in columns if s >= max(0.5, 0.7 * top)]
        if pair:
            named = _pair_columns(reading, grid, columns) or sorted(named[:2])
        else:
            named = _each_named(reading, grid, named)
        if not named and not pair and row_named and operation in (Operation.AVERAGE, Operation.SUM):
            # "칠득이의 세 과목 평균": the row is named, its columns are what is summed; a
            # row nobody named and no column named is not what the question is about
            named = [c for c in range(len(grid.columns)) if c not in grid.label_columns]
            if len({_unit_of(grid.columns[c]) for c in named}) > 1:
                named = []  # QUANTITY + PRICE (€) + AMOUNT (€) adds things unlike
        chosen = [_cell(grid, rows[0], c) for c in named]
        if operation is Operation.DIVIDE:
            chosen = chosen[:1]
    cells = [
        m
        for m in chosen
        if m is not None
        and is_numeric_or_moment(m.value)
        and (not m.is_total or _names_total(reading.question, m.row_label))
        and not _TOTAL_COLUMN.match(m.column_name)
        and not _VERSION.search(m.column_name)
    ]
    if len(cells) < (1 if operation is Operation.DIVIDE else 2):
        return [], 0.0
    score = sum(s for _, s in columns[:1]) + sum(m.row_score for m in cells) / len(cells)
    return cells, score


#: a subtotal, itself a part of the grand total ("Subtotal" + "Sales Tax" = what is owed)
_SUBTOTAL = re.compile(r"^(?:소\s*계|sub\s*-?\s*total)$", re.I)


def _names_total(question: str, label: str) -> bool:
    """Whether the question names a subtotal row itself ("소계(Subtotal)에 판매세(Sales
    Tax)를 더하면"): then it is an operand, not the sum of the rows above it. A 합계 the
    question names is the sum it asks ("합계 인원"), so it stays out."""
    word = " ".join(label.split())
    return bool(_SUBTOTAL.match(word)) and word.lower() in " ".join(question.split()).lower()


#: a column of version numbers: "버전", "Version", "ver."
_VERSION = re.compile(r"버전|version|\bver\b", re.I)
#: the unit a column's name states: "PRICE (€)" → "€", "금액(천원)" → "천원"
_UNIT_IN_NAME = re.compile(r"[(\[]([^()\[\]]{1,8})[)\]]\s*$")


#: "A 중 B가 가장 적은 곳": the rows are A, the column is B
_AMONG = re.compile(r"(?:중|중에서|가운데)\s+(.+?)(?:이|가|은|는)?\s*(?:가장|제일)\s")


def _named_columns(reading: Reading, grid: Grid) -> list[tuple[int, float]]:
    """The columns the question names; for "A 중 B가 가장 …" those B names, when any does
    ("광역 탄소중립위원회 중 정부 측 위원이 가장 적은 곳" is over the column 구성 정부, not
    over "제1기 2050 탄소중립위원회", which only repeats A)."""
    found = _AMONG.search(reading.question)
    if reading.intent.operation in (Operation.MAX, Operation.MIN) and found:
        measure = found.group(1)
        measured = set(tokenize(measure))
        words = [w for w in reading.words if w in measured]
        named = column_matches(grid, measure, words, reading.idf, reading.same)
        if named:
            return named
    return column_matches(grid, reading.question, reading.words, reading.idf, reading.same)


def _extremes(reading: Reading, grid: Grid, column: int) -> list[CellMatch]:
    """The highest and the lowest cell of ``column``, in that order, when the question asks
    how far apart they are; else none."""
    if not spans_extremes(reading.question):
        return []
    whole = [m for m in _whole_column(grid, column) if not m.is_total]
    ranked = sorted((m for m in whole if _amount(m.value) is not None),
                    key=lambda m: _amount(m.value) or 0)  # fmt: skip
    if len(ranked) < 2 or _amount(ranked[0].value) == _amount(ranked[-1].value):
        return []
    return [ranked[-1], ranked[0]]


def _amount(value: str) -> Decimal | None:
    """A cell's number, digit grouping aside ("1,250" → 1250); None for any other text."""
    found = re.fullmatch(r"\s*(-?\d[\d,]*(?:\.\d+)?)\s*[^\d\s]{0,3}\s*", value)
    return Decimal(found.group(1).replace(",", "")) if found else None


def _unit_of(name: str) -> str:
    found = _UNIT_IN_NAME.search(name)
    return found.group(1).strip() if found else ""


def _each_named(reading: Reading, grid: Grid, columns: Sequence[int]) -> list[int]:
    """The columns each named by a word of the question the others' names do not hold:
    "국어, 영어, 수학 점수 합계" names three; "웹기안기 … 합치면" names none of ``웹기안기
    사용건수 문서작성`` and ``웹기안기 사용건수 메모보고``, which only repeat its topic."""
    if len(columns) < 2:
        return list(columns)
    words = {
        c: name_words(grid.columns[c], reading.question, reading.words, reading.idf, reading.same)
        for c in columns
    }
    own = [
        c for c in columns if words[c] - frozenset().union(*(words[o] for o in columns if o != c))
    ]
    # one column named apart from the rest ("제1기 탄소중립위원회" of ``제1기 …`` and ``제2기
    # …``) is the one meant: a sum over it alone is no sum of the row's columns
    return own


def _holds_numbers(grid: Grid, column: int) -> bool:
    cells = [cells[column] for _, cells in grid.rows if column < len(cells) and cells[column]]
    return any(is_numeric_or_moment(c) for c in cells)


def _only_number_column(grid: Grid, rows: Sequence[int]) -> int | None:
    """The one column holding a number (or a moment) in every named row, when the question
    names rows but no column: "프로젝트 관리 요구사항과 프로젝트 지원 요구사항을 합치면 몇
    개" sums the ``개수`` column, the only one the rows fill with numbers; "사임한 날부터 다시
    보임된 날까지" takes the ``연월일`` column. None when there are several."""
    width = min(len(grid.rows[r][1]) for r in rows)
    numeric = [
        c
        for c in range(width)
        if c not in grid.label_columns
        and all(is_numeric_or_moment(grid.rows[r][1][c]) for r in rows)
    ]
    return numeric[0] if len(numeric) == 1 else None


#: a word held by more rows than this share of a table names none of them
_COMMON_SHARE = 0.25
#: a word held by at most this many rows names them outright ("MoBERT", "서울")
_RARE_ROWS = 2
#: the row score that names a row by itself, and the least one a rare word completes
_NAMED_SCORE, _RARE_SCORE = 0.7, 0.5


def _row_scores(matches: Sequence[CellMatch]) -> dict[int, float]:
    """The best row score of each row among ``matches``."""
    best: dict[int, float] = {}
    for m in matches:
        best[m.row] = max(best.get(m.row, 0.0), m.row_score)
    return best


def _named_rows(grid: Grid, matches: Sequence[CellMatch], question: str) -> list[int]:
    """The rows the question names, the most surely named first.

    A row is named by most of its words (score ≥ 0.7), or by a word of the question that
    at most two rows hold and half its words ("MoBERT-Large V2.0" names the ``MoBERT-Large
    V2.0 (single model) …`` row more surely than ``LGSP-LM-Large V2.0``, whose words are
    fewer but only repeat ``Large V2.0``). A word that many rows hold names none: in a table
    whose rows all describe "환승센터 …", "개발 착공연도부터 완료연도까지" names the
    ``착공연도`` and ``완료연도`` rows, not ``환승센터명``."""
    best = _row_scores(matches)
    held = [
        frozenset().union(*(cell_tokens(c) for c in cells if c and not is_numeric(c)))
        for _, cells in grid.rows
    ]
    asked = cell_tokens(question)
    holders = {w: sum(1 for h in held if w in h) for w in asked}
    rare = {w for w, n in holders.items() if n <= _RARE_ROWS}
    specific = {w for w, n in holders.items() if n <= max(_RARE_ROWS, _COMMON_SHARE * len(held))}
    rows = [
        r
        for r, score in best.items()
        if score >= _NAMED_SCORE or (score >= _RARE_SCORE and held[r] & rare)
    ]
    # a row's whole label, as a word of the question, names it however many rows' other
    # cells mention it: "ir 계층은" names the ``ir`` row though two descriptions say "IR →"
    labelled = {r for r in rows if (label := _label_tokens(grid, r)) and label <= asked}
    distinct = [r for r in rows if held[r] & specific or r in labelled]
    if len(distinct) >= 2 or len(rows) < 2:
        rows = distinct  # a filter that leaves fewer rows than an operation needs is not used
    written = _written_prefixes(grid, rows, question)
    return sorted(rows, key=lambda r: (-written[r], -len(held[r] & rare), -best[r]))


def _label_tokens(grid: Grid, row: int) -> frozenset[str]:
    """The words of a row's label cells (none for a table without label columns)."""
    _, cells = grid.rows[row]
    return frozenset().union(
        *(cell_tokens(cells[c]) for c in grid.label_columns if c < len(cells) and cells[c])
    )


#: the least length of a label's beginning that, written in a question, names its row
_WRITTEN_PREFIX = 4


def _written_prefix(grid: Grid, row: int, question: str) -> tuple[str, str]:
    """The longest beginning of the row label, ending with a word of it, that the question
    writes as one string (spaces aside): "Gamma-Large V2.0" writes ``Gamma-Large V2.0`` of
    ``Gamma-Large V2.0 (single model) …`` and nothing of ``Beta-LM-Large V2.0``, which shares
    only its later words. A word cut short is not written: "KorQuAD 1.0 리더보드" writes
    nothing of ``korquad_v1.0_0619``, and "MoBERT-Large V1.0" only ``MoBERT-Large`` of
    ``MoBERT-Large V2.0``. Empty below :data:`_WRITTEN_PREFIX` characters; with the label's
    word after it."""
    asked = squash(question).lower()
    _, cells = grid.rows[row]
    label = " ".join(cells[c] for c in grid.label_columns if c < len(cells)).lower()
    best, end_of_best = "", 0
    for end in range(1, len(label) + 1):
        if end < len(label) and _WORD_GOES_ON.match(label, end - 1):
            continue
        written = squash(label[:end])
        if written not in asked:
            break
        best, end_of_best = written, end
    if len(best) < _WRITTEN_PREFIX:
        return "", ""
    following = label[end_of_best:].split()
    return best, following[0] if following else ""


#: a label's character followed by one that goes on the same word ("V2" of "V2.0",
#: "korquad_" of "korquad_v1.0"): a prefix may not end between them
_WORD_GOES_ON = re.compile(r"[a-z0-9_.][a-z0-9_.]")


def _written_prefixes(grid: Grid, rows: Sequence[int], question: str) -> dict[int, int]:
    """How many characters of each row label's beginning the question writes
    (:func:`_written_prefix`), 0 for a row whose written beginning only begins another's
    and whose next word the question does not write: "4위 MoBERT-Large V1.0 … 3위 VAIV AI"
    writes ``MoBERT-Large`` of the V2.0 row too, but as part of the V1.0 row's label, so it
    names VAIV AI second, not MoBERT-Large V2.0 ("MoBERT-Large V2.0은 V1.0보다" names
    both)."""
    written = {r: _written_prefix(grid, r, question) for r in rows}
    asked = squash(question).lower()
    return {
        r: 0
        if any(len(o) > len(w) and o.startswith(w) for o, _ in written.values())
        and squash(following) not in asked
        else len(w)
        for r, (w, following) in written.items()
    }


def _written_out(grid: Grid, question: str, rows: list[int]) -> list[int]:
    """The rows whose label the question writes whole, when it writes two or more, in the
    order it writes them (what comes before 보다 second): "일반주차단위구획수 예시와
    대형주차단위구획수 예시를 합하면" sums those two, not also ``환승센터면적``, a row that only
    shares the question's topic word. A label written whole names its row even when its
    other words scored it low ("테스트 파일 수 (_tests.rs 및 tests/)" for "테스트 파일과 …").
    Otherwise ``rows``."""
    asked = squash(question)
    repeated = repeated_cells(grid)

    def written(row: int, least: int) -> int:
        """Where the question writes the row's label, or -1."""
        _, cells = grid.rows[row]
        own = [
            c
            for c in grid.label_columns or (0,)
            if c < len(cells) and (c, cells[c]) not in repeated
        ]
        if not own and len(grid.rows) > 2:
            # a label written down its whole column ("크레이트: office2pdf") names no row: the
            # row is named by the first label-like cell only it holds ("tests/docx_fixtures.rs")
            own = [c for c, x in enumerate(cells) if is_label(x) and (c, x) not in repeated][:1]
        # a gloss or a subtotal in parentheses is not written in a question: "프로젝트 관리
        # 요구사항 (Project Mgmt Req.)", "기능성 (19)"; nor the counter of a count ("파일 수"
        # is asked as "파일은 몇 개"), nor an invoice line's quantity ("6 Pretty Dark Flyer")
        labels = [
            squash(_COUNTER.sub("", _GLOSS.sub("", ITEM_NUMBER.sub("", cells[c])))) for c in own
        ]
        spots = [asked.find(label) for label in labels if len(label) >= least]
        return min((s for s in spots if s >= 0), default=-1)

    at = {r: written(r, 2) for r in rows}
    at |= {r: written(r, _WHOLE_LABEL) for r in range(len(grid.rows)) if r not in at}
    named = sorted((r for r, spot in at.items() if spot >= 0), key=lambda r: at[r])
    if len(named) == 2 and "보다" in asked[at[named[0]] : at[named[1]]]:
        named.reverse()  # "B보다 A가 몇 배": A first, as for columns (_pair_columns)
    return named if len(named) >= 2 else rows


#: the least length of a label no word of which scored, that, written whole, names its row
_WHOLE_LABEL = 4
#: a count's counter at the end of a label: "테스트 파일 수", "기능 항목 수"
_COUNTER = re.compile(r"\s+수\s*$")
_GLOSS = re.compile(r"\s*\([^()]*\)")

#: the least share of the best column's score the second column of a pair may have
_SECOND_SHARE = 0.3


def _pair_columns(reading: Reading, grid: Grid, columns: Sequence[tuple[int, float]]) -> list[int]:
    """The two columns a difference or a ratio works on, in the order the question names them.

    Each must be named by a word of the question the other's name does not hold ("민간 위원은
    정부 위원보다": ``구성 민간`` and ``구성 정부``, not ``민간현황 학계``, which names 민간
    again), in the question's focus when a pair's words are. The operand written before 보다
    comes second ("정부 위원보다 민간 위원이 몇 명 많나요" is 민간 − 정부). Empty when the
    question does not name two such columns."""
    if not columns:
        return []
    named = {
        c: name_words(grid.columns[c], reading.question, reading.words, reading.idf, reading.same)
        for c, score in columns
        if score >= _SECOND_SHARE * columns[0][1]
    }
    first = columns[0][0]
    own = [c for c, _ in columns if c in named and named[c] - named[first]]
    apart = [c for c in own if named[first] - named[c]]
    if not apart:
        return []
    # the words telling the two apart are what is compared, so the question's focus holds
    # them: "위원 구성 현황에서 … 민간 위원이 정부 측 위원보다" compares 구성 민간 with 구성
    # 정부, not with 민간현황 학계 (구성 and 현황 are the topic's words)
    focus = set(reading.focus)

    def compared(c: int) -> bool:
        return bool((named[c] - named[first]) & focus and (named[first] - named[c]) & focus)

    second = next((c for c in apart if compared(c)), apart[0])
    asked = squash(reading.question)

    def position(column: int, other: int) -> int:
        spots = [asked.find(squash(w)) for w in named[column] - named[other]]
        return min((p for p in spots if p >= 0), default=len(asked))

    at = {first: position(first, second), second: position(second, first)}
    pair = sorted((first, second), key=lambda c: at[c])
    if "보다" in asked[at[pair[0]] : at[pair[1]]]:
        pair.reverse()
    return pair


#: how much a table's caption and lead-in count toward choosing it
_CONTEXT_WEIGHT = 1.0
_TOTAL_COLUMN = re.compile(r".*(?:합\s*계|총\s*계|total)$", re.I)


def is_numeric_or_moment(value: str) -> bool:
    values = find_values(value)
    return is_numeric(value) or any(v.when is not None for v in values)


def _moment_column(grid: Grid, rows: Sequence[int], named: Sequence[int]) -> int | None:
    """The column holding a moment (a date or a time) in every one of ``rows``: the first
    the question names, else the first of the table; None when there is none."""
    order = [*named, *(c for c in range(len(grid.columns)) if c not in named)]
    for column in order:
        cells = [grid.rows[r][1][column] if column < len(grid.rows[r][1]) else "" for r in rows]
        if all(any(v.when is not None for v in find_values(c)) for c in cells):
            return column
    return None


def _cell(grid: Grid, row: int, column: int) -> CellMatch | None:
    _, cells = grid.rows[row]
    if column >= len(cells) or not cells[column]:
        return None
    label = " ".join(cells[c] for c in grid.label_columns if cells[c]) or cells[0]
    return CellMatch(grid, row, column, cells[column], label, grid.columns[column], 1.0, 1.0)


#: how much a table listing exactly as many things as the question counts gains
_EVERY_ROW_BONUS = 0.5


def _counts_every_row(question: str, rows: int) -> bool:
    """Whether the question names as many things as the table lists ("17개 시도" over 17
    rows, "네 학생의 국어 점수" over 4), so that a sum with no row named is of every row (a
    blank cell adds nothing)."""
    return rows >= 2 and rows in counted_things(question)


def counted_things(question: str) -> set[int]:
    """The counts a question writes before what they count: "17개 시도" → 17, "네 학생" → 4."""
    counts = {int(n) for n in re.findall(r"(\d+)\s*(?:개|곳|명|건)", question)}
    return counts | {_NATIVE[n] for n in _NATIVE_COUNT.findall(question)}


#: words that ask for a column's every value: "the ColB values", "ColB 열의 값을 모두"
_WHOLE_COLUMN = re.compile(
    r"\bvalues\b|\bcolumn\b|\s*(?:열|칸|컬럼|항목)\s*(?:의\s*)?(?:값|수치)?\s*(?:을|를|은|는|이|가|들)?\s*"
    r"(?:모두|전부|다\s|전체)|\s*(?:열|칸|컬럼)(?:의|에\s*있는)?\s*(?:값|수치)?\s*(?:합계|총합|합)"
    # "Beta 열에서 숫자로 된 값만 모두 더하면": the column's every value that is a number
    r"|\s*(?:열|칸|컬럼)에서\s[^?]*?(?:모두|전부|다)\s*(?:더하|합하|합치)",
    re.I,
)


def _every_row_of_written(
    reading: Reading, grid: Grid, columns: Sequence[tuple[int, float]]
) -> list[CellMatch]:
    """Every row's cells under each column the question writes whole, when it writes two or
    more: "네 학생의 국어·영어·수학 점수를 전부 더하면" adds twelve cells; else none."""
    question = reading.question
    at = {c: question.find(grid.columns[c]) for c, _ in columns if len(grid.columns[c]) >= 2}
    written = sorted((i, c) for c, i in at.items() if i >= 0)
    if len(written) < 2:
        return []
    # the columns listed one after another ("국어·영어·수학"), not a name the question
    # writes elsewhere ("office2pdf 소개 자료의 … LibreOffice headless가")
    for (i, c), (j, _) in itertools.pairwise(written):
        if not _LIST_JOINT.fullmatch(question[i + len(grid.columns[c]) : j]):
            return []
    return [m for _, c in written for m in _whole_column(grid, c) if not m.is_total]


#: what stands between two things a question lists: "국어·영어", "국어, 영어", "국어와 영어"
_LIST_JOINT = re.compile(r"\s*(?:[·,ㆍ/]|와|과|및|랑|이랑|하고)\s*")


def _whole_column_asked(question: str, name: str) -> bool:
    """Whether a sum with no row named is of a whole column: the question writes the
    column's name whole and asks for its every value ("what do the ColB values add up
    to?", "ColB 열을 모두 더하면")."""
    key = squash(name)
    return len(key) >= 2 and key in squash(question) and _WHOLE_COLUMN.search(question) is not None


def _listed_rows(grid: Grid) -> int:
    """How many things a table lists: its rows with a label, totals aside."""
    labels = [
        " ".join(cells[c] for c in grid.label_columns if cells[c]) or cells[0]
        for _, cells in grid.rows
    ]
    return sum(1 for label in labels if label and not TOTAL.match(label.strip()))


#: Korean's own numerals before what they count: "네 학생", "세 곳", "다섯 명"
_NATIVE = {
    "두": 2,
    "세": 3,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
}
_NATIVE_COUNT = re.compile(r"(?<![가-힣])(두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s+(?=[가-힣])")


def _whole_column(grid: Grid, column: int) -> list[CellMatch]:
    cells = [_cell(grid, r, column) for r in range(len(grid.rows))]
    return [m for m in cells if m is not None and m.row_label and is_numeric(m.value)]


def _cell_operands(chosen: Sequence[CellMatch], hit: Hit) -> tuple[list[Operand], list[Evidence]]:
    operands: list[Operand] = []
    evidence: list[Evidence] = []
    places: dict[tuple[int, int], int] = {}
    labels = {m.row_label for m in chosen}
    for m in chosen:
        place = place_of(m)
        if place is None:
            continue
        key = (m.grid.stored.index, m.row)
        if key not in places:
            places[key] = len(evidence)
            used = [c.column for c in chosen if c.row == m.row and c.grid is m.grid]
            evidence.append(Evidence(hit, f"{hit.name} · {place.label}", place.quote,
                                     place.start, place.end, row_in_brief(m.grid, m.row, used),
                                     m.grid.stored.page))  # fmt: skip
        values = find_values(m.value)
        value = values[0] if values else None
        label = m.row_label if len(labels) > 1 else m.column_name
        if len(labels) > 1 and m.column_name:
            label = f"{m.row_label} {m.column_name}"
        number = value.number if value is not None else None
        operands.append(Operand(label, m.value, number, "", value.when if value else None,
                                places[key]))  # fmt: skip
    return operands, evidence
