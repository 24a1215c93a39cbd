"""Which cells of a table (or items of a "key: value" list) a sentence binds together.

A table row binds its cells: "소관기관 | 국토교통부", "DOCX: docx-rs", "02:공공부문개발". A
sentence that takes one row's cell and another row's cell of a *different* column into one
clause ("소관기관은 지방자치단체이고" where 지방자치단체 is 제공기관's value; "XLSX 파싱에는
docx-rs를") has moved a value to another key: an entity or role swap that every word of
which is in the source, so coverage and polarity cannot see it. A clause naming two rows in
the same columns compares or lists them ("M8과 M10은 …", "개똥이는 89점으로 팔푼이(88점)보다")
and is not a swap.

Only words that stand in exactly one cell of a table tell which cell is meant; a word shared
by cells ("필수", "18:30") says nothing. Cells of more than ``MAX_CELL_WORDS`` words are
prose, whose words name nothing in particular.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from dalin.answer.alignment import Unit
from dalin.answer.quantities import UNITS
from dalin.text.korean import kiwi

#: a cell of more words than this is prose, not a name or a value
MAX_CELL_WORDS = 8
#: a line "DOCX: docx-rs" of a list of such lines
_LINE = re.compile(r"^\s*([^:：|\n]{1,30}?)\s*[:：]\s*(\S[^\n|]{0,60}?)\s*$")
#: an inline code list "01:민간부문개발 02:공공부문개발"
_CODE = re.compile(r"(?<![\w/:])([0-9A-Za-z]{1,4})\s*[:：]\s*([^\s\d:：|/][^\s:：|/]*)")
_SPLIT = re.compile(r"[\s·,/()\[\]{}+→=「」『』“”\"'*~—–]+")
_WORD = re.compile(r"[^\s·,/()\[\]{}+→=「」『』“”\"'*~—–]+")
#: a header offering alternatives, one of which each row's cell holds: "구분 (필수/선택)"
_ALTERNATIVES = re.compile(r"\(?((?:[^\s/()]+/)+[^\s/()]+)\)?\s*$")
_NUMERIC = re.compile(r"[\d.,:%+\-±]+")
#: a cell: its row's place in the table, and its column
Cell = tuple[int, str]
#: where a sentence's clauses meet: a comma, a semicolon, "…이고 ", "…하며 ", "및"
_CLAUSE = re.compile(r"[,;，]|(?<=[고며])\s|\s및\s")
#: what may follow a noun in the same written word: a particle, a copula
_PARTICLE = re.compile(
    r"(?:으로|로|에서|에게|에|께|까지|부터|처럼|보다|과|와|의|은|는|이|가|을|를|도|만|"
    r"이라는|라는|이라고|라고|이고|이며|이나|나|이라|라|이면|인|입니다|이다)?"
    r"(?:는|도|만|서)?"
)


@dataclass(frozen=True)
class Record:
    """One row of a table: its cells by column, and the statement it stands in."""

    cells: tuple[tuple[str, str], ...]
    unit: Unit


@dataclass(frozen=True)
class Swap:
    """A value of one row put with another row's key, and the row it came from."""

    detail: str
    unit: Unit


def tables(units: Sequence[Unit]) -> list[list[Record]]:
    """The tables of the passages: each passage's rendered rows, its "key: value" lines
    (when two or more), each inline code list of two or more codes."""
    out: list[list[Record]] = []
    rows: dict[int, list[Record]] = defaultdict(list)
    lines: dict[int, list[Record]] = defaultdict(list)
    for unit in units:
        if unit.row:
            rows[unit.passage].append(Record(tuple(unit.cells().items()), unit))
            texts = list(unit.cells().values())
        else:
            texts = unit.text.split("\n")
            # a line whose value is a sentence ("배송비: … 무료입니다.") is prose, not a pair
            for m in filter(None, map(_LINE.match, texts)):
                if m[2].endswith("."):
                    continue
                lines[unit.passage].append(Record((("key", m[1]), ("value", m[2])), unit))
        for text in texts:
            codes = _CODE.findall(text)
            if len(codes) >= 2:
                out.append([Record((("key", k), ("value", v)), unit) for k, v in codes])
    out.extend(t for group in (rows, lines) for t in group.values() if len(t) >= 2)
    return out


def find(sentence: str, units: Sequence[Unit]) -> tuple[str, Swap] | None:
    """The first of: another of a header's alternatives (``contradiction``), a value bound to
    another row (``entity``); the tables are read once per set of passages."""
    found = _tables_and_words(units)
    if not found:
        return None
    reading = _Sentence(sentence)
    other = _alternative(reading, found)
    if other is not None:
        return "contradiction", other
    swapped = _swap(reading, found)
    return ("entity", swapped) if swapped is not None else None


def swap(sentence: str, units: Sequence[Unit]) -> Swap | None:
    """A clause of ``sentence`` that binds cells of two rows of one table in disjoint
    columns (see the module's text), or None."""
    found = _tables_and_words(units)
    return _swap(_Sentence(sentence), found) if found else None


def alternative(sentence: str, units: Sequence[Unit]) -> Swap | None:
    """A clause naming a table row that says another of the alternatives its header offers
    ("구분 (필수/선택): 필수" said as "선택 항목"), and not the row's own value."""
    found = _tables_and_words(units)
    return _alternative(_Sentence(sentence), found) if found else None


_Found = list[tuple[list[Record], dict[str, Cell]]]
#: the tables of the passages last checked: an answer's sentences cite the same passages
_CACHE: dict[tuple[tuple[int, int, int, str], ...], _Found] = {}
_CACHE_SIZE = 16


def _tables_and_words(units: Sequence[Unit]) -> _Found:
    key = tuple((u.passage, u.position, u.start, u.text) for u in units)
    found = _CACHE.get(key)
    if found is None:
        found = [(t, w) for t in tables(units) if (w := _distinctive(t))]
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = found
    return found


def _swap(reading: _Sentence, found: _Found) -> Swap | None:
    for table, words in found:
        for clause in reading.clauses:
            swapped = _binding(reading, clause, table, words) or _other_value(
                reading, clause, table, words
            )
            if swapped is not None:
                return swapped
    return None


def _other_value(
    reading: _Sentence, clause: tuple[int, int], table: list[Record], words: dict[str, Cell]
) -> Swap | None:
    """The clause names one row and gives, as a whole cell, another row's value of a column
    that the named row holds otherwise ("조부모가 돌아가시면 … 5일" where the 조부모 row says
    3일 and two other rows 5일): a value shared by rows names none, but it is not this one's."""
    tokens = [t for start, t in reading.words if clause[0] <= start < clause[1]]
    # a number names no row here: "(89 + 77 + 88 + 66) ÷ 4" computes over all of them
    named = {
        words[w][0]: w
        for w in words
        if not _NUMERIC.fullmatch(w) and any(_is(t, w) for t in tokens)
    }
    if len(named) != 1:
        return None
    ((row, name),) = named.items()
    for column, own in table[row].cells:
        others = {
            text.strip().lower()
            for r, record in enumerate(table)
            if r != row
            for c, text in record.cells
            if c == column and len(_SPLIT.split(text.strip())) == 1
        } - {own.strip().lower()}
        said = [v for v in others if any(_is(t, v) for t in tokens)]
        mine = [w for w in _SPLIT.split(own.lower()) if len(w) >= 2]
        if said and not any(_is(t, w) for t in tokens for w in mine):
            return Swap(f"{name} ↔ {said[0]}", table[row].unit)
    return None


def _alternative(reading: _Sentence, found: _Found) -> Swap | None:
    for table, words in found:
        for clause in reading.clauses:
            tokens = [t for start, t in reading.words if clause[0] <= start < clause[1]]
            rows = {words[w][0] for w in words if any(_is(t, w) for t in tokens)}
            for row in sorted(rows):
                said = _other_alternative(table[row], tokens)
                if said:
                    return Swap(said, table[row].unit)
    return None


def _other_alternative(record: Record, tokens: Sequence[str]) -> str:
    for header, value in record.cells:
        offered = _ALTERNATIVES.search(header)
        if offered is None or "/" in value:
            continue
        options = [o.strip().lower() for o in offered[1].split("/")]
        own = value.strip().lower()
        if own not in options:
            continue
        said = [o for o in options if o != own and len(o) >= 2 and any(_is(t, o) for t in tokens)]
        if said and not any(_is(t, own) for t in tokens):
            return f"{said[0]} ↔ {header}: {value}"
    return ""


class _Sentence:
    """The sentence's written words and clauses, and where Kiwi finds particles in it."""

    def __init__(self, sentence: str) -> None:
        self.words = [(m.start(), m.group().lower()) for m in _WORD.finditer(sentence)]
        bounds = [0, *(m.end() for m in _CLAUSE.finditer(sentence)), len(sentence) + 1]
        self.clauses = list(pairwise(bounds))
        tokens = kiwi().tokenize(sentence)
        #: "과/와/및": items listed side by side
        self.joins = [t.start for t in tokens if t.tag == "JC"]
        self.joins += [m.start() + 1 for m in re.finditer(r"\s및\s", sentence)]
        #: a case or topic particle or a copula: what binds a word to a predicate or another
        self.binds = [t.start for t in tokens if t.tag.startswith(("JK", "JX")) or t.tag == "VCP"]

    def listed(self, first: int, second: int) -> bool:
        """Whether the words at ``first`` and ``second`` are items of one list ("매주
        일요일과 근로자의 날"): only "과/와/및" between them, no particle binding one."""
        low, high = sorted((first, second))
        joined = any(low <= j < high for j in self.joins)
        return joined and not any(low <= b < high for b in self.binds)


def _binding(
    reading: _Sentence, clause: tuple[int, int], table: list[Record], words: dict[str, Cell]
) -> Swap | None:
    named: dict[int, dict[str, tuple[str, int]]] = defaultdict(dict)
    for start, token in reading.words:
        if not clause[0] <= start < clause[1]:
            continue
        for word, (row, column) in words.items():
            if _is(token, word):
                named[row].setdefault(column, (word, start))
    rows = sorted(named)
    for i, first in enumerate(rows):
        for second in rows[i + 1 :]:
            mine, theirs = named[first], named[second]
            if mine.keys() & theirs.keys():
                continue  # the same columns of two rows: a comparison or a list
            bound = [
                (at, a, b, bt)
                for a, at in mine.values()
                for b, bt in theirs.values()
                if not reading.listed(at, bt)
            ]
            if bound:
                at, a, b, bt = bound[0]
                # the row the sentence names first is the one it speaks of (its topic):
                # that row's own statement is what the source says of it
                topic, other = (first, b) if at < bt else (second, a)
                return Swap(f"{a if at < bt else b} ↔ {other}", table[topic].unit)
    return None


def _distinctive(table: list[Record]) -> dict[str, Cell]:
    """Words standing in exactly one cell of the table, a short one, with that cell's row
    and column."""
    seen: dict[str, set[Cell]] = defaultdict(set)
    prose: set[Cell] = set()
    for row, record in enumerate(table):
        for column, text in record.cells:
            words = [w for w in _SPLIT.split(text) if len(w) >= 2]
            if len(words) > MAX_CELL_WORDS:
                prose.add((row, column))
            for word in words:
                seen[word.lower()].add((row, column))
    # a header's own words ("항목", "내용") are every row's, whichever cell holds them; a
    # unit ("cm", "원") is a kind of value, not one
    headers = {w.lower() for r in table for c, _ in r.cells for w in _SPLIT.split(c)}
    return {
        w: cell
        for w, s in seen.items()
        if len(s) == 1 and (cell := next(iter(s))) not in prose
        if w not in headers and w not in UNITS
    }


def _is(token: str, word: str) -> bool:
    """Whether a written word of the sentence is ``word``, or ``word`` and a particle
    ("국토교통부입니다", "docx-rs를"): "측정" is not "측정값은", "HB-200" not "HB-200-CS",
    "2017" not "2017년"."""
    token = token.rstrip(".?!")
    return token.startswith(word) and _PARTICLE.fullmatch(token[len(word) :]) is not None
