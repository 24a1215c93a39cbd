"""Counts of table rows that a question filters: "PRD 우선순위가 P0인 기능은 몇 개인가요?".

No cell states the answer; it is the number of rows whose cell in a named column is the
value the question writes. The column must be one that sorts rows into a few kinds (a
priority, a status, a format), not one naming each row, and the question must name it,
so that a name written for another reason filters nothing. Every counted row is cited, so
the work shows what was counted: ``12개 — PRD 우선순위 'P0' 행: F-001 [1], F-002 [2], …``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from functools import partial

from dalin.answer.intent import Asked, Operation
from dalin.answer.quantities import ENGLISH_NUMBERS
from dalin.answer.reader_question import Evidence, Reading
from dalin.answer.tables import (
    TOTAL,
    CellMatch,
    Grid,
    cell_tokens,
    is_numeric,
    place_of,
    squash,
)
from dalin.text.korean import tokenize
from dalin.types import Hit

#: the fewest rows a filter must keep: one row is a row's own answer, not a count
_LEAST_COUNTED = 2
#: the most rows counted: each is cited, and a longer list is no answer a person reads
_MOST_COUNTED = 40
#: a column sorts rows into kinds when it has at most this share of distinct values
_KINDS_SHARE = 0.5
#: the least share of a column's name the question must write to name it
_NAMED_SHARE = 0.5
#: counters of things a row can be (not 조, 쪽, 층 …, which number places)
_ROW_COUNTERS = frozenset(("개", "건", "명", "곳", "가지", "종", "대", "개사", "항목", "행"))
#: what follows a value that keeps rows: "P0인", "완료 상태인", "P0으로 분류된", "P0에 해당하는"
_KEEPS = (
    r"인|이고|이며|이면|으로|로\s*(?:분류|표시|지정|되|된)|에\s*해당|(?:상태|등급|유형)\s*인"
    r"|(?:이|가)\s*아닌"
)
#: what follows a value that keeps every row but its own: "'구현 완료'가 아닌"
_NOT_KEPT = r"\s*(?:이|가)\s*아닌"
#: a noun of things counted right after a value: "필수 항목은 모두 몇 개"
_COUNTED_NOUN = r"(?:항목|기능|행|건|사항|요소|필드|컬럼|열)(?=[은는이가을를의]|\s)"
_LINE = {
    "ko": "{count}{counter} — {column} '{value}' 행: {rows}",
    "en": "{count} — rows where {column} is '{value}': {rows}",
}


def counted_rows(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]]
) -> tuple[list[str], list[Evidence]] | None:
    """The count of rows a question's filter keeps in the best-named table, its rows cited;
    None when the question asks no count of things or names no filter a table holds."""
    intent = reading.intent
    if intent.asked is not Asked.COUNT or intent.operation not in (None, Operation.SUM):
        return None
    if intent.counter and intent.counter not in _ROW_COUNTERS:
        return None
    best: tuple[float, Grid, Hit, int, str, list[int], str] | None = None
    for grid, hit, relevance in grids:
        bounded = ""
        # a column of amounts named asks an amount of the rows kept, not how many they are
        found = (
            None
            if _amount_asked(reading, grid)
            else (_filter(reading, grid) or _group(reading.question, grid))
        )
        if found is not None:
            column, value, named = found
            rows = _kept(grid, column, value)
            if _negated(value, reading.question):
                # "'구현 완료'가 아닌 기능은 몇 개": the rows of every other kind
                rows = [r for r in _body_rows(grid) if r not in rows and _cell(grid, r, column)]
                bounded = f"{_cell(grid, _kept(grid, column, value)[0], column)} 아님"
        elif (stated := _stated_number(reading, grid)) is not None:
            column, number = stated  # "총인원이 딱 50명인 시도는 몇 곳": a number kept
            value, named = str(number), 1.0
            rows = [r for r in _body_rows(grid) if _cell_number(grid, r, column) == number]
        elif (bound := _bound(reading, grid)) is not None:
            column, bounded, keeps = bound  # "단가가 50유로를 넘는 품목은 몇 개": a bound kept
            value, named = bounded, 1.0
            rows = [r for r in _body_rows(grid) if keeps(_cell_number(grid, r, column))]
        else:
            continue
        if not _LEAST_COUNTED <= len(rows) <= _MOST_COUNTED:
            continue
        score = named + relevance
        if best is None or score > best[0]:
            best = (score, grid, hit, column, value, rows, bounded)
    if best is None:
        return None
    _, grid, hit, column, value, rows, bounded = best
    return _shown(reading, grid, hit, column, rows, bounded)


def kept_rows(reading: Reading, grid: Grid) -> tuple[int, list[int], float] | None:
    """The column a question keeps rows by, the body rows it keeps, and how surely the
    question names a value of that column rather than a number, for a sum over them
    ("수량이 1개인 품목 … 금액을 합치면", "단가가 50유로를 넘는 품목의 금액 합",
    "office2pdf-cli 크레이트에 속한 파일들의 #[test] 수를 모두 더하면"); None when it keeps
    rows by nothing."""
    stated = _stated_number(reading, grid)
    if stated is not None:
        column, number = stated
        rows = [r for r in _body_rows(grid) if _cell_number(grid, r, column) == number]
        return column, rows, 0.0
    bound = _bound(reading, grid)
    if bound is not None:
        column, _, keeps = bound
        return column, [r for r in _body_rows(grid) if keeps(_cell_number(grid, r, column))], 0.0
    written = _filter(reading, grid) or _group(reading.question, grid)
    if written is not None:
        column, value, named = written
        return column, _kept(grid, column, value), named
    return None


def _amount_asked(reading: Reading, grid: Grid) -> bool:
    """Whether the question names a column of amounts: "상태가 완료인 항목의 배점 합",
    "office2pdf-cli 크레이트에 속한 파일들의 #[test] 수를 모두 더하면" ask an amount of the
    rows kept, not how many rows are kept."""
    asked = frozenset(tokenize(reading.question))
    amounts = _amounts(grid, _body(grid))
    return any(_named(cell_tokens(grid.columns[c]), asked) >= _NAMED_SHARE for c in amounts)


def _filter(reading: Reading, grid: Grid) -> tuple[int, str, float] | None:
    """The column the question filters on, the value it keeps, and how well the question
    names the column; the longest value written wins (`구현 완료` over `완료`)."""
    if grid.pairs:
        return None
    question = unicodedata.normalize("NFKC", reading.question).lower()
    asked = frozenset(tokenize(reading.question))
    body = _body(grid)
    found: list[tuple[int, str, float]] = []
    for column, name in enumerate(grid.columns):
        if column in grid.label_columns[:1]:
            continue  # the column naming each row sorts nothing
        kinds = _kinds(body, column)
        if kinds is None:
            continue
        named = _named(cell_tokens(name), asked)
        listed = _listed_kinds(name)
        for value in sorted(kinds, key=len, reverse=True):
            if value in listed and _written(value, question, before_noun=True):
                # "구분 (필수/선택)": a header listing its kinds is named by the one written
                found.append((column, value, 1.0))
                break
            if value in squash(name) or not _written(value, question):
                continue
            found.append((column, value, named))
            break
    if not found:
        return None
    # the column must be named: "office2pdf" written as the product asked about is no filter
    # on the 소속 column that happens to hold it
    kept = [f for f in found if f[2] >= _NAMED_SHARE]
    return max(kept, key=lambda f: (f[2], len(f[1])), default=None)


#: what a question says of rows under a group the first column names: "'사용성' 평가항목
#:밑에 달린 세부평가항목", "기능성 아래의 항목"
_UNDER = r"['\"’”]?\s*(?:[가-힣]{2,8}\s*)?(?:밑에|아래에?|하위에?|에\s*속한|에\s*속하는|에\s*딸린)"
#: a group's name written with its count or weight after it: "사용성 (12)"
_GROUP_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def _group(question: str, grid: Grid) -> tuple[int, str, float] | None:
    """The first column's group a question counts the rows under ("'사용성' 평가항목 밑에
    달린 세부평가항목은 몇 개" over a table whose merged first column repeats "사용성 (12)"
    down its rows), as (column, squashed value, 1.0); None when it names none."""
    if grid.pairs or not grid.label_columns:
        return None
    column = grid.label_columns[0]
    kinds = _kinds(_body(grid), column)
    if kinds is None:
        return None
    cells = {squash(cells[column]): cells[column] for cells in _body(grid) if column < len(cells)}
    for value, cell in cells.items():
        name = squash(_GROUP_NOTE.sub("", cell))
        if value not in kinds or len(name) < 2:
            continue
        spaced = r"\s*".join(map(re.escape, name))
        if re.search(rf"(?<![가-힣A-Za-z])['\"‘“]?{spaced}{_UNDER}", question):
            return column, value, 1.0
    return None


#: a number a question keeps rows by, after the column it is in: "총인원이 딱 50명인"
_NUMBER_KEPT = (
    r"\s*(?:이|가|은|는)?\s*(?:딱|정확히|꼭)?\s*(\d[\d,]*(?:\.\d+)?)\s*"
    r"(?:명|개|건|곳|원|점|회|%)?\s*(?:인|이고|이며|이면)(?![가-힣])"
)


def _stated_number(reading: Reading, grid: Grid) -> tuple[int, Decimal] | None:
    """The column of numbers the question names whole and the number it keeps rows by
    ("총인원이 딱 50명인 시도 위원회", "수량이 1개인 품목" over QUANTITY); None when it
    states none."""
    if grid.pairs:
        return None
    question = unicodedata.normalize("NFKC", reading.question).lower()
    for column in _amounts(grid, _body(grid)):
        for written in _column_names(reading, grid.columns[column]):
            spaced = r"\s*".join(map(re.escape, written))
            found = re.search(rf"(?<![가-힣a-z]){spaced}{_NUMBER_KEPT}", question)
            if found is not None:
                return column, Decimal(found.group(1).replace(",", ""))
    return None


def _column_names(reading: Reading, name: str) -> list[str]:
    """A column's name as a question may write it, squashed and lowered: as the table
    writes it, or by the word for one of its words in the other language (단가 for
    "PRICE (€)"); names shorter than two characters name nothing."""
    names = {squash(name.strip()).lower()} | {
        word for token in cell_tokens(name) for word in reading.same.get(token, ())
    }
    return sorted(n for n in names if len(n) >= 2)


#: a bound a question keeps rows by, after the column it is in, and which side of it is
#: kept: "단가가 50유로를 넘는", "Gamma 값이 90 이상인", "점수가 60점 미만인"
_BOUND = re.compile(
    r"(?:\s*(?:값|수치|점수))?\s*(?:이|가|은|는)?\s*(\d[\d,]*(?:\.\d+)?)\s*(?:[가-힣%€$]{1,2})?"
    r"\s*(?:을|를|이|가)?\s*(?P<side>넘는|넘은|초과(?:하는|한|인)?|이상인?|미만인?|이하인?"
    r"|보다\s*(?:큰|많은|높은|비싼|작은|적은|낮은|싼))(?![가-힣])"
)
#: the side of a bound each word keeps, and how it is shown
_SIDES: tuple[tuple[str, str, Callable[[Decimal, Decimal], bool]], ...] = (
    ("이상", "이상", lambda cell, bound: cell >= bound),
    ("이하", "이하", lambda cell, bound: cell <= bound),
    ("미만|작은|적은|낮은|싼", "미만", lambda cell, bound: cell < bound),
    ("", "초과", lambda cell, bound: cell > bound),  # 넘는, 초과, 보다 큰
)


#: the same in English, the bound after its side: "a quantity greater than one", "a unit
#: price of at least 50"
_BOUND_EN = re.compile(
    r"\s*(?:of|is|was|are|were)?\s*(?P<side>greater than|more than|larger than|higher than"
    r"|above|over|exceeding|at least|less than|fewer than|smaller than|lower than|below|under"
    r"|at most)\s+(?P<number>\d[\d,]*(?:\.\d+)?|" + "|".join(ENGLISH_NUMBERS) + r")\b"
)
#: the side of an English bound each phrase keeps: (phrase, shown, test)
_SIDES_EN: tuple[tuple[str, str, Callable[[Decimal, Decimal], bool]], ...] = (
    ("at least", ">=", lambda cell, bound: cell >= bound),
    ("at most", "<=", lambda cell, bound: cell <= bound),
    ("less|fewer|smaller|lower|below|under", "<", lambda cell, bound: cell < bound),
    ("", ">", lambda cell, bound: cell > bound),
)


def _english_bound(
    written: str, question: str
) -> tuple[Decimal, str, Callable[[Decimal, Decimal], bool]] | None:
    """The bound an English question keeps rows by after a column's name: "quantity greater
    than one" keeps the rows whose QUANTITY is over 1, shown "> 1"."""
    spaced = r"\s*".join(map(re.escape, written))
    found = re.search(rf"(?<![a-z]){spaced}{_BOUND_EN.pattern}", question)
    if found is None:
        return None
    number = found.group("number")
    limit = Decimal(
        ENGLISH_NUMBERS[number] if number in ENGLISH_NUMBERS else number.replace(",", "")
    )
    _, shown, keeps = next(s for s in _SIDES_EN if re.search(s[0], found.group("side")))
    return limit, f"{shown} {format(limit, 'f')}", keeps


def _bound(
    reading: Reading, grid: Grid
) -> tuple[int, str, Callable[[Decimal | None], bool]] | None:
    """The column of numbers the question names, the bound it keeps rows by as shown
    ("50 초과") and the test a cell passes; None when it states none. The column is named
    as written or by the word the question writes for it in the other language (단가 for
    "PRICE (€)")."""
    if grid.pairs:
        return None
    question = unicodedata.normalize("NFKC", reading.question).lower()
    for column in _amounts(grid, _body(grid)):
        for written in _column_names(reading, grid.columns[column]):
            spaced = r"\s*".join(map(re.escape, written))
            found = re.search(rf"(?<![가-힣a-z]){spaced}{_BOUND.pattern}", question)
            english = _english_bound(written, question) if found is None else None
            if english is not None:
                limit, shown, keeps = english
                return column, shown, partial(_passes, keeps, limit)
            if found is None:
                continue
            limit = Decimal(found.group(1).replace(",", ""))
            side = found.group("side")
            _, shown, keeps = next(s for s in _SIDES if re.search(s[0], side))
            return column, f"{found.group(1)} {shown}", partial(_passes, keeps, limit)
    return None


def _passes(
    keeps: Callable[[Decimal, Decimal], bool], limit: Decimal, cell: Decimal | None
) -> bool:
    return cell is not None and keeps(cell, limit)


def _cell_number(grid: Grid, row: int, column: int) -> Decimal | None:
    cells = grid.rows[row][1]
    if column >= len(cells) or not is_numeric(cells[column]):
        return None
    try:
        return Decimal(cells[column].strip().replace(",", ""))
    except InvalidOperation:
        return None


def _named(name: frozenset[str], asked: frozenset[str]) -> float:
    """The share of a column name's words the question writes."""
    return len(name & asked) / len(name) if name else 0.0


def _kinds(body: Sequence[tuple[str, ...]], column: int) -> set[str] | None:
    """The values of a column that sorts rows into a few kinds, squashed; None for a
    column whose values name rows (most of them differ) or hold numbers."""
    values = [squash(cells[column]) for cells in body if column < len(cells)]
    values = [v for v in values if v]
    kinds = set(values)
    if len(values) < 2 * _LEAST_COUNTED or len(kinds) < 2:
        return None
    if len(kinds) > _KINDS_SHARE * len(values):
        return None
    if all(re.fullmatch(r"[-+\d.,%]+", v) for v in kinds):
        return None  # amounts, not kinds: "배점 3" is a number asked for, not a filter
    return kinds


def _amounts(grid: Grid, body: Sequence[tuple[str, ...]]) -> list[int]:
    """The columns most of whose cells are numbers."""
    return [
        c
        for c in range(len(grid.columns))
        if sum(1 for cells in body if c < len(cells) and is_numeric(cells[c])) * 2 > len(body)
    ]


def _kept(grid: Grid, column: int, value: str) -> list[int]:
    return [
        r
        for r in _body_rows(grid)
        if column < len(cells := grid.rows[r][1]) and squash(cells[column]) == value
    ]


def _negated(value: str, question: str) -> bool:
    """Whether the question keeps the rows that are not ``value``: "'구현 완료'가 아닌"."""
    spaced = r"\s*".join(map(re.escape, value))
    lowered = unicodedata.normalize("NFKC", question).lower()
    return re.search(rf"['\"‘“]?{spaced}['\"’”]?{_NOT_KEPT}", lowered) is not None


def _cell(grid: Grid, row: int, column: int) -> str:
    cells = grid.rows[row][1]
    return cells[column].strip() if column < len(cells) else ""


def _body(grid: Grid) -> list[tuple[str, ...]]:
    return [grid.rows[r][1] for r in _body_rows(grid)]


def _body_rows(grid: Grid) -> list[int]:
    """The rows of ``grid`` that are its body: no header row, no totals row."""
    return [
        r
        for r, (source, cells) in enumerate(grid.rows)
        if source >= 0 and not TOTAL.match(squash(_label(grid, cells)))
    ]


def _label(grid: Grid, cells: Sequence[str], *, besides: int = -1) -> str:
    """A row's name: its label cell, else its first non-empty cell; not the cell of column
    ``besides``, the group every counted row shares ("사용성 (12)")."""
    labels = [c for c in grid.label_columns if c != besides][:1]
    for column in labels:
        if column < len(cells) and cells[column].strip():
            return cells[column].strip()
    return next((c.strip() for i, c in enumerate(cells) if c.strip() and i != besides), "")


def _listed_kinds(name: str) -> frozenset[str]:
    """The kinds a column's header lists in brackets: "구분 (필수/선택)" → 필수, 선택."""
    listed = re.search(r"[(（]([^()（）]*/[^()（）]*)[)）]", name)
    if listed is None:
        return frozenset()
    return frozenset(squash(part) for part in listed.group(1).split("/") if part.strip())


def _written(value: str, question: str, *, before_noun: bool = False) -> bool:
    """Whether the question writes ``value`` (squashed) as what rows are kept by: "P0인",
    "'완료' 상태인", "P0으로 분류된", "whose status is Done". "PPTX의 그래픽 항목" names a
    row to read, not a filter; "P01" does not write P0."""
    spaced = r"\s*".join(map(re.escape, value))
    lead = r"(?<![a-z0-9])"
    tail = r"(?![a-z0-9])" if value[-1].isascii() and value[-1].isalnum() else ""
    keeps = f"{_KEEPS}|{_COUNTED_NOUN}" if before_noun else _KEEPS
    korean = rf"{lead}['\"‘“]?{spaced}['\"’”]?{tail}\s*(?:{keeps})"
    english = rf"\b(?:is|are|=|equals?|marked(?:\s+as)?|of)\s+['\"]?{spaced}{tail}"
    return re.search(f"{korean}|{english}", question) is not None


def _shown(
    reading: Reading, grid: Grid, hit: Hit, column: int, rows: Sequence[int], bound: str
) -> tuple[list[str], list[Evidence]]:
    """The count and its rows, cited; a row kept by a bound shows its number beside its
    name ("3 Giga Trash 180.00"), and the line the bound for a value ("50 초과")."""
    evidence: list[Evidence] = []
    listed: list[str] = []
    for row in rows:
        cells = grid.rows[row][1]
        label = _label(grid, cells, besides=column)
        match = CellMatch(grid, row, column, cells[column], label, grid.columns[column], 1.0, 1.0)
        place = place_of(match)
        if place is None:
            continue
        shown = label
        if bound:  # a row of numbers has no name but the number it was kept by
            named = bool(grid.label_columns)
            shown = f"{label} {cells[column].strip()}" if named else cells[column].strip()
        listed.append(f"{shown} {{{len(evidence)}}}")
        evidence.append(
            Evidence(
                hit,
                f"{hit.name} · {place.label}",
                place.quote,
                place.start,
                place.end,
                place.quote,
                grid.stored.page,
            )
        )
    shown_value = bound or grid.rows[rows[0]][1][column].strip()
    line = _LINE[reading.language].format(
        column=grid.columns[column], value=shown_value, rows=", ".join(listed),
        count=len(evidence), counter=reading.intent.counter or "개",
    )  # fmt: skip
    return [line], evidence
