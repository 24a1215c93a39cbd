"""Table cells as answer candidates: the cell a question names by its row and column.

A cell is scored like a sentence on the question words its row, column and table caption
hold; a row named without a column answers with its first value, or its first number (its
price for 얼마) when a number is asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from dalin.answer.asked import counts_other_things
from dalin.answer.intent import Asked
from dalin.answer.lexicon import ROLES
from dalin.answer.reader_question import (
    Candidate,
    Evidence,
    Reading,
    Sources,
    focus_share,
    focus_weight,
    quoted_words,
    share_of,
)
from dalin.answer.tables import (
    CellMatch,
    Grid,
    cell_tokens,
    is_numeric,
    match_cells,
    place_of,
    row_in_brief,
    squash,
)
from dalin.answer.values import FAX, ValueKind, find_values
from dalin.text.korean import tokenize
from dalin.types import Hit, StoredTable

#: a question asking where a row sits in its table ("몇 번", "순번은", "which number")
_ORDINAL = re.compile(r"몇\s*번|순번|번호|몇\s*째|\bNo\.|\bnumber\b", re.I)
#: a cell that holds no value: a dash, a dot, nothing
_BLANK = re.compile(r"\s*[-–—−·.]?\s*")


def cell_candidates(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]], sources: Sources
) -> list[Candidate]:
    candidates = []
    for grid, hit, relevance in grids:
        matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
        if not _ORDINAL.search(reading.question):
            numbering = index_columns(grid)
            matches = [m for m in matches if m.column not in numbering]
        named = [m for m in matches if m.column_score > 0][:2]
        quoted = [m for m in matches if _quotes_column(reading.question, m.column_name)]
        named = [*quoted[:1], *(m for m in named if m not in quoted[:1])]
        if not any(_states_kind(reading, m.value) for m in named):
            # "… 운영환경 적합성은 몇 점짜리인가요?" names the 평가기준 column by its words
            # and asks for the row's number (배점): the row's value of the kind asked too
            named += _default_column(reading, matches)
        elif _MEANING_ASKED.search(reading.question):
            # "운영유무 항목 값을 N으로 적으면 무슨 뜻": the 허용 값 "Y/N" is named, the
            # code list beside it ("Y:운영 N:미운영") says what N means
            # (the named cell of its row states no meaning: the list stands for it)
            coded = _coded_cell(reading.question, matches)
            if coded is not None and coded not in named:
                same_row = (coded.grid, coded.row)
                named = [coded, *(m for m in named if (m.grid, m.row) != same_row)]
        for match in named[:3]:
            candidate = _cell_candidate(reading, match, hit, relevance, sources)
            if candidate is not None:
                candidates.append(candidate)
    return candidates


#: headers of a column that only numbers the rows
_INDEX_HEADER = re.compile(r"^(?:no\.?|#|번호|순번|연번|일련번호)$", re.I)


def _quotes_column(question: str, column: str) -> bool:
    """Whether the question quotes a column by its name or its last level: "울산 위원회의
    '기타' 칸" is the column "민간현황 기타"."""
    quoted = quoted_words(question)
    levels = column.split()
    # the last level may be written in words: "서식 범주 표 · 그리드" is quoted '표 · 그리드'
    return any(squash(" ".join(levels[i:])) in quoted for i in range(len(levels)))


def index_columns(grid: Grid) -> frozenset[int]:
    """Columns that only number the rows (``NO | 1, 2, 3 …``): a header saying so over
    whole numbers that go up row by row. Such a cell is where a row sits in its table, never
    what the question asks of the row ("개발주체유형코드 NO: 34")."""
    found = set()
    for c, name in enumerate(grid.columns):
        if not _INDEX_HEADER.match(name.replace(" ", "")):
            continue
        cells = [cells[c] for _, cells in grid.rows if cells[c]]
        if cells and all(x.isdigit() for x in cells):
            numbers = [int(x) for x in cells]
            if all(a < b for a, b in pairwise(numbers)):
                found.add(c)
    return frozenset(found)


#: a Korean personal name alone in a cell: three syllables, the first a common surname
#: (over 90 % of Koreans bear one of these), the last no office or role (담당자, 체육국)
PERSON_NAME = re.compile(
    r"[김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄"
    r"채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용][가-힣]"
    r"[가-힣](?<![자관장과국실팀부처청소원])"
)


def person_name(text: str) -> bool:
    """Whether ``text`` is a Korean personal name alone, not a role (대표, 팀장)."""
    return PERSON_NAME.fullmatch(text) is not None and text not in ROLES


#: the unit a row or column name gives its numbers: "평균 릴리스 간격(일)", "금액(천원)"
_LABEL_UNIT = re.compile(
    r"[(（]\s*(일|원|천원|만원|백만원|억원|명|개|건|회|분|초|시간|년|개월|주|%|점|대|쪽)\s*[)）]\s*$"
)


def with_label_unit(value: str, *labels: str) -> str:
    """A bare number with the unit its column or row name gives it: "18.3" under
    "평균 릴리스 간격(일)" is 18.3일, a duration, though the cell writes no unit."""
    if not is_numeric(value):
        return value
    for label in labels:
        unit = _LABEL_UNIT.search(label.strip())
        if unit:
            return f"{value.strip()}{unit.group(1)}"
    return value


def _states_kind(reading: Reading, cell: str) -> bool:
    """Whether ``cell`` holds a value of a kind the question asks for (any cell when the
    question asks for none)."""
    kinds = reading.intent.value_kinds
    if not kinds:
        return True
    if reading.intent.numbering:  # "몇 조" is answered by 제12조, not by 제34194호
        return re.search(rf"\d\s*{re.escape(reading.intent.counter)}", cell) is not None
    found = find_values(cell)
    if any(counts_other_things(reading.intent, v) for v in found):
        return False  # "17,737,227건" for "몇 번"
    return any(v.kind in kinds for v in found) or (is_numeric(cell) and ValueKind.NUMBER in kinds)


def _default_column(reading: Reading, matches: Sequence[CellMatch]) -> list[CellMatch]:
    """A row the question names but no column: its first value (``최신 배포 버전 | v0.6.4``),
    its first number when a number is asked (``보안 요구사항 | SER | … | 5``), or its first
    phone, e-mail, date or time when one is asked."""
    if not matches or reading.intent.operation is not None:
        return []
    coded = _coded_cell(reading.question, matches)
    if coded is not None:
        return [coded]
    top = matches[0]
    if not top.row_label and len(top.grid.rows) == 1:
        # a one-row table the question names neither a row nor a column of ("This | Is |
        # Just a" over "how many states … this month?"): nothing says its number is asked
        return []
    row = sorted((m for m in matches if m.row == top.row and m.grid is top.grid),
                 key=lambda m: m.column)  # fmt: skip
    if reading.intent.asked in (Asked.PHONE, Asked.EMAIL, Asked.DATE, Asked.TIME):
        stating = [m for m in row if _states_kind(reading, m.value)]
        if reading.intent.asked is Asked.PHONE:
            # "TEL: 02-2031-9460 | FAX : 02-2031-9401": the fax only when a fax is asked
            wants_fax = FAX.search(reading.question) is not None
            stating.sort(key=lambda m: (FAX.search(m.value) is not None) != wants_fax)
        if stating:
            return stating[:1]  # a contact row's phone: "… | 정태경 | (044-203-3111)"
    if reading.intent.asked is Asked.PERSON:
        # a contact row's person: a name alone in its cell, not a role, office or place
        return [m for m in row if person_name(m.value)][:1]
    if reading.intent.asked in (Asked.COUNT, Asked.MONEY, Asked.NUMBER, Asked.PERCENT):
        numbers = [m for m in row if is_numeric(m.value)]
        hint = _PRICE if reading.intent.asked is Asked.MONEY else _COUNTED
        hinted = [m for m in numbers if hint.search(m.column_name)]
        row = hinted or numbers or row
    return row[:1]


#: a code the question states ("코드 03은", "G로 시작하면"): digits or a capital letter
#: standing alone
_CODE = re.compile(r"(?<![\d.,A-Za-z])(?:\d{1,3}|[A-Z])(?![\d.,A-Za-z])")


def _coded_cell(question: str, matches: Sequence[CellMatch]) -> CellMatch | None:
    """The code list cell, in the best-named row that has one, that the question's code or
    meaning sends it to; each row read once (a workbook's rows come back cell by cell)."""
    seen: set[tuple[int, int]] = set()
    for match in matches:
        if (id(match.grid), match.row) in seen:
            continue
        seen.add((id(match.grid), match.row))
        _, cells = match.grid.rows[match.row]
        for c, cell in enumerate(cells):
            if _CODE_LIST.search(cell) and _code_meaning(question, cell):
                return replace(match, column=c, value=cell, column_name=match.grid.columns[c])
    return None


#: a cell listing at least two codes: "01:… 02:…", "1) … 2) …", "S : 도시철도, I : 광역철도"
_CODE_LIST = re.compile(
    r"\d{1,3}\s*[:=)].*?\d{1,3}\s*[:=)]|(?<![A-Za-z])[A-Z]\s*[:=].*?(?<![A-Za-z])[A-Z]\s*[:=]",
    re.S,  # one code a line: "Y:운영\nN:미운영"
)
#: one entry of a code list: "06:터미널형 환승센터" up to the next code
_CODE_ENTRY = re.compile(r"(?<![\d.])(\d{1,3})\s*[:=]\s*(.+?)(?=\s*[,/]?\s*\d{1,3}\s*[:=]|$)")


def _code_meaning(question: str, cell: str) -> str:
    """What a code list cell says a code of the question means: "03: 민관합동개발" for "03"
    in ``01:민간부문개발 02:공공부문개발 03:민관합동개발``; or, when the question names a
    meaning instead ("터미널형 환승센터의 유형 코드는?"), the code of that meaning, written
    the same way ("06: 터미널형 환승센터"). Empty when the cell lists nothing the question
    states."""
    for code in _CODE.findall(question):
        if code.isdigit():
            found = re.search(rf"(?<![\d.]){code}\s*[:=)]\s*(.+?)(?=\s+\d{{1,3}}\s*[:=)]|$)", cell)
        else:  # "G : 광역급행철도 Great Train Express 2. 운행지역 …": up to the next code
            found = re.search(
                rf"(?<![A-Za-z]){code}\s*[:=]\s*(.+?)(?=\s*,\s*[A-Z]\s*[:=]|\s+\d{{1,2}}\.\s|$)",
                cell,
            )
        if found:
            return f"{code}: {found.group(1).strip()}"
    asked = squash(question)
    for found in _CODE_ENTRY.finditer(cell):
        meaning = found.group(2).strip()
        if len(squash(meaning)) >= 3 and squash(meaning) in asked:
            return f"{found.group(1)}: {meaning}"
    return ""


#: a question asking what a code stands for: "그 코드는 어떤 유형", "무슨 뜻", "what type"
_MEANING_ASKED = re.compile(r"유형|종류|뜻|의미|what\s+(?:type|kind)|\bmeans?\b", re.I)


def _meant(question: str, match: CellMatch) -> tuple[int, str] | None:
    """The column of the row's code list and what it says the cell's bare code means, when
    the question asks what it stands for; None otherwise."""
    code = match.value.strip()
    if not re.fullmatch(r"\d{1,3}", code) or not _MEANING_ASKED.search(question):
        return None
    _, cells = match.grid.rows[match.row]
    for column, cell in enumerate(cells):
        if column == match.column or not _CODE_LIST.search(cell):
            continue
        for entry in _CODE_ENTRY.finditer(cell):
            if entry.group(1) == code:
                return column, entry.group(2).strip()
    return None


#: an article a row's label names: "보안프로그램(제9조)", "물리적 접근 방지 (제10조)"
_ARTICLE = re.compile(r"제\s*\d+\s*조(?:\s*의\s*\d+)?")


def _article_of_row(reading: Reading, match: CellMatch) -> bool:
    """Whether the article asked ("몇 조") is the one the row's label names, the cell being
    what the question describes of it."""
    return (
        reading.intent.counter == "조"
        and _ARTICLE.search(match.row_label) is not None
        and _ARTICLE.search(match.value) is None
    )


def _names_leaf(question: str, column: str) -> bool:
    """Whether ``question`` writes the last level of a header of two or more ("구성 민간":
    the cell counts the 민간 of 구성), the level that says what the cell holds."""
    if "/" in column:
        return False  # "Star / Fork" names two things side by side, not levels of one
    parts = column.split()
    return len(parts) >= 2 and len(parts[-1]) >= 2 and squash(parts[-1]) in squash(question)


#: a requirement's or an item's code: "QUR-001", "SER-003", "PMR_02"
_ITEM_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,5}[-_]?\d{2,4}(?![A-Za-z0-9])")
#: how much a table holding the code the question writes gains over its look-alikes
_CODE_BONUS = 0.3


def _holds_code_asked(question: str, grid: Grid) -> bool:
    """Whether ``grid`` writes an item code the question writes: forms of one layout
    (every requirement's table has a 산출정보 row) differ by their code."""
    codes = set(_ITEM_CODE.findall(question))
    if not codes:
        return False
    cells = (cell for _, row in grid.rows for cell in row)
    return any(code in cell for cell in cells for code in codes)


def _cell_candidate(
    reading: Reading, match: CellMatch, hit: Hit, relevance: float, sources: Sources
) -> Candidate | None:
    place = place_of(match)
    if place is None:
        return None
    named_by = table_context_text(match.grid.stored, hit, sources)
    context = set(tokenize(named_by))
    covered = set(match.covered) | set(tokenize(f"{match.row_label} {match.column_name}"))
    share = share_of(reading, covered)
    score = 0.7 * share_of(reading, covered | context) + 0.3 * share + 0.3 * relevance
    named = f"{match.row_label} {match.column_name}"
    focus = focus_share(reading, covered, named)
    # a table's caption says what all its cells are ("… 경기개시 시간"): half the credit
    focus += 0.5 * (focus_share(reading, covered | context, named) - focus)
    score += focus_weight(reading) * focus
    if match.column_score > 0 and match.row_score > 0:
        score += 0.25
    if _holds_code_asked(reading.question, match.grid):
        score += _CODE_BONUS  # "품질관리 요구사항(QUR-001)의 산출정보": QUR-001's table
    if _names_leaf(reading.question, match.column_name):
        score += 0.1  # "구성 민간" holds the 민간 asked; "민간현황 학계" holds 학계
    label = squash(match.row_label)
    if len(label) >= 3 and label in squash(hit.name):
        score -= 0.3  # the row the file is named after is the topic, not the row asked
    typed = _states_kind(reading, with_label_unit(match.value, match.column_name, match.row_label))
    if typed and reading.intent.asked is Asked.MONEY and is_numeric(match.value):
        # "질문 하나당 얼마를 지급했나요?" is no question count: a bare number is money only
        # where its column or row names a price or an amount
        header = _column_header(match.grid, match.column)
        typed = bool(_PRICE.search(f"{match.column_name} {match.row_label} {header}"))
    if reading.intent.value_kinds:
        score += 0.35 if typed else -0.2
    column = match.column_name
    shown = [match.column]
    code = _code_meaning(reading.question, match.value)
    if code:
        lead = f"{match.row_label} {code}"  # the code asked, not the whole list
        # a code list writing the code asked says what it means, as a table holding an
        # item code asked is that item's ("T이면" and "T : 트램 Tram")
        score += _CODE_BONUS
    elif not any(match.grid.columns) and not match.grid.pairs:
        lead = f"{_named_cells(reading, match)}: {match.value}"
    elif match.grid.pairs or not column or _GENERIC.match(column.replace(" ", "")):
        lead = f"{match.row_label}: {match.value}"
    else:
        lead = f"{match.row_label} {column}: {match.value}".strip()
    if _article_of_row(reading, match):
        # "백신 … 설치하라는 항목은 몇 조로 표시되어 있나요?": the row's label states it
        # ("보안프로그램(제9조)"), the cell the question describes does not
        lead, typed = match.row_label, True
    meant = _meant(reading.question, match) if not code else None
    if meant is not None:
        # "예시 값은 뭐고, 그 코드는 어떤 유형": the example code and what the row's code
        # list says it means ("예시: 02 (광역복합환승센터)")
        column_of_list, meaning = meant
        lead, shown = f"{lead} ({meaning})", [match.column, column_of_list]
    if _BLANK.fullmatch(match.value) and not match.grid.pairs:
        # a dash states nothing ("변경 전: -"): what the row does state is in its other
        # cells ("변경 후: 수비 시프트 … 판독 요청 가능")
        _, cells = match.grid.rows[match.row]
        beside = [c for c, v in enumerate(cells)
                  if v and not _BLANK.fullmatch(v) and v != match.row_label]  # fmt: skip
        if not beside:
            return None
        stated = " | ".join(f"{match.grid.columns[c]}: {cells[c]}".strip(": ") for c in beside)
        lead, shown = f"{match.row_label} — {stated}", beside
    brief = place.quote if match.grid.pairs else row_in_brief(match.grid, match.row, shown)
    evidence = Evidence(hit, f"{hit.name} · {place.label}", place.quote, place.start,
                        place.end, brief, match.grid.stored.page)  # fmt: skip
    return Candidate(score, lead, evidence, typed=typed, focus=focus, relevance=relevance,
                     context=" ".join((named_by, *match.grid.columns)))  # fmt: skip


def _column_header(grid: Grid, column: int) -> str:
    """A column's name, or in a label/value form its header row's cell ("지급 단가")."""
    if column < len(grid.columns) and grid.columns[column]:
        return grid.columns[column]
    index, cells = grid.rows[0] if grid.rows else (0, ())
    return cells[column] if index == -1 and column < len(cells) else ""


def _named_cells(reading: Reading, match: CellMatch) -> str:
    """The cells of a row with no column names that the question names, in row order: who
    a contact row is ("체육국 책임자 과장 정태경"), not just its first cell."""
    _, cells = match.grid.rows[match.row]
    asked = set(reading.words)
    named = [
        cell
        for c, cell in enumerate(cells)
        if c != match.column and cell and asked & (cell_tokens(cell) | _same(reading, cell))
    ]
    return " ".join(named) or match.row_label


def _same(reading: Reading, cell: str) -> frozenset[str]:
    return frozenset().union(*(reading.same.get(t, frozenset()) for t in cell_tokens(cell)))


#: column names that hold prices, and counts: the default column for 얼마 and 몇 개
_PRICE = re.compile(
    r"단가|가격|금액|비용|요금|예산|총액|[가-힣](?:료|비)\b|원\)|price|amount|cost|fee",
    re.I,
)
_COUNTED = re.compile(r"수|량|계|count|number|qty", re.I)
_GENERIC = re.compile(r"^(?:값|내용|value|값/내용)$", re.I)


def table_context(stored: StoredTable, hit: Hit, sources: Sources) -> set[str]:
    """Words naming a table: its caption, its passage's section, the line before it."""
    return set(tokenize(table_context_text(stored, hit, sources)))


def table_context_text(stored: StoredTable, hit: Hit, sources: Sources) -> str:
    """The text naming a table (see :func:`table_context`)."""
    text = f"{stored.table.caption} {stored.table.sheet} {hit.section}"
    if sources.read is not None and stored.start > 0:
        before = sources.read(stored.doc_id, max(0, stored.start - 200), stored.start)
        text += " " + " ".join(before.strip().splitlines()[-2:])
    return text
