"""Counts of a numbered list's items that a question filters: "의사일정에 올라온 법률안
가운데 이주환 의원이 대표발의한 것은 모두 몇 건인가요?".

No line states the answer; it is the number of items of a numbered list ("1. …", "2. …")
that write every noun of the question's filter ("이주환 의원 … 대표발의"). The filter is
what the question counts, the phrase before "은/는 모두 몇 건"; the list is one the
question names by the words written above it ("의사일정"). Every counted item is cited, so
the work shows what was counted: ``13건 — 의사일정 중 '이주환 의원이 대표발의한 것': 12.
대기환경보전법 … [1], 21. 수도법 … [2], …``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dalin.answer.cells import table_context_text
from dalin.answer.evidence import document_words
from dalin.answer.intent import Asked, Operation
from dalin.answer.reader_question import Evidence, Reading, Sources
from dalin.answer.tables import CellMatch, Grid, match_cells, place_of
from dalin.text.korean import kiwi, tokenize
from dalin.types import Hit

#: "…은 모두 몇 건", "…대표발의한 건 모두 몇 건": what is counted, and the counter of things
#: listed
_COUNTED = re.compile(
    r"(?P<phrase>\S.*?)(?:은|는|이|가|(?<=[한된])\s+(?:건|것))\s+(?:모두|전부|총|통틀어|다\s)\s*몇"
    r"\s*(?P<counter>건|개|가지)"
)
#: where the counted phrase begins: after what it is taken from ("법률안 가운데", "…에
#: 올라온"), a genitive or a locative; not the 에 of a title's "…에 관한 법률", which is
#: part of the name counted ("… 양립 지원에 관한 법률 일부개정법률안")
_TAKEN_FROM = re.compile(
    r"(?:중|가운데|중에서|에서|에|의|올라온|오른|실린|나온|적힌|있는)\s+"
    r"(?!(?:관한|대한|따른|의한|관하여|대하여)\s)(?=\S)"
)
#: a name's gloss in Latin letters, in brackets after it: "카카오 NLP팀(Kakao NLP Team)"
_LATIN_GLOSS = re.compile(r"[(（]\s*([A-Za-z][A-Za-z0-9 .&'-]*?)\s*[)）]")
#: an item of a numbered list, at the start of its line: "12. 대기환경보전법 …", or
#: numbered in a circle: "⑪ 기타 발주기관에서 공개가 불가하다고 판단한 자료"
_ITEM = re.compile(r"^[ \t]*(?:(\d{1,3})\.[ \t]+|([\u2460-\u2473])[ \t]*)(?=\S)", re.M)
#: a line opening with a bullet of another kind ends the item above it: the list's last
#: item is not followed by a blank line in a PDF's text ("⑪ …" then "ㅇ 제안사는 …")
_OTHER_MARK = re.compile(r"\n[ \t]*(?:ㅇ|○|◦|□|■|▪|•|※|-)[ \t]")
#: the fewest items a list needs, and the fewest a filter must keep (one is no count)
_LEAST_ITEMS = 3
_LEAST_COUNTED = 2
#: the most items counted: each is cited
_MOST_COUNTED = 40
#: how much of a document is read for lists, and how much above a list names it
_READ_CHARS = 200_000
_HEADING_CHARS = 120
#: the longest an item runs (a title wrapped over two or three lines)
_ITEM_CHARS = 300
_NOUNS = ("NNG", "NNP", "SL", "SH")
_LINE = {
    "ko": "{count}{counter} — {heading} 중 '{phrase}': {items}",
    "en": "{count} — items of {heading} with '{phrase}': {items}",
}


_WHOLE = {"ko": "{count}{counter} — {heading}: {items}", "en": "{count} — {heading}: {items}"}


@dataclass(frozen=True)
class _Item:
    number: int
    text: str
    start: int
    end: int
    #: how the item is named in the answer; its first line when empty
    shown: str = ""


#: a cell listing codes apart by slashes: "01/02/03/04/05/06/07/08/99" (not commas, which
#: write thousands: "17,737,227건")
_CODE_SPLIT = re.compile(r"\s*/\s*")
_CODE = re.compile(r"[A-Za-z0-9][\w.+-]{0,9}")
#: the fewest codes a cell lists to be counted
_LEAST_CODES = 3


def listed_codes(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]]
) -> tuple[list[str], list[Evidence]] | None:
    """How many values a cell lists, for "몇 가지" asked of the cell the question names:
    "환승대상교통시설 항목에 넣을 수 있는 코드 값은 모두 몇 가지" over the row's "허용 값:
    01/02/03/04/05/06/07/08/99" → 9가지. None unless the best cell named by both its row
    and its column lists three or more short codes."""
    if reading.intent.asked is not Asked.COUNT or reading.intent.operation is not None:
        return None
    counter = reading.intent.counter
    if counter not in ("가지", "개", "종류"):
        return None
    for grid, hit, _ in grids:
        matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
        best = next((m for m in matches if m.row_score > 0 and m.column_score > 0), None)
        place = place_of(best) if best is not None else None
        if best is None or place is None:
            continue
        codes = _CODE_SPLIT.split(best.value.strip())
        if len(codes) < _LEAST_CODES or not all(_CODE.fullmatch(c) for c in codes):
            continue
        line = f"{len(codes)}{counter} — {best.row_label} {best.column_name}: {best.value} {{0}}"
        quote = place.quote
        evidence = Evidence(hit, f"{hit.name} · {place.label}", quote, place.start, place.end,
                            quote, grid.stored.page)  # fmt: skip
        return [line], [evidence]
    return None


def counted_items(
    reading: Reading,
    relevant: Sequence[tuple[Hit, float]],
    grids: Sequence[tuple[Grid, Hit, float]],
    sources: Sources,
) -> tuple[list[str], list[Evidence]] | None:
    """The count of a numbered list's items (or a table's rows) that write every noun of the
    question's filter, each cited; None when the question asks no count of listed things,
    or no list of the documents read is named by the question and filtered by it."""
    if reading.intent.asked is not Asked.COUNT or reading.intent.operation not in (
        None,
        Operation.SUM,
    ):
        return None
    asked = _COUNTED.search(reading.question)
    if asked is None or sources.text_at is None:
        return None
    phrase = _TAKEN_FROM.split(asked.group("phrase"))[-1].strip()
    phrase = re.sub(r"\s*것$", "", phrase)
    gloss = _LATIN_GLOSS.search(phrase)
    if gloss is not None:
        # "카카오 NLP팀(Kakao NLP Team)이 올린 모델": the name as the rows write it
        phrase = f"{gloss.group(1)}{phrase[gloss.end() :]}"
    nouns = _nouns(phrase)
    if not nouns:
        return None
    around = set(tokenize(reading.question[: asked.start("phrase") + len(asked.group("phrase"))]))
    around -= nouns
    counter = asked.group("counter")
    docs = list(dict.fromkeys(h.doc_id for h, _ in relevant))[:3]
    read = [(next(h for h, _ in relevant if h.doc_id == d), sources.text_at(d, 0, _READ_CHARS))
            for d in docs]  # fmt: skip
    for hit, text in read:
        for heading, items in _lists(text):
            if nouns <= set(tokenize(heading)) and len(items) <= _MOST_COUNTED:
                # the list is what is counted, whole: "'누출금지 대상정보'는 모두 몇 가지"
                # over the items under "〈 누출금지 대상정보 〉", before any row that
                # merely mentions it
                return _shown(reading, hit, heading, "", counter, items)
    rows = _table_rows(reading, grids, sources, around, nouns)
    if rows is not None:
        hit, heading, kept = rows
        return _shown(reading, hit, heading, phrase, counter, kept)
    for hit, text in read:
        for heading, items in _lists(text):
            if not around & set(tokenize(heading)):
                continue  # a list the question does not name ("의사일정")
            kept = [i for i in items if nouns <= _held(reading, i.text)]
            if _LEAST_COUNTED <= len(kept) <= _MOST_COUNTED and len(kept) < len(items):
                return _shown(reading, hit, heading, phrase, counter, kept)
    return None


def _table_rows(
    reading: Reading,
    grids: Sequence[tuple[Grid, Hit, float]],
    sources: Sources,
    around: set[str],
    nouns: set[str],
) -> tuple[Hit, str, list[_Item]] | None:
    """The rows of the table the question names (by its caption, the lines above it or its
    file's name) whose cells and column names write every noun of the filter: "리더보드에
    Skelter Labs가 올린 모델" keeps the rows whose Model cell names Skelter Labs."""
    for grid, hit, _ in grids:
        if grid.pairs:
            continue
        heading = table_context_text(grid.stored, hit, sources)
        if not around & set(tokenize(f"{heading} {document_words(hit.name)}")):
            continue
        items = []
        for r, (source, cells) in enumerate(grid.rows):
            place = place_of(CellMatch(grid, r, 0, cells[0] if cells else "", "", "", 1.0, 1.0))
            if source < 0 or place is None or not any(c.strip() for c in cells):
                continue
            written = " | ".join(f"{n}: {c}" for n, c in zip(grid.columns, cells, strict=False))
            # shown by the cell that holds most of the filter ("SkERT-Large … Skelter Labs")
            shown = max(cells, key=lambda c: len(nouns & _held(reading, c)))
            item = _Item(r + 1, place.quote, place.start, place.end, shown.strip())
            items.append((item, written))
        kept = [item for item, written in items if nouns <= _held(reading, written)]
        if _LEAST_COUNTED <= len(kept) <= _MOST_COUNTED and len(kept) < len(items):
            # its caption, or the first thing written above it ("Leaderboard")
            named = re.split(r"\s{2,}", heading.strip())[0][:_HEADING_CHARS] or "표"
            return hit, grid.stored.table.caption or named, kept
    return None


def _held(reading: Reading, text: str) -> set[str]:
    """The tokens of ``text``, with the question's words they mean (glossary equivalents),
    and 개정안 for an item that is one ("일부개정법률안", "일부개정령안")."""
    tokens = set(tokenize(text))
    if _AMENDMENT.search(text):
        tokens.add("개정안")  # "환경영향평가법 개정안은 모두 몇 건" counts its 일부개정법률안
    return tokens.union(*(reading.same.get(t, frozenset()) for t in tokens))


#: a bill or decree that amends: what "개정안" names in a question
_AMENDMENT = re.compile(r"개정\s*(?:법률|령|규칙)?\s*안")


def _nouns(phrase: str) -> set[str]:
    """The nouns of a phrase, as :func:`tokenize` writes them. Read apart from their
    endings, Kiwi may split a name ("박대수 의원" → 박대, 수): a word the phrase itself is
    read as, spelt by such parts, is kept whole, as the items write it."""
    nouns = set(tokenize(" ".join(t.form for t in kiwi().tokenize(phrase) if t.tag in _NOUNS)))
    for word in tokenize(phrase):
        parts = {p for p in nouns if p in word and p != word}
        if word not in nouns and parts and sum(len(p) for p in parts) >= len(word):
            nouns = (nouns - parts) | {word}
    return nouns


def _lists(text: str) -> list[tuple[str, list[_Item]]]:
    """Every numbered list of ``text`` that counts up from 1, with the words written above
    it; an item runs to the next item or a blank line (a long title wraps)."""
    marks = list(_ITEM.finditer(text))
    found: list[tuple[str, list[_Item]]] = []
    run: list[_Item] = []
    for i, mark in enumerate(marks):
        number = _number(mark)
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        blank = text.find("\n\n", mark.end(), end)
        end = blank if blank >= 0 else end
        other = _OTHER_MARK.search(text, mark.end(), end)
        end = other.start() if other else end
        start = mark.start() + len(mark.group()) - len(mark.group().lstrip())
        body = text[start:end].rstrip()
        item = _Item(number, body, start, start + len(body))
        if run and number == run[-1].number + 1 and _styled(marks[i - 1]) == _styled(mark):
            run.append(item)
            continue
        if len(run) >= _LEAST_ITEMS:
            found.append((_heading(text, run[0].start), run))
        run = [item] if number == 1 else []
    if len(run) >= _LEAST_ITEMS:
        found.append((_heading(text, run[0].start), run))
    # a list of long items is a document's outline ("1. 서론 …" to the next heading)
    return [(h, items) for h, items in found if max(len(i.text) for i in items) <= _ITEM_CHARS]


def _number(mark: re.Match[str]) -> int:
    digits, circled = mark.group(1), mark.group(2)
    return int(digits) if digits else ord(circled) - ord("\u2460") + 1


def _styled(mark: re.Match[str]) -> bool:
    """Whether an item is numbered in a circle: a run keeps one style."""
    return mark.group(2) is not None


def _heading(text: str, start: int) -> str:
    """The line written right above a list ("의사일정")."""
    above = text[max(0, start - _HEADING_CHARS) : start].strip().splitlines()
    return above[-1].strip() if above else ""


def _shown(
    reading: Reading, hit: Hit, heading: str, phrase: str, counter: str, items: Sequence[_Item]
) -> tuple[list[str], list[Evidence]]:
    evidence: list[Evidence] = []
    listed = []
    for item in items:
        listed.append(f"{item.shown or item.text.splitlines()[0]} {{{len(evidence)}}}")
        evidence.append(Evidence(hit, hit.name, item.text, item.start, item.end, item.text))
    line = (_WHOLE if not phrase else _LINE)[reading.language].format(
        count=len(items), counter=counter, heading=heading, phrase=phrase, items=", ".join(listed)
    )
    return [line], evidence
