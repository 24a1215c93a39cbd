"""What one clause of an article says: "KBO 규정 제23조 제1항은 어떤 경우를 다루나요?" →
"1. 출장 예정 심판위원의 일부 또는 전원이 사고로 인하여 … 정시에 도착하지 못하는 …".

Search finds the article's heading, and the sentence reader then quotes that heading, the
line most like the question; but the staff member asked what the clause says. The clause is
found by position, which search cannot see: the article's heading line in the document
most about the question, then the line under it opening with the clause's number ("1.",
"①", "(1)"), read to the next clause or article. An article written as one paragraph has
only a first clause: its body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial

from dalin.answer.article_titles import article_number
from dalin.answer.evidence import article_references, rejoin
from dalin.answer.intent import Asked
from dalin.answer.numbered_titles import documents_most_about
from dalin.answer.reader_question import Candidate, Reading, Sources, passage_evidence
from dalin.answer.tables import squash
from dalin.types import Chunk, Hit

__all__ = ["clause_text"]

#: the clause a question names after its article: "제23조 제1항", "제15조제5항", "제6조 2항"
_CLAUSE = re.compile(r"조\s*(?:제\s*)?(\d{1,2})\s*항")
#: a question down to an item (호) or a sub-item (목) asks for less than the clause; an item
#: named after its clause (_ITEM) is read from the clause's list
_SMALLER = re.compile(r"\d\s*[호목]")
#: the item a question names under its clause: "제8조 제1항 제5호"
_ITEM = re.compile(r"항\s*(?:제\s*)?(\d{1,2})\s*호(?!\s*\d)")
#: a sub-item under an item: "제2호 가목", "제2호 3목"
_SUB_ITEM = re.compile(r"(?:\d|(?<![가-힣])[가-힣])\s*목(?=[은는이가을를의에]|\s|$)")
#: an item opening inside a clause: "1. 개인정보의 처리 현황", wherever a PDF ran it on
_ITEM_OPENING = re.compile(r"(?:^|(?<=\s))\d{1,2}\s*\.(?!\d)")
#: how far past the heading a clause may start, and how long a quoted clause may run
_WINDOW = 3000
_MAX_CLAUSE = 400
#: how many of the documents most about the question are looked in
_DOCUMENTS = 2
#: where a sentence stops inside a clause: "… 한다." "… 발생하였을 때."
_STOP = re.compile(r"(?<![\d.])[.。](?=\s|$)")
#: a sentence that goes on the one before: a proviso or its case
_PROVISO = re.compile(r"\s*(?:다만|단,|이 경우)")


def clause_text(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    """The text of the one clause of the one article the question names, from the document
    most about the question that writes that article's heading on a line of its own; None
    when the question names no single clause or no such document has it."""
    named = _named(reading)
    if named is None:
        return _section_clause(reading, relevant, sources) or _lettered_item(
            reading, relevant, sources
        )
    article, clause, item = named
    if _PROPOSAL_ASKED.search(reading.question):
        # "개정안 제22조제3항은 …": the proposal's column of a comparison table, not the
        # article in force beside it
        proposed = _clause_after(
            partial(_proposed_heading_ends, article_number(article)),
            clause, relevant, sources, item, masked=True,
        )  # fmt: skip
        if proposed is not None:
            return proposed
    heading = _heading(article)
    return _clause_after(
        lambda text: [found.end()] if (found := heading.search(text)) else [],
        clause,
        relevant,
        sources,
        item,
    )


#: a question after what a bill proposes, not what is in force
_PROPOSAL_ASKED = re.compile(r"개정안|개정\s*후")
#: the proposal's cell of a comparison table's row as the text renders it: "개정안: …"
_PROPOSAL_CELL = re.compile(r"(?:^|\|\s)개\s*정\s*안\s*:\s*", re.MULTILINE)
#: where a table cell of the rendered text ends: at the next cell or the next row
_CELL_END = re.compile(r"\n| \| ")
#: dashes standing for the text in force a proposal keeps ("③ -------- ---. - ----다음
#: 각 호에 …"), with the spaces and stops among them
_UNCHANGED = re.compile(r"-{3,}(?:[\s.]*-+)*")


def _proposed_heading_ends(digits: str, text: str) -> list[int]:
    """Where the article's heading ends inside each proposal cell of ``text``."""
    heading = re.compile(rf"{digits}\s*(?=[(（\s])")
    ends = []
    for cell in _PROPOSAL_CELL.finditer(text):
        stop = _CELL_END.search(text, cell.end())  # the next row's 현행 is the law in force
        found = heading.search(text, cell.end(), stop.start() if stop else len(text))
        if found is not None:
            ends.append(found.end())
    return ends


def _masked(text: str) -> str:
    """``text`` with each run of unchanged-text dashes as dashes only, the same length: a
    stop among them ends no sentence."""
    return _UNCHANGED.sub(lambda m: "-" * len(m.group()), text)


def _clause_after(
    heading_ends: Callable[[str], Sequence[int]],
    clause: int,
    relevant: Sequence[tuple[Hit, float]],
    sources: Sources,
    item: int = 0,
    *,
    masked: bool = False,
) -> Candidate | None:
    """Clause ``clause`` (its item ``item`` when not 0) after the first heading, by
    ``heading_ends`` (where headings end in a passage's text), that has it, in the documents
    most about the question; read past the dashes of unchanged text when ``masked``."""
    if sources.passages is None or sources.text_at is None:
        return None
    for hit, share in documents_most_about(relevant, _DOCUMENTS):
        for passage in sources.passages(hit.doc_id):
            for end in heading_ends(passage.text):
                start = passage.start + end
                text = sources.text_at(hit.doc_id, start, start + _WINDOW)
                if masked:  # the proposal's cell only: the next row is another article
                    text = _CELL_END.split(text, maxsplit=1)[0]
                span = _clause_span(_masked(text) if masked else text, clause, item)
                if span is not None:
                    return _candidate(text, span, start, passage, hit, share, masked=masked)
    return None


def _named(reading: Reading) -> tuple[str, int, int] | None:
    """The article, clause and item number (0: none) the question names, or None."""
    question = reading.question
    items = {int(m.group(1)) for m in _ITEM.finditer(question)}
    if reading.intent.asked is Asked.YES_NO or len(items) > 1 or _SUB_ITEM.search(question):
        return None
    if not items and _SMALLER.search(question):
        return None  # a sub-item, or an item named apart from its clause
    articles = article_references(question)
    clauses = {int(m.group(1)) for m in _CLAUSE.finditer(question)}
    if len(articles) != 1 or len(clauses) != 1:
        return None
    return next(iter(articles)), next(iter(clauses)), next(iter(items), 0)


#: a clause a question names under a section by its name, not an article: "보안특약사항
#: ③항", "보안특약사항의 제3항", with the word before the name that may tell two forms of
#: one name apart: "참여자용 보안서약서 제2항", "대표자용 보안 서약서 제4항" (a form's "…용"
#: before a name of two words too: "참여자용 보안 서약서 제1항")
_SECTION_CLAUSE = re.compile(
    r"((?:[가-힣]{1,6}용\s+)?(?:[가-힣A-Za-z]{2,}\s+[가-힣A-Za-z]{3,}?|[가-힣A-Za-z]{4,}?))"
    r"(?:의)?\s*"
    r"(?:([\u2460-\u2473])\s*항?|제\s*(\d{1,2})\s*항)"
)
#: or by a bare number after a heading of one or two words: "청렴 서약서 3항은"
_SECTION_BARE = re.compile(
    r"([가-힣]{2,}(?:\s[가-힣]{2,})?)\s+(\d{1,2})\s*항(?=[은는이에의을]?(?![가-힣]))"
)
#: a line short enough to be a section's heading
_HEADING_LINE = re.compile(r"^[^\n]{1,40}$", re.MULTILINE)


def _section_clause(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    """The clause of a section the question names by its heading ("외주 용역사업
    보안특약사항 ③항", "청렴 서약서 3항"), from the document most about the question that
    writes that heading on a line of its own (spacing aside); None when it names none or no
    document has it. A line that is the heading alone is read first: a contents page lists
    "8. [서식 8호] 청렴 서약서" long before the form."""
    question = reading.question
    found = _SECTION_CLAUSE.search(question) or _SECTION_BARE.search(question)
    if (
        found is None
        or article_references(question)
        or reading.intent.asked is Asked.YES_NO
        or _SMALLER.search(question)
    ):
        return None
    words = [squash(w) for w in found.group(1).split()]
    number = next(g for g in found.groups()[1:] if g)
    clause = _number(number) if "\u2460" <= number[0] <= "\u2473" else int(number)

    def heading_ends(text: str, *, names: Sequence[str], alone: bool) -> list[int]:
        return [
            line.end() for line in _HEADING_LINE.finditer(text)
            if (squash(line.group()) == "".join(names) if alone
                else all(n in squash(line.group()) for n in names))
            and not _CIRCLED.search(line.group())
        ]  # fmt: skip

    # the heading of the name alone, then any heading holding the name, then one holding
    # each of its words ("보안서약 서(참여자용)" for 참여자용 보안서약서), then the heading of
    # its last word (the words before it may only say where it is: "웹기안기의 보안서약서")
    ways = [(["".join(words)], True), (["".join(words)], False)]
    if len(words) > 1:
        ways += [(words, False), ([words[-1]], True), ([words[-1]], False)]
    for names, alone in ways:
        found_clause = _clause_after(
            partial(heading_ends, names=names, alone=alone), clause, relevant, sources
        )
        if found_clause is not None:
            return found_clause
    return None


#: where a heading or a clause may open besides a line start: after a sentence that ends on
#: the same line, as a PDF's text runs a contract's articles together
_AFTER_SENTENCE = r"(?:^[ \t]*|(?<=[.。][ \t]))"


def _heading(article: str) -> re.Pattern[str]:
    """The article's heading ("제23조 심판위원 …" on a line of its own, "… 한다. 제6조 (…)
    “을”은 …"), not a reference to it inside a sentence or a table cell."""
    digits = article_number(article)
    return re.compile(rf"^[ \t]*{digits}(?=[\s(（])|{_AFTER_SENTENCE}{digits}\s*(?=[(（])",
                      re.MULTILINE)  # fmt: skip


#: the next article's heading, where this one ends
_NEXT_ARTICLE = re.compile(
    rf"^[ \t]*제\s*\d+\s*조(?:\s*의\s*\d+)?[\s(（]"
    rf"|{_AFTER_SENTENCE}제\s*\d+\s*조(?:\s*의\s*\d+)?\s*[(（]",
    re.MULTILINE,
)
#: a clause opening with a circled number ("① …"), wherever it stands; an article written
#: so numbers its items "1." inside a clause
_CIRCLED = re.compile(r"(?:^|(?<=\s))[\u2460-\u2473]")
#: a clause opening with a plain number at a line start, or after a sentence a PDF ran on
#: the same line ("… 않겠습니다. 2. 입찰, …"): "1.", "2)", "(3)"
_PLAIN = re.compile(
    rf"{_AFTER_SENTENCE}(?:\d{{1,2}}\s*[.)](?!\d)|\(\s*\d{{1,2}}\s*\))", re.MULTILINE
)


def _clause_span(text: str, clause: int, item: int = 0) -> tuple[int, int] | None:
    """Where clause ``clause`` (its item ``item`` when not 0) runs in ``text`` (the article
    after its number), or None."""
    following = _NEXT_ARTICLE.search(text)
    body = text[: following.start()] if following else text
    circled, plain = list(_CIRCLED.finditer(body)), list(_PLAIN.finditer(body))
    # the kind that opens first numbers the clauses: a form's "1. … 2. … 3." ends before
    # the window reaches a later section's "③"
    first_plain = bool(plain) and (not circled or plain[0].start() < circled[0].start())
    openings = _in_sequence(plain) if first_plain else circled
    if not openings:
        if clause != 1:
            return None
        title = re.match(r"\s*[(（][^()（）\n]{1,40}[)）]", body)
        begin = title.end() if title else body.find("\n") + 1
        if item:
            return _item_span(body, begin, len(body), item)
        return _trimmed(body, begin, len(body), last=following is None)
    for i, opening in enumerate(openings):
        if _number(opening.group()) == clause:
            last = i + 1 == len(openings)
            end = len(body) if last else openings[i + 1].start()
            if item:
                return _item_span(body, opening.start(), end, item)
            # a numbered list ends with its last item's sentence: what follows closes the form
            closing = following is None or first_plain
            return _trimmed(body, opening.start(), end, last=last and closing)
    return None


def _item_span(text: str, start: int, end: int, item: int) -> tuple[int, int] | None:
    """Where item ``item`` of the clause in ``text[start:end]`` runs: from its "5." to the
    next item's number, in the run of items numbered from 1 ("다음 각 호의 사항 … 1. … 2.
    …"); the last item to its sentence's end. None when the clause has no such item."""
    openings = list(_ITEM_OPENING.finditer(text, start, end))
    first = next((i for i, o in enumerate(openings) if _number(o.group()) == 1), None)
    if first is None:
        return None
    run = _in_sequence(openings[first:])
    if item > len(run):
        return None
    opening = run[item - 1]
    last = item == len(run)
    return _trimmed(text, opening.start(), end if last else run[item].start(), last=last)


def _in_sequence(openings: Sequence[re.Match[str]]) -> list[re.Match[str]]:
    """The openings numbered one after another from the first: a list's "1. 2. 3." and
    not the "2." of a table further on."""
    run = list(openings[:1])
    for opening in openings[1:]:
        if _number(opening.group()) != _number(run[-1].group()) + 1:
            break
        run.append(opening)
    return run


def _number(opening: str) -> int:
    """The number an opening writes: "①" → 1, " 2." → 2, "(3)" → 3."""
    mark = opening.strip()
    if "\u2460" <= mark[0] <= "\u2473":
        return ord(mark[0]) - 0x2460 + 1
    return int(re.sub(r"\D", "", mark))


def _trimmed(text: str, start: int, end: int, *, last: bool) -> tuple[int, int] | None:
    """The span without surrounding whitespace; cut at its last sentence end within
    :data:`_MAX_CLAUSE` characters when longer, and at its first when ``last`` (nothing
    after it in the window tells where the article ends: a contract's closing words follow
    its last clause) unless a proviso (다만, 이 경우) goes on."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    stops = [m.end() for m in _STOP.finditer(text, start, end)]
    if last:
        going_on = [e for e in stops if not _PROVISO.match(text, e)]
        end = going_on[0] if going_on else end
    if end - start > _MAX_CLAUSE:
        within = [e for e in stops if e <= start + _MAX_CLAUSE]
        end = within[-1] if within else start + _MAX_CLAUSE
    return (start, end) if end > start else None


def _candidate(
    text: str,
    span: tuple[int, int],
    offset: int,
    passage: Chunk,
    hit: Hit,
    share: float,
    *,
    masked: bool = False,
) -> Candidate:
    """The clause as the lead and the evidence, cited under the heading passage's label; a
    proposal's dashes of unchanged text shown as "…"."""
    quote = text[span[0] : span[1]]
    display = rejoin(quote)
    if masked:
        display = re.sub(r"\s+(?=[.。])", "", " ".join(_UNCHANGED.sub(" … ", display).split()))
    evidence = passage_evidence(hit, passage, offset + span[0], quote, display)
    return Candidate(2.0 + share, display, evidence, relevance=share)


#: the letters a Korean document numbers its items by, in order
_LETTERS = "가나다라마바사아자차카타파하"
#: an item a question names by its letter: "본문에서 '다.' 항목에는", "‘라’ 항목", "다목에"
_LETTER_ASKED = re.compile(
    rf"['‘\"“]\s*([{_LETTERS}])\s*[.)]?\s*['’\"”]\s*(?:항목|호|목|항)"
    rf"|(?<![가-힣])([{_LETTERS}])\s*목(?=[은는이에의을]|\s|$)"
)
#: how far back the item before the one asked is looked for: a run "나. … 다." is a list
_RUN_CHARS = 2000


def _lettered_item(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    """The item a question names by its letter ("공문 본문에서 '다.' 항목에는 무엇이 적혀
    있나요?" → "다. 모집분야 : 문화, 관광, 이벤트, 축제 분야 등 전문가"): the first line of the
    documents most about the question opening with that letter, after the one before it
    (a 다. on its own is no list's third item)."""
    found = _LETTER_ASKED.search(reading.question)
    if found is None or reading.intent.asked is Asked.YES_NO or sources.passages is None:
        return None
    letter = found.group(1) or found.group(2)
    index = _LETTERS.index(letter)
    item = re.compile(rf"^[ \t]*{letter}\s*[.)][ \t]*\S[^\n]*", re.MULTILINE)
    before = re.compile(rf"^[ \t]*{_LETTERS[index - 1]}\s*[.)]", re.MULTILINE) if index else None
    for hit, share in documents_most_about(relevant, _DOCUMENTS):
        for passage in sources.passages(hit.doc_id):
            for line in item.finditer(passage.text):
                earlier = passage.text[max(0, line.start() - _RUN_CHARS) : line.start()]
                if before is not None and not before.search(earlier):
                    continue
                end = min(line.end(), line.start() + _MAX_CLAUSE)
                span = _trimmed(passage.text, line.start(), end, last=False)
                if span is not None:
                    return _candidate(passage.text, span, passage.start, passage, hit, share)
    return None
