"""What a numbered part of a document is titled: "KorQuAD 2.0 논문 4.2절 제목이 뭐예요?" →
"4.2 지문 및 답변 길이", "검토보고서 목차에서 Ⅱ장 제목은?" → "Ⅱ. 제안이유 및 주요내용",
"회의록 의사일정 39번 항목은 어떤 법률안이에요?" → "39. 환경정책기본법 일부개정법률안(…)",
"[별첨 3]은 무엇을 다루는 첨부인가요?" → "[별첨 3] 누출금지 대상 정보".

The question names the part by its number, which search cannot find: "4.2" is in every
passage with a decimal, "39" in every date. The passage best about the question tells
which document is meant; the answer is the line of that document that opens with the
number, in any of its stored passages (a contents page, the heading above a section, an
agenda line), quoted under that passage's label. An article (제N조) is :mod:`article_titles`' part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dalin.answer.evidence import rejoin
from dalin.answer.intent import Asked
from dalin.answer.locator import SENTENCE_END
from dalin.answer.reader_question import Candidate, Reading, Sources, passage_evidence
from dalin.types import Chunk, Hit

__all__ = ["documents_most_about", "numbered_title", "title_number"]

_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
_ASCII_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

#: a part named by its number: "4.2절", "제3장", "Ⅱ장", "39번 항목", "의사일정 제39항",
#: "section 4.2", "chapter II", "item 39"
_NAMED = re.compile(
    r"(?<![\d.])(?P<dotted>\d{1,2}(?:\.\d{1,2}){1,3})\s*(?:절|장|항|섹션)"
    r"|제\s*(?P<chapter>\d{1,2})\s*(?P<kind>장|절|편|관)"
    rf"|(?P<roman>[{_ROMAN}]{{1,3}}|\b[IVX]{{1,4}})\s*장"
    r"|(?<!\d)(?P<item>\d{1,3})\s*번(?:째)?\s*(?:항목|안건|의안|순서)"
    r"|의사일정\s*제?\s*(?P<agenda>\d{1,3})\s*항"
    r"|\b(?:section|chapter)\s+(?P<en>\d{1,2}(?:\.\d{1,2}){0,3}|[IVX]{1,4})\b"
    r"|\bitem\s+(?P<en_item>\d{1,3})\b"
    # an attachment by its number, as what is asked about: "[별첨 3]은 무엇을 다루는", not
    # "별첨 5의 … 표에서 제10조는" (something in it)
    r"|(?P<annex>별첨|별표|별지|부록)\s*(?P<annex_number>\d{1,2})(?!\d)(?=\s*[\]］]?\s*(?:은|는|이|가)\s)",
    re.IGNORECASE,
)
#: the question asks what the part is, not something in it ("4.2절에서 평균 길이는?")
_ASKS_WHAT = re.compile(
    r"제목|(?:무슨|어떤)\s*(?:내용|법률안|안건|의안|항목|절|장)|(?:무엇|뭐|뭔)(?:이|예|야|인|을|라)"
    r"|\btitle\b|\bwhat is (?:section|chapter|item)\b",
    re.IGNORECASE,
)
#: a contents line's leader dots and page number: "Ⅱ. 제안이유 및 주요내용 ······ 1"
_LEADER = re.compile(r"\s*[·.…‥ㆍ]{3,}\s*\d*\s*$")
#: the longest section or chapter title; an agenda item (a bill's name and sponsor) runs longer
_MAX_TITLE = 40
_MAX_ITEM = 160
#: how many of the documents most about the question are looked in
_DOCUMENTS = 2


@dataclass(frozen=True)
class _Part:
    #: the line's opening, as a pattern: "4\.2\.?", "(?:Ⅱ|II)\s*[.)]?"
    opening: str
    #: a heading (short, no sentence) rather than a list item (a bill's name may run long)
    heading: bool


def numbered_title(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    """The line opening with the number of the one part the question names and asks what
    it is, from the document most about the question that writes one; None otherwise."""
    if sources.passages is None or reading.intent.asked is Asked.YES_NO:
        return None
    part = _named_part(reading.question)
    if part is None or not _ASKS_WHAT.search(reading.question):
        return None
    line = re.compile(rf"^[ \t]*{part.opening}[ \t]+(?=[^\d\s.%])", re.MULTILINE)
    for hit, share in documents_most_about(relevant, _DOCUMENTS):
        for passage in sources.passages(hit.doc_id):
            for found in line.finditer(passage.text):
                quote = _line_at(passage.text, found.start(), part.heading)
                if quote:
                    return _candidate(quote, passage, found.start(), hit, share)
    return None


#: the number a named part is listed under: "대중교통환승센터는 몇 번 표준으로 실려 있나요?"
#: (not how many times: "몇 번 방문했나요" goes on with a verb)
_NUMBER_ASKED = re.compile(
    r"(?P<name>[가-힣A-Za-z0-9·]{2,30}?)(?:은|는|이|가)\s*몇\s*번\s*(?:째\s*)?"
    r"(?:표준|항목|안건|의안|순서|목록)?\s*(?:으로|로|에|인가|인지|이에요|일까|입니까)"
)


def title_number(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    """The line of the part the question names, which opens with the number it is listed
    under ("119) 대중교통환승센터" for "대중교통환승센터는 몇 번 표준으로 실려 있나요?"), from
    the document most about the question that writes one; None otherwise."""
    asked = _NUMBER_ASKED.search(reading.question)
    if asked is None or sources.passages is None:
        return None
    name = r"\s*".join(re.escape(ch) for ch in asked["name"])
    line = re.compile(rf"^[ \t]*\d{{1,3}}\s*[.)][ \t]*{name}[ \t]*$", re.MULTILINE)
    for hit, share in documents_most_about(relevant, _DOCUMENTS):
        for passage in sources.passages(hit.doc_id):
            found = line.search(passage.text)
            if found is not None:
                quote = found.group().strip()
                at = found.start() + len(found.group()) - len(found.group().lstrip())
                return _candidate(quote, passage, at, hit, share)
    return None


def documents_most_about(
    relevant: Sequence[tuple[Hit, float]], count: int
) -> list[tuple[Hit, float]]:
    """The best passage of each of the ``count`` documents most about the question, best
    first: a part found by number is looked for in the whole document."""
    best: dict[int, tuple[Hit, float]] = {}
    for hit, share in relevant:
        if hit.doc_id not in best or share > best[hit.doc_id][1]:
            best[hit.doc_id] = (hit, share)
    return sorted(best.values(), key=lambda pair: -pair[1])[:count]


def passages_then_documents(
    relevant: Sequence[tuple[Hit, float]], sources: Sources, count: int
) -> list[tuple[Hit, Chunk, float]]:
    """The relevant passages, best first, then every stored passage of the ``count``
    documents most about the question: search finds a letter's or a release's body, while
    its footer or contacts close it."""
    ranked = sorted(relevant, key=lambda pair: -pair[1])
    read = [
        (hit, Chunk(hit.text, hit.start, hit.end, hit.label, hit.page), share)
        for hit, share in ranked
    ]
    if sources.passages is not None:
        read += [
            (hit, passage, share)
            for hit, share in documents_most_about(ranked, count)
            for passage in sources.passages(hit.doc_id)
        ]
    return read


def _named_part(question: str) -> _Part | None:
    """The one part a question names by number, or None (none, or more than one)."""
    named = list(_NAMED.finditer(question))
    if len(named) != 1:
        return None
    m = named[0]
    dotted = m.group("dotted") or (m.group("en") if m.group("en") and m.group("en")[0].isdigit()
                                   else None)  # fmt: skip
    if dotted:
        return _Part(re.escape(dotted) + r"\.?", heading=True)
    if m.group("chapter"):
        return _Part(rf"제\s*{m.group('chapter')}\s*{m.group('kind')}\.?", heading=True)
    if m.group("annex"):
        # written "[별첨 3] 누출금지 대상 정보" or "별첨 3. …"
        number = rf"{m.group('annex')}\s*{m.group('annex_number')}"
        return _Part(rf"(?:\[\s*{number}\s*\]|{number}\s*[.)]?)", heading=True)
    roman = m.group("roman") or m.group("en")
    if roman:
        return _Part(_roman(roman), heading=True)
    number = m.group("item") or m.group("agenda") or m.group("en_item")
    return _Part(rf"{number}\s*[.)]", heading=False)


def _roman(numeral: str) -> str:
    """A Roman numeral however it is written: "Ⅱ", "II" (a Korean report writes either)."""
    upper = numeral.upper()
    if upper in _ASCII_ROMAN:
        value = _ASCII_ROMAN.index(upper)
    elif len(numeral) == 1 and numeral in _ROMAN:
        value = _ROMAN.index(numeral)
    else:
        return re.escape(numeral) + r"\s*[.)]?"
    return rf"(?:{_ROMAN[value]}|{_ASCII_ROMAN[value]}(?![IVX]))\s*[.)]?"


def _line_at(text: str, start: int, heading: bool) -> str:
    """The part's line from ``start`` as written, without a contents page's leader and page
    number, an item broken mid-parenthesis with its next line; empty when it is no title."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end]
    if not heading and line.count("(") > line.count(")") and end < len(text):
        after = text.find("\n", end + 1)
        end = len(text) if after < 0 else after
    line = _LEADER.sub("", text[start:end]).rstrip()
    shown = rejoin(line)
    if heading and (len(shown) > _MAX_TITLE or SENTENCE_END.search(shown)):
        return ""
    return line if len(shown) <= _MAX_ITEM else ""


def _candidate(quote: str, passage: Chunk, at: int, hit: Hit, share: float) -> Candidate:
    """The line as the lead and the evidence, under the label of the passage holding it."""
    display = rejoin(quote)
    evidence = passage_evidence(hit, passage, passage.start + at, quote, display)
    return Candidate(2.0 + share, display, evidence, relevance=share)
