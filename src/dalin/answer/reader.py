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

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import NamedTuple

from dalin.answer.acts import rules_other_act
from dalin.answer.ages import age_candidate
from dalin.answer.applied_rate import applied_rate
from dalin.answer.article_of import article_holding
from dalin.answer.article_titles import article_title
from dalin.answer.asked import (
    NAMED_BY_VALUE,
    attribute_forms,
    counts_other_thing,
    english_attribute,
    holds_attribute,
    latin_names,
    names_absent,
    per_one_unsaid,
    restricted_unasked,
    same_counters,
    states_other_filter,
    which_noun,
)
from dalin.answer.bill_records import bill_record
from dalin.answer.candidates import (
    all_candidates,
    is_title,
    names_act,
    names_other_act,
    names_other_instrument,
    runners_up,
    steps_after,
)
from dalin.answer.cells import person_name
from dalin.answer.chains import chain_step
from dalin.answer.clauses import clause_text
from dalin.answer.coded_fields import coded_field
from dalin.answer.cohorts import asked_term, under_term
from dalin.answer.columns import column_candidate
from dalin.answer.contacts import press_contact
from dalin.answer.contents import heading_page
from dalin.answer.equal_split import equal_split
from dalin.answer.evidence import Unit, opens_unit, passage_units, rejoin, repeated_lines
from dalin.answer.flag_values import flag_values
from dalin.answer.following import written_after
from dalin.answer.form_fields import form_field
from dalin.answer.intent import Asked, Intent, Operation
from dalin.answer.letterhead import letterhead_field
from dalin.answer.lexicon import ROLES
from dalin.answer.list_count import counted_items, listed_codes
from dalin.answer.locator import located
from dalin.answer.named_items import named_items
from dalin.answer.numbered_titles import documents_most_about, numbered_title, title_number
from dalin.answer.operands import (
    arithmetic_answer,
    counted_range,
    games_played,
    listed_total,
    row_total,
)
from dalin.answer.polarity import NO, YES, other_case
from dalin.answer.positions import positioned_cell
from dalin.answer.prefixed import prefixed_items
from dalin.answer.reader_question import (
    QUOTED,
    Candidate,
    Evidence,
    Reading,
    Sources,
    articles_in,
    counted_thing,
    dedupe_lines,
    focus_share,
    part_reading,
    quoted_words,
    reading_for,
    short_quote,
    unit_evidence,
)
from dalin.answer.row_count import counted_rows
from dalin.answer.share_counts import share_count, stated_share
from dalin.answer.shown_work import is_year
from dalin.answer.stated_units import stated_unit
from dalin.answer.subjects import LOOK_IN, about_someone_else, other_named_thing
from dalin.answer.tables import Grid, read_grid, squash
from dalin.answer.values import DATA_UNIT, FAX, ValueKind, find_values
from dalin.answer.yes_no import (
    compared_candidate,
    cost_compared,
    listed_lead,
    offence_grade,
    other_direction,
    other_frequency,
    other_office,
    other_order,
    other_side,
    other_version,
    prescribed_otherwise,
    quoted_measure,
    respective_comparison,
    ruling_lead,
    unranked,
    yes_no_candidate,
)
from dalin.text.korean import ENGLISH_STOPWORDS, has_korean, kiwi, tokenize
from dalin.types import Answer, Citation, Hit, StoredTable

#: passages whose units are read
MAX_PASSAGES = 8
#: tables read per document (a workbook can hold hundreds)
MAX_TABLES = 80


class Read(NamedTuple):
    """What the reader found: the answer's lines (``{n}`` cites ``evidence[n]``), and the
    candidates the lines state (none for a computed answer)."""

    lines: list[str]
    evidence: list[Evidence]
    chosen: tuple[Candidate, ...] = ()


def read_answer(
    question: str,
    words: Sequence[str],
    relevant: Sequence[tuple[Hit, float]],
    idf: Mapping[str, float],
    equivalents: Sequence[tuple[frozenset[str], frozenset[str]]],
    language: str,
    sources: Sources,
) -> Read | None:
    """The answer's lines (``{n}`` marks where evidence n is cited), its evidence and the
    candidates it was chosen from, or None when nothing in ``relevant`` answers."""
    reading = reading_for(question, words, idf, equivalents, language)
    if _article_unwritten(question, relevant):
        return None  # "KBO 리그 규정 제24조는 무엇에 관한 조항?" over rules that stop at 제23조
    units = _units(relevant)
    grids = _grids(relevant, sources)
    flags = flag_values(reading, relevant)
    if flags is not None:
        return Read(*_compose([flags]), (flags,))  # "target 옵션 값과 feature 옵션 값은 각각"
    record = bill_record(reading, relevant, sources)
    if record:
        return Read(*_compose(record), tuple(record))  # "누가 대표발의했고, 언제 회부됐어요?"
    parts = two_facts(question) if reading.intent.operation is None else []
    if parts:
        answers = [
            _answer_one(part_reading(reading, p), units, grids, relevant, sources) for p in parts
        ]
        found = [a for a in answers if a is not None]
        if found:
            return Read(*_compose([_completed(c, sources) for c in found]), tuple(found))
    named = named_items(reading, relevant)
    if named is not None:
        return Read(*_compose([named]), (named,))  # "교육 과정 두 가지는 뭐예요?"
    held = article_holding(reading, units)
    if held is not None:
        return Read(*_compose([held]), (held,))  # "… 감독할 수 있다고 정한 조항은 몇 조인가요?"
    titled = article_title(reading, relevant) if reading.intent.operation is None else None
    if titled is not None:
        return Read(*_compose([titled]), (titled,))
    if reading.intent.operation is None:
        clause = clause_text(reading, relevant, sources)
        if clause is not None:
            return Read(*_compose([clause]), (clause,))  # "제23조 제1항은 어떤 경우를 …"
        page = heading_page(reading, relevant)
        if page is not None:
            return Read(*_compose([page]), (page,))  # "'결론 내용 2'는 몇 쪽에서 시작해요?"
        numbered = numbered_title(reading, relevant, sources)
        if numbered is not None:
            return Read(*_compose([numbered]), (numbered,))  # "4.2절 제목이 뭐예요?"
        coded = coded_field(reading, relevant)
        if coded is not None:
            return Read(*_compose([coded]), (coded,))  # "청구 번호(Claim #)가 뭐예요?"
        footer = letterhead_field(reading, relevant, sources)
        if footer is not None:
            return Read(
                *_compose([footer]), (footer,)
            )  # "재단 주소의 우편번호는?" over "우 | 32983"
        contact = press_contact(reading, relevant, sources)
        if contact is not None:
            return Read(*_compose([contact]), (contact,))  # "이천선수촌 책임자 과장님 이름은?"
        place = located(reading, units, sources)
        if place is not None:
            return Read(*_compose([place]), (place,))  # "… 설명한 부분은 몇 절이에요?"
    graded = offence_grade(reading, units) if reading.intent.asked is not Asked.YES_NO else None
    if graded is not None:
        return Read(*_compose([graded]), (graded,))  # "… 어느 수준 위규로 분류돼요?"
    counted = (
        listed_codes(reading, grids)
        or counted_rows(reading, grids)
        or counted_items(reading, relevant, grids, sources)
    )
    if counted is not None:
        return Read(*counted)
    places = (units, relevant, grids)
    # a figure no line states, made from ones the passages or the question give
    derived = (
        share_count(reading, places)
        or stated_share(reading, places)
        or equal_split(reading, units)  # "사업금액을 … 기관 수로 똑같이 나누면": 금액 ÷ 69개
        or applied_rate(reading, units)  # "1,062,888천원을 … 0.5%를 적용하면": × 0.5%
        or games_played(reading, units)  # "몇 경기를 치른 셈" over "16승 14패": 16 + 14
    )
    if derived is not None:
        return Read(*derived)  # "'구문 변형' 유형은 대략 몇 개": 350개 × 48.0%
    stated = _stated(reading, units, grids, relevant, sources)
    if stated is not None:
        return Read(*_compose([_completed(stated, sources)]), (stated,))
    if reading.intent.operation is not None:
        computed = arithmetic_answer(reading, units, grids, relevant, sources)
        if computed is not None:
            return Read(*computed)
    answer = _answer_one(reading, units, grids, relevant, sources)
    if answer is not None and reading.intent.operation is None and answer.typed:
        # "모두 몇 개": 350개, 200개 in a sentence, or the cells of a row
        summed = listed_total(reading, answer.evidence) or row_total(reading, answer.evidence)
        if summed is not None:
            return Read(*summed)
    if reading.intent.asked is Asked.COUNT and (answer is None or not answer.typed):
        # no count stated: "몇 건" may be stated as a range ("제2항부터 제39항까지")
        counted = counted_range(reading, units)
        if counted is not None:
            return Read(*counted)
    if answer is None:
        return None
    return Read(*_compose([_completed(answer, sources)]), (answer,))


#: a question about what an article it names says: "제24조는 무엇에 관한 조항인가요?"
_ABOUT_ARTICLE = re.compile(r"조(?:의\s*\d+)?\s*(?:은|는)\s*(?:무엇|어떤|뭐|어떻게)")


#: the least share of the best document's coverage a document must have to be one the
#: question is about (not one let in only for citing the article number)
_ABOUT_SHARE = 0.8


def _article_unwritten(question: str, relevant: Sequence[tuple[Hit, float]]) -> bool:
    """Whether the question asks what an article says and no passage of the documents most
    about the question names it: the rules hold other articles, not this one (another
    document's "「개인정보 보호법」 … 제24조제3항" is another law's)."""
    named = articles_in(question)
    if not named or _ABOUT_ARTICLE.search(question) is None:
        return False
    documents = documents_most_about(relevant, len(relevant))
    about = {hit.doc_id for hit, share in documents if share >= _ABOUT_SHARE * documents[0][1]}
    return not any(named & articles_in(hit.text) for hit, _ in relevant if hit.doc_id in about)


#: the words a document states an aggregate under, by the operation a question asks for
_STATED_MARKS = {
    Operation.AVERAGE: re.compile(r"평균|average|\bmean\b", re.I),
    Operation.SUM: re.compile(r"합계|총계|총합|총액|\btotal\b|\bsum\b", re.I),
    Operation.MAX: re.compile(r"최대|최고|가장\s*(?:많|큰|높|긴)|maximum|highest|largest", re.I),
    Operation.MIN: re.compile(r"최소|최저|가장\s*(?:적|작|낮|짧)|minimum|lowest|smallest", re.I),
}
#: the least share of what is asked about a stated aggregate's line must hold
_STATED_FOCUS = 0.5


def _stated(
    reading: Reading,
    units: Sequence[tuple[Unit, float, int]],
    grids: Sequence[tuple[Grid, Hit, float]],
    relevant: Sequence[tuple[Hit, float]],
    sources: Sources,
) -> Candidate | None:
    """The aggregate asked for, where a document states it: "평균 며칠 간격으로 릴리스했나요?"
    is answered by "평균 릴리스 간격(일) | 18.3", not by averaging two numbers of another
    table. The line must name the aggregate in the label of its one value and hold what is
    asked about."""
    mark = _STATED_MARKS.get(reading.intent.operation) if reading.intent.operation else None
    if mark is None:
        return None
    plain = replace(reading, intent=replace(reading.intent, operation=None))
    best = _answer_one(plain, units, grids, relevant, sources)
    if best is None or not best.lead or not best.typed or best.focus < _STATED_FOCUS:
        return None
    label, _, value = best.lead.rpartition(":")
    if not label.strip() and value.strip():
        return _marked_in_sentence(best, mark)  # "문서당 평균 2.15개의 질문"
    if not value.strip() or not mark.search(label) or find_values(label):
        return None  # a label of one value only: "· 청년 : 6명 · 평균연령 : 53세 현황" is a list
    return best


#: how far before a value in a sentence the aggregate's word may be: "평균 2.15개"
_MARK_GAP = 6


def _marked_in_sentence(best: Candidate, mark: re.Pattern[str]) -> Candidate | None:
    """The sentence's value the aggregate's word is written right before, with that word
    ("문서 47,957개에 문서당 평균 2.15개의 질문" → "평균 2.15개"), of the kind the best one
    is; None when none is."""
    text = best.evidence.display
    kinds = {v.kind for v in find_values(best.lead)}
    for value in find_values(text):
        begin = max(0, value.start - _MARK_GAP)
        named = mark.search(text, begin, value.start)
        if value.kind in kinds and named is not None:
            lead = text[named.start() : value.end]  # "평균 2.15개", "합계: 17,737,227건"
            return Candidate(best.score, lead, best.evidence, best.extra, typed=True,
                             focus=best.focus, relevance=best.relevance)  # fmt: skip
    return None


#: a rendered table row: "단계: Phase 4 — 마감 | 범위: …"
_ROW_FIELDS = re.compile(r"^[^|\n]{1,40}: .*\s\|\s[^|\n]{1,40}: ")
_SENTENCE_DONE = re.compile(r"(?:[.?!。]|[다음함임요]\.?)\s*$")
_NEXT_END = re.compile(r"[.?!。](?=\s|$)")
#: how far past a passage's end a sentence is followed into the next passage
_FOLLOW_CHARS = 300


#: the longest line read on to finish a sentence the layout broke before its end
_CLOSING_LINE = 60


def _completed(candidate: Candidate, sources: Sources) -> Candidate:
    """The candidate with its evidence sentence finished when it stops mid-sentence: at a
    passage's end (a chunk boundary is no place to stop reading: "(안 제15조제" / "5항 및
    제22조제3항)"), or at a short PDF line whose next line closes the sentence ("…승인 없이
    사업수행 중" / "임의로 교체할 수 없음")."""
    e = candidate.evidence
    if _SENTENCE_DONE.search(e.display) or _ROW_FIELDS.search(e.display):
        return candidate  # a table row ends with its last cell, not a sentence ("판단: 진행 중")
    hit_end = e.hit.start + len(e.hit.text)
    if e.end < hit_end:
        tail = _closing_line(e.hit.text[e.end - e.hit.start :])
    elif sources.read is not None:
        more = sources.read(e.hit.doc_id, e.end, e.end + _FOLLOW_CHARS + 100)
        end = _NEXT_END.search(more)
        tail = more[: end.end()] if end is not None and end.end() <= _FOLLOW_CHARS else ""
    else:
        tail = ""
    if not tail:
        return candidate
    quote = f"{e.quote}\n{tail}"
    finished = Evidence(e.hit, e.label, quote, e.start, e.end + 1 + len(tail),
                        rejoin(quote), e.page)  # fmt: skip
    lead = candidate.lead if candidate.lead != e.display else finished.display
    return Candidate(candidate.score, lead, finished, candidate.extra)


#: the most lines after a broken sentence that may still close it
_CLOSING_LINES = 3


def _closing_line(after: str) -> str:
    """The lines right after a broken sentence when they close the sentence: up to
    :data:`_CLOSING_LINES`, each short, no list item or field of its own, the last ending as
    a sentence ends ("…순수 텍스트가 90단어" / "이하로 매우 짧은 문단과 …" / "… 부분들은
    제거하였다."). Empty otherwise."""
    if not after.startswith("\n"):
        return ""
    taken: list[str] = []
    for line in after[1:].split("\n")[:_CLOSING_LINES]:
        if not line.strip() or len(line) > _CLOSING_LINE or opens_unit(line):
            return ""
        taken.append(line)
        if _SENTENCE_DONE.search(line):
            return "\n".join(taken)
    return ""


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
        checked = _same_as_stated(reading, units, grids, relevant, sources)
        if checked is not None:
            return checked  # "85.7%가 표 3의 Human F1 값과 같은 숫자인가요?" over 83.9
        column = column_candidate(reading, grids, sources)
        if column is not None:
            return column  # "'금주 진행업무' 표에 예정일자 적는 칸이 있나요?": its header
        compared = (
            compared_candidate(reading, units)
            or cost_compared(reading, units)  # "20억 원이 넘는 사업인가요?" and "사업금액 : …"
            or respective_comparison(reading, units)
            or quoted_measure(reading, units, sources)
        )
        if compared is not None:
            return compared  # "평균연령은 50세를 넘었나요?" over "평균연령 : 53세"
        office = (
            other_office(reading, units)
            or other_direction(reading, units)
            or other_order(reading, units)
            or other_side(reading, units)
            or other_frequency(reading, units)
        )
        if office is not None:
            return office  # "장미란 차관은 제1차관인가요?" over "장미란 제2차관은 …"
        ruled = yes_no_candidate(reading, units)
        if ruled is not None and _names_absent(reading, ruled, sources):
            versioned = other_version(reading, units)
            if versioned is not None:
                return versioned  # "SQuAD 2.0과 같은 방식인가요?" over "SQuAD v1.0과 동일한"
            # "office2pdf로 … 바꿀 수 있나요?" is not ruled on by the RFP's 위규사항: only the
            # documents that write every name the question writes may rule
            unnamed: dict[int, bool] = {}
            units = [
                (u, s, r) for u, s, r in units
                if not _absent_in(reading, Candidate(0.0, "", unit_evidence(u)), sources, unnamed)
            ]  # fmt: skip
            ruled = yes_no_candidate(reading, units)
        if (
            ruled is not None
            and prescribed_otherwise(reading.question, ruled.evidence.display) is None
            and rules_other_act(reading.question, ruled.evidence.display, reading.same)
        ):
            return None  # "내려받을 수 있나요?" is not ruled on by "실행할 수 있도록"
        if ruled is not None and unranked(reading.question, ruled.evidence.display):
            return None  # "가장 많은 곳이 환경노동위원회인가요?" over "위원장님께서도 …"
        if ruled is not None:
            finished = _completed(ruled, sources)
            if finished.evidence.display != ruled.evidence.display:
                # a line or the passage ended mid-sentence ("승인 없이 사업수행 중" /
                # "임의로 교체할 수 없음"): the ruling is the whole sentence's
                lead = ruling_lead(reading, finished.evidence.display)
                finished = Candidate(finished.score, lead, finished.evidence, finished.extra)
            return finished
    after = written_after(reading, relevant)
    if after is not None:
        return after  # "'테스트 누름틀' 뒤에 적힌 영문자는" over "테스트 누름틀 ABCD 1234567"
    listed = prefixed_items(reading, relevant)
    if listed is not None:
        return listed  # "'HY'로 시작하는 두 가지는" over "폰트 : 돋움체, …, HY견고딕, …"
    numbered = title_number(reading, relevant, sources)
    if numbered is not None:
        return numbered  # "대중교통환승센터는 몇 번 표준으로 …?" over "119) 대중교통환승센터"
    step = chain_step(reading, relevant)
    if step is not None:
        return step  # "Typst 조판 바로 앞 단계는?" over "ZIP … → 문서 모델 구성 → Typst 조판 → …"
    aged = age_candidate(reading, units)
    if aged is not None:
        return aged  # "김하성 나이는 몇 살" over "김하성(27·샌디에이고 파드리스)이 …"
    # a place counted from a quoted cell first: "'표 뒤집기'인 행 바로 아래 행의 제목 칸" names
    # the 제목 field too, and a form's reading would give the quoted row's own
    field = (
        positioned_cell(reading, grids)
        or stated_unit(reading, relevant, sources)  # "경영 실태(서식2)는 금액을 어떤 단위로"
        or form_field(reading, grids)
    )
    if field is not None:
        return field  # "작성자 칸에는 뭐라고" over "작성일자 | 0000년 … | 작성자 | 한 글"
    candidates = all_candidates(reading, units, grids, sources)
    if not candidates:
        return None
    best = _pick(reading, candidates)
    if _names_absent(reading, best, sources):
        # "Kraxi invoice …?" is not answered from another company's estimate: only the
        # documents that write every name the question writes are read
        absent: dict[int, bool] = {}
        candidates = [c for c in candidates if not _absent_in(reading, c, sources, absent)]
        if not candidates:
            return None
        best = _pick(reading, candidates)
    best = _on_named_page(reading, best, candidates, units)
    act = _counted_act(reading)
    if act:
        # "직접고용으로 전환된 판매사원은 몇 명" is not answered by the 판매사원 "불법적으로
        # 공급받아 사용한" count: what the things counted went through must be stated
        narrowed = _narrowed(reading, candidates, best, lambda c: _states_act(reading, c, act))
        if narrowed is None:
            return None
        candidates, best = narrowed
    if names_other_act(reading.question, best.lead or best.evidence.display):
        # "대규모유통업법 개정안의 의안번호" is not the 근로기준법 개정안's: the act tells the
        # passages apart, so the answer must name it
        candidates = [
            c for c in candidates if names_act(reading.question, f"{c.lead} {c.evidence.display}")
        ]
        if not candidates:
            return None
        best = _pick(reading, candidates)
    # "… 법률 시행령 일부개정령의 공포번호" is not the 시행규칙's row; "v0.1.0은 언제
    # 릴리스됐나요?" is not answered by the latest release's row
    versions = _VERSION.findall(reading.question)
    for keep in (
        lambda c: not names_other_instrument(reading.question, c.lead or c.evidence.display),
        lambda c: not versions or _writes(c, versions),
    ):
        narrowed = _narrowed(reading, candidates, best, keep)
        if narrowed is None:
            return None
        candidates, best = narrowed
    when = _WHEN_ACT.search(reading.question) if reading.intent.asked is Asked.DATE else None
    if when is not None:
        # "… 조항은 언제 개정된 거라고" is answered by "(2019.3.19 ➜ 2019.7.19 개정)", not by
        # the 개막전's date the article sets: the line names the act and a date (the dates
        # stand when no such line does)
        narrowed = _narrowed(reading, candidates, best, lambda c: c.typed and _writes(c, [when[1]]))
        candidates, best = narrowed or (candidates, best)
    if reading.intent.asked is Asked.NUMBER and _FILE_SIZE_ASKED.search(reading.question):
        # "Training Set 파일은 용량이 얼마예요?" is answered by "Training Set (37MB)", not by
        # "Training set 60,407 개", a count of what the file holds
        narrowed = _narrowed(reading, candidates, best, lambda c: _size_of_named(reading, c))
        candidates, best = narrowed or (candidates, best)
    if _ASKS_WHEN_DONE.search(reading.question) and not _ASKS_DUE.search(reading.question):
        # "행사는 언제 열리나요?" is not answered by "… 2024. 8. 2.(금)까지 추천하여": a day
        # things are due by is no day something happens, nor is the day of another act
        narrowed = _narrowed(
            reading, candidates, best, lambda c: not _due_by(c) and not _other_dated_act(reading, c)
        )
        if narrowed is None:
            return None
        candidates, best = narrowed
    term = asked_term(reading.question)
    if term is not None:
        # "제2기 … 공공기관 출신은 몇 명" is read under "□ 2기 탄중위", not under 1기's heading
        # or in another table naming no term (the lines of no section stand when none is)
        narrowed = _narrowed(reading, candidates, best, lambda c: under_term(c, term))
        candidates, best = narrowed or (candidates, best)
    if reading.intent.numbering:
        candidates, best = _naming_whole(reading, candidates, best)
    value_asked = bool(reading.intent.counter) or reading.intent.asked in _VALUE_ONLY
    stated = best.lead or best.evidence.display
    if not best.typed and (
        best.focus < 0.5 or best.relevance < _SURE
        or (value_asked and not _NUMBER_WRITTEN.search(_ITEM_MARK.sub("", stated)))
        or not _counts_with(reading.intent, stated, reading.question)
        or (_ASKS_WHEN.search(reading.question) and not _WHEN_WORDS.search(stated))
    ):  # fmt: skip
        return None  # it asks for an amount, a date, …; nothing here surely states one
    if reading.intent.asked is Asked.COUNT and _numbers_asked_with(best.lead, reading.question):
        return None  # "'2012 At a Glance' 쪽에는 몇 개 달" is not answered by its own 2012
    if _NUMBER_ASKED.search(reading.question) and not re.search(r"\d", stated):
        return None  # "… 특별법안 의안번호는?" is not answered by the bill's name alone
    if best.focus == 0 and reading.language == "en" and has_korean(best.evidence.display):
        return None  # "the salary of the project manager" over a count of 관리 요구사항
    if not best.lead and _says_only_the_question(best.evidence.display, reading.question):
        return None  # "Jane Doe는 어느 회사 소속이고 직함이 뭐예요?" is not answered by "Jane Doe"
    if _about_topic_only(reading, best):
        return None  # "입찰 보증금은?" over a passage on the project that states no bond
    if _names_no_body(reading.question, best.lead or best.evidence.display):
        return None  # "김승완 교수는 어느 대학 소속?" is not answered by "청년 1명(김승완 교수)"
    if counts_other_thing(reading.question, best.lead or best.evidence.display):
        return None  # "몇 층에 있나요?" is not answered by "회의록 제 1 호"
    if (
        reading.intent.value_kinds
        and not reading.intent.numbering
        and per_one_unsaid(reading.question, f"{best.lead} {best.evidence.display}")
    ):
        return None  # "기관 한 곳에서 몇 명까지" is not answered by "심사위원 후보 21명"
    if restricted_unasked(reading.question, best.evidence.display):
        return None  # "자본금 규모와 상관없이 … 몇 개" is not "자본금이 1억 원 이상인 … 6,835개"
    if _fraction_counted(reading.intent, best.lead) and not _RATE.search(reading.question):
        return None  # "GPU를 몇 장 썼나요?" is not answered by "검증 데이터 EM: 30.8"
    if _measure_unwritten(reading.intent, f"{best.lead} {best.evidence.display}"):
        return None  # "전체 용량이 몇 GB?" is not answered by "외부 대량 코퍼스 수량: 2,695"
    if _department_unnamed(reading.question, f"{best.lead} {best.evidence.display}"):
        return None  # "어느 부서로 제출하나요?" is not answered by "요구사항 분류: …"
    if _hours_unwritten(reading, best.lead or best.evidence.display):
        return None  # "경기 시간이 얼마나 걸렸나요?" is not answered by "22일 만에"
    if _template_prompt(reading, best.lead or best.evidence.display):
        return None  # "CEO 이름은?" is not answered by a template's "인사말 내용을 입력하세요."
    if _announcement_unwritten(reading, f"{best.lead} {best.evidence.display} {best.context}"):
        return None  # "심사 결과는 언제 발표되나요?" is not answered by "심사일정: 2024. 8. 13."
    if _end_unwritten(reading, f"{best.lead} {best.evidence.display}"):
        return None  # "심사는 몇 시에 끝나요?" is not answered by "심사일정: … 14:00"
    if _reference_unwritten(reading.question, f"{best.lead} {best.evidence.display}"):
        return None  # "몇 년 몇 월 기준 자료인가요?" is not answered by the day a bill came
    if _threshold_unasked(reading, best):
        return None  # "탈락한 쌍은 몇 %" is not answered by "과제 성공률 85% 이상인 작업자"
    if _other_split(reading.question, f"{best.lead} {best.evidence.display} {best.context}"):
        return None  # "테스트셋에는 몇 개" is not answered by "Dev set 5,774 개"
    if states_other_filter(
        reading.question, best.lead or best.evidence.display, reading.intent.asked
    ):
        return None  # "11월 토요일 경기는?" is not answered by the 3월 row
    if _misses_what_is_asked(reading, best):
        return None  # "the deductible on …?" over a line naming only who and what it is
    if about_someone_else(reading, best, units):
        return None  # "후안 소토는 몇 타수 몇 안타" is not said by "… 김하성은 이날 4타수 2안타"
    if other_named_thing(reading, best, units):
        return None  # "the TriviaQA dataset's questions" are not KorQuAD's "질문 합계"
    if _sibling_labelled(reading.question, best):
        return None  # "Test set에는 몇 개" is not answered by "Training set 60,407 개"
    if _other_column(reading, best, grids):
        return None  # "'Table Missing Value' 시트의 col_d 열" over "col_c: TRUE" (col_d blank)
    if _misses_english_attribute(reading, best):
        return None  # "Zava Auto Repair's business hours?" over the letterhead's name
    if _someone_elses_contact(reading, best):
        return None  # "John Q. Doe's phone number" is not the letterhead's "Phone 7079 4301"
    if _event_unwritten(reading, f"{best.lead} {best.evidence.display} {best.context}"):
        return None  # "On what date were the goods shipped?" is not the invoice's date
    if _ko_event_unwritten(reading, best):
        return None  # "첫 커밋이 올라온 날짜" is not the day the figures were read
    if _LENGTH_ASKED.search(reading.question) and _CONTENTS_LEADER.search(best.evidence.display):
        return None  # "몇 쪽 분량이에요?" is not answered by a contents line's page number
    if _fax_unwritten(reading, best):
        return None  # "체육정책과의 팩스 번호는?" is not answered by its phone "(044-203-3129)"
    if other_case(reading.question, f"{best.lead} {best.evidence.display}"):
        return None  # "조명시설이 있는 구장에서는 …?" is not ruled on by "… 없는 구장에서의"
    if reading.intent.asked is Asked.PERSON:
        byline = _byline(best, units)
        if byline is not None:
            return byline  # "Sample Title Slide" then "Jane Doe": the name under a title
        doer = _doer(reading, best)
        if doer is not None:
            return doer  # "누가 제출한 건가요?" over "… 결과 (2024. 3. 4. 고용노동부장관 제출)"
        if not _names_someone(reading, best):
            return None
    on_list = (
        listed_lead(reading, f"{best.lead} {best.evidence.display}")
        if reading.intent.asked is Asked.YES_NO
        else None
    )
    if on_list is not None:
        # "결재란에 사무국장도 올라 있나요?" over the 결재란's row "사원 | 팀장 | 사무국장 | …"
        return Candidate(best.score, on_list, best.evidence, best.extra)
    if reading.intent.asked is Asked.PROCEDURE:
        best.extra.extend(steps_after(best.evidence, units))
    elif not best.lead:
        best.extra.extend(runners_up(best, candidates))
    return best


def _says_only_the_question(line: str, question: str) -> bool:
    """Whether a short line that is no sentence writes no word the question does not: the
    name asked about, alone under a title, tells nothing about it. (A sentence may answer
    in words the tokens miss: "할로우바디는 두가지 종류로 나뉜다.")"""
    said = set(tokenize(line))
    if not said or len(said) > _NAME_TOKENS or _SENTENCE_END.search(line):
        return False
    return said <= set(tokenize(question))


#: the most tokens of a line that only names what is asked about
_NAME_TOKENS = 4
#: a line ending as a sentence ends
_SENTENCE_END = re.compile(r"(?:다|요|음|함)\.?\s*$|[.!?。]\s*$")


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


#: a yes/no question on whether a number it states is the value of something it names:
#: "사람의 F1 점수 85.7%가 성능 비교표(표 3)의 Human 평가 데이터 F1 값과 같은 숫자인가요?"
_SAME_AS = re.compile(
    r"(?<![\d.,])(?P<value>\d[\d,]*(?:\.\d+)?)\s*(?:%|[가-힣]{1,2})?\s*(?:가|이|는|은)\s+"
    r"(?P<named>[^?？]{4,80}?)\s*(?:과|와|하고|이랑|랑)\s*"
    r"(?:(?:같은|동일한|일치하는)\s*(?:숫자|값|수치|수|금액|번호)?\s*(?:인가요|인가|입니까|이에요|예요)"
    r"|(?:같|동일하|일치하)(?:나요|습니까|아요|은가요|은지))"
)


def _same_as_stated(
    reading: Reading,
    units: Sequence[tuple[Unit, float, int]],
    grids: Sequence[tuple[Grid, Hit, float]],
    relevant: Sequence[tuple[Hit, float]],
    sources: Sources,
) -> Candidate | None:
    """예 or 아니요 for whether the number a question states is the value of the thing it
    names, read as its own question ("성능 비교표(표 3)의 Human 평가 데이터 F1 값은
    얼마인가요?" → 83.9, so 85.7% is not it); None when the question is not so put or
    that value is not found."""
    asked = _SAME_AS.search(reading.question)
    if asked is None:
        return None
    part = part_reading(reading, f"{asked.group('named')}은 얼마인가요?")
    found = _answer_one(part, units, grids, relevant, sources)
    if found is None or not found.lead:
        return None
    values = [Decimal(n.replace(",", "")) for n in _DIGITS.findall(found.lead)]
    if not values:
        return None
    same = Decimal(asked.group("value").replace(",", "")) in values
    lead = f"{(YES if same else NO)[reading.language]} — {found.lead}"
    return Candidate(found.score, lead, found.evidence, found.extra)


#: a question for which body of a kind something belongs to, and how such a body is named:
#: "어느 대학 소속" by 대학, OO대 or a University; "어느 회사 소속" by (주), 주식회사, Inc.
_BODIES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(rf"(?:어느|어떤|무슨)\s*(?:{kind})(?![가-힣])"), re.compile(named, re.IGNORECASE))
    for kind, named in (
        ("대학|대학교|학교", r"대학|학교|[가-힣]대(?![가-힣])|universit|college|institute|KAIST"),
        ("보험회사|보험사", r"보험|insurance|assurance|mutual"),
        (
            "회사|기업|업체",
            r"회사|\(주\)|㈜|기업|그룹|[가-힣]{2}사(?![가-힣])|\b(?:inc|corp|ltd|llc|co)\b"
            r"|company|corporation|systems",
        ),
        ("정당", r"[가-힣]당(?![가-힣])|party"),
        ("은행", r"은행|bank"),
    )
)


def _names_no_body(question: str, stated: str) -> bool:
    """Whether the question asks which body of a kind (a university, a company, a party)
    something belongs to and the answer names none: "김승완 교수는 어느 대학 소속인가요?"
    over "청년 1명(김승완 교수)"."""
    return any(asked.search(question) and not named.search(stated) for asked, named in _BODIES)


def _numbers_asked_with(stated: str, question: str) -> bool:
    """Whether every number a lead states is one the question writes itself, a year or a
    large number: a count is something the passage tells, not the year of the title the
    question quotes ("2012 At a Glance"), nor the whole the question counts within ("9,309개
    질문 가운데 Long 답변 질문은 몇 개" is not 9,309). A small number may be both ("제2기 …
    로펌 출신은 몇 명": 로펌 2명); a sentence may count in words beside the year ("2016년 …
    시 두 편"), so only a lead (a field's value) is judged."""
    numbers = {n.replace(",", "") for n in _DIGITS.findall(stated)}
    asked = {n.replace(",", "") for n in _DIGITS.findall(question)}
    return (
        bool(numbers)
        and numbers <= asked
        and all(is_year(Decimal(n)) or Decimal(n) >= _LARGE for n in numbers)
    )


#: a number the question writes that no count it asks would repeat
_LARGE = Decimal(1000)


def _counted_act(reading: Reading) -> str:
    """The act that sets apart the things a count question counts: 전환 in "직접고용으로
    전환된 판매사원은 몇 명", 회부 in "소위원회로 회부된 법률안은 몇 건" ("" when none). The
    act must qualify the very nouns 몇 counts ("기재된 금강산 내 사찰 수는?" counts no act's
    things, "집계한 표에서 … 몇 개" neither)."""
    if reading.intent.asked is not Asked.COUNT:
        return ""
    tokens = kiwi().tokenize(reading.question)
    for i in range(len(tokens) - 3):
        noun, verb, ending = tokens[i], tokens[i + 1], tokens[i + 2]
        if not (noun.tag == "NNG" and len(noun.form) >= 2 and verb.tag == "XSV"
                and ending.tag == "ETM"):  # fmt: skip
            continue
        rest = tokens[i + 3 :]
        nouns = list(itertools.takewhile(lambda t: t.tag in ("NNG", "NNP"), rest))
        after = [t for t in rest[len(nouns) + 1 :] if t.tag != "MAG"]
        particle = rest[len(nouns)] if len(nouns) < len(rest) else None
        if (
            nouns
            and particle is not None
            and particle.tag.startswith("J")
            and after
            and (after[0].form == "몇")
        ):
            return str(noun.form)
    return ""


def _states_act(reading: Reading, candidate: Candidate, act: str) -> bool:
    text = f"{candidate.lead} {candidate.evidence.display}"
    if act in squash(text):
        return True
    return any(act in reading.same.get(t, frozenset()) for t in tokenize(text))


#: a number written in a line, not one of a name, a citation ("KorQuAD 1.0[1]") or a form's
#: placeholder ("0000년 00월"): digits, or a Korean numeral before a counter ("두 칸")
_NUMBER_WRITTEN = re.compile(
    r"(?<![A-Za-z\[]\s)(?<![A-Za-z\[.\d])(?!0{2,}(?!\d))\d"
    r"|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?(?:칸|개|명|번|곳|가지|차례|배|마리|권|살|달|해)"
)
#: a list item's number, which counts nothing: "6. 위험성평가 평가기준: …"
_ITEM_MARK = re.compile(r"(?:^|(?<=[:|]\s))\d{1,2}\.\s")
#: what only a value of its kind answers: a line about the topic that states no amount,
#: count, time, phone or e-mail says nothing of what is asked (a "rate" may be a price, not
#: a share, so shares are left out)
_VALUE_ONLY = frozenset((Asked.MONEY, Asked.COUNT, Asked.TIME, Asked.PHONE, Asked.EMAIL))
#: words that say when, though no date is written: "공포한 날부터", "승인 후 즉시", "7일
#: 이내" — a line asked "언제까지" that says none of them ("… 용역과 관련하여 평가위원을
#: 모집하오니") states no time at all
_WHEN_WORDS = re.compile(
    r"날|때|(?<![가-힣])[전후](?:에|부터|까지)?(?![가-힣])|까지|부터|즉시|이내|이전|이후|경과|동안|기간|시점|당일|익일|마다|매[년월일주]"
    r"|\d\s*(?:년|월|일|주|시|분)|when|before|after|until|within|upon|during|date|day|time",
    re.IGNORECASE,
)
#: "언제" asking when (not 언제나, 언제든): a date is read off questions on 일정, 기한 too
_ASKS_WHEN = re.compile(r"언제(?![나든])")
#: an act a record dates, whose day "언제" asks: "언제 개정된", "언제 시행했"; a release
#: or a debut is told in many words (발매: 발표하였고), so only these are held to the word
_WHEN_ACT = re.compile(
    r"언제\s*(개정|제정|시행|공포|폐지|신설|개최|체결|발효)(?:되|된|됐|돼|하|한|했|해)"
)
#: a version a question names: "v0.1.0", "v2.3", "1.4.2"
_VERSION = re.compile(
    r"(?<![A-Za-z\d.])(v\d+(?:\.\d+){1,3}|\d{1,2}\.\d+\.\d+)(?![A-Za-z\d]|\.\d)", re.I
)


def _counts_with(intent: Intent, line: str, question: str = "") -> bool:
    """Whether a line counts in the counter asked: "몇 명이 참여했나요?" is not answered by a
    sentence of scores (92.0%와 74.4%) that counts no one; "100만 명" counts people, and
    "7단지" counts the 단지 of "몇 개의 단지로"."""
    if intent.asked is not Asked.COUNT or not intent.counter:
        return True
    kin = set(same_counters(intent.counter))
    named = _COUNTED_NOUN.search(question)
    if named:
        kin.add(named.group(1))
    counters = "|".join(map(re.escape, sorted(kin, key=len, reverse=True)))
    return re.search(_COUNTED_IN.format(f"(?:{counters})"), line) is not None


#: the thing "몇 개의" counts, which a line may count in: "몇 개의 단지로" over "7단지까지"
_COUNTED_NOUN = re.compile(r"몇\s*개의\s+([가-힣]{1,4}?)(?=[은는이가을를로의에]|\s|$)")


#: a count per something, which may have a fraction: "초당 몇 개의 프레임" (29.97)
_RATE = re.compile(
    r"(?<![가-힣])(?:초|분|시간|일|주|월|년|명|인|개|회|건|가구|세대|1인)당|평균|\bper\b|\baverage\b",
    re.IGNORECASE,
)


def _fraction_counted(intent: Intent, lead: str) -> bool:
    """Whether a lead answers a count of things (몇 개, 몇 장, 몇 명) with a number that has
    a fraction: things are counted in whole numbers."""
    if intent.asked is not Asked.COUNT or intent.counter not in _WHOLE_COUNTERS:
        return False
    if re.search(r"\d\.\d+\s*[십백천만억]", lead):
        return False  # "1.5만 명" is fifteen thousand
    numbers = [v.number for v in find_values(lead) if v.number is not None]
    return bool(numbers) and numbers[-1] != numbers[-1].to_integral_value()


#: a particle or a suffix left on a counter read off its question ("버전으" of 버전으로, "회때"
#: of 제 몇 회때, "살부터" of 몇 살부터)
_PARTICLE_LEFT = re.compile(
    r"(?:짜리|가량|정도|부터|까지|때|쯤|째|으로|으|로|은|는|이|가|을|를|의|에)+$"
)
#: counters a document need not write beside the number: units of measure spelt in Hangul,
#: written in symbols ("35cm"), and versions, written as numbers ("KWCAG 2.1")
_WRITTEN_BARE = (
    *("미터", "센티", "밀리", "킬로", "그램", "리터", "평", "인치", "피트", "마일", "야드"),
    *("톤", "바이트", "기가", "메가", "테라", "헤르츠", "와트", "볼트", "퍼센트", "도", "칼로리"),
    "버전",
)
#: a version as written: "KWCAG 2.1", "v3", "버전 5", "Node.js 18" (a name and its number)
_VERSION_WRITTEN = re.compile(
    r"\d+\.\d+|(?<![A-Za-z])v\s?\d|버전|version|(?<![\w.])[A-Za-z][\w.+-]*\s\d{1,3}(?![\d.])", re.I
)
#: a question for the size of a file or of data: "파일은 용량이 얼마예요?", "file size"
_FILE_SIZE_ASKED = re.compile(
    r"(?:파일|데이터|다운로드|내려받)[^?]*(?:용량|크기)|(?:용량|크기)[^?]*(?:파일|데이터)"
    r"|file\s*size|how (?:large|big) is the (?:file|download)",
    re.I,
)


#: what names an amount of data
_SIZE_NAMES = frozenset(("용량", "크기", "사이즈", "size"))


def _size_of_named(reading: Reading, candidate: Candidate) -> bool:
    """Whether a candidate writes an amount of data beside a word the question names besides
    size ("Training Set (37MB)" for "Training Set 파일은 용량이"), not another thing's ("바이너리
    크기 요구사항: CLI 50MB 미만" for the .wasm file)."""
    if not _writes_size(candidate.lead):
        return False
    words = set(tokenize(f"{candidate.lead} {candidate.evidence.display}"))
    return bool((words & set(reading.focus)) - _SIZE_NAMES - {"파일", "file", "mb", "gb"})


def _writes_size(lead: str) -> bool:
    """Whether a lead writes an amount of data: "37MB", "1.2 GiB", "512 bytes"."""
    return any(DATA_UNIT.fullmatch(v.unit) for v in find_values(lead) if v.unit)


#: units of measure a question may ask a number in: the answer's line must write them
_MEASURES = re.compile(r"^(?:[KMGT]B|[kKmM]?[mgl]|km|kg|㎡|㎞|㎏|MHz|GHz|W|kW|V|ms)$")


def _measure_unwritten(intent: Intent, line: str) -> bool:
    """Whether a number asked in a unit of measure ("몇 GB") or in a counter noun ("몇
    에폭") is answered by a line that writes no such unit anywhere (a count of files, a
    score)."""
    if intent.asked is not Asked.NUMBER or not intent.counter:
        return False
    if not _MEASURES.match(intent.counter):
        # a counter noun of its own ("몇 에폭 동안 학습") is written beside its number; a
        # line that never writes it ("검증 데이터 EM: 30.8") counts something else
        counter = _PARTICLE_LEFT.sub("", intent.counter)  # "몇 버전으로": 버전
        if counter.startswith("버전"):
            return not _VERSION_WRITTEN.search(line)  # "office2pdf: 5" is a score, no version
        if counter.startswith(_WRITTEN_BARE):
            return False  # "몇 센티" is written "35cm", "몇 버전" "KWCAG 2.1"
        return len(counter) >= 2 and has_korean(counter) and counter not in squash(line)
    return re.search(rf"(?<![A-Za-z]){re.escape(intent.counter)}(?![A-Za-z])", line, re.I) is None


#: a question for when something ends: "몇 시에 끝날 예정인가요?", "종료 시각은?"
_ASKS_END = re.compile(
    r"끝나|끝날|끝난|끝내|마치|마쳐|마친|종료|폐회|폐막|when does .* end|end time", re.I
)
#: what writes an end: a range ("14:00~16:00", "14시부터 16시까지") or the end named
_END_WRITTEN = re.compile(
    r"[~∼〜～]|\d\s*[-–—]\s*\d|까지|종료|마감|끝|폐회|폐막|마침|\bto\b|\buntil\b|\bend", re.I
)


def _end_unwritten(reading: Reading, line: str) -> bool:
    """Whether a time asked for the end of something is answered by a line writing one
    time and no end: "심사일정: 2024. 8. 13.(화) 14:00" says when the review starts."""
    if reading.intent.asked is not Asked.TIME or not _ASKS_END.search(reading.question):
        return False
    return _END_WRITTEN.search(line) is None


#: a question for the part of an organisation something goes to: "어느 부서로" (not "어느
#: 팀으로", which may ask for a club: "우리 히어로즈")
_ASKS_DEPARTMENT = re.compile(
    r"(?:어느|어떤|무슨)\s*부서(?:로|으로|에|에서|가|이|은|는|를)?(?![가-힣])"
    r"|부서\s*(?:은|는|이|가)\s*어디"
)
#: a word naming a part of an organisation: "문화기획팀", "정보공개과", "경영지원실", "부서"
_DEPARTMENT = re.compile(
    r"[가-힣A-Za-z]*(?:부서|팀|과|부|실|처|국|본부|센터|담당관)"
    r"(?:으로|로|에서|에|은|는|이|가|을|를|의)?(?![가-힣])"
)


def _department_unnamed(question: str, line: str) -> bool:
    """Whether the department asked for is answered by a line naming none: "다 쓰고 나서
    어느 부서로 제출하나요?" over "요구사항 분류: 요구사항 상세설명"."""
    return bool(_ASKS_DEPARTMENT.search(question)) and not _DEPARTMENT.search(line)


#: a question for how long something takes in hours: "경기 시간이 얼마나 걸렸나요"
_ASKS_HOURS = re.compile(r"시간(?:이|은|은\s*총)?\s*(?:얼마나|몇\s*시간|몇\s*분)")
#: a length in hours, minutes or seconds: "3시간 12분", "40 minutes", "2h"
_HOURS = re.compile(r"\d\s*(?:시간|분|초)|\d\s*(?:h|hours?|min(?:ute)?s?|sec(?:ond)?s?)\b", re.I)


def _hours_unwritten(reading: Reading, stated: str) -> bool:
    """Whether a length of time asked as 시간 is answered by a line giving none in hours,
    minutes or seconds: "경기 시간이 얼마나 걸렸나요?" over "… 22일 만에 홈런"."""
    if reading.intent.asked is not Asked.DURATION or not _ASKS_HOURS.search(reading.question):
        return False
    return _HOURS.search(stated) is None


#: what a blank template writes where its content goes: "CEO 인사말 내용을 입력하세요."
_PROMPT = re.compile(r"(?:을|를)\s*입력\s*(?:하세요|하십시오|해\s*주(?:세요|십시오))\W*$")
#: what a template's prompt never answers: who, when, how much — a how-to may be an
#: instruction ("신청서에 성명을 입력하세요") and is let be
_FACTS_ASKED = frozenset((Asked.PERSON, Asked.PLACE, Asked.DATE, Asked.TIME, Asked.MONEY,
                          Asked.COUNT, Asked.NUMBER, Asked.PERCENT, Asked.DURATION))  # fmt: skip


def _template_prompt(reading: Reading, stated: str) -> bool:
    """Whether a fact is answered by a blank template's prompt for it ("CEO 이름이 누구로
    나와 있어요?" over "CEO 인사말 내용을 입력하세요."): the template states nothing yet."""
    return reading.intent.asked in _FACTS_ASKED and bool(_PROMPT.search(stated.strip()))


#: "언제 발표되나요", "언제 공고하나요": the date of an announcement is asked
_ASKS_ANNOUNCED = re.compile(r"언제\s*(?:쯤\s*)?(발표|공고|통보|공개|게시)")
#: what writes a date as an announcement's: the act, or the result announced
_ANNOUNCED = re.compile(r"발표|공고|통보|공개|게시|결과|고지")


def _announcement_unwritten(reading: Reading, line: str) -> bool:
    """Whether the date of an announcement is answered by a line writing no announcement:
    "심사 결과는 언제 발표되나요?" over "심사일정: 2024. 8. 13.(화) 14:00" dates the review."""
    if reading.intent.asked not in (Asked.DATE, Asked.TIME):
        return False
    return bool(_ASKS_ANNOUNCED.search(reading.question)) and not _ANNOUNCED.search(line)


#: a question for the date figures are given as of: "몇 년 몇 월 기준 자료인가요?"
_ASKS_REFERENCE = re.compile(r"(?:언제|몇\s*년(?:\s*몇\s*월)?|몇\s*월)\s*기준")
#: what writes a date as the one figures are given as of: "(2023.10월 기준)", "현재"
_REFERENCE_WRITTEN = re.compile(r"기준|현재|as of", re.I)


def _reference_unwritten(question: str, line: str) -> bool:
    """Whether the date figures are given as of is answered by a line writing no date as
    of which anything is given ("2023년 11월 10일 우리 위원회에 회부되었음")."""
    return bool(_ASKS_REFERENCE.search(question)) and not _REFERENCE_WRITTEN.search(line)


#: a question for a bound, not a share: "몇 % 이상이어야", "최소 비율", "기준은 몇 %",
#: "당선되기 위해서는 얼마의 득표가 필요한가"; or for what someone said, which may be one:
#: "얼마 차이로 낙승할 것이라고 주장하였는가" ("10% 이상 차이로")
_BOUND_ASKED = re.compile(
    r"이상|이하|미만|초과|넘|최소|최대|적어도|기준|한도|상한|하한|까지|필요|해야|하려면|되려면"
    r"|위해서는|[라다]고\s*(?:주장|말|밝|예상|전망|보|했|하였)"
    r"|at (?:least|most)|minimum|maximum|threshold|cut-?off|limit",
    re.I,
)


def _threshold_unasked(reading: Reading, best: Candidate) -> bool:
    """Whether a share or a measure is asked ("불통 판정을 받아 탈락한 쌍은 전체의 몇 %",
    "실제로 몇 MB로 측정됐나요?") and the best candidate's value is written as a bound
    ("과제 성공률 85% 이상인 작업자", "CLI 50MB 미만"): a bound a rule sets is no share or
    measure anything came to."""
    if reading.intent.asked not in (Asked.PERCENT, Asked.NUMBER):
        return False
    if _BOUND_ASKED.search(reading.question):
        return False
    bound = r"\s*(?:이상|이하|미만|초과)"
    asked = [v for v in find_values(best.lead) if v.kind in reading.intent.value_kinds]
    counted = [v for v in asked if v.unit and v.unit == reading.intent.counter]
    if any(re.match(bound, best.lead[v.end :]) for v in counted or asked[:1]):
        return True  # "CLI 50MB 미만(폰트 포함)", "100페이지 문서 기준 500MB 미만" for 몇 MB
    return _after_lead(best, bound) is not None  # "85%" of "과제 성공률 85% 이상인 작업자"


#: the parts a dataset is split into, each under its names: a figure of one part does
#: not answer for another
_SPLITS = (
    re.compile(
        r"train(?:ing)?\s*(?:set|data)|학습\s*(?:데이터|셋|세트)|훈련\s*(?:데이터|셋|세트)", re.I
    ),
    re.compile(
        r"dev(?:elopment)?\s*(?:set|data)|validation\s*(?:set|data)|검증\s*(?:데이터|셋|세트)", re.I
    ),
    re.compile(r"test\s*(?:set|data)|테스트\s*(?:셋|세트|데이터)|평가\s*(?:데이터|셋|세트)", re.I),
)


def _other_split(question: str, line: str) -> bool:
    """Whether a question names one part of a dataset and the answer's line names only
    others: "테스트셋에는 몇 개" is not answered by "… Dev set 5,774 개", nor "Dev set F1은"
    by a leaderboard "KorQuAD 1.0의 Test set으로 평가한" scores."""
    asked = [split for split in _SPLITS if split.search(question)]
    if len(asked) != 1:
        return False
    named = [split for split in _SPLITS if split.search(line)]
    return bool(named) and asked[0] not in named


#: counters of things, counted whole
_WHOLE_COUNTERS = frozenset(("개", "명", "건", "곳", "대", "장", "권", "편", "가지", "개사", "회"))
#: a number written with a counter: "3명", "100만 명", "세 명"
_COUNTED_IN = (
    r"(?:\d(?:\s?[십백천만억]+)?여?(?:\s?\([^()]{{1,12}}\))?|[한두세네]|다섯|여섯|일곱|여덟|아홉|열)"
    r"\s?{}"
)  # "700여명", "870만(±120만)종"


#: a question asking a number by name: "의안번호는 무엇인가요", "공포번호가 뭐예요" (not
#: "노선번호가 G로 시작하면 어떤 종류", which asks what a code means)
_NUMBER_ASKED = re.compile(r"번호(?:는|가|은|이|를)?\s*(?:뭐|무엇|몇|어떻게|알려)")
#: what a deadline is called, which a line writes as the day things are due by (…까지)
_DUE_NAMES = frozenset(("마감일", "마감", "기한", "마감기한", "제출기한", "신청기한", "접수기한"))
#: "언제" before the act asked, not before a copula: "행사는 언제 열리나요?" (a bare "… 시즌은
#: 언제인가?" may be answered by the year a thing ran until)
_ASKS_WHEN_DONE = re.compile(
    rf"{_ASKS_WHEN.pattern}(?!\s*(?:인가|인지|예요|이에요|입니까|이죠|죠|야)\b)"
)
#: a question for a deadline: "언제까지", "마감일은 언제", "제출 기한은 언제"
_ASKS_DUE = re.compile(r"까지|마감|기한|만료|종료|끝")


def _other_dated_act(reading: Reading, candidate: Candidate) -> bool:
    """Whether the date a candidate leads with is bracketed with an act the question does
    not ask about: "이은주 (2024. 1. 25. 사직)" dates a resignation, not when a subcommittee
    meets."""
    lead = _lead_value(candidate)
    if not lead:
        return False
    dated = _DATED_ACT.search(lead) or _after_lead(candidate, r"\s*([가-힣]{2,4})\s*[)）]")
    return dated is not None and dated[1] not in squash(reading.question)


#: a date bracketed with the act it dates: "(2024. 1. 25. 사직)", "(2024. 3. 28. 선고)"
_DATED_ACT = re.compile(
    r"[(（]\s*\d{4}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.?\s*([가-힣]{2,4})\s*[)）]"
)


def _due_by(candidate: Candidate) -> bool:
    """Whether the date a candidate leads with is written as a deadline: "8. 2.(금)까지"."""
    return bool(_lead_value(candidate)) and _after_lead(candidate, r"\s*까지") is not None


def _lead_value(candidate: Candidate) -> str:
    """The value a candidate leads with, its label aside ("심사일정: 2024. 8. 13." → the date)."""
    return candidate.lead.rpartition(": ")[2].strip()


def _after_lead(candidate: Candidate, after: str) -> re.Match[str] | None:
    """Where the candidate's line writes its lead value followed by ``after``."""
    shape = re.escape(_lead_value(candidate)) + after
    return re.search(shape, candidate.evidence.display)


def _writes(candidate: Candidate, words: Sequence[str]) -> bool:
    """Whether a candidate's line (or the row it shows) writes every one of ``words``: the
    words a question quotes, the versions it names."""
    text = squash(f"{candidate.lead} {candidate.evidence.display}")
    return all(squash(w) in text for w in words)


def _pick(reading: Reading, candidates: Sequence[Candidate]) -> Candidate:
    """The best candidate: by score, but a value of the kind asked, or a place (an
    identifier) when one is asked, over a line that states none and scores not much more;
    and a line writing the words the question quotes over any that does not."""
    candidates = _quoting(reading.question, _on_named_sheet(reading.question, candidates))
    candidates = _corroborated(reading, candidates)
    best = max(candidates, key=lambda c: c.score)
    typed = [c for c in candidates if c.typed]
    if reading.intent.value_kinds and typed and not best.typed:
        runner = max(typed, key=lambda c: c.score)
        if runner.score >= _TYPED_SHARE * best.score:
            best = runner  # a question for an amount is answered by an amount
    if reading.focus and best.focus == 0:
        # a line holding none of what is asked answers nothing (_misses_what_is_asked): one
        # that holds it and scores nearly as well is the answer ("시행: 문화기획팀-2181"
        # for "공문의 시행 번호는?" over the letter's 건명)
        # (never a line stating no value of the kind asked over one that does: "일비를 하루에
        # 얼마 받아요?" is not answered by "승인을 받아야 한다")
        focused = [c for c in candidates if c.focus > 0 and (c.typed or not best.typed)]
        runner = max(focused, key=lambda c: c.score) if focused else best
        if runner.score >= _FOCUSED_SHARE * best.score:
            best = runner
    kind = which_noun(reading.question)
    if kind and not _label(best).endswith(kind):
        # "어느 기관이 제공하나요?" is answered by the row labelled 제공기관, not by the
        # table's caption or the 제공시스템 row that share more of the question's words (a
        # label ending in another noun names another kind: "의존 크레이트 항목 수" is a count)
        labelled = [c for c in candidates if _label(c).endswith(kind)]
        if labelled:
            runner = max(labelled, key=lambda c: c.score)
            best = runner if runner.score >= _LABELLED_SHARE * best.score else best
    shape = _SHAPES.get(reading.intent.asked)
    if shape is not None and not _shows(shape, best):
        shaped = [c for c in candidates if _shows(shape, c) and c.focus >= best.focus]
        named = max(shaped, key=lambda c: c.score, default=None)
        if named is not None and named.score >= _SHAPED_SHARE * best.score:
            best = named  # as much about what is asked, and a place (an identifier) in it
    said = best.lead or best.evidence.display
    rival = max(
        (c.score for c in candidates if (c.lead or c.evidence.display) != said), default=0.0
    )
    best.margin = (best.score - rival) / best.score if best.score > 0 else 0.0
    return best


#: a long name written as one word, its particle aside: "지방탄소중립녹색성장위원회를"
_LONG_NAME = re.compile(
    r"([가-힣]{8,}?)(?:을|를|이|가|은|는|의|에|에서|로|으로|와|과|도|만|마다)?$"
)
#: an article's title: "제22조(2050 지방탄소중립녹색성장위원회의 구성 및 운영 등)"
_ARTICLE_TITLE = re.compile(r"제\s*\d+\s*조(?:의\s*\d+)?\s*[(（]([^()（）]{2,80})[)）]")


def _naming_whole(
    reading: Reading, candidates: list[Candidate], best: Candidate
) -> tuple[list[Candidate], Candidate]:
    """For "몇 조": the articles whose title writes whole the longest name the question
    writes, when any does. "지방탄소중립녹색성장위원회를 둘 수 있다고 정한 건 몇 조" is 제22조(2050
    지방탄소중립녹색성장위원회의 …), not 제15조(2050 탄소중립녹색성장위원회의 설치), which
    holds all but the 지방 of it."""
    names = [m.group(1) for w in reading.question.split() if (m := _LONG_NAME.match(w))]
    if not names or not _ARTICLE_TITLE.search(best.evidence.display):
        # titles are compared with titles: an article the best line cites untitled ("진흥법
        # 제58조에 의한 소프트웨어사업자") is not outdone by another's title naming the thing
        return candidates, best
    name = max(names, key=len)
    narrowed = _narrowed(reading, candidates, best, lambda c: any(
        name in squash(t) for t in _ARTICLE_TITLE.findall(c.evidence.display)))  # fmt: skip
    return narrowed or (candidates, best)  # no title writes it: the candidates stand


def _narrowed(
    reading: Reading,
    candidates: list[Candidate],
    best: Candidate,
    keep: Callable[[Candidate], bool],
) -> tuple[list[Candidate], Candidate] | None:
    """The candidates and the best of them, narrowed to those ``keep`` accepts when the best
    is not one of them; None when none is."""
    if keep(best):
        return candidates, best
    kept = [c for c in candidates if keep(c)]
    return (kept, _pick(reading, kept)) if kept else None


#: a line holding what is asked wins over one holding none of it down to this share
_FOCUSED_SHARE = 0.8
#: a row labelled with the kind "어느 X" asks for wins over one that is not, down to this
_LABELLED_SHARE = 0.7


def _label(candidate: Candidate) -> str:
    """A candidate's label, squashed: what its line names before the colon."""
    return squash(candidate.lead.rpartition(":")[0])


#: what another place stating the same amount adds to a candidate's score, at most twice
_CORROBORATION = 0.1
#: the least amount that two places state by more than chance: 3 and 12 are everywhere
_DISTINCT = 100
#: the least share of the best score a candidate needs to corroborate another
_CORROBORATING = 0.6


def _corroborated(reading: Reading, candidates: Sequence[Candidate]) -> Sequence[Candidate]:
    """The candidates, each amount asked for raised by the other places that state it: a
    workbook's "외부 대량 코퍼스 수량 | 2,695" and its note "외부 대량 코퍼스(…, 2,695개)" agree,
    a line counting another thing stands alone."""
    if not reading.intent.value_kinds or len(candidates) < 2:
        return candidates
    top = max(c.score for c in candidates)
    stated = [(c, _amounts_stated(c)) for c in candidates]
    raised = []
    for c, amounts in stated:
        places = {o.evidence.display for o, others in stated
                  if o.evidence.display != c.evidence.display and amounts & others
                  and o.score >= _CORROBORATING * top}  # fmt: skip
        bonus = _CORROBORATION * min(2, len(places)) if c.typed and amounts else 0.0
        raised.append(replace(c, score=c.score + bonus) if bonus else c)
    return raised


def _amounts_stated(candidate: Candidate) -> frozenset[Decimal]:
    """The distinctive amounts a candidate's answer states (its lead's value, else its
    line's)."""
    text = candidate.lead.rpartition(":")[2] if candidate.lead else candidate.evidence.display
    return frozenset(v.number for v in find_values(text)
                     if v.number is not None and v.kind is not ValueKind.DATE
                     and abs(v.number) >= _DISTINCT and not is_year(v.number))  # fmt: skip


def _quoting(question: str, candidates: Sequence[Candidate]) -> Sequence[Candidate]:
    """The candidates that write every word the question quotes, when any does: "Short 답변 중
    '어휘 변형' 유형은 몇 퍼센트" is about the line on 어휘 변형, not the one on 구문 변형."""
    quoted = quoted_words(question)
    if not quoted:
        return candidates
    # a quoted sheet's name is written above its rows: "'Basic Table' 시트의 col_a 칸"
    holding = [c for c in candidates if _writes(c, quoted) or _in_section(c, quoted)]
    return holding or candidates


#: a sheet the question names unquoted: "엑셀 개요 시트 기준으로" (the sheet "00_개요")
_SHEET_NAMED = re.compile(r"([가-힣A-Za-z0-9]{2,})\s*시트")
#: a workbook table row's sheet, in its place: "workbook.xlsx · 00_개요!C18"
_SHEET_OF = re.compile(r"([^·!]+)![A-Z]+\d+$")


def _on_named_sheet(question: str, candidates: Sequence[Candidate]) -> Sequence[Candidate]:
    """The candidates read off the sheet the question names, when any is: "개요 시트 기준으로
    저장소 Fork 수" is the 00_개요 sheet's "Star / Fork" row, not another sheet's 파일 수."""
    names = [squash(n) for n in _SHEET_NAMED.findall(question)]
    if not names:
        return candidates

    def on_sheet(c: Candidate) -> bool:
        sheet = _SHEET_OF.search(c.evidence.label)
        return sheet is not None and any(n in squash(sheet.group(1)) for n in names)

    return [c for c in candidates if on_sheet(c)] or candidates


def _in_section(candidate: Candidate, words: Sequence[str]) -> bool:
    """Whether a table row's place writes every one of ``words``: its label names the sheet
    ("'Basic Table'!A2"); a passage's section is the last heading before its end, which
    may be the next sheet's."""
    place = squash(candidate.evidence.label)
    return candidate.evidence.hit.kind == "table" and all(squash(w) in place for w in words)


def _absent_in(
    reading: Reading, candidate: Candidate, sources: Sources, seen: dict[int, bool]
) -> bool:
    """:func:`_names_absent`, once per document."""
    doc = candidate.evidence.hit.doc_id
    if doc not in seen:
        seen[doc] = _names_absent(reading, candidate, sources)
    return seen[doc]


#: a place written as one: a building or room, a floor, a street address
_PLACE = re.compile(
    r"[가-힣A-Za-z]+(?:센터|회의실|회관|강당|홀|룸|청사|시청|구청|도청|경기장|구장|파크|호텔|빌딩"
    r"|타워|선수촌|전시장)|\d+\s*층|[가-힣]+[시군구]\s+[가-힣\d]+(?:로|길)\s*\d+"
)
#: an identifier: "제2021-174호", "ECR-001", "No. 12", a code after its label ("품명번호 :
#: 4323151301", "업종코드: 1468")
_IDENTIFIER = re.compile(
    r"제\s*\d{2,4}\s*[-–]\s*\d+\s*호|\b[A-Z]{2,5}-\d{2,}|\bNo\.\s*\d+"
    r"|(?i:번호|코드|\bcode|\bnumber|\bID)\s*[:：]\s*[A-Za-z]?\d[\d-]{3,}"
)
#: what an answer of each kind looks like when no value kind says it
_SHAPES = {Asked.PLACE: _PLACE, Asked.IDENTIFIER: _IDENTIFIER}
#: a line of the shape asked wins over one that is not down to this share of its score
_SHAPED_SHARE = 0.5


#: how much of a document is read for the names a question writes
_NAMES_CHARS = 300_000


def _names_absent(reading: Reading, best: Candidate, sources: Sources) -> bool:
    """Whether the question writes a name in Latin letters that the answer's document never
    does. An English question over a Korean document is let be: "Jeju" is 제주 there."""
    hit = best.evidence.hit
    if reading.language == "en" and has_korean(hit.text):
        return False
    # the answer's own line and its table's headers too: a stored cell's hit may be another
    # passage of the document
    near = (
        f"{hit.name}\n{hit.label}\n{hit.text}\n{best.lead}\n{best.evidence.display}\n{best.context}"
    )
    known = {word for words in reading.same.values() for word in words}  # VAT = 부가가치세
    if not _unwritten(reading, near, known):
        return False  # most questions name nothing in Latin letters, or the passage does
    if sources.read is None:
        return True
    return _unwritten(reading, f"{near}\n{sources.read(hit.doc_id, 0, _NAMES_CHARS)}", known)


def _unwritten(reading: Reading, document: str, known: set[str]) -> bool:
    """Whether ``document`` never writes a name the question writes in Latin letters, a term
    it quotes or a field it names: "'운영시간' 항목 예시" is not answered from a table of
    운영유무."""
    if names_absent(reading.question, document, known):
        return True
    if reading.language != "ko":
        return False  # "Repair's estimate for Bruce Wayne's": apostrophes, not quotes
    # a term is one word; a quoted phrase may be the asker's paraphrase ('앞으로도 바뀌지는
    # 않을 것 같다'), a foreign name transliterated otherwise ("미스터 허드슨 & 더 라이브러리")
    terms = [q for q in QUOTED.findall(reading.question) if len(q) >= 2 and not q.split()[1:]]
    # a field named by its label, quoted or not: "환승센터 운영기관명 항목 예시" (not "입력하는 칸")
    terms += [m.group(1) for m in _FIELD_NAMED.finditer(reading.question)]
    squashed = squash(document)
    return any(squash(t) not in squashed for t in terms)


#: a field a question names by its label, the word before 항목 or 칸: "운영기관명 항목";
#: or a word and the short noun it is a count or name of: "주차구획 수 항목"
_FIELD_NAMED = re.compile(
    r"(?<![가-힣A-Za-z])([가-힣]{3,}(?<![는은던된한할될일인])"
    r"|[가-힣]{2,}(?<![는은던된한할될일인을를의에])\s(?:수|명|액|율|량))\s*(?:항목|칸|필드)"
)

#: how close a rival's score must be to be told apart by the page it sits on
_PAGE_TIE = 0.05


def _on_named_page(
    reading: Reading,
    best: Candidate,
    candidates: Sequence[Candidate],
    units: Sequence[tuple[Unit, float, int]],
) -> Candidate:
    """The best candidate, or a rival as good stating the same thing on another page of the
    same document whose passages write more of the names the question writes: a file of two
    estimates has a "Sales Tax" row on each, and "Bruce Wayne's estimate" is on one page."""
    e = best.evidence
    label = best.lead.rpartition(":")[0]
    rivals = [
        c for c in candidates
        if c.score >= best.score - _PAGE_TIE and c.evidence.hit.doc_id == e.hit.doc_id
        and c.evidence.page is not None and c.evidence.page != e.page
        and c.lead.rpartition(":")[0] == label
    ]  # fmt: skip
    names = latin_names(reading.question) if rivals and label else []
    if not names:
        return best
    pages: dict[int | None, str] = {}
    for unit, _, _ in units:
        if unit.hit.doc_id == e.hit.doc_id:
            pages[unit.hit.page] = f"{pages.get(unit.hit.page, '')}\n{unit.display}"

    def named(c: Candidate) -> int:
        written = squash(pages.get(c.evidence.page, "")).lower()
        return sum(squash(n).lower() in written for n in names)

    return max([best, *rivals], key=named)  # best on a tie: max keeps the first


def _misses_what_is_asked(reading: Reading, best: Candidate) -> bool:
    """Whether the best line holds none of what is asked when no kind of value says what
    the answer is: it names only the question's topic ("Insured name Gabriel Diaz … Make
    Jeep" for the deductible on his policy). An article the question names by number is
    what it asks about ("제22조는 무엇에 관한 조항인가요?")."""
    if not reading.focus or best.focus > 0 or articles_in(reading.question):
        return False
    quoted = quoted_words(reading.question)
    label = _label(best)
    if quoted and label and all(q in label for q in quoted) and _rest_asked(reading, label):
        # "울산 위원회의 '기타' 칸" is asked by the column it quotes; a quoted row ("'Typst
        # 표현력 한계' 리스크의 발생 가능성 등급") is what is asked about, and its "영향" cell
        # not what is asked
        return False
    if _names_coded_column(reading.question, best.lead):
        return False  # "what is in the ColD cell of the row …" over "ColA 13 ColD: affc…"
    if quoted and _WORDING_ASKED.search(reading.question):
        # "'기타' 표에는 어떤 안내 문구가 적혀 있어요?" asks the words written there: the
        # line writing what it quotes is them, whatever its wording is called
        return not all(q in squash(best.evidence.display) for q in quoted)
    # a count of something else answers no "How many GPUs …?" (the thing counted is named)
    return not reading.intent.value_kinds or counted_thing(reading.question) is not None


#: a question for the words written somewhere: "어떤 안내 문구가 적혀 있어요?", "무슨
#: 문장이 쓰여 있나요?"
_WORDING_ASKED = re.compile(
    r"(?:문구|문장|글귀|안내문|텍스트)(?:이|가|은|는)?\s*(?:적혀|쓰여|적힌|쓰인|나와|들어)"
)


def _rest_asked(reading: Reading, label: str) -> bool:
    """Whether the question writes what a squashed label names besides what it quotes:
    "울산위원회" of "울산위원회기타", "근거" of "임베드폰트…해제근거(소스모듈/릴리스)"."""
    for quoted in quoted_words(reading.question):
        label = label.replace(quoted, " ")
    words = re.findall(r"[가-힣A-Za-z0-9]{2,}", label)
    asked = squash(reading.question)
    return not words or any(word in asked for word in words)


#: a column named as code names it, not in words: "ColD", "col_d", "Q3"
_CODED_NAME = re.compile(r"(?=\w*(?:\d|[a-z][A-Z]|_))[A-Za-z]\w*")


def _names_coded_column(question: str, lead: str) -> bool:
    """Whether the lead is a cell whose column (the label's last word) has a coded name
    the question writes whole: the cell asked."""
    words = lead.rpartition(":")[0].split()
    if not words or not _CODED_NAME.fullmatch(words[-1]):
        return False
    return re.search(rf"(?<![\w-]){re.escape(words[-1])}(?![\w-])", question) is not None


def _other_column(
    reading: Reading, best: Candidate, grids: Sequence[tuple[Grid, Hit, float]]
) -> bool:
    """Whether the best line is a table row's whose cell in a column the question writes
    whole is blank: another column's value is no answer ("'Table Missing Value' 시트의
    col_d 열" over "col_c: TRUE", col_d left empty)."""
    e = best.evidence
    grid = next(
        (g for g, _, _ in grids
         if g.stored.doc_id == e.hit.doc_id and g.stored.start <= e.start < g.stored.end),
        None,
    )  # fmt: skip
    if grid is None or grid.pairs or not best.lead:
        return False
    asked = squash(reading.question)
    written = [
        c for c, name in enumerate(grid.columns)
        if len(squash(name)) >= _COLUMN_CHARS and squash(name) in asked
    ]  # fmt: skip
    quote = squash(e.quote)
    rows = [cells for _, cells in grid.rows if any(cells)
            and all(squash(c) in quote for c in cells if c)]  # fmt: skip
    return len(rows) == 1 and bool(written) and all(not rows[0][c] for c in written)


#: the least length of a column's name a question is taken to write whole
_COLUMN_CHARS = 3


#: nouns that name a person without a role: "이름을 지은 사람은 누구"
_ANYONE = frozenset(("사람", "인물", "분", "자", "이"))
#: whose contact an English question asks for: "John Q. Doe's phone number"
_CONTACT_OF = re.compile(
    # a name only: capitalised words ("What is the company's phone" names nobody)
    r"(?<![\w.])([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)'s\s+(?:\w+\s+)?"
    r"(?:[Pp]hone|[Ff]ax|[Ee]-?mail|[Cc]ontact)"
)

#: or after it: "the email address of Lucy Irwin, the local sales rep", "What email address
#: is given for the customer John Q. Doe"
_CONTACT_OF_NAMED = re.compile(
    r"(?:[Pp]hone|[Ff]ax|[Ee]-?mail)(?:\s+(?:address|number))?"
    r"\s+(?:of|(?:is\s+|are\s+)?(?:given|listed|written|shown)\s+for)\s+(?:the\s+[a-z]+\s+)?"
    r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)+)"
)


#: the two Latin words right before a value that label it in running text: "Training set
#: 60,407 개", "Dev set: 5,774"
_LATIN_LABEL = re.compile(r"(?<![\w-])([A-Za-z][\w-]*)\s+([A-Za-z][\w-]*)\s*[:：]?\s*$")


def _sibling_labelled(question: str, best: Candidate) -> bool:
    """Whether the lead's value is labelled, right before it, by a name the question writes
    with another first word: "KorQuAD 1.0의 Test set에는 … 몇 개" is not answered by
    "Training set 60,407 개" (the question writes ``set`` after ``Test``, never
    ``Training``)."""
    display = best.evidence.display
    at = display.find(best.lead) if best.lead else -1
    label = _LATIN_LABEL.search(display[:at]) if at > 0 else None
    if label is None or {label.group(1).lower(), label.group(2).lower()} & ENGLISH_STOPWORDS:
        return False  # "The warranty period is 1 year": no name labels the value
    first, head = label.group(1).lower(), label.group(2)
    asked = re.search(
        rf"(?<![\w-])([A-Za-z][\w-]*)\s+{re.escape(head)}(?![A-Za-z\d-])", question, re.I
    )
    return asked is not None and asked.group(1).lower() != first and first not in question.lower()


def _someone_elses_contact(reading: Reading, best: Candidate) -> bool:
    """Whether a phone or email answering "X's phone number" is written without X: a
    letterhead's number is the company's, not its customer's."""
    if reading.intent.asked not in (Asked.PHONE, Asked.EMAIL):
        return False
    owner = _CONTACT_OF.search(reading.question) or _CONTACT_OF_NAMED.search(reading.question)
    if owner is None or owner.start() == 0:
        return False  # "What's …" opens a question, it is nobody's
    written = squash(f"{best.lead} {best.evidence.display}").lower()
    return squash(owner.group(1)).lower() not in written


#: an English question for the day something was done: "On what date were the goods …
#: shipped", "When was the contract signed"
_EVENT_ASKED = re.compile(
    r"\b(?:was|were)\b[^?]*?\b(shipped|delivered|signed|paid|received|approved|issued|sent"
    r"|returned|completed|published|released)\b",
    re.IGNORECASE,
)
#: how each deed is written besides its first four letters: "paid" as "payment", "sent" as
#: "sending"
_EVENT_STEMS = {"paid": r"pa[iy]", "sent": r"sen[dt]"}


def _event_unwritten(reading: Reading, text: str) -> bool:
    """Whether the date of a deed is asked in English and ``text`` never writes the deed: an
    invoice's date is no day its goods were shipped."""
    if reading.intent.asked is not Asked.DATE or reading.language != "en":
        return False
    asked = _EVENT_ASKED.search(reading.question)
    if asked is None:
        return False
    deed = asked.group(1).lower()
    stem = _EVENT_STEMS.get(deed, re.escape(deed[:4]))
    return re.search(rf"\b{stem}", text, re.IGNORECASE) is None


#: a Korean question for the day something happened to a thing: "첫 커밋이 올라온 날짜",
#: "계약이 체결된 날은" (the thing, then the deed, then the day)
_KO_EVENT_ASKED = re.compile(
    r"([가-힣A-Za-z]{2,})(?:이|가)\s+[가-힣]*[은된한온난린진간친]\s*"
    r"(?:날짜|날|일자|시점)(?:은|는|이|가|을|를|도)?(?![가-힣])"
)


#: a Korean question for when a step of a procedure was taken: "언제부터 시행되나요", "언제
#: 위원회에 회부됐나요", "의견을 제출한 날짜는". Only the steps records date one by one, each
#: with its own day (a bill is 발의, 회부, 의결 and 공포 on different days); "언제
#: 발생했나요" may be answered by a day the text tells in other words ("피격되어 침몰한")
_DEEDS = "시행|공포|발의|회부|의결|제출|접수|등록|체결|발행|제정|폐지|선고|통지|공고|상정"
_KO_DEED_ASKED = re.compile(
    rf"언제(?:부터|까지)?\s+(?:[가-힣]+(?:에|에서|을|를|로)\s+)?({_DEEDS})(?:되|하|됐|했|된|한)"
    rf"|({_DEEDS})(?:한|된|했던|됐던)\s*(?:날짜|날|일자)(?:은|는|이|가|을|를|도)?(?![가-힣])"
)


#: what may follow a deed's noun where it names the deed, not a thing named after it
_AS_DEED = r"(?:(?![가-힣])|일|되|돼|하|한|된|됨|함|했|예정|부터|에|은|는|을|이|시|기)"


def _ko_event_unwritten(reading: Reading, best: Candidate) -> bool:
    """Whether the day something happened is asked in Korean and the best candidate, written
    in Korean, never names the thing or the deed: "첫 커밋이 올라온 날짜" is not answered by
    "저장소 지표는 2026년 7월 기준", a date that says when figures were read; "개정안은
    공포되면 언제부터 시행되나요?" not by the day it was 발의."""
    if reading.intent.asked is not Asked.DATE or reading.language != "ko":
        return False
    if not has_korean(best.evidence.display):
        return False  # "INVOICE 2020-10 January 8, 2020" writes in English when it was issued
    text = f"{best.lead} {best.evidence.display} {best.context}"
    thing = _KO_EVENT_ASKED.search(reading.question)
    if thing is not None:
        return squash(thing.group(1)) not in squash(text)
    deed = _KO_DEED_ASKED.search(reading.question)
    # the deed as a deed: "시행일", "시행되며", "시행 2024. 3. 5.", not "시행령"'s name
    if deed is None:
        return False
    return not re.search(rf"{deed.group(1) or deed.group(2)}{_AS_DEED}", squash(text))


#: how long a document or a part is asked: "몇 쪽 분량", "몇 페이지짜리"
_LENGTH_ASKED = re.compile(r"분량|(?:몇|얼마)\s*(?:쪽|페이지)\s*짜리")
#: a contents line's leader between a title and its page number
_CONTENTS_LEADER = re.compile(r"[·.…‥ㆍ]{4,}")


def _fax_unwritten(reading: Reading, best: Candidate) -> bool:
    """Whether a fax number is asked and the best candidate's passage writes no fax: a
    phone number is no fax number."""
    if reading.intent.asked is not Asked.PHONE or FAX.search(reading.question) is None:
        return False
    return FAX.search(f"{best.lead} {best.evidence.display} {best.context}") is None


def _misses_english_attribute(reading: Reading, best: Candidate) -> bool:
    """Whether the line answering an English question for no kind of value holds none of
    the attribute it asks of its subject: the subject's words alone answer nothing."""
    if reading.language != "en" or reading.intent.value_kinds:
        return False
    wanted = english_attribute(reading.question)
    if not wanted:
        return False
    targets = {*wanted, *(e for w in wanted for e in reading.same.get(w, ()))}
    return not set(tokenize(f"{best.lead} {best.evidence.display}")) & targets


def _about_topic_only(reading: Reading, best: Candidate) -> bool:
    """Whether the best candidate's passage never mentions the attribute the question asks
    for (:func:`dalin.answer.asked.asked_attribute`), for a question asking for a value (an
    amount, a date, a count): a value is only the answer when it is the one asked about. An
    article the question names by number is what it asks about."""
    if not reading.intent.value_kinds or articles_in(reading.question):
        return False
    e = best.evidence
    # a table cell's evidence keeps the hit that led to its document, which may lie on
    # another page ("인쇄하는 기능" on p.30 names no copies of the p.45 배점 cell) or, in a
    # workbook, in another table: the 메인테이너 row's "Contributors" is not the 파일 수 row's
    elsewhere = (None not in (e.page, e.hit.page) and e.page != e.hit.page) or (
        e.hit.kind == "table" and not e.hit.start <= e.start < e.hit.end
    )
    passage = () if elsewhere else (e.hit.text, e.hit.section)
    texts = (best.lead, e.display, e.quote, best.context, *passage)
    forms = attribute_forms(reading.question)  # 학습률, 학습; "코드 줄 수(LOC)": LOC
    stated = {v.kind for v in find_values(best.lead or e.display)}
    named = set().union(*(NAMED_BY_VALUE.get(k, frozenset()) for k in stated))
    if _writes_size(best.lead):
        named |= _SIZE_NAMES  # "Training Set (37MB)" is the file's 용량
    owned = any(re.search(rf"{re.escape(f)}\s*{re.escape(w)}", reading.question)
                for f in forms for w in named if len(w) >= 2)  # fmt: skip
    if _DUE_NAMES.intersection(forms) and re.search(r"까지|이내", f"{best.lead} {e.display}"):
        return False  # "추천 마감일은 언제예요?" over "… 8. 2.(금)까지 추천하여": the day due by
    if forms and (all(f in named for f in forms) or owned):
        # "이메일 주소는?" over "info@kraxi.com": the value is the 주소 asked; "고객
        # 전화번호는?" over "Phone (425) 111-1111": a phone is the 전화번호 asked
        return False
    return bool(forms) and not any(holds_attribute(f, texts, reading.same) for f in forms)


def _shows(shape: re.Pattern[str], candidate: Candidate) -> bool:
    return shape.search(candidate.lead or candidate.evidence.display) is not None


#: a line that is only a person's name in English: "Jane Doe", "J. R. Smith"
_NAME_LINE = re.compile(r"(?:[A-Z][a-z]*\.?\s+){1,2}[A-Z][a-z]+")


#: "누가 제출한", "누가 대표발의했나요": the act a who-question asks the doer of
_ACT_ASKED = re.compile(r"누가\s*([가-힣]{2,4}?)(?:했|한|하|해|됐|된)")
#: a bracketed note closing on the doer and the act, after an optional date: "(2024. 3. 4.
#: 고용노동부장관 제출)", "(이은주 의원 대표발의)"
_NOTE_DOER = (
    r"[(（]\s*(?:\d{{4}}\s*\.\s*\d{{1,2}}\s*\.\s*\d{{1,2}}\s*\.\s*)?"
    r"([가-힣][가-힣 ]{{1,20}}?)\s*(?:대표)?{act}\s*[)）]"
)


def _doer(reading: Reading, best: Candidate) -> Candidate | None:
    """Who did the act the question asks after, when the best line notes it in brackets:
    "… 보고서는 누가 제출한 건가요?" over "… 조치 결과 (2024. 3. 4. 고용노동부장관 제출)".
    None when the question asks no act or the line notes no doer of it."""
    act = _ACT_ASKED.search(reading.question)
    if best.lead or act is None or "각각" in reading.question:
        return None  # "두 건은 각각 누가": both lines are shown, not one doer
    note = re.search(_NOTE_DOER.format(act=re.escape(act.group(1))), best.evidence.display)
    if note is None:
        return None
    return Candidate(best.score, note.group(1).strip(), best.evidence, best.extra, typed=True,
                     focus=best.focus, relevance=best.relevance)  # fmt: skip


def _byline(best: Candidate, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The name on the line right under a title that answers "누가/누구": a cover page or a
    title slide writes its author there ("Sample Title Slide" / "Jane Doe"). None unless
    the best candidate is a title with no lead of its own and that next line is a name."""
    at = next((i for i, (u, _, _) in enumerate(units)
               if unit_evidence(u).start == best.evidence.start), None)  # fmt: skip
    if at is None or best.lead or not is_title(units[at][0]) or at + 1 >= len(units):
        return None
    title, below = units[at][0], units[at + 1][0]
    name = below.display.strip()
    if below.hit.chunk_id != title.hit.chunk_id or not (
        _NAME_LINE.fullmatch(name) or person_name(name)
    ):
        return None
    return Candidate(best.score, below.display, unit_evidence(below), typed=True, focus=best.focus,
                     relevance=best.relevance)  # fmt: skip


#: the name of the holder of a role asked (a role of the lexicon's: 장관, 위원장, 대표이사):
#: "고용노동부 장관은 이름이 뭐예요?", "담당 과장의 성명은?"
_ROLE_NAME_ASKED = re.compile(r"([가-힣]{2,})(?:은|는|의)\s*(?:이름|성명)")
#: how far from a role its holder's name is written: "장관 이정식", "정동영 당시
#: 국가안전보장회의(NSC) 상임위원장"
_NAME_REACH = 25


def _name_beside(role: str, text: str) -> bool:
    """Whether ``text`` writes a name next to one of its mentions of ``role``: a Korean
    person's name ("이정식 장관") or any proper noun ("콘돌리자 라이스 미국 국무장관"). A text
    not writing the role at all is not read here: its subject may be the one asked."""
    mentions = list(re.finditer(re.escape(role), text))
    if not mentions:
        return True
    for found in mentions:
        near = text[max(0, found.start() - _NAME_REACH) : found.end() + _NAME_REACH]
        if any(t.tag == "NNP" for t in kiwi().tokenize(near)):
            return True
        if any(_person_word(word, role) for word in re.findall(r"[가-힣]+", near)):
            return True
    return False


#: what Kiwi reads inside a word that is no name: a verb's or adjective's stem, its
#: ending, a pronoun ("채택해", "우리가")
_NO_NAME_TAGS = ("VV", "VA", "XSV", "XSA", "EC", "EF", "EP", "ETM", "NP")


def _person_word(word: str, role: str) -> bool:
    """Whether a word is a Korean person's name, with or without its particle ("이정식은")."""
    for name in (word, word[:-1]):
        if not person_name(name) or role in name:
            continue
        if not any(t.tag.startswith(_NO_NAME_TAGS) for t in kiwi().tokenize(word)):
            return True
    return False


def _names_someone(reading: Reading, candidate: Candidate) -> bool:
    """Whether a candidate can say who: it holds the role asked (대표이사, 담당자) and a word
    the question does not that is no title — a line naming only the company ("Kraxi Systems,
    Inc."), the role with nobody in it ("(재)논산문화관광재단 대표이사") or another title
    (a sign-off box's "팀장") says nobody, nor does a count or a date in its place."""
    shown = candidate.lead or candidate.evidence.display
    if focus_share(reading, frozenset(tokenize(shown)), shown) < 0.5:
        return False  # the role is in its heading or form, not in what it says
    # the role a "X는 누구" question names (not "이은주 위원 자리에 누가 보임됐나요")
    # ("테드 번디는 누구에게" asks after someone else; "지은 사람은 누구" names no role)
    role = [f for f in attribute_forms(reading.question) if f not in _ANYONE
            and re.search(rf"{re.escape(f)}(?:은|는|이|가)\s*누구(?![에의와를랑한])",
                          reading.question)]  # fmt: skip
    if role and not any(holds_attribute(f, (shown,), reading.same) for f in role):
        return False  # "승리투수는 누구" is not said by "샌디에이고는 8-3으로 승리하면서 …"
    value = candidate.lead.rpartition(":")[2].strip()
    if value and any(v.text == value and v.kind is not ValueKind.EMAIL for v in find_values(value)):
        return False  # "청년 위원: 1명" counts them; it names nobody
    titled = _ROLE_NAME_ASKED.search(reading.question)
    role_asked = titled is not None and any(
        titled.group(1).endswith(r) for r in ROLES if len(r) >= 2
    )
    if titled and role_asked and not candidate.lead and not _name_beside(titled.group(1), shown):
        return False  # "고용노동부 장관은 이름이 뭐예요?" over "노동부장관과 환경부장관에 대해서는"
    asked = squash(reading.question)
    return any(len(t) >= 2 and squash(t) not in asked and t not in ROLES for t in tokenize(shown))


#: the most words the second of two things asked may take ("시민사회 위원은 각각 몇 명인가요")
#: how many more words a second part may have when 각각 says two things are asked
_EACH_WORDS = 4
_MAX_SECOND_WORDS = 6
#: a passage covering this share of the question's topic surely is about it; below, an
#: answer of the wrong kind is not given ("김하성의 연봉은?" over a page on 김하성)
_SURE = 0.75
#: a candidate of the kind asked wins over a better-scored one of no kind down to this share
_TYPED_SHARE = 0.7
# --- yes / no -----------------------------------------------------------------------------


# --- two facts ------------------------------------------------------------------------------


#: two question words over one verb: "언제, 누가 제출한", "언제 어디서 열렸나요"
_WH = r"언제|어디서|어디에서|누가"
_TWO_ASKED = re.compile(
    rf"^(?P<pre>.*?\s)(?P<a>{_WH})\s*(?:,|와|그리고)?\s*(?P<b>{_WH})\s+(?P<rest>\S.*)$"
)


#: a count 이나 stresses, joining nothing: "선수가 몇 명이나 훈련하고 있어요?"
_AS_MANY = re.compile(r"몇\s*[가-힣]{1,2}$")


def two_facts(question: str) -> list[str]:
    """The two questions "A와 B" asks, each whole: two things of one topic ("… 후보의
    모집기간과 모집인원은?" → "… 후보의 모집기간은?", "… 후보의 모집인원은?") or one thing
    of two topics ("7월 토요일 경기와 일요일 경기의 개시 시간은?" → "7월 토요일 경기의 개시
    시간은?", "7월 일요일 경기의 개시 시간은?"). Empty when it asks one thing."""
    asked = _TWO_ASKED.match(question)
    if asked and asked["a"] != asked["b"]:  # "… 보고서는 언제, 누가 제출한 건가요?"
        return [f"{asked['pre']}{w} {asked['rest']}" for w in (asked["a"], asked["b"])]
    clauses = next((m for p in _CLAUSES if (m := p.match(question))), None)
    if clauses:
        first = clauses["a"].rstrip()
        if not clauses["be"] and clauses["a"] == first and _VERB_END.search(first):
            first += "나요"  # "… 어떤 규격을 기반으로 하고," asks "… 기반으로 하나요?"
        return [f"{first}?", _antecedent(first, clauses["b"].strip())]
    english = _TWO_EN.match(question)
    if english:
        # "What phone number and fax number does Kraxi give …?": each with the rest
        ask, rest = english["ask"], english["rest"]
        return [f"{ask} {english['a']} {rest}", f"{ask} {english['b']} {rest}"]
    tokens = kiwi().tokenize(question)
    tags = [(t.tag, t.form) for t in tokens]
    joints = [
        t
        for i, t in enumerate(tokens)
        if (t.tag == "JC" and not _AS_MANY.search(question[: t.start]))
        or t.form in ("및", "and")
        or _joins(i, tags)
    ]
    if not joints:
        return []
    joint = joints[-1]
    before = question[: joint.start].rstrip()
    after = question[joint.start + joint.len :].strip()
    # a comma after 와 sets the second thing apart, however long: "시행 번호와, 공문 하단에
    # 적힌 재단 이메일 주소는"
    parted = after.startswith(",")
    longest = _MAX_SECOND_WORDS + (_EACH_WORDS if "각각" in after or parted else 0)
    if not after or not before or len(after.split()) > longest:
        return []  # a long second part is a clause of one question, unless 각각 says two
    # the second thing ends at its particle: "일요일 경기의 …", "시민사회 위원은 각각 …"
    # … or at a place's particle 각각 follows: "Long 답변과 Short 답변에서 각각 얼마"
    particle = next(
        (t for t in tokens if t.start > joint.start and (
            t.tag in ("JKG", "JX", "JKS", "JKO")
            or (t.tag == "JKB" and question[t.start + t.len :].lstrip().startswith("각각")))),
        None,
    )  # fmt: skip
    if particle is None:
        second, tail = after.rstrip("?？ "), "?"
    else:
        second = question[joint.start + joint.len : particle.start].strip(" ,")
        tail = question[particle.start :].strip()
    mirrored = _mirrored(before, second, tail)
    if mirrored:
        return mirrored  # "A 항목의 예시와 B 항목의 예시는 각각"
    width = max(1, min(len(second.split()), 3))
    # a gloss in brackets is part of the word it glosses: "보험증권 번호(Policy #)" is two
    head = _GLOSSES.sub("", before).rsplit(None, width)
    stem = head[0] if len(head) > width else ""
    stem = _without_overlap(stem, second)
    among = _AMONG.match(before)
    if among:
        stem = among.group(1)  # "서식 중 경영 실태(서식2)와 주요사업실적(서식3)": both are 서식
    owner = _OWNER.match(before)
    if owner and (parted or len(before[owner.end() :].split()) == 1):
        stem = owner.group(1)  # "… 사업 책임자의 부서와 부장 이름은": both are the 책임자's
    tail = re.sub(r"^(은|는|이|가|을|를|에서|에)\s*각각\s*", r"\1 ", tail)  # "위원은 각각 몇 명"
    tail = re.sub(r"\s+(?=[?？]$)", "", tail)
    return [f"{before}{_agreeing(before, tail)}", f"{stem} {second}{tail}".strip()]


#: the set two things are picked from, then the first thing in up to three words: "… 서식 중
#: 경영 실태(서식2)"
_AMONG = re.compile(r"^(.*\s(?:중|가운데|중에서))\s+\S+(?:\s\S+){0,2}$")


def _without_overlap(stem: str, second: str) -> str:
    """``stem`` without the words the second thing opens with, when it ends in them: "… 쪽에
    맨 처음 나오는 달과 맨 마지막에 나오는 달" keeps "… 쪽에" before "맨 마지막에 …", not
    "… 쪽에 맨" (which would ask "맨 맨 마지막에")."""
    stem_words, second_words = stem.split(), second.split()
    for k in range(min(len(stem_words), len(second_words)), 0, -1):
        if stem_words[-k:] == second_words[:k]:
            return " ".join(stem_words[:-k])
    return stem


def _mirrored(before: str, second: str, tail: str) -> list[str]:
    """The two questions when the second thing repeats the first's shape whole: "'도시철도
    노선명' 항목의 예시와 '도시철도역사명' 항목의 예시는 각각 무엇" → "… '도시철도노선명'
    항목의 예시는 무엇", "… '도시철도역사명' 항목의 예시는 무엇"; empty otherwise."""
    words = before.split()
    if len(words) < 2:
        return []
    last = words[-1]
    repeated = re.match(rf"의\s*{re.escape(last)}(?=[은는이가을를\s])(.*)$", tail)
    if len(last) < 2 or repeated is None:
        return []
    width = len(second.split()) + 1  # the second thing's words and the repeated noun
    if len(words) <= width:
        return []
    stem = " ".join(words[:-width])
    rest = re.sub(r"^(은|는|이|가|을|를)\s*각각\s*", r"\1 ", repeated.group(1))
    rest = re.sub(r"\s+(?=[?？]$)", "", rest)
    return [f"{before}{rest}", f"{stem} {second}의 {last}{rest}"]


#: a demonstrative and the noun it points back to: "그 지침의 날짜는", "해당 사업의"
_POINTING = re.compile(r"^(?:그|이|해당|동|같은)\s+([가-힣A-Za-z]{1,10}?)(?=[의은는이가을를에]|\s)")


def _antecedent(first: str, second: str) -> str:
    """The second clause with what its demonstrative points back to written out: "그
    지침의 날짜는 언제" after "… 한국형 웹 콘텐츠 접근성 지침은 몇 버전이고" asks "… 한국형
    웹 콘텐츠 접근성 지침의 날짜는 언제", so that it carries the first clause's words."""
    pointing = _POINTING.match(second)
    asked = _ASKED_ABOUT.match(first)
    if pointing is None:
        if asked is None:
            return second
        # a word shared with where the first clause looks ("릴리스 이력에서 v0.5.0은 언제
        # 나왔고, 어떤 유형의 릴리스로") is not the second's own topic
        where = LOOK_IN.match(asked.group(1))
        if set(tokenize(second)) & set(tokenize(first[where.end() if where else 0 :])):
            return second
        # "개막전 2연전은 며칠에 열리고, 경기는 몇 시에": the games of the first clause's
        # topic; a second clause sharing no word with the first is asked of its topic, not
        # of the attribute the first asks ("김하성 나이는 몇 살로 나오고, 이날 … 포수는")
        topic, _, last = asked.group(1).rpartition(" ")
        if topic and last in _ATTRIBUTES:
            return f"{topic} {second}"
        if where is not None and len(_opening(second).split()) >= _OWN_TOPIC_WORDS:
            # "KorQuAD 1.0 페이지에서 Training set 질의응답 쌍은 몇 개이고, 리더보드 1위 모델
            # 이름은": the page both are read on, not the first thing asked; a bare second
            # clause ("몇 버전인가요?", "경기는 몇 시에") is still asked of the first's topic
            return f"{where.group(1)} {second}"
        return f"{asked.group(1)} {second}"
    noun = pointing.group(1)
    end = first.rfind(noun)
    if end < 0:
        # "… 가장 많은 유형은 무엇이고, 그 비율은?": the ratio of what the first clause asks
        # about, "… 가장 많은 유형의 비율은?"
        if asked is None or noun not in _ATTRIBUTES:
            return second  # "그 회의는" points at a meeting, not at an attribute of one
        return f"{asked.group(1)}의 {noun}{second[pointing.end() :]}"
    return first[: end + len(noun)] + second[pointing.end() :]


_ASKING_WORDS = "몇|며칠|언제|어디|누구|누가|무엇|얼마|어떤|어느|무슨|뭐|뭔|뭘"
#: the words a second clause opens with before it asks: "리더보드 1위 모델 이름은 뭐예요" →
#: "리더보드 1위 모델 이름은"; its own topic when they are this many or more
_OWN_TOPIC = re.compile(rf"^(.*?)(?:{_ASKING_WORDS}|$)")
_OWN_TOPIC_WORDS = 3


def _opening(clause: str) -> str:
    opening = _OWN_TOPIC.match(clause)
    return opening[1] if opening else clause


#: two questions joined as clauses: "… 시즌 몇 호였고 샌디에이고의 시즌 전적은?", "… 얼마이고
#: 언제까지인가요?" — the first clause asks (몇, 언제 …), the second asks on its own
_ASKING = rf"(?:{_ASKING_WORDS})"
#: nouns that name an attribute of a thing, which "그 X" asks of the first clause's thing
_ATTRIBUTES = frozenset(
    (
        "비율",
        "비중",
        "점수",
        "금액",
        "값",
        "수치",
        "날짜",
        "이름",
        "개수",
        "규모",
        "크기",
        "순위",
        "나이",
    )
)
#: what a clause asks about, before its particle and its question word: "… 가장 많은
#: 유형은 무엇"
_ASKED_ABOUT = re.compile(rf"^(.*\S)(?:은|는|이|가)\s+{_ASKING}")
_SECOND = rf"(?P<b>(?:[^?？]*{_ASKING}[^?？]*|[^?？]*[은는이가])\s*[?？])\s*$"
_CLAUSES = (
    # a comma after 고 parts the clauses: "응원했다고 했고, … 며칠이라고 했나요?"
    re.compile(rf"^(?P<a>.*?{_ASKING}[^?？,]*?)(?P<be>이었|였|이)?고,\s+{_SECOND}"),
    re.compile(rf"^(?P<a>.*?{_ASKING}[^?？,]*?)(?P<be>이었|였|이)?고\s+{_SECOND}"),
)
#: two things asked in English: "What phone number and fax number does …?", "What are the
#: start date and the end date of …?" (the rest is asked of each)
_TWO_EN = re.compile(
    r"^(?P<ask>(?:what|which)(?:\s+(?:is|are|was|were)\s+the)?)\s+(?P<a>[\w-]+(?:\s+[\w-]+){0,2}?)"
    r"\s+and\s+(?:the\s+)?(?!(?:how|what|when|where|who|whom|why|which)\b)(?P<b>[\w-]+(?:\s+[\w-]+){0,2}?)"
    r"\s+(?P<rest>(?:does|do|did|is|are|was|were|of|for|on|in)\b.*)$",
    re.IGNORECASE,
)
#: the last syllable of a verb a clause ends with before 고: "기반으로 하고", "쳤고"
_VERB_END = re.compile(r"[가-힣]$")
#: a gloss in brackets after a word: "(Policy #)"
_GLOSSES = re.compile(r"\s*[(（][^()（）]*[)）]")
#: the topic both things asked belong to: everything up to the last genitive
_OWNER = re.compile(r"(.*\S의)\s+")


def _joins(index: int, tags: Sequence[tuple[str, str]]) -> bool:
    """Whether 와/과 read as a comitative particle (tag, form at ``index``) joins two things
    asked: only nouns follow it, then the question's particle ("… 담당자와 이메일은?"), not a
    clause ("팀과 경기가 열린 구장은?")."""
    if tags[index] not in (("JKB", "와"), ("JKB", "과")):
        return False
    after = [tag for tag, _ in tags[index + 1 :] if tag not in ("SF", "SP")]
    return (
        len(after) >= 2
        and after[-1] in ("JX", "JKS")
        and all(t.startswith("NN") for t in after[:-1])
    )


#: a particle's form after a vowel and after a final consonant
_PARTICLE_PAIRS = {"는": "은", "은": "은", "가": "이", "이": "이", "를": "을", "을": "을"}


def _agreeing(word: str, tail: str) -> str:
    """``tail`` with its leading particle in the form ``word``'s last syllable takes
    ("기한" + "는?" → "은?")."""
    last = word[-1:]
    if not tail or tail[0] not in _PARTICLE_PAIRS or not "가" <= last <= "힣":
        return tail
    consonant = _PARTICLE_PAIRS[tail[0]]
    vowel = next(v for v, c in _PARTICLE_PAIRS.items() if c == consonant and v != c)
    has_final = (ord(last) - ord("가")) % 28 != 0
    return (consonant if has_final else vowel) + tail[1:]


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
        quotes.append(f"{short_quote(c.evidence.display)} {{{n}}}")
        for extra in c.extra:
            quotes.append(f"{short_quote(extra.display)} {{{cite(extra)}}}")
    return dedupe_lines(leads + quotes), evidence


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
    text = "\n".join(
        re.sub(r"\{(\d+)\}", lambda m: f"[{number[int(m.group(1))]}]", line) for line in lines
    )
    citations = tuple(
        Citation(number[i], e.hit.doc_id, e.hit.document, e.label, e.quote, e.start, e.end, e.page)
        for i, e in enumerate(evidence)
        if i in number
    )
    return Answer(question, text, citations, False, language, hits=tuple(hits))
