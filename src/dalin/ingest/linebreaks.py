"""Korean words a PDF cut at a line end, and letters it spread apart, put back together.

A PDF keeps where each line ended, not where its words end: a word wrapped in the middle
("탄소중\\n립기본계획"), a table cell narrow enough for one syllable a line ("시\\n민\\n단\\n체"),
a heading or a column name spread out to fill its box ("검 토 보 고", "구 분"). Search
would see other words than the writer's, and an answer would quote broken ones.

1. Letter-spaced runs of single syllables are closed up: a line that is nothing else (after
   a bullet or a number: "Ⅰ. 개 요"), a run of four or more anywhere, a run before a colon
   (form labels: "사 업 명 : …"), a run before a name alone ("부 장 오윤탁"); a line of
   just two asks Kiwi first ("목 차", not "할 수").
2. Consecutive lines of one syllable each are joined.
3. Any other line break between two syllables is put to Kiwi's spacing model
   (``Kiwi.space``) with the words around it: where it would put no space, the two lines
   are one word and are joined; otherwise the break stays (a space, in a table cell).

It runs in the main process, after parsing: Kiwi is loaded there for tokenising anyway,
while a parse worker has a memory cap Kiwi's model would eat most of. Only PDFs: in the
other formats a line break is the writer's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from dalin.ingest.document import DocumentBuilder
from dalin.text.korean import kiwi
from dalin.types import Block, BlockKind, Document, Table

_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_ONE_SYLLABLE = re.compile(r"^[\uac00-\ud7a3]$")
_BREAK = re.compile(r"(?<=[\uac00-\ud7a3])\n(?=[\uac00-\ud7a3])")
_COLON = re.compile(r"^[:：]")
#: a person's name after a spread-out title: two to four syllables
_NAME = re.compile(r"[\uac00-\ud7a3]{2,4}")
#: runs this long are letter-spacing wherever they are ("환 경 노 동 위 원 회")
_LONG_RUN = 4
#: characters of context on each side of a break for the spacing model
_WINDOW = 12


def mend_line_breaks(doc: Document) -> Document:
    """``doc`` with cut words and letter-spaced runs of Korean text mended (PDFs only)."""
    if doc.format != "pdf" or not _SYLLABLE.search(doc.text):
        return doc
    texts = _texts(doc.blocks)
    mended = dict(zip(texts, _mend_all(texts), strict=True))
    return _rebuild(doc, mended)


def _texts(blocks: Sequence[Block]) -> list[str]:
    """Every distinct text the document is built from: block texts and table cells."""
    found: dict[str, None] = {}
    for block in blocks:
        if block.table is None:
            found[block.text] = None
            continue
        for cell in (*block.table.header, *(c for row in block.table.rows for c in row)):
            found[cell] = None
    return list(found)


def _mend_all(texts: Sequence[str]) -> list[str]:
    closed = ["\n".join(_close_lines(text.split("\n"))) for text in texts]
    # every remaining break between two syllables, in order, for one batch of Kiwi
    breaks = [(i, m.start()) for i, text in enumerate(closed) for m in _BREAK.finditer(text)]
    joins = _no_space_at(
        [
            (closed[i][max(0, at - _WINDOW) : at], closed[i][at + 1 : at + 1 + _WINDOW])
            for i, at in breaks
        ]
    )
    cut: dict[int, list[int]] = {}
    for (i, at), join in zip(breaks, joins, strict=True):
        if join:
            cut.setdefault(i, []).append(at)
    mended = []
    for i, text in enumerate(closed):
        for at in reversed(cut.get(i, [])):
            text = text[:at] + text[at + 1 :]
        mended.append(text)
    return mended


def _close_lines(lines: list[str]) -> list[str]:
    """Letter-spaced runs closed up in each line, then lines of one syllable joined."""
    lines = [_close_runs(line) for line in lines]
    joined: list[str] = []
    vertical = 0  # lines of one syllable each, at the end of ``joined``
    for line in lines:
        if _ONE_SYLLABLE.match(line.strip()):
            if vertical:
                joined[-1] += line.strip()
            else:
                joined.append(line.strip())
            vertical += 1
        else:
            joined.append(line)
            vertical = 0
    return joined


def _close_runs(line: str) -> str:
    words = line.split(" ")
    single = [_ONE_SYLLABLE.match(w.rstrip(":：")) is not None for w in words]
    if sum(single) < 2:
        return line
    lead = 0
    while lead < len(words) and not single[lead] and not _SYLLABLE.search(words[lead]):
        lead += 1  # a bullet or a number before the text: "Ⅰ.", "□", "1)"
    out: list[str] = words[:lead]
    i = lead
    while i < len(words):
        end = i
        while end < len(words) and single[end] and (end == i or not words[end - 1].endswith(":")):
            end += 1
        if end - i >= 2 and _letter_spaced(words, lead, i, end):
            out.append("".join(words[i:end]))
            i = end
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _letter_spaced(words: list[str], lead: int, start: int, end: int) -> bool:
    """Whether single syllables ``words[start:end]`` are one word spread out."""
    run = end - start
    if run >= _LONG_RUN:
        return True
    if words[end - 1].endswith((":", "：")) or (
        end < len(words) and _COLON.match(words[end]) is not None
    ):
        return True  # a form's label: "사 업 명 : …"
    if start == lead and end == len(words) - 1 and _NAME.fullmatch(words[end]):
        # a title spread over the width of a cell, then a name: "부 장 오윤탁", "책 임
        # 이은혁"; Kiwi is asked whether the run is one word ("부장"), not two ("할 수")
        return _one_word("".join(words[start:end]))
    if start != lead or end != len(words):
        return False
    # a line of nothing else: "검 토 보 고", "개 정 안"; two syllables may also be two words
    # ("할 수" at the end of a wrapped sentence), so Kiwi is asked about those
    return run > 2 or _one_word("".join(words[start:end]))


@lru_cache(maxsize=4096)
def _one_word(text: str) -> bool:
    return " " not in str(kiwi().space(text, reset_whitespace=False))


def _no_space_at(breaks: Sequence[tuple[str, str]]) -> list[bool]:
    """For each (text before, text after) a break: whether Kiwi writes them as one word."""
    if not breaks:
        return []
    windows = [(left.replace("\n", " "), right.replace("\n", " ")) for left, right in breaks]
    spaced: Iterable[str] = kiwi().space([left + right for left, right in windows])
    return [
        _joined_at(result, len(left.replace(" ", "")))
        for (left, _), result in zip(windows, spaced, strict=True)
    ]


def _joined_at(spaced: str, letters: int) -> bool:
    """Whether ``spaced`` has no space after its first ``letters`` non-space characters."""
    seen = 0
    for index, char in enumerate(spaced):
        if char == " ":
            continue
        if seen == letters:
            return index == 0 or spaced[index - 1] != " "
        seen += 1
    return True


def _rebuild(doc: Document, mended: dict[str, str]) -> Document:
    builder = DocumentBuilder(doc.name, format=doc.format)
    builder.pages, builder.page_unit, builder.page_labels = (
        doc.pages,
        doc.page_unit,
        doc.page_labels,
    )
    builder.ocr_pages = dict(doc.ocr_pages)  # a scan's citations keep saying "· OCR"
    for block in doc.blocks:
        text = mended.get(block.text, block.text)
        if block.kind is BlockKind.HEADING:
            builder.heading(text, block.level, page=block.page)
        elif block.kind is BlockKind.LIST_ITEM:
            builder.list_item(text, page=block.page)
        elif block.table is not None:
            _table(builder, block.table, mended, block.page)
        else:
            builder.paragraph(text, page=block.page, role=block.role)
    return builder.build()


def _table(
    builder: DocumentBuilder, table: Table, mended: dict[str, str], page: int | None
) -> None:
    def cell(text: str) -> str:
        return mended.get(text, text).replace("\n", " ")

    builder.table(
        [cell(c) for c in table.header],
        [[cell(c) for c in row] for row in table.rows],
        caption=table.caption,
        page=page,
        sheet=table.sheet,
        header_row=table.header_row,
        row_numbers=table.row_numbers,
        first_column=table.first_column,
        last_column=table.last_column,
    )
