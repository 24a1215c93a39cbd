"""The operands of arithmetic: cells of a table, rows of an aligned table, moments in text.

A question that asks for a sum, a difference, an average, a ratio, an extreme, a multiple
or the time between two moments is answered by finding its operands with confidence —
named rows × a named column, named columns × a named row, a whole column, or the start
and end of what is asked about — and handing them to :mod:`dalin.answer.shown_work`. An
operand that cannot be found is named in the answer; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dalin.answer.aligned import AlignedRow
from dalin.answer.candidates import aligned_matches, own_values, unit_candidate
from dalin.answer.cells import table_context
from dalin.answer.evidence import Unit
from dalin.answer.intent import Operation
from dalin.answer.reader_question import (
    Evidence,
    Reading,
    Sources,
    dedupe_lines,
    share_of,
    short_quote,
    unit_evidence,
)
from dalin.answer.shown_work import Operand, Work, compute
from dalin.answer.tables import (
    CellMatch,
    Grid,
    cell_tokens,
    column_matches,
    is_numeric,
    match_cells,
    name_words,
    place_of,
    row_in_brief,
    squash,
)
from dalin.answer.values import Value, ValueKind, find_values, parse_date
from dalin.errors import CalculationError
from dalin.types import Hit

_WORK_LABEL = {"ko": "계산", "en": "Work"}
_MISSING = {
    "ko": "계산하지 않았습니다: 문서에서 {names}을(를) 찾지 못했습니다.",
    "en": "Not computed: {names} could not be found in your documents.",
}


@dataclass
class _Operands:
    operands: list[Operand]
    evidence: list[Evidence]
    missing: list[str] = field(default_factory=list)
    score: float = 0.0


def arithmetic_answer(
    reading: Reading,
    units: Sequence[tuple[Unit, float, int]],
    grids: Sequence[tuple[Grid, Hit, float]],
    relevant: Sequence[tuple[Hit, float]],
    sources: Sources,
) -> tuple[list[str], list[Evidence]] | None:
    intent = reading.intent
    assert intent.operation is not None
    found = (
        _table_operands(reading, grids, sources)
        if intent.operation is not Operation.ELAPSED
        else None
    )
    if found is None or not found.operands:
        found = _text_operands(reading, units)
    if found is None:
        return None
    if found.missing:
        names = ", ".join(f"'{m}'" for m in found.missing)
        lines = [_MISSING[reading.language].format(names=names)]
        lines += [f"{e.display} {{{i}}}" for i, e in enumerate(found.evidence)]
        return lines, found.evidence
    try:
        work = compute(intent.operation, found.operands, factor=intent.factor,
                       unit=_asked_unit(reading.question))  # fmt: skip
    except CalculationError:
        return None
    return _compose_work(reading, work, found)


def _asked_unit(question: str) -> str:
    match = re.search(r"몇\s*(명|개|건|곳|대|회|개사|점|일|분|시간|개월|년|원)", question)
    return match.group(1) if match else ""


def _compose_work(
    reading: Reading, work: Work, found: _Operands
) -> tuple[list[str], list[Evidence]]:
    line = work.line
    for i, operand in enumerate(found.operands):
        line = line.replace(f"{{{i}}}", f"{{{operand.source}}}")
    lines = [line]
    shown = list(range(len(found.evidence)))
    if work.picked:  # a largest or smallest value: its row is the evidence, not all of them
        shown = [o.source for o in found.operands if o.label == work.picked][:1]
    for i in shown:
        lines.append(f"{short_quote(found.evidence[i].display)} {{{i}}}")
    return dedupe_lines(lines), found.evidence


def _table_operands(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]], sources: Sources
) -> _Operands | None:
    """Operands from one table: named rows × a named column, named columns × a named row,
    or a whole column for max/min. A table whose caption or lead-in names what the question
    asks about (광역 … 위원 구성) wins over one whose columns only repeat its topic."""
    best: _Operands | None = None
    for grid, hit, relevance in grids:
        if grid.pairs:
            continue
        chosen, score = _table_cells(reading, grid)
        if not chosen:
            continue
        operands, evidence = _cell_operands(chosen, hit)
        score += relevance + _CONTEXT_WEIGHT * share_of(
            reading, table_context(grid.stored, hit, sources)
        )
        if operands and (best is None or score > best.score):
            best = _Operands(operands, evidence, score=score)
    return best


def _table_cells(reading: Reading, grid: Grid) -> tuple[list[CellMatch], float]:
    """The cells an operation works on in ``grid``, and how surely the question names them."""
    operation = reading.intent.operation
    matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
    columns = [
        (c, s + share_of(reading, cell_tokens(grid.columns[c]), reading.focus))
        for c, s in column_matches(grid, reading.question, reading.words, reading.idf, reading.same)
    ]
    columns.sort(key=lambda x: -x[1])
    rows = _written_out(grid, reading.question, _named(
        matches, lambda m: (m.row, m.row_label), lambda m: m.row_score))  # fmt: skip
    body = [r for r, (_, cells) in enumerate(grid.rows) if any(is_numeric(c) for c in cells)]
    if not rows and len(body) == 1:
        rows = body  # a one-row table needs no row named
    pair = operation in (Operation.DIFFERENCE, Operation.RATIO)
    chosen: list[CellMatch | None] = []
    if operation in (Operation.MAX, Operation.MIN) and columns:
        return _whole_column(grid, columns[0][0]), columns[0][1]
    if len(rows) >= 2 and columns:
        column = columns[0][0]
        picked = rows[:2] if pair else rows[:8]
        chosen = [_cell(grid, r, column) for r in picked]
    elif len(rows) == 1:
        top = columns[0][1] if columns else 0.0
        named = [c for c, s in columns if s >= max(0.5, 0.7 * top)]
        if pair:
            named = _pair_columns(reading, grid, columns) or sorted(named[:2])
        elif not named and operation in (Operation.AVERAGE, Operation.SUM):
            named = [c for c in range(len(grid.columns)) if c not in grid.label_columns]
        chosen = [_cell(grid, rows[0], c) for c in named]
        if operation is Operation.DIVIDE:
            chosen = chosen[:1]
    cells = [
        m
        for m in chosen
        if m is not None
        and is_numeric_or_moment(m.value)
        and not m.is_total
        and not _TOTAL_COLUMN.match(m.column_name)
    ]
    if len(cells) < (1 if operation is Operation.DIVIDE else 2):
        return [], 0.0
    score = sum(s for _, s in columns[:1]) + sum(m.row_score for m in cells) / len(cells)
    return cells, score


def _written_out(grid: Grid, question: str, rows: list[int]) -> list[int]:
    """The rows whose label the question writes whole, when it writes two or more: "일반
    주차단위구획수 예시와 대형주차단위구획수 예시를 합하면" sums those two, not also
    ``환승센터면적``, a row that only shares the question's topic word. Otherwise ``rows``."""
    asked = squash(question)

    def written(row: int) -> bool:
        _, cells = grid.rows[row]
        labels = [squash(cells[c]) for c in grid.label_columns or (0,)]
        return any(len(label) >= 2 and label in asked for label in labels)

    whole = [r for r in rows if written(r)]
    return whole if len(whole) >= 2 else rows


#: the least share of the best column's score the second column of a pair may have
_SECOND_SHARE = 0.3


def _pair_columns(reading: Reading, grid: Grid, columns: Sequence[tuple[int, float]]) -> list[int]:
    """The two columns a difference or a ratio works on, in the order the question names them.

    Each must be named by a word of the question the other's name does not hold ("민간 위원은
    정부 위원보다": ``구성 민간`` and ``구성 정부``, not ``민간현황 학계``, which names 민간
    again). The operand written before 보다 comes second ("정부 위원보다 민간 위원이 몇 명
    많나요" is 민간 − 정부). Empty when the question does not name two such columns."""
    if not columns:
        return []
    named = {
        c: name_words(grid.columns[c], reading.question, reading.words, reading.idf, reading.same)
        for c, score in columns
        if score >= _SECOND_SHARE * columns[0][1]
    }
    first = columns[0][0]
    own = [c for c, _ in columns if c in named and named[c] - named[first]]
    second = next((c for c in own if named[first] - named[c]), None)
    if second is None:
        return []
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


def _cell(grid: Grid, row: int, column: int) -> CellMatch | None:
    _, cells = grid.rows[row]
    if column >= len(cells) or not cells[column]:
        return None
    label = " ".join(cells[c] for c in grid.label_columns if cells[c]) or cells[0]
    return CellMatch(grid, row, column, cells[column], label, grid.columns[column], 1.0, 1.0)


def _named(
    matches: Sequence[CellMatch],
    key: Callable[[CellMatch], tuple[int, str]],
    score: Callable[[CellMatch], float],
) -> list[int]:
    """Rows the question names outright (a label written in it, or most of its words)."""
    seen: dict[int, float] = {}
    for m in matches:
        row, _ = key(m)
        if score(m) >= 0.7:
            seen[row] = max(seen.get(row, 0.0), score(m))
    return sorted(seen, key=lambda r: -seen[r])


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


def _text_operands(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> _Operands | None:
    """Operands from sentences: the two moments of an elapsed time, or the one value a
    multiple is taken of."""
    operation = reading.intent.operation
    ranked = sorted(
        ((c.score, i) for i, (u, s, r) in enumerate(units)
         if (c := unit_candidate(reading, u, s, r)) is not None),
        reverse=True,
    )  # fmt: skip
    if operation is Operation.ELAPSED:
        # every moment in the passages, best units first: the start and the end are often
        # far apart ("(10시14분 개의)" on one page, "(10시45분 산회)" on another)
        order = [units[i][0] for _, i in ranked]
        return _moments(reading, order)
    if operation in (Operation.SUM, Operation.DIFFERENCE, Operation.AVERAGE, Operation.RATIO):
        aligned = _aligned_operands(reading, units)
        if aligned is not None:
            return aligned
        best = [units[i][0] for _, i in ranked[:_RESPECTIVE_UNITS]]
        return next((o for u in best if (o := _respective(reading, u)) is not None), None)
    if operation is Operation.DIVIDE:
        for _, i in ranked[:3]:
            unit = units[i][0]
            kinds = reading.intent.value_kinds or (ValueKind.COUNT, ValueKind.NUMBER)
            values = [v for v in own_values(reading, unit.display) if v.kind in kinds]
            if values:
                value = values[0]
                operand = Operand("", value.text, value.number, value.unit, None, 0)
                return _Operands([operand], [unit_evidence(unit)])
    return None


#: the best sentences looked at for values given "respectively"
_RESPECTIVE_UNITS = 3
_RESPECTIVELY = re.compile(r"각각|respectively", re.I)
_LISTED = re.compile(r"\s*(?:,|및|와|과|그리고|and)\s*", re.I)


def _respective(reading: Reading, unit: Unit) -> _Operands | None:
    """Operands a sentence gives one per thing it names, "respectively": "ABC 주식회사와
    DEF 파트너스는 각각 30인 및 70인의 임원을 파견한다" → 30인, 70인. Values of one unit
    listed right after 각각, joined by 및, 와, commas; None unless two or more."""
    text = unit.display
    mark = _RESPECTIVELY.search(text)
    if mark is None:
        return None
    after = text[mark.end() :]
    values = [v for v in own_values(reading, after) if v.number is not None]
    listed = values[:1]
    for value in values[1:]:
        joint = after[listed[-1].end : value.start]
        if value.unit != listed[0].unit or not _LISTED.fullmatch(joint):
            break
        listed.append(value)
    if len(listed) < 2 or (mark.group().lower() == "각각" and listed[0].start > _NEAR):
        return None
    operands = [Operand("", v.text, v.number, v.unit, None, 0) for v in listed]
    return _Operands(operands, [unit_evidence(unit)])


#: how far after 각각 its first value may sit ("각각 30인", "각각 연 2회")
_NEAR = 12


def _aligned_operands(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> _Operands | None:
    """Operands from space-aligned table rows: each row the question names, in the column
    it names best (the same column for all)."""
    matches = aligned_matches(reading, units)
    if not matches:
        return None
    column = matches[0][2]
    rows: dict[str, tuple[AlignedRow, str]] = {}
    for _, row, name, value, _ in matches:
        if name == column and row.label not in rows:
            rows[row.label] = (row, value)
    if len(rows) < 2:
        return None
    operands: list[Operand] = []
    evidence: list[Evidence] = []
    for label, (row, value) in list(rows.items())[:6]:
        found = find_values(value)
        number = found[0].number if found else None
        evidence.append(unit_evidence(row.unit))
        operands.append(Operand(f"{label} {column}", value, number, "", None, len(evidence) - 1))
    return _Operands(operands, evidence)


_START = re.compile(r"개의|개회|개시|시작|착수|부터|from|start|open", re.I)
_END = re.compile(r"산회|폐회|종료|마감|까지|끝|until|end|close", re.I)


def _moments(reading: Reading, units: Sequence[Unit]) -> _Operands | None:
    """The start and end of what the question asks about, from the best units' times or
    dates (a start word near one, an end word near the other)."""
    want = ValueKind.TIME if re.search(r"분|시간|minute|hour", reading.question) else ValueKind.DATE
    moments: list[tuple[Value, Unit]] = []
    for unit in units:
        year = _year_of(unit)
        for value in find_values(unit.display):
            if value.kind is want:
                if value.when is None and want is ValueKind.DATE and year:
                    value = Value(value.kind, value.text, value.start, value.end,
                                  when=parse_date(value.text, year=year))  # fmt: skip
                if value.when is not None:
                    moments.append((value, unit))
    if len(moments) == 1:
        return _one_moment(reading, moments[0], want)
    if len(moments) < 2:
        return None
    start = _marked(moments, _START) or moments[0]
    end = _marked([m for m in moments if m is not start], _END)
    if end is None:
        later = [m for m in moments if m is not start]
        end = later[0] if later else None
    if end is None or end[0].when == start[0].when:
        return None
    operands: list[Operand] = []
    evidence: list[Evidence] = []
    for value, unit in (start, end):
        if not any(e.start == unit.hit.start + unit.start for e in evidence):
            evidence.append(unit_evidence(unit))
        index = next(i for i, e in enumerate(evidence) if e.start == unit.hit.start + unit.start)
        operands.append(Operand("", value.text, None, "", value.when, index))
    return _Operands(operands, evidence)


#: the moment an elapsed time lacks, by the kind of moment and the side missing
_MOMENT_NAMES = {
    "ko": {(ValueKind.TIME, "end"): "끝난 시각", (ValueKind.TIME, "start"): "시작 시각",
           (ValueKind.DATE, "end"): "끝나는 날짜", (ValueKind.DATE, "start"): "시작하는 날짜"},
    "en": {(ValueKind.TIME, "end"): "the end time", (ValueKind.TIME, "start"): "the start time",
           (ValueKind.DATE, "end"): "the end date", (ValueKind.DATE, "start"): "the start date"},
}  # fmt: skip


def _one_moment(reading: Reading, moment: tuple[Value, Unit], want: ValueKind) -> _Operands | None:
    """One end of the span found ("(10시14분 개의)") and not the other: name the missing
    one rather than answer with the moment found."""
    if _marked([moment], _START):
        side = "end"
    elif _marked([moment], _END):
        side = "start"
    else:
        return None
    names = _MOMENT_NAMES["en" if reading.language == "en" else "ko"]
    return _Operands([], [unit_evidence(moment[1])], missing=[names[(want, side)]])


def _marked(
    moments: Sequence[tuple[Value, Unit]], words: re.Pattern[str]
) -> tuple[Value, Unit] | None:
    for value, unit in moments:
        text = unit.display
        near = text[max(0, value.start - 12) : value.end + 12]
        if words.search(near):
            return value, unit
    return None


def _year_of(unit: Unit) -> int | None:
    match = re.search(r"(?<!\d)((?:19|20)\d{2})\s*[.년-]", unit.display)
    return int(match.group(1)) if match else None
