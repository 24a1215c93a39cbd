"""The offline reader: the fact that answers, in one line, then the evidence it rests on.

Given the passages that passed the coverage gate (:func:`dalin.answer.extractive.relevant_hits`),
the reader decides what the question asks (:mod:`dalin.answer.intent`) and looks for it:

* **a value** — among the sentences, list items and ``label : value`` fields of the passages
  (:mod:`dalin.answer.evidence`) and the cells of the documents' stored tables
  (:mod:`dalin.answer.tables`), scored on the question words they hold (Kiwi morphemes and
  the glossary's equivalents), whether they hold the kind of value asked (a date for 언제, a
  count for 몇 명), and structure: contents lines, running headers, page numbers and
  letter-spaced form titles are never the answer;
* **arithmetic** — operands from table cells or sentences, computed by
  :mod:`dalin.answer.shown_work` with the work shown and each operand cited; an operand
  that is not found is named, and nothing is guessed;
* **yes / no** — the ruling clause of the best sentence (:mod:`dalin.answer.polarity`),
  with any exception beside it;
* **two facts** — "A와 B는?" is read as two questions, each answered on its own line.

The answer's first line states the fact (``사업금액: 1,062,888천원(국비 / VAT포함) [1]``);
the lines after it quote the evidence, each line once. Citations quote the document
verbatim; the lines show PDF-broken sentences rejoined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from dalin.answer.aligned import AlignedRow, aligned_rows
from dalin.answer.shown_work import Operand, Work, compute
from dalin.answer.evidence import Unit, passage_units, refine_label, rejoin, repeated_lines
from dalin.answer.intent import Asked, Intent, Operation, read_intent
from dalin.answer.polarity import NO, YES, exception_after, has_ruling, is_exception, rule
from dalin.answer.tables import (
    CellMatch,
    Grid,
    cell_tokens,
    column_matches,
    is_numeric,
    match_cells,
    place_of,
    read_grid,
    squash,
)
from dalin.answer.values import Value, ValueKind, find_values, parse_date
from dalin.errors import CalculationError
from dalin.text.korean import has_korean, kiwi, tokenize
from dalin.types import Answer, Citation, Hit, StoredTable

#: a document's stored tables, by document id
TableLookup = Callable[[int], Sequence[StoredTable]]
#: the stored text of a document between two offsets
TextLookup = Callable[[int, int, int], str]

#: passages whose units are read
MAX_PASSAGES = 8
#: tables read per document (a workbook can hold hundreds)
MAX_TABLES = 80
_WORK_LABEL = {"ko": "계산", "en": "Work"}
_MISSING = {
    "ko": "계산하지 않았습니다: 문서에서 {names}을(를) 찾지 못했습니다.",
    "en": "Not computed: {names} could not be found in your documents.",
}
_EVIDENCE_CHARS = 400


@dataclass(frozen=True)
class Sources:
    """What the reader may consult besides the passages: stored tables and text."""

    tables: TableLookup | None = None
    read: TextLookup | None = None


@dataclass(frozen=True)
class Evidence:
    """A quotable place: the citation's quote, label and offsets, and how it is shown."""

    hit: Hit
    label: str
    quote: str
    start: int  # document offsets
    end: int
    display: str
    page: int | None = None


@dataclass
class Candidate:
    """A possible answer: the line that states it, and the evidence it quotes."""

    score: float
    lead: str
    evidence: Evidence
    #: a second line of evidence (an exception, a rule's context), optional
    extra: list[Evidence] = field(default_factory=list)
    #: whether it holds the kind of value asked (a date for 언제); True when none is asked
    typed: bool = True
    #: the share of the question's focus words it holds
    focus: float = 1.0
    #: how well its passage covers the question's topic (the gate's share)
    relevance: float = 1.0


@dataclass(frozen=True)
class Reading:
    """What the reader knows about a question while answering it."""

    question: str
    words: tuple[str, ...]
    idf: Mapping[str, float]
    #: token of a document → question tokens it stands for (glossary equivalents)
    same: Mapping[str, frozenset[str]]
    language: str
    intent: Intent
    #: the words of what is asked about, as against where ("갱신주기" in "… 표준데이터의
    #: 갱신주기는?"): the answer must hold these, the passage the rest
    focus: tuple[str, ...] = ()
    #: the words of who or what a yes/no question is about ("대기업" in "대기업도 … 참여할
    #: 수 있나요?"): the ruling must be about them
    subject: tuple[str, ...] = ()


#: where the topic of a question ends and the thing asked about begins
_FOCUS_BOUNDARY = re.compile(r"(?:의|에서|중|에|에는|에선)\s+(?=\S)")
#: in English the thing asked about comes first: "the salary of the project manager"
_FOCUS_BOUNDARY_EN = re.compile(r"\s(?:of|in|on|for|at|from|about)\s", re.IGNORECASE)
_KIND_OF = re.compile(
    r"^\s*(?:what|which)\s+(?:type|kind|sort|size|colou?r|model|brand|make)s?\s+of\s+"
    r"(\S+(?:\s\S+)?)",
    re.IGNORECASE,
)


def subject_words(question: str, words: Sequence[str]) -> tuple[str, ...]:
    """The question words before its first topic or subject particle (은/는/이/가/도), or
    else before its first object particle: who or what the question is about."""
    tokens = kiwi().tokenize(question)
    for tags in (("JX", "JKS"), ("JKO",)):
        end = next((t.start for t in tokens if t.tag in tags), None)
        if end is not None:
            head = set(tokenize(question[:end]))
            found = tuple(w for w in words if w in head)
            if found:
                return found
    return ()


def focus_words(question: str, words: Sequence[str]) -> tuple[str, ...]:
    """The question words after its last genitive or locative ("…의", "…에서"), or in
    English before its first preposition ("What type of battery" asks about the battery);
    all of them when it has none."""
    kind_of = _KIND_OF.match(question)
    if kind_of:
        tail = kind_of.group(1)
    elif has_korean(question) or not _FOCUS_BOUNDARY_EN.search(question):
        parts = _FOCUS_BOUNDARY.split(question)
        tail = parts[-1] if len(parts) > 1 else question
    else:
        tail = _FOCUS_BOUNDARY_EN.split(question, maxsplit=1)[0]
    tail_tokens = set(tokenize(tail))
    focus = tuple(w for w in words if w in tail_tokens)
    return focus or tuple(words)


def read_answer(
    question: str,
    words: Sequence[str],
    relevant: Sequence[tuple[Hit, float]],
    idf: Mapping[str, float],
    equivalents: Sequence[tuple[frozenset[str], frozenset[str]]],
    language: str,
    sources: Sources,
) -> tuple[list[str], list[Evidence]] | None:
    """The answer's lines (``{n}`` marks where evidence n is cited) and its evidence, or
    None when nothing in ``relevant`` answers."""
    reading = reading_for(question, words, idf, equivalents, language)
    units = _units(relevant)
    grids = _grids(relevant, sources)
    parts = two_facts(question) if reading.intent.operation is None else []
    if parts:
        answers = [_answer_one(_part(reading, p), units, grids, relevant, sources) for p in parts]
        found = [a for a in answers if a is not None]
        if found:
            return _compose([_completed(c, sources) for c in found])
    if reading.intent.operation is not None:
        computed = _arithmetic(reading, units, grids, relevant, sources)
        if computed is not None:
            return computed
    answer = _answer_one(reading, units, grids, relevant, sources)
    return _compose([_completed(answer, sources)]) if answer is not None else None


_SENTENCE_DONE = re.compile(r"(?:[.?!。]|[다음함임요]\.?)\s*$")
_NEXT_END = re.compile(r"[.?!。](?=\s|$)")
#: how far past a passage's end a sentence is followed into the next passage
_FOLLOW_CHARS = 300


def _completed(candidate: Candidate, sources: Sources) -> Candidate:
    """The candidate with its evidence sentence finished when the passage ends mid-sentence
    (a chunk boundary is no place to stop reading: "(안 제15조제" / "5항 및 제22조제3항)")."""
    e = candidate.evidence
    hit_end = e.hit.start + len(e.hit.text)
    if sources.read is None or e.end < hit_end or _SENTENCE_DONE.search(e.display):
        return candidate
    more = sources.read(e.hit.doc_id, e.end, e.end + _FOLLOW_CHARS + 100)
    end = _NEXT_END.search(more)
    if end is None or end.end() > _FOLLOW_CHARS:
        return candidate
    tail = more[: end.end()]
    quote = f"{e.quote}\n{tail}"
    finished = Evidence(e.hit, e.label, quote, e.start, e.end + 1 + len(tail),
                        rejoin(quote), e.page)  # fmt: skip
    lead = candidate.lead if candidate.lead != e.display else finished.display
    return Candidate(candidate.score, lead, finished, candidate.extra)


def reading_for(
    question: str,
    words: Sequence[str],
    idf: Mapping[str, float],
    equivalents: Sequence[tuple[frozenset[str], frozenset[str]]],
    language: str,
) -> Reading:
    """What the reader takes from a question before it reads anything."""
    same: dict[str, frozenset[str]] = {}
    for term, word in equivalents:
        for token in word:
            same[token] = same.get(token, frozenset()) | term
    intent = read_intent(question)
    subject = subject_words(question, words) if intent.asked is Asked.YES_NO else ()
    return Reading(question, tuple(words), idf, same, language, intent,
                   focus_words(question, words), subject)  # fmt: skip


def _part(reading: Reading, text: str) -> Reading:
    words = tuple(w for w in tokenize(text) if w in reading.words) or reading.words
    return Reading(text, words, reading.idf, reading.same, reading.language, read_intent(text),
                   focus_words(text, words))  # fmt: skip


# --- what is read -------------------------------------------------------------------------


def _units(relevant: Sequence[tuple[Hit, float]]) -> list[tuple[Unit, float, int]]:
    """(unit, passage relevance, passage rank) for the passages read."""
    hits = [h for h, _ in relevant[:MAX_PASSAGES]]
    repeated = repeated_lines(hits)
    return [
        (unit, share, rank)
        for rank, (hit, share) in enumerate(relevant[:MAX_PASSAGES])
        for unit in passage_units(hit, repeated)
    ]


def _grids(
    relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> list[tuple[Grid, Hit, float]]:
    """The stored tables of the relevant passages' documents, each with its best passage."""
    if sources.tables is None:
        return []
    best: dict[int, tuple[Hit, float]] = {}
    for hit, share in relevant:
        best.setdefault(hit.doc_id, (hit, share))
    grids = []
    for doc_id, (hit, share) in best.items():
        for stored in list(sources.tables(doc_id))[:MAX_TABLES]:
            grids.append((read_grid(stored), _hit_over(stored, relevant) or hit, share))
    return grids


#: how far after a passage a table may start and still be the one it introduces
_CAPTION_GAP = 300


def table_after(sources: Sources) -> Callable[[Hit], str] | None:
    """For the gate: the text of the stored table that starts right after a passage (its
    caption line is often the passage, the rows another chunk the search did not bring)."""
    if sources.tables is None:
        return None
    lookup = sources.tables

    def text(hit: Hit) -> str:
        for stored in lookup(hit.doc_id):
            if 0 <= stored.start - hit.end <= _CAPTION_GAP:
                table = stored.table
                return "\n".join(" ".join(r) for r in (table.header, *table.rows))
        return ""

    return text


def _hit_over(stored: StoredTable, relevant: Sequence[tuple[Hit, float]]) -> Hit | None:
    for hit, _ in relevant:
        if hit.doc_id == stored.doc_id and hit.start < stored.end and stored.start < hit.end:
            return hit
    return None


# --- one fact -----------------------------------------------------------------------------


def _answer_one(
    reading: Reading,
    units: Sequence[tuple[Unit, float, int]],
    grids: Sequence[tuple[Grid, Hit, float]],
    relevant: Sequence[tuple[Hit, float]],
    sources: Sources,
) -> Candidate | None:
    if reading.intent.asked is Asked.YES_NO:
        ruled = _yes_no(reading, units)
        if ruled is not None:
            return ruled
    candidates = _candidates(reading, units, grids, sources)
    if not candidates:
        return None
    best = max(candidates, key=lambda c: c.score)
    if not best.typed and (best.focus < 0.5 or best.relevance < _SURE):
        return None  # it asks for an amount, a date, …; nothing here surely states one
    if reading.intent.asked is Asked.PROCEDURE:
        best.extra.extend(_steps_after(best.evidence, units))
    elif not best.lead:
        best.extra.extend(_runners_up(best, candidates))
    return best


#: sentences shown beside the best one when no fact could be stated (a sentence answer)
MAX_RUNNERS_UP = 2
_RUNNER_UP_SHARE = 0.85


def _runners_up(best: Candidate, candidates: Sequence[Candidate]) -> list[Evidence]:
    """When the answer is a sentence, the next sentences nearly as good: the reader is
    not sure which one answers, and a person can tell at a glance."""
    close = sorted(
        (c for c in candidates if c is not best and c.score >= _RUNNER_UP_SHARE * best.score),
        key=lambda c: -c.score,
    )
    shown = {best.evidence.display}
    out = []
    for c in close:
        if c.evidence.display not in shown:
            shown.add(c.evidence.display)
            out.append(c.evidence)
        if len(out) >= MAX_RUNNERS_UP:
            break
    return out


#: a passage covering this share of the question's topic surely is about it; below, an
#: answer of the wrong kind is not given ("김하성의 연봉은?" over a page on 김하성)
_SURE = 0.75
#: the most steps of a procedure quoted after the sentence that introduces them
MAX_STEPS = 6


def _steps_after(evidence: Evidence, units: Sequence[tuple[Unit, float, int]]) -> list[Evidence]:
    """The numbered or imperative steps that follow ``evidence`` in its passage: a how-to
    is answered by the steps, not by the sentence above them."""
    steps: list[Evidence] = []
    anchor: Unit | None = None
    for unit, _, _ in units:
        if unit.hit.chunk_id != evidence.hit.chunk_id or unit.demoted:
            continue
        start = unit.hit.start + unit.start
        if start <= evidence.start:
            anchor = unit if start == evidence.start else anchor
            continue
        if anchor is None:
            continue
        if unit.kind == "row" or _is_title(unit) or unit.context != anchor.context:
            break  # the next section or table
        steps.append(_unit_evidence(unit))
        if len(steps) >= MAX_STEPS:
            break
    return steps


def _candidates(
    reading: Reading,
    units: Sequence[tuple[Unit, float, int]],
    grids: Sequence[tuple[Grid, Hit, float]],
    sources: Sources,
) -> list[Candidate]:
    """Every unit and table cell that could answer, scored."""
    # a rendered table row is read from its stored table, where rows and columns are apart
    tabled = {grid.stored.doc_id for grid, _, _ in grids}
    candidates = [
        c
        for u, s, r in units
        if not (u.kind == "row" and u.hit.doc_id in tabled)
        and (c := _unit_candidate(reading, u, s, r)) is not None
    ]
    candidates += _aligned_candidates(reading, units)
    return candidates + _cell_candidates(reading, grids, sources)


def _by_passage(units: Sequence[tuple[Unit, float, int]]) -> list[tuple[list[Unit], float]]:
    passages: dict[int, tuple[list[Unit], float]] = {}
    for unit, relevance, _ in units:
        passages.setdefault(unit.hit.chunk_id, ([], relevance))[0].append(unit)
    return list(passages.values())


def _aligned_matches(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> list[tuple[float, AlignedRow, str, str, float]]:
    """(row score, row, column, value, passage relevance) for the space-aligned table rows
    the question names, best column of each row first."""
    found = []
    asked = squash(reading.question)
    for passage, relevance in _by_passage(units):
        for row in aligned_rows(passage):
            key = squash(row.label)
            row_words = set(tokenize(row.label))
            named = (
                1.0
                if len(key) >= 3 and key in asked
                else max(2 * _coverage(reading, row_words), _coverage(reading, row_words, reading.focus))
            )
            if named < 0.5:
                continue
            for column, value in row.cells:
                score = _coverage(reading, set(tokenize(column)), reading.focus)
                found.append((named + score, row, column, value, relevance))
    return sorted(found, key=lambda f: -f[0])


def _aligned_candidates(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> list[Candidate]:
    candidates = []
    for score, row, column, value, relevance in _aligned_matches(reading, units)[:4]:
        covered = set(tokenize(f"{row.label} {column}"))
        context = set(tokenize(f"{row.unit.hit.section} {row.unit.context}"))
        total = 0.7 * _coverage(reading, covered | context) + 0.3 * _coverage(reading, covered)
        total += 0.3 * relevance + _focus_weight(reading) * _focus(reading, covered, f"{row.label} {column}")
        typed = _holds(reading, value, reading.intent.value_kinds)
        total += 0.25 + (0.35 if typed and reading.intent.value_kinds else 0.0)
        lead = f"{row.label} {column}: {value}"
        candidates.append(Candidate(total, lead, _unit_evidence(row.unit), typed=typed,
                                    focus=_focus(reading, covered, lead),
                                    relevance=relevance))  # fmt: skip
    return candidates


def _coverage(
    reading: Reading, tokens: set[str] | frozenset[str], words: Sequence[str] | None = None
) -> float:
    """IDF-weighted share of the question's ``words`` (default: all) that ``tokens`` hold,
    glossary equivalents counting."""
    expanded = set(tokens)
    for token in tokens:
        expanded |= reading.same.get(token, frozenset())
    words = reading.words if words is None else words
    total = sum(reading.idf.get(w, 1.0) for w in words)
    got = sum(reading.idf.get(w, 1.0) for w in words if w in expanded)
    return got / total if total else 0.0


_CODE = re.compile(r"(?<![A-Za-z])([A-Za-z]{1,4})-?(\d{1,4})(?!\d)")


def _other_code(question: str, text: str) -> bool:
    """Whether ``text`` names a code of the family the question asks about, but another one
    ("E01" where "E02" was asked) and not the one asked."""
    asked = {(p.upper(), int(n)) for p, n in _CODE.findall(question)}
    if not asked:
        return False
    found = {(p.upper(), int(n)) for p, n in _CODE.findall(text)}
    families = {p for p, _ in asked}
    return not (found & asked) and any(p in families for p, _ in found)


def _focus_weight(reading: Reading) -> float:
    """How much holding the asked-about words counts: more when no kind of value is asked
    (a place, a name, a definition), since nothing else then says "this is the answer"."""
    return 0.5 if reading.intent.value_kinds else 0.8


def _written(reading: Reading, text: str) -> set[str]:
    """Question words written in ``text`` though not read as its tokens: a letter-spaced
    label ("일 시", "총인 원"), a compound Kiwi splits differently in either."""
    squashed = squash(text)
    return {w for w in reading.words if len(w) >= 2 and squash(w) in squashed}


def _focus(reading: Reading, tokens: set[str] | frozenset[str], text: str) -> float:
    """The share of the focus words ``tokens`` hold, a focus word written inside ``text``
    counting too ("장소" in "장 소 환경노동위원회회의실", "총인원" in "총인 원")."""
    squashed = squash(text)
    written = {w for w in reading.focus if len(w) >= 2 and squash(w) in squashed}
    return _coverage(reading, set(tokens) | written, reading.focus)


def _unit_candidate(reading: Reading, unit: Unit, relevance: float, rank: int) -> Candidate | None:
    if unit.demoted:
        return None
    own = set(tokenize(unit.display)) | _written(reading, unit.display)
    context = set(tokenize(f"{unit.hit.section}\n{unit.context}")) - own
    share = _coverage(reading, own)
    bound = unit.context_kind in ("article", "question")
    if share == 0 and not (bound and _coverage(reading, context) > 0):
        return None  # "A. 구입일로부터 1년입니다." answers its FAQ question in no word of it
    # a sentence is about what its article or its FAQ question is about: "① … 15일의
    # 유급휴가를 준다" under "제12조(연차휴가)" answers a question on 연차휴가; a caption or
    # a page title only hints
    if bound:
        score = 0.7 * _coverage(reading, own | context) + 0.3 * share
    else:
        score = share + 0.3 * _coverage(reading, context)
    score += 0.3 * relevance - 0.02 * rank
    focus = _focus(reading, own | context, f"{unit.display} {unit.context}")
    score += _focus_weight(reading) * focus
    section = squash(unit.hit.section)
    if len(section) >= 2 and section in squash(reading.question):
        score += 0.3  # the question names the part it sits in ("부칙에 따르면")
    if unit.first:
        score += 0.2  # an article states its rule first, an FAQ its answer
    if _other_code(reading.question, f"{unit.display} {unit.context}"):
        score -= 0.6  # about E01 when E02 was asked
    if reading.intent.value_kinds and has_ruling(unit.display) and not rule(unit.display, len).yes:
        score -= 0.15  # "점심시간에는 상담이 어렵습니다" says when not, the question asks when
    if reading.intent.asked is Asked.PROCEDURE and _STEP.search(unit.display):
        score += 0.3  # a how-to is answered by instructions
    lead, typed = _lead_of(reading, unit)
    if typed and lead and _OFTEN.search(reading.question) and _EVERY.search(unit.display):
        score += 0.2  # "얼마나 자주" is answered by "12개월마다", not by "7영업일이 걸리며"
    kinds = reading.intent.value_kinds
    if kinds:
        score += 0.35 if typed else -0.2
    if unit.kind == "field" and unit.label:
        score += 0.2 * _coverage(reading, set(tokenize(unit.label)))
    articles = _articles(reading.question)
    if articles and (_articles(unit.display) | _articles(unit.context)) & articles:
        heading = bool(_articles(unit.display[:12]) & articles)
        score += 1.0 if heading else 0.6 if _articles(unit.display) & articles else 0.4
        if _ASKS_TITLE.search(reading.question) and heading:
            lead = unit.display  # "제22조 경기시간 제한" is what article 22 is about
    elif _is_title(unit) and not _ASKS_TITLE.search(reading.question):
        score -= 0.3
    if has_korean(unit.display) != (reading.language == "ko"):
        score *= 0.7
    return Candidate(score, lead, _unit_evidence(unit), typed=typed, focus=focus,
                     relevance=relevance)  # fmt: skip


def _articles(text: str) -> frozenset[str]:
    from dalin.answer.extractive import article_references  # extractive imports this module

    return article_references(text)


#: a question answered by a heading: what an article or a section is about
_ASKS_TITLE = re.compile(r"무엇에\s*관한|제목|무엇을\s*정하|what is .* about|title", re.I)


#: a step of a procedure: an instruction ("누르십시오", "Press and hold …")
_STEP = re.compile(r"(?:십시오|세요|하세요|주세요)[.!]?\s*$|^(?:press|hold|turn|insert|open|close|set|"
                   r"select|click|choose|remove|connect|put)\b", re.I)
_OFTEN = re.compile(r"자주|주기|how often|every", re.I)
_EVERY = re.compile(r"마다|주기|every|each", re.I)


def _is_title(unit: Unit) -> bool:
    """A heading-like line: short, no sentence ending, no value."""
    text = _body(unit.display).strip()
    return len(text) <= 40 and not re.search(r"[.:다음함임요]\s*$", text) and not find_values(text)


_LEADING_MARKER = re.compile(
    r"^\s*(?:\d{1,3}[.)]|\(\d{1,3}\)|[가나다라마바사아자차카타파하][.)]|[①-⑳]|[-•·ㅇ○□■※*m])\s+"
)


def _body(text: str) -> str:
    """``text`` without the list marker that opens it ("2. 광역 …" → "광역 …")."""
    return _LEADING_MARKER.sub(lambda m: " " * len(m.group()), text, count=1)


def _lead_of(reading: Reading, unit: Unit) -> tuple[str, bool]:
    """The line stating the fact ``unit`` holds, and whether it is of the kind asked."""
    kinds = reading.intent.value_kinds
    # a bare number in running text is rarely the count or amount asked for; in a field or a
    # table cell the label says what it counts
    strict = tuple(k for k in kinds if k is not ValueKind.NUMBER)
    if unit.kind == "row":
        cell = _best_row_cell(reading, unit.display)
        if cell is not None:
            name, value = cell
            return (f"{name}: {value}" if name else value), _holds(reading, value, strict)
    if unit.kind == "field" and unit.value:
        return f"{unit.label}: {unit.value}", _holds(reading, unit.value, strict)
    counted = _counted(reading, _body(unit.display))
    if counted:
        return counted, True
    values = [v for v in _own_values(reading, _body(unit.display)) if v.kind in strict]
    if values:
        first_kind = min(strict.index(v.kind) for v in values)  # a duration before a date
        best = _nearest_value(reading, unit.display, [v for v in values if v.kind is strict[first_kind]])
        return best.text, True
    return "", not kinds


#: a number as Korean writes it: "26,000", "870만", "3-4천", "1.5"
_NUMERAL = r"\d[\d,]*(?:\.\d+)?(?:\s*[-~]\s*\d[\d,]*(?:\.\d+)?)?(?:\s*[천만억조])*"


def _counted(reading: Reading, text: str) -> str:
    """The number written with the counter the question names ("몇 m" → "100m", "제 몇
    조" → "제89조", "몇 세기" → "19-20세기"), not one the question states itself."""
    counter = reading.intent.counter
    if not counter or counter in ("시", "분", "일", "명", "개", "년"):
        return ""  # typed values read these better (times, durations, counts)
    prefix = "제\s*" if re.search(r"제\s*몇", reading.question) else ""
    asked = squash(reading.question)
    for match in re.finditer(rf"{prefix}{_NUMERAL}\s*{re.escape(counter)}", text):
        if squash(match.group()) not in asked:
            return match.group()
    return ""


def _holds(reading: Reading, value: str, kinds: Sequence[ValueKind]) -> bool:
    """Whether a field's or a cell's value is of the kind asked: it holds such a value, or
    it is a bare number where a number will do (the label says what it counts)."""
    if not reading.intent.value_kinds:
        return True
    if any(v.kind in kinds for v in _own_values(reading, value)):
        return True
    return ValueKind.NUMBER in reading.intent.value_kinds and is_numeric(value)


def _own_values(reading: Reading, text: str) -> list[Value]:
    """Values in ``text`` that the question does not itself state ("HB-200", "2024년")."""
    asked = squash(reading.question)
    return [v for v in find_values(text) if squash(v.text) not in asked]


_YEAR_ASKED = re.compile(r"연도|년도|몇\s*년(?!\s*(?:간|동안))|which year|what year", re.I)
_YEAR = re.compile(r"\d{4}\s*년")
_UNTIL = re.compile(r"까지|until|\bby\b|마감|종료|끝", re.I)
_FROM = re.compile(r"부터|from|since|시작|개시", re.I)


def _nearest_value(reading: Reading, text: str, values: Sequence[Value]) -> Value:
    """The value closest to where the question's words sit in ``text``; of a range
    ("09:00~18:00") its end when the question asks until when, its start when from when."""
    values = _range_end(reading.question, text, values)
    if _YEAR_ASKED.search(reading.question):  # "체결 연도는?" is answered by "1989년"
        years = [v for v in values if _YEAR.fullmatch(v.text)]
        values = years or values
    spots = [m.start() for w in reading.words if len(w) > 1 for m in re.finditer(re.escape(w), text)]
    if not spots:
        return values[0]
    return min(values, key=lambda v: min(abs(v.start - s) for s in spots))


def _range_end(question: str, text: str, values: Sequence[Value]) -> Sequence[Value]:
    until, since = _UNTIL.search(question), _FROM.search(question)
    if until is None and since is None:
        return values
    ends, starts = [], []
    for a, b in zip(values, values[1:], strict=False):
        joint = text[a.end : b.start]
        if re.fullmatch(r"\s*(?:[~∼–-]|부터|에서|from|to)\s*", joint, re.I):
            starts.append(a)
            ends.append(b)
    if until is not None and ends:
        return ends
    if since is not None and starts:
        return starts
    return values


_CELL = re.compile(r"\s*\|\s*")


def _best_row_cell(reading: Reading, row: str) -> tuple[str, str] | None:
    """The ``header: value`` cell of a rendered row whose header the question names."""
    best: tuple[float, str, str] | None = None
    asked = squash(reading.question)
    for cell in _CELL.split(row):
        name, sep, value = cell.partition(": ")
        if not sep:
            continue
        key = squash(name)
        score = 1.0 if key and key in asked else _coverage(reading, set(tokenize(name)))
        if score > 0 and squash(value) not in asked and (best is None or score > best[0]):
            best = (score, name, value)
    return (best[1], best[2]) if best else None


def _unit_evidence(unit: Unit) -> Evidence:
    hit = unit.hit
    label = refine_label(hit.label, hit.text, unit.start)
    return Evidence(hit, label, unit.text, hit.start + unit.start, hit.start + unit.end,
                    unit.display, hit.page)  # fmt: skip


def _cell_candidates(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]], sources: Sources
) -> list[Candidate]:
    candidates = []
    for grid, hit, relevance in grids:
        matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
        named = [m for m in matches if m.column_score > 0] or _default_column(reading, matches)
        for match in named[:2]:
            candidate = _cell_candidate(reading, match, hit, relevance, sources)
            if candidate is not None:
                candidates.append(candidate)
    return candidates


def _default_column(reading: Reading, matches: Sequence[CellMatch]) -> list[CellMatch]:
    """A row the question names but no column: its first value (``최신 배포 버전 | v0.6.4``),
    or its first number when a number is asked (``보안 요구사항 | SER | … | 5``)."""
    if not matches or reading.intent.operation is not None:
        return []
    top = matches[0]
    row = sorted((m for m in matches if m.row == top.row and m.grid is top.grid),
                 key=lambda m: m.column)  # fmt: skip
    if reading.intent.asked in (Asked.COUNT, Asked.MONEY, Asked.NUMBER, Asked.PERCENT):
        numbers = [m for m in row if is_numeric(m.value)]
        counted = [m for m in numbers if re.search(r"수|량|계|count|number|qty", m.column_name, re.I)]
        row = counted or numbers or row
    return row[:1]


def _cell_candidate(
    reading: Reading, match: CellMatch, hit: Hit, relevance: float, sources: Sources
) -> Candidate | None:
    place = place_of(match)
    if place is None:
        return None
    context = _table_context(match.grid.stored, hit, sources)
    covered = set(match.covered) | set(tokenize(f"{match.row_label} {match.column_name}"))
    share = _coverage(reading, covered)
    score = 0.7 * _coverage(reading, covered | context) + 0.3 * share + 0.3 * relevance
    focus = _focus(reading, covered, f"{match.row_label} {match.column_name}")
    score += _focus_weight(reading) * focus
    if match.column_score > 0 and match.row_score > 0:
        score += 0.25
    kinds = reading.intent.value_kinds
    typed = True
    if kinds:
        values = find_values(match.value)
        typed = any(v.kind in kinds for v in values) or (
            is_numeric(match.value) and ValueKind.NUMBER in kinds
        )
        score += 0.35 if typed else -0.2
    column = match.column_name
    if match.grid.pairs or not column or _GENERIC.match(column.replace(" ", "")):
        lead = f"{match.row_label}: {match.value}"
    else:
        lead = f"{match.row_label} {column}: {match.value}".strip()
    evidence = Evidence(hit, f"{hit.name} · {place.label}", place.quote, place.start,
                        place.end, place.quote, match.grid.stored.page)  # fmt: skip
    return Candidate(score, lead, evidence, typed=typed, focus=focus, relevance=relevance)


_GENERIC = re.compile(r"^(?:값|내용|value|값/내용)$", re.I)


def _table_context(stored: StoredTable, hit: Hit, sources: Sources) -> set[str]:
    """Words naming a table: its caption, its passage's section, the line before it."""
    text = f"{stored.table.caption} {stored.table.sheet} {hit.section}"
    if sources.read is not None and stored.start > 0:
        before = sources.read(stored.doc_id, max(0, stored.start - 200), stored.start)
        text += " " + " ".join(before.strip().splitlines()[-2:])
    return set(tokenize(text))


# --- yes / no -----------------------------------------------------------------------------


def _yes_no(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The ruling of the sentence most about the question; a sentence that rules (permits,
    forbids) beats one that only names the topic, a heading never rules."""
    scored = []
    for i, (unit, relevance, rank) in enumerate(units):
        if unit.demoted:
            continue
        own = set(tokenize(unit.display))
        share = _coverage(reading, own)
        if share == 0:
            continue
        context = _coverage(reading, set(tokenize(f"{unit.context} {unit.hit.section}")) - own)
        ruling = 0.4 if has_ruling(unit.display) else -0.3 if _is_title(unit) else 0.0
        score = share + 0.5 * context + ruling + 0.3 * relevance - 0.02 * rank
        if reading.subject:
            score += 0.5 * _coverage(reading, own, reading.subject)
        scored.append((score, i))
    if not scored:
        return None
    _, best = max(scored)
    unit = units[best][0]
    ruling = rule(unit.display, lambda clause: _coverage(reading, set(tokenize(clause))))
    word = (YES if ruling.yes else NO)[reading.language]
    lead = f"{word} — {ruling.clause}" if ruling.clause != unit.display else word
    candidate = Candidate(max(scored)[0], lead, _unit_evidence(unit))
    same_passage = [u for u, _, _ in units if u.hit.chunk_id == unit.hit.chunk_id and not u.demoted]
    index = next(i for i, u in enumerate(same_passage) if u is unit)
    following = exception_after([u.display for u in same_passage], index)
    if following is not None:
        candidate.extra.append(_unit_evidence(same_passage[following]))
    elif is_exception(unit.display):
        pass  # the quoted sentence states its own condition
    return candidate


# --- two facts ------------------------------------------------------------------------------


def two_facts(question: str) -> list[str]:
    """"울산 남구 … 의견 제출 기한과 세무2과 전화번호는?" → the two questions it asks:
    "… 의견 제출 기한" and "… 세무2과 전화번호는?". Empty when it asks one thing."""
    tokens = kiwi().tokenize(question)
    joints = [t for t in tokens if t.tag == "JC" or t.form in ("및", "and")]
    if not joints:
        return []
    joint = joints[-1]
    after = question[joint.start + joint.len :].strip()
    before = question[: joint.start].rstrip()
    if not after or not before or len(after.split()) > 4:
        return []
    width = min(len(after.split()), 3)
    head = before.rsplit(None, width)
    stem = head[0] if len(head) > width else ""
    first = before + "?"
    second = f"{stem} {after}".strip()
    return [first, second]


# --- arithmetic -----------------------------------------------------------------------------


@dataclass
class _Operands:
    operands: list[Operand]
    evidence: list[Evidence]
    missing: list[str] = field(default_factory=list)
    score: float = 0.0


def _arithmetic(
    reading: Reading,
    units: Sequence[tuple[Unit, float, int]],
    grids: Sequence[tuple[Grid, Hit, float]],
    relevant: Sequence[tuple[Hit, float]],
    sources: Sources,
) -> tuple[list[str], list[Evidence]] | None:
    intent = reading.intent
    assert intent.operation is not None
    found = _table_operands(reading, grids) if intent.operation is not Operation.ELAPSED else None
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
    shown = range(len(found.evidence))
    if work.picked:  # a largest or smallest value: its row is the evidence, not all of them
        shown = [o.source for o in found.operands if o.label == work.picked][:1]
    for i in shown:
        lines.append(f"{_short(found.evidence[i].display)} {{{i}}}")
    return _dedupe(lines), found.evidence


def _table_operands(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]]
) -> _Operands | None:
    """Operands from one table: named rows × a named column, named columns × a named row,
    or a whole column for max/min."""
    best: _Operands | None = None
    for grid, hit, relevance in grids:
        if grid.pairs:
            continue
        chosen, score = _table_cells(reading, grid)
        if not chosen:
            continue
        operands, evidence = _cell_operands(chosen, hit)
        score += relevance
        if operands and (best is None or score > best.score):
            best = _Operands(operands, evidence, score=score)
    return best


def _table_cells(reading: Reading, grid: Grid) -> tuple[list[CellMatch], float]:
    """The cells an operation works on in ``grid``, and how surely the question names them."""
    operation = reading.intent.operation
    matches = match_cells(grid, reading.question, reading.words, reading.idf, reading.same)
    columns = [
        (c, s + _coverage(reading, cell_tokens(grid.columns[c]), reading.focus))
        for c, s in column_matches(grid, reading.question, reading.words, reading.idf, reading.same)
    ]
    columns.sort(key=lambda x: -x[1])
    rows = _named(matches, lambda m: (m.row, m.row_label), lambda m: m.row_score)
    body = [r for r, (_, cells) in enumerate(grid.rows) if any(is_numeric(c) for c in cells)]
    if not rows and len(body) == 1:
        rows = body  # a one-row table needs no row named
    pair = operation in (Operation.DIFFERENCE, Operation.RATIO)
    chosen: list[CellMatch] = []
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
            named = sorted(named[:2])
        elif not named and operation in (Operation.AVERAGE, Operation.SUM):
            named = [c for c in range(len(grid.columns)) if c not in grid.label_columns]
        chosen = [_cell(grid, rows[0], c) for c in named]
        if operation is Operation.DIVIDE:
            chosen = chosen[:1]
    chosen = [m for m in chosen if m is not None and is_numeric_or_moment(m.value)]
    chosen = [m for m in chosen if not m.is_total and not _TOTAL_COLUMN.match(m.column_name)]
    if len(chosen) < (1 if operation is Operation.DIVIDE else 2):
        return [], 0.0
    score = sum(s for _, s in columns[:1]) + sum(m.row_score for m in chosen) / len(chosen)
    return chosen, score


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
            evidence.append(Evidence(hit, f"{hit.name} · {place.label}", place.quote,
                                     place.start, place.end, place.quote,
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


def _text_operands(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> _Operands | None:
    """Operands from sentences: the two moments of an elapsed time, or the one value a
    multiple is taken of."""
    operation = reading.intent.operation
    ranked = sorted(
        ((c.score, i) for i, (u, s, r) in enumerate(units)
         if (c := _unit_candidate(reading, u, s, r)) is not None),
        reverse=True,
    )  # fmt: skip
    if operation is Operation.ELAPSED:
        # every moment in the passages, best units first: the start and the end are often
        # far apart ("(10시14분 개의)" on one page, "(10시45분 산회)" on another)
        order = [units[i][0] for _, i in ranked]
        return _moments(reading, order)
    if operation in (Operation.SUM, Operation.DIFFERENCE, Operation.AVERAGE, Operation.RATIO):
        return _aligned_operands(reading, units)
    if operation is Operation.DIVIDE:
        for _, i in ranked[:3]:
            unit = units[i][0]
            kinds = reading.intent.value_kinds or (ValueKind.COUNT, ValueKind.NUMBER)
            values = [v for v in _own_values(reading, unit.display) if v.kind in kinds]
            if values:
                value = values[0]
                operand = Operand("", value.text, value.number, value.unit, None, 0)
                return _Operands([operand], [_unit_evidence(unit)])
    return None


def _aligned_operands(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> _Operands | None:
    """Operands from space-aligned table rows: each row the question names, in the column
    it names best (the same column for all)."""
    matches = _aligned_matches(reading, units)
    if not matches:
        return None
    column = matches[0][2]
    rows: dict[str, tuple[AlignedRow, str]] = {}
    for _, row, name, value, _ in matches:
        if name == column and row.label not in rows:
            rows[row.label] = (row, value)
    if len(rows) < 2:
        return None
    operands, evidence = [], []
    for label, (row, value) in list(rows.items())[:6]:
        found = find_values(value)
        number = found[0].number if found else None
        evidence.append(_unit_evidence(row.unit))
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
    if len(moments) < 2:
        return None
    start = _marked(moments, _START) or moments[0]
    end = _marked([m for m in moments if m is not start], _END)
    if end is None:
        later = [m for m in moments if m is not start]
        end = later[0] if later else None
    if end is None or end[0].when == start[0].when:
        return None
    operands, evidence = [], []
    for (value, unit), name in ((start, "시작"), (end, "끝")):
        if not any(e.start == unit.hit.start + unit.start for e in evidence):
            evidence.append(_unit_evidence(unit))
        index = next(i for i, e in enumerate(evidence) if e.start == unit.hit.start + unit.start)
        operands.append(Operand("", value.text, None, "", value.when, index))
    return _Operands(operands, evidence)


def _marked(moments: Sequence[tuple[Value, Unit]], words: re.Pattern[str]) -> tuple[Value, Unit] | None:
    for value, unit in moments:
        text = unit.display
        near = text[max(0, value.start - 12) : value.end + 12]
        if words.search(near):
            return value, unit
    return None


def _year_of(unit: Unit) -> int | None:
    match = re.search(r"(?<!\d)((?:19|20)\d{2})\s*[.년-]", unit.display)
    return int(match.group(1)) if match else None


# --- composing ------------------------------------------------------------------------------


def _compose(candidates: Sequence[Candidate]) -> tuple[list[str], list[Evidence]]:
    """Lead lines first (one per fact), then each evidence line once, ``{n}`` marking
    the citation of evidence n."""
    evidence: list[Evidence] = []

    def cite(e: Evidence) -> int:
        for i, seen in enumerate(evidence):
            if seen.start == e.start and seen.end == e.end and seen.hit.doc_id == e.hit.doc_id:
                return i
        evidence.append(e)
        return len(evidence) - 1

    leads, quotes = [], []
    for c in candidates:
        n = cite(c.evidence)
        if c.lead:
            leads.append(f"{c.lead} {{{n}}}")
        quotes.append(f"{_short(c.evidence.display)} {{{n}}}")
        for extra in c.extra:
            quotes.append(f"{_short(extra.display)} {{{cite(extra)}}}")
    return _dedupe(leads + quotes), evidence


def _short(text: str) -> str:
    """A quote cut at a word boundary when it is very long (a 600-character cell)."""
    if len(text) <= _EVIDENCE_CHARS:
        return text
    cut = text.rfind(" ", 0, _EVIDENCE_CHARS)
    return text[: cut if cut > 0 else _EVIDENCE_CHARS] + " …"


def _dedupe(lines: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        key = re.sub(r"\s*\{\d+\}", "", line).strip()
        if key and key not in seen:
            seen.add(key)
            out.append(line)
    return out


def to_answer(
    question: str,
    language: str,
    lines: Sequence[str],
    evidence: Sequence[Evidence],
    hits: Sequence[Hit],
) -> Answer:
    """The :class:`Answer` for composed ``lines``: ``{n}`` becomes ``[n+1]`` and each cited
    evidence a :class:`Citation`."""
    used = sorted({int(n) for line in lines for n in re.findall(r"\{(\d+)\}", line)})
    number = {old: new for new, old in enumerate(used, start=1)}
    text = "\n".join(re.sub(r"\{(\d+)\}", lambda m: f"[{number[int(m.group(1))]}]", line) for line in lines)
    citations = tuple(
        Citation(number[i], e.hit.doc_id, e.hit.document, e.label, e.quote, e.start, e.end, e.page)
        for i, e in enumerate(evidence)
        if i in number
    )
    return Answer(question, text, citations, False, language, hits=tuple(hits))
