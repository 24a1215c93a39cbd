"""The units an answer can quote: sentences, list items, ``label : value`` fields, table rows.

A passage's text is not a list of sentences. A PDF breaks a sentence at every line end,
often inside a word (``서`` / ``스펜디드``); a table of contents, a running header
(``제414회-환경노동제1차(2024년5월7일) 3``), a page number (``- 1 -``) or a letter-spaced
form title (``입 찰 개 요``) sits between the sentences and shares their words. Here a
passage becomes :class:`Unit` objects: PDF lines are rejoined into the sentence they break
(a space kept only where Kiwi would write one), each list item and ``label : value`` line
stands alone, and every line that states nothing — contents, furniture, form titles —
is marked with why, so the reader can rank it below any sentence and never lead with it.

Every unit keeps the exact offsets of its text in the passage: the citation quotes the
document verbatim, while the answer shows the rejoined ``display`` text.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from dalin.ingest.structure import CIRCLED
from dalin.text.korean import kiwi
from dalin.types import Hit

#: a line that opens a list item, an article, a note or a bracketed caption
_MARKER = re.compile(
    r"^\s*(?:[-–—•·▪▸▶►◦○●◯ㅇ❍□■▣◇◆◈※*+>❏]|m\s|[①-⑳]|\(\d{1,3}\)|\d{1,3}\)|\d{1,3}\.(?!\d)"
    r"|[가나다라마바사아자차카타파하][.)]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]\.?|[IVX]{1,4}\.|제\s*\d+\s*[조장절항]"
    r"|부\s*칙|별\s*[표첨]|Q\s*[.:)]|A\s*[.:)]|<|〈|\[|【|\(\s*[가나다라마바사아자차카타파하]\s*\))"
)
_ENDS_SENTENCE = re.compile(r"[.?!。:;]\s*$|[다음함임요됨]\s*$")
#: "…드립니" / "다. 이와 관련해서", "…없으십니" / "까?": a line opening with the last
#: syllable of the sentence above, not with a list number
_TAIL_SYLLABLE = re.compile(r"^[다까요음함임][.?!]")
#: leader dots of a table of contents, ending in a page number
_TOC = re.compile(r"(?:[·.…∙ㆍ•‥]\s?){4,}\s*\(?[\dⅰ-ⅹivx-]+\)?\s*$|[·…‥]{3,}")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}|\d{1,4}\s*/\s*\d{1,4}|page\s*\d+|p\.\s*\d+)\s*$", re.I
)
_LETTER_SPACED = re.compile(r"(?:^|(?<=\s))[가-힣](?:\s[가-힣]){2,}(?=\s|$|[:|])")
_HANGUL = re.compile(r"[가-힣]")
#: digits a running header changes from page to page; an ordinal before its counter stays
#: ("□ 1기 탄중위" and "□ 2기 탄중위" head two tables, they are no header), a page's does not
_DIGITS = re.compile(r"\d+(?![\d가-힣])|\d+(?=쪽|면|페이지)")
_SPACE = re.compile(r"\s+")
#: a date in a line: "2024. 1. 25.", "2024-01-25", "2024년 1월", "2월 5일"
_DATED = re.compile(
    r"(\d{4}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*(?:\d{1,2}\s*[.일]?)?|\d{1,2}\s*월\s*\d{1,2}\s*일)"
)
# split after a terminator that follows a letter (not "2024. 7." nor "0.5"), and before ①…
_SENTENCE_END = re.compile(r"(?<=[^\d\s.][.?!。])\s+(?=\S)|(?<=다\.)(?=\S)|\s+(?=[①-⑳])")
#: a piece that only numbers what follows ("Ⅰ.", "가.", "A."): it opens a sentence, ends none
_ONLY_MARKER = re.compile(
    r"^\s*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|[IVX]{1,4}|[가나다라마바사아자차카타파하]|[A-Za-z]|\d{1,3})\.$"
)
_FIELD = re.compile(
    r"^\s*(?:(?:[-–•·▪▸◦○●ㅇ❍□■※*]|m|\d{1,2}[.)]|[가나다라마바사아자차카타파하][.)])\s*)?"
    r"(?P<label>[^:：|]{1,30}?)\s*(?<!\d)[:：]\s*(?P<value>\S.*)$"
)
#: a rendered table row: "header: value | header: value" (see ingest.document.table_lines)
_ROW_CELL = re.compile(r"\s\|\s")
_MAX_LABEL_WORDS = 6
#: an article heading opening a line: "제11조 (손해배상)", "제22조 경기시간 제한"
_ARTICLE_HEADING = re.compile(
    r"^\s*제\s*\d+\s*조(?:의\s*\d+)?\s*(?:\([^)]{1,30}\)|[^\s.①-⑳]{1,20}(?:\s[^\s.①-⑳]{1,20}){0,3})?"
)


@dataclass(frozen=True)
class Unit:
    """A piece of a passage an answer could quote."""

    hit: Hit
    #: offsets of the verbatim text in ``hit.text``
    start: int
    end: int
    #: the text as it reads: PDF line breaks joined, whitespace collapsed
    display: str
    #: "sentence", "item", "field" (``label : value``) or "row" (a rendered table row)
    kind: str
    #: why this unit states nothing ("toc", "furniture", "form", "question"); "" when it may
    demoted: str = ""
    #: the field's label and value ("사업금액", "1,062,888천원(국비 / VAT포함)")
    label: str = ""
    value: str = ""
    #: the line or title this unit sits under (a caption, a "□ 상세 정보" line), for context
    context: str = ""
    #: whether it is the first statement under an article heading or an FAQ question:
    #: articles state the rule first (①), an FAQ its answer first
    first: bool = False
    #: what ``context`` is: "article" (제N조) or "question" (an FAQ's) bind the unit to it;
    #: "caption" (any short line above) only hints
    context_kind: str = ""

    @property
    def text(self) -> str:
        """The verbatim text, as the citation quotes it."""
        return self.hit.text[self.start : self.end]


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def passage_units(hit: Hit, repeated: frozenset[str] = frozenset()) -> list[Unit]:
    """The units of ``hit``'s text in reading order.

    ``repeated`` holds the keys (:func:`line_key`) of lines seen more than once across the
    passages being read: running headers and boilerplate, marked as furniture.
    """
    lines = _lines(hit.text)
    wrap = _wrap_width(lines) if _wraps(hit) else 0
    units: list[Unit] = []
    context = context_kind = ""
    fresh = False  # an article heading or an FAQ question was just read
    for group in _paragraphs(lines, wrap, repeated):
        first = group[0]
        why = _demotion(first.text, repeated) if len(group) == 1 else ""
        if why:
            units.append(Unit(hit, first.start, first.end, _squash(first.text), "line", why))
            if why == "question":  # the answer is read with its question
                context, context_kind, fresh = _squash(first.text), "question", True
            continue
        text = hit.text[first.start : group[-1].end]
        kind = _kind(first.text)
        if kind == "text" and len(group) == 2 and _awaits_value(first, group[1]):
            kind = "field"
        heading = _ARTICLE_HEADING.match(first.text)
        if heading:  # what follows is read as part of this article
            context, context_kind = heading.group(), "article"
        before = len(units)
        if kind in ("row", "field"):
            units.append(_field_unit(hit, first.start, group[-1].end, text, kind, context))
        else:
            units.extend(_sentence_units(hit, first.start, group, kind, context))
        for i in range(before, len(units)):
            units[i] = replace(units[i], context_kind=context_kind)
        caption = (
            len(group) == 1
            and _is_caption(first.text)
            and (
                kind in ("text", "item")
                or (kind == "field" and _BOXED.match(first.text) is not None)
            )
        )
        if caption and not heading:
            context, context_kind = _squash(first.text), "caption"
            continue
        # the first statement under a heading: "제12조(연차휴가) ① …" splits into the
        # heading and ①, and ① is the rule
        opening = before + 1 if heading and len(units) > before + 1 else before
        if (fresh or heading) and opening < len(units):
            units[opening] = replace(units[opening], first=True)
        fresh = bool(heading) and len(units) == before + 1  # "제12조(연차휴가)" alone: ① follows
    return units


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = position + raw.index(stripped[0])
            lines.append(_Line(start, start + len(stripped), stripped))
        position += len(raw) + 1
    return lines


def _wraps(hit: Hit) -> bool:
    """Whether the text's line ends are a layout's (PDF), not the author's paragraphs."""
    return hit.name.lower().endswith(".pdf")


def _wrap_width(lines: Sequence[_Line]) -> int:
    """The width at which the layout broke lines: most lines are about this long."""
    lengths = sorted(
        len(line.text) for line in lines if len(line.text) >= 15 and _kind(line.text) != "row"
    )
    if len(lengths) < 3:
        return 0
    # the median: a PDF line holding two layout lines (it happens) must not set the width
    return int(statistics.median(lengths))


def _paragraphs(lines: Sequence[_Line], wrap: int, repeated: frozenset[str]) -> list[list[_Line]]:
    """Runs of lines that make one paragraph: a PDF line runs on into the next when it is
    full, ends mid-sentence, and the next line opens nothing new."""
    groups: list[list[_Line]] = []
    for line in lines:
        previous = groups[-1][-1] if groups else None
        if previous is not None and len(groups[-1]) == 1 and _awaits_value(previous, line):
            groups[-1].append(line)  # "Local sales rep:" then "Lucy Irwin" below it
        elif (
            previous is not None and _CONTACT_LINE.match(line.text) and not _tabular(previous.text)
        ):
            groups[-1].append(line)  # "… 문서정보부 이은혁" then "(02-2031-9464, leh4321@…)"
        elif (
            previous is not None
            and wrap
            and _DATED_NOTE.match(line.text)
            and (_kind(previous.text) in ("text", "item") and not _tabular(previous.text))
        ):
            groups[-1].append(line)  # "… 이행 현황 및 조치 결과" then "(2024. 3. 4. … 제출)"
        elif (
            previous is not None
            and wrap
            and not _DATED_NOTE.match(previous.text)
            and _runs_on(previous.text, wrap)
            and (_kind(line.text) == "text" or _TAIL_SYLLABLE.match(line.text))
            and _kind(previous.text) in ("text", "item")
            and (not _demotion(line.text, repeated) or _TAIL_SYLLABLE.match(line.text))
            and not _demotion(previous.text, repeated)
            and not _tabular(previous.text)
            and not _tabular(line.text)
        ):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


#: a line holding only the bracketed phone or email of the one above it
_CONTACT_LINE = re.compile(
    r"^\(\s*[^()]*(?:\d{2,4}-\d{3,4}-\d{4}|[\w.+-]+@[\w-]+\.[\w.]+)[^()]*\)\s*$"
)
#: a line holding only a bracketed note that opens on a date: "(2024. 3. 4. 고용노동부장관
#: 제출)". A PDF list writes it below the item it dates, so it closes that item; it never
#: runs on into the next item
_DATED_NOTE = re.compile(
    r"^\(\s*\d{4}\s*(?:\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.|년\s*\d{1,2}\s*월\s*\d{1,2}\s*일)[^()]*\)$"
)
#: how full a line ending mid-clause must be to run on ("… 인력의 업무 변동이" / "있는 경우")
_HALF_FULL = 0.5


def _runs_on(text: str, wrap: int) -> bool:
    """Whether a PDF line ends before its sentence does: a full line not ending a sentence,
    or a line over half full ending on a particle or a connecting ending, which no heading
    or sentence ends on ("업무 변동이", "정보에 대하여", "구축을 위한")."""
    if _ENDS_SENTENCE.search(text):
        return False
    return len(text) >= 0.8 * wrap or (len(text) >= _HALF_FULL * wrap and _mid_clause(text))


@lru_cache(maxsize=4096)
def _mid_clause(text: str) -> bool:
    tokens = kiwi().tokenize(text[-12:])
    if not tokens:
        return False
    last = tokens[-1]
    return last.tag.startswith("J") or last.tag in ("EC", "ETM") or last.form in ("및", "또는")


def _awaits_value(label: _Line, line: _Line) -> bool:
    """Whether ``label`` is a form label alone on its line ("Local sales rep:", "담당자 :")
    and ``line``, plain text, is its value written below it."""
    text = label.text.strip()
    if not text.endswith((":", "：")) or _kind(line.text) != "text":
        return False
    name = text[:-1].strip()
    return 0 < len(name) <= _LABEL_CHARS and _is_label(name) and len(line.text) <= _LABEL_CHARS * 2


#: the longest label alone on a line that takes the next line as its value
_LABEL_CHARS = 30


_CELL_VALUE = re.compile(r"^(?:[-+]?[₩$€£]?\d[\d,]*(?:\.\d+)?%?|-)$")


def _tabular(line: str) -> bool:
    """A line of a table laid out with spaces: it ends in two values ("5 40.00 200.00"),
    or it is a header of capitalised column names ("ITEM DESCRIPTION QUANTITY")."""
    words = line.split()
    if len(words) >= 2 and all(_CELL_VALUE.match(w) for w in words[-2:]):
        return True
    return len(words) >= 3 and all(w.isupper() or w.startswith("(") for w in words)


def opens_unit(line: str) -> bool:
    """Whether ``line`` starts a unit of its own (a list item, a field, a table row) rather
    than running on from the line above."""
    return _kind(line) != "text"


def _kind(line: str) -> str:
    if _ROW_CELL.search(line):
        return "row"
    field = _FIELD.match(line)
    if field and _is_label(field.group("label")):
        return "field"
    if _MARKER.match(line):
        return "item"
    return "text"


def _is_label(label: str) -> bool:
    words = label.split()
    return (
        0 < len(words) <= _MAX_LABEL_WORDS
        and not _ENDS_SENTENCE.search(label.rstrip(". "))
        and not label.strip().startswith(("http", "www"))
    )


def _field_unit(hit: Hit, start: int, end: int, text: str, kind: str, context: str) -> Unit:
    display = _squash(text)
    label = value = ""
    if kind == "field":
        match = _FIELD.match(display)
        if match:
            label, value = match.group("label").strip(), match.group("value").strip()
    return Unit(hit, start, end, display, kind, "", label, value, context)


def _sentence_units(
    hit: Hit, start: int, group: Sequence[_Line], kind: str, context: str
) -> list[Unit]:
    end = group[-1].end
    text = hit.text[start:end]
    units: list[Unit] = []
    cursor = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        cut = match.start() if match else len(text)
        piece = text[cursor:cut]
        if match and _ONLY_MARKER.match(piece):
            continue  # "Ⅰ." stays with the title it numbers
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            s, e = start + cursor + lead, start + cursor + len(piece.rstrip())
            display = rejoin(hit.text[s:e])
            units.append(Unit(hit, s, e, display, kind if not units else "sentence",
                              "", context=context))  # fmt: skip
        cursor = match.end() if match else len(text)
    return units


#: an FAQ entry's question ("Q10. 토크 렌치 화면에 E01이 떠요.", "질문: …"): it frames the
#: answer that follows, it is never one
_FAQ_QUESTION = re.compile(
    r"^\s*(?:Q\s*\d*\s*[.:)]|질문\s*\d*\s*[.:)]|문\s*\d+\s*[.:)])", re.IGNORECASE
)


def _demotion(line: str, repeated: frozenset[str]) -> str:
    """Why ``line`` states nothing an answer could lead with ("" when it may)."""
    if _FAQ_QUESTION.match(line) or line.rstrip().endswith(("?", "？")):
        return "question"
    if _TOC.search(line):
        return "toc"
    if _PAGE_NUMBER.match(line) or line_key(line) in repeated:
        return "furniture"
    hangul = len(_HANGUL.findall(line))
    spaced = sum(len(_HANGUL.findall(m.group())) for m in _LETTER_SPACED.finditer(line))
    if hangul and spaced / hangul >= 0.4:
        return "form"
    return ""


#: a heading's box bullet: "□ 2기 탄중위 : 위원장(1) + 위촉직(32)" reads as a field, yet it
#: names the table under it
_BOXED = re.compile(r"^[□■◆◇▶▷]\s")


def _is_caption(line: str) -> bool:
    """A short line that names what follows: "< 클라우드 … 사용실적 >", "□ 기본 정보"."""
    return len(line) <= 60 and not _ENDS_SENTENCE.search(line)


def line_key(line: str) -> str:
    """A line with digits and spaces taken out: running headers differ only in their page.
    An ordinal keeps its digits ("1기", "2차"), as its page's number ("3쪽") does not.
    A date keeps its digits: "(2024. 1. 25. 선고)" and "(2024. 2. 28. 선고)" are two rulings,
    not one header; a header's date repeats as written, beside its page number."""
    parts = _DATED.split(line)  # the dates, at odd places, keep their digits
    kept = "".join(p if i % 2 else _DIGITS.sub("", p) for i, p in enumerate(parts))
    return _SPACE.sub("", kept)


def repeated_lines(hits: Sequence[Hit]) -> frozenset[str]:
    """Keys of short lines that occur more than once across ``hits``: page headers,
    footers and boilerplate ("이 문서는 나눔글꼴로 작성되었습니다")."""
    counts: Counter[str] = Counter()
    for hit in hits:
        for line in _lines(hit.text):
            key = line_key(line.text)
            if 4 <= len(key) <= 60 and _kind(line.text) != "row":
                counts[key] += 1
    return frozenset(k for k, n in counts.items() if n > 1)


def _squash(text: str) -> str:
    return " ".join(text.split())


def rejoin(text: str) -> str:
    """``text`` as one line: a line break inside a Korean word is closed up, one between
    words becomes a space (Kiwi's spacing decides), other whitespace collapses."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out += ("" if _closes_up(out, part) else " ") + part
    return _squash(out)


def _closes_up(before: str, after: str) -> bool:
    last, first = before[-1], after[0]
    if last.isdigit() and first.isdigit():
        return True  # "205" / "0 탄소중립" is one number broken by the layout
    if not (_HANGUL.match(last) and _HANGUL.match(first)):
        return False
    # two words either side: "들은 후" / "각 사회계층의" is "후 각", not "후각" (smell)
    tail = " ".join(before.split()[-2:])
    head = " ".join(after.split()[:2])
    return _joined_by_kiwi(tail, head)


@lru_cache(maxsize=4096)
def _joined_by_kiwi(tail: str, head: str) -> bool:
    """Whether Kiwi writes ``tail`` and ``head`` as one word (no space at the joint)."""
    spaced = kiwi().space(tail + head, reset_whitespace=False)
    joint = len(tail.replace(" ", ""))  # letters before the joint
    seen = 0
    for ch in spaced:
        if ch == " " and seen == joint:
            return False
        if ch != " ":
            seen += 1
    return True


_ARTICLE_LABEL = re.compile(
    r"(제\d+조(?:의\d+)?(?:\([^)]*\))?)(?:\s+[" + CIRCLED + r"](?:–[" + CIRCLED + r"])?)?"
)


def refine_label(label: str, chunk_text: str, offset: int) -> str:
    """Narrow an article label to the 항 (①②…) that holds the text at ``offset``."""
    match = _ARTICLE_LABEL.search(label)
    if match is None:
        return label
    marks = [ch for ch in chunk_text[: offset + 1] if ch in CIRCLED]
    if not marks:
        return label
    return label[: match.start()] + f"{match.group(1)} {marks[-1]}" + label[match.end() :]


_ARTICLE_REFERENCE = re.compile(r"제\s*(\d+)\s*조(?:\s*의\s*(\d+))?")


def article_references(text: str) -> frozenset[str]:
    """The articles ``text`` names: "제22조", "제5조의2" (spacing ignored)."""
    return frozenset(
        f"제{m.group(1)}조" + (f"의{m.group(2)}" if m.group(2) else "")
        for m in _ARTICLE_REFERENCE.finditer(text)
    )


def document_words(name: str) -> str:
    """A file name as words: people name a document when they ask about it ("KBO 규정",
    "Kraxi 송장"), and the name is often the only place those words appear."""
    stem = name.rsplit(".", 1)[0]
    return re.sub(r"[_\-.]+", " ", stem)
