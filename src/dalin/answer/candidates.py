"""The candidates an answer is chosen from: sentences, fields, table cells, aligned rows.

Each candidate is scored on the question words it holds (with its article or FAQ question,
whose words it is read with), on its focus words, on whether it holds the kind of value
asked, and on structure: headings and titles rank low, an article's first paragraph and
an FAQ's first answer rank a little higher, a sentence about another code (E01 where E02
was asked) much lower. Table cells are scored in :mod:`dalin.answer.cells`, yes/no
questions in :mod:`dalin.answer.yes_no`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from dalin.answer.aligned import AlignedRow, aligned_rows
from dalin.answer.asked import counts_other_things
from dalin.answer.cells import cell_candidates
from dalin.answer.evidence import Unit, refine_label, rejoin
from dalin.answer.intent import Asked
from dalin.answer.polarity import has_ruling, rule
from dalin.answer.reader_question import (
    Candidate,
    Evidence,
    Reading,
    Sources,
    articles_in,
    focus_share,
    focus_weight,
    names_other_code,
    share_of,
    unit_evidence,
    written_words,
)
from dalin.answer.tables import (
    Grid,
    is_numeric,
    squash,
)
from dalin.answer.values import Value, ValueKind, find_values
from dalin.text.korean import has_korean, tokenize
from dalin.types import Hit

#: sentences shown beside the best one when no fact could be stated (a sentence answer)
MAX_RUNNERS_UP = 2
_RUNNER_UP_SHARE = 0.85


def runners_up(best: Candidate, candidates: Sequence[Candidate]) -> list[Evidence]:
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


#: the most steps of a procedure quoted after the sentence that introduces them
MAX_STEPS = 6


def steps_after(evidence: Evidence, units: Sequence[tuple[Unit, float, int]]) -> list[Evidence]:
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
        if unit.kind == "row" or is_title(unit) or unit.context != anchor.context:
            break  # the next section or table
        steps.append(unit_evidence(unit))
        if len(steps) >= MAX_STEPS:
            break
    return steps


def all_candidates(
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
        and (c := unit_candidate(reading, u, s, r)) is not None
    ]
    # a row read from its table too when an item inside a cell is the count asked
    # ("… 청년 4명 종교계 4명, 지자체 3명" for "종교계 대표는 몇 명"), or when a cell is
    # prose, whose sentences a cell's match does not weigh
    for u, s, r in units:
        if u.kind != "row" or u.hit.doc_id not in tabled:
            continue
        item = _bulleted_item(u.display)
        if item:
            # "• | 릴리스 차단 지연 목표 도입 전 …": a list laid out in cells is read as one
            if c := unit_candidate(reading, replace(u, kind="text", display=item), s, r):
                candidates.append(c)
            continue
        if named_count(reading, u.display):
            if c := unit_candidate(reading, u, s, r):
                candidates.append(c)
            continue
        prose = _prose_cell(u.display)
        # the prose of the cell alone, read as text: the row's other cells are the table's
        if not prose or not reading.intent.value_kinds:
            continue  # a value is read out of prose; a line of it answers no other question
        c = unit_candidate(reading, replace(u, kind="text", display=prose), s, r)
        if c is not None and c.typed and c.lead:
            c.score -= _PROSE_ROW  # the table's own cells answer first
            candidates.append(c)
    candidates += aligned_candidates(reading, units)
    return candidates + cell_candidates(reading, grids, sources)


#: how much less a row read as prose weighs than a candidate of its own
_PROSE_ROW = 0.2
#: a cell this long is prose (a requirement's details), not a value
_PROSE_CHARS = 150


#: a cell holding only a list marker
_MARKER_CELL = re.compile(r"[•·∙◦○●□■▪▫◇◆※\-–*]|\d{1,2}[.)]")


def _bulleted_item(row: str) -> str:
    """The item of a rendered row of two cells whose first is only a list marker ("• | 공용
    러너 CI의 …"), else ""."""
    cells = row.split(" | ")
    if len(cells) != 2 or not _MARKER_CELL.fullmatch(cells[0].strip()):
        return ""
    return cells[1].strip()


def _prose_cell(row: str) -> str:
    """The longest cell of a rendered row when it is prose, else ""."""
    cells = [cell.partition(": ")[2] or cell for cell in row.split(" | ")]
    longest = max(cells, key=len, default="")
    return longest if len(longest) >= _PROSE_CHARS else ""


def _by_passage(units: Sequence[tuple[Unit, float, int]]) -> list[tuple[list[Unit], float]]:
    passages: dict[int, tuple[list[Unit], float]] = {}
    for unit, relevance, _ in units:
        passages.setdefault(unit.hit.chunk_id, ([], relevance))[0].append(unit)
    return list(passages.values())


def aligned_matches(
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
                else max(
                    2 * share_of(reading, row_words), share_of(reading, row_words, reading.focus)
                )
            )
            if named < 0.5:
                continue
            for column, value in row.cells:
                score = share_of(reading, set(tokenize(column)), reading.focus)
                found.append((named + score, row, column, value, relevance))
    return sorted(found, key=lambda f: -f[0])


def aligned_candidates(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> list[Candidate]:
    candidates = []
    for _, row, column, value, relevance in aligned_matches(reading, units)[:4]:
        covered = set(tokenize(f"{row.label} {column}"))
        context = set(tokenize(f"{row.unit.hit.section} {row.unit.context}"))
        total = 0.7 * share_of(reading, covered | context) + 0.3 * share_of(reading, covered)
        total += 0.3 * relevance + focus_weight(reading) * focus_share(
            reading, covered, f"{row.label} {column}"
        )
        typed = _holds(reading, value, reading.intent.value_kinds)
        total += 0.25 + (0.35 if typed and reading.intent.value_kinds else 0.0)
        lead = f"{row.label} {column}: {value}"
        candidates.append(Candidate(total, lead, unit_evidence(row.unit), typed=typed,
                                    focus=focus_share(reading, covered, lead),
                                    relevance=relevance))  # fmt: skip
    return candidates


def unit_candidate(reading: Reading, unit: Unit, relevance: float, rank: int) -> Candidate | None:
    if unit.demoted:
        return None
    own = set(tokenize(unit.display)) | written_words(reading, unit.display)
    context = set(tokenize(f"{unit.hit.section}\n{unit.context}")) - own
    share = share_of(reading, own)
    bound = unit.context_kind in ("article", "question")
    if share == 0 and not (bound and share_of(reading, context) > 0):
        return None  # "A. 구입일로부터 1년입니다." answers its FAQ question in no word of it
    # a sentence is about what its article or its FAQ question is about: "① … 15일의
    # 유급휴가를 준다" under "제12조(연차휴가)" answers a question on 연차휴가; a caption or
    # a page title only hints
    if bound:
        score = 0.7 * share_of(reading, own | context) + 0.3 * share
    else:
        score = share + 0.3 * share_of(reading, context)
    score += 0.3 * relevance - 0.02 * rank
    focus = focus_share(reading, own | context, f"{unit.display} {unit.context}")
    score += focus_weight(reading) * focus
    section = squash(unit.hit.section)
    if len(section) >= 2 and section in squash(reading.question):
        score += 0.3  # the question names the part it sits in ("부칙에 따르면")
    if unit.first:
        score += 0.2  # an article states its rule first, an FAQ its answer
    if names_other_code(reading.question, f"{unit.display} {unit.context}"):
        score -= 0.6  # about E01 when E02 was asked
    if reading.intent.value_kinds and has_ruling(unit.display) and not rule(unit.display, len).yes:
        score -= 0.15  # "점심시간에는 상담이 어렵습니다" says when not, the question asks when
    if reading.intent.asked is Asked.PROCEDURE and _STEP.search(unit.display):
        score += 0.3  # a how-to is answered by instructions
    named = named_count(reading, unit.display)
    lead, typed = (named, True) if named else _lead_of(reading, unit)
    evidence = unit_evidence(unit)
    if reading.intent.numbering and not (typed and lead):
        # "… 근거로 든 보호법 조항은 몇 조" over "ㅇ 개인정보처리자는 … 하여야 한다." under its
        # caption "… 확보조치 철저(개인정보 보호법 제29조)": the number is the caption's, and
        # the caption is quoted with the sentence
        headed = _headed(reading, unit)
        if headed is not None:
            lead, evidence = headed
            typed = True
    if named and lead == named:
        score += _NAMED_COUNT_BONUS  # the very thing counted, named in the question
    if typed and lead and _OFTEN.search(reading.question) and _EVERY.search(unit.display):
        score += 0.2  # "얼마나 자주" is answered by "12개월마다", not by "7영업일이 걸리며"
    kinds = reading.intent.value_kinds
    if kinds:
        score += 0.35 if typed else -0.2
    if unit.kind == "field" and unit.label:
        score += 0.2 * share_of(reading, set(tokenize(unit.label)))
        label = squash(unit.label)
        if len(label) >= 3 and label in squash(reading.question):
            score += 0.3  # "m 계약방식 : …" is what "계약방식은?" asks, word for word
    articles = articles_in(reading.question)
    if articles and (articles_in(unit.display) | articles_in(unit.context)) & articles:
        heading = bool(articles_in(unit.display[:12]) & articles)
        score += 1.0 if heading else 0.6 if articles_in(unit.display) & articles else 0.4
        if _ASKS_TITLE.search(reading.question) and heading:
            lead = unit.display  # "제22조 경기시간 제한" is what article 22 is about
        elif _HEADING_ONLY.search(unit.display):
            score -= 0.5  # "제15조(…위원회의 설치)" names the rule; its ① states it
    elif is_title(unit) and not _ASKS_TITLE.search(reading.question):
        score -= 0.3
    if has_korean(unit.display) != (reading.language == "ko"):
        score *= 0.7
    return Candidate(score, lead, evidence, typed=typed, focus=focus,
                     relevance=relevance)  # fmt: skip


#: how far above a unit its caption may start and still be quoted with it
_CAPTION_REACH = 200


def _headed(reading: Reading, unit: Unit) -> tuple[str, Evidence] | None:
    """The number asked (제N조) that the caption or heading right above ``unit`` writes, and
    evidence quoting both; None when it writes none or cannot be found above the unit."""
    if unit.context_kind not in ("caption", "article") or not unit.context:
        return None
    lead = _counted(reading, unit.context)
    if not lead:
        return None
    text = unit.hit.text
    start = text.rfind(unit.context[:12], max(0, unit.start - _CAPTION_REACH), unit.start)
    if start < 0:
        return None
    hit = unit.hit
    quoted = Evidence(hit, refine_label(hit.label, text, start), text[start : unit.end],
                      hit.start + start, hit.start + unit.end,
                      rejoin(text[start : unit.end]), hit.page)  # fmt: skip
    return lead, quoted


#: a unit that ends with an article's heading: it names what the article rules on
_HEADING_ONLY = re.compile(r"제\s*\d+\s*조(?:의\s*\d+)?\s*[(（][^()（）]*[)）]\s*$")
#: a question answered by a heading: what an article or a section is about
_ASKS_TITLE = re.compile(r"무엇에\s*관한|제목|무엇을\s*정하|what is .* about|title", re.I)


#: a step of a procedure: an instruction ("누르십시오", "Press and hold …")
_STEP = re.compile(
    r"(?:십시오|세요|하세요|주세요)[.!]?\s*$|^(?:press|hold|turn|insert|open|close|set|"
    r"select|click|choose|remove|connect|put)\b",
    re.I,
)
_OFTEN = re.compile(r"자주|주기|how often|every", re.I)
_EVERY = re.compile(r"마다|주기|every|each", re.I)


def is_title(unit: Unit) -> bool:
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
    if reading.intent.numbering:
        return "", False  # "몇 조인가요?" is answered by 제12조, not by "3846명" beside it
    values = [
        v
        for v in own_values(reading, _body(unit.display))
        if v.kind in strict and not counts_other_things(reading.intent, v)
    ]
    if values:
        first_kind = min(strict.index(v.kind) for v in values)  # a duration before a date
        kind_values = [v for v in values if v.kind is strict[first_kind]]
        best = _nearest_value(reading, unit.display, kind_values)
        span = _whole_range(reading.question, unit.display, kind_values, best)
        if span is not None:
            return span, True  # "언제부터 언제까지" → "2016/06/01 ~ 2019/05/31"
        return _record_from(unit.display, best.start, best.end), True
    if reading.intent.asked is Asked.NUMBER and reading.intent.counter in ("", "버전"):
        # "몇 버전" too: a version is written as a bare number by its name ("지침 2.1")
        # a number with no counter asked ("얼마로"): a count or amount would carry one
        attached = _attached_number(reading, _body(unit.display))
        if attached:
            return attached, True
    return "", not kinds


#: how far a bare number may sit from the word naming it ("128의 stride", "stride는 128")
_ATTACHED_GAP = 4


#: for a count written right after the name of what the question counts
_NAMED_COUNT_BONUS = 0.3
#: a count after a name: "종교계 4명", "산업계 12명", "중소기업(2)" is read with the counter
_NAME_COUNT = r"([가-힣A-Za-z]{{2,10}})\s*[(:：]?\s*(\d[\d,]*)\s*{counter}"


def named_count(reading: Reading, text: str) -> str:
    """The count written right after the name of what the question counts, in a list of
    such counts ("종교계 대표는 몇 명" over "… 청년 4명 종교계 4명, 지자체 3명"): the name
    must be written in the words just before 몇, the longest such name winning ("각계
    대표(35명)" is not 종교계 대표)."""
    counter = reading.intent.counter
    if (
        reading.intent.asked is not Asked.COUNT
        or not counter
        or ASKS_WHOLE.search(reading.question)
    ):
        return ""  # "모두 몇 명" asks the whole a list adds up to, not one item
    before = re.search(r"(\S+\s+)?(\S+)\s*몇", reading.question)
    if before is None:
        return ""
    phrase = squash(before.group(0))
    items = list(re.finditer(_NAME_COUNT.format(counter=re.escape(counter)), text))
    if len({m.group(1) for m in items}) < 2:
        return ""  # one count in a sentence is read as any value is; a list names items
    named = [
        m for m in items
        # "구성원은 5개사": a sentence's subject, not an item's name
        if m.group(1)[-1] not in "은는을를" and squash(m.group(1)) in phrase
    ]  # fmt: skip
    best = max(named, key=lambda m: len(m.group(1)), default=None)
    return f"{best.group(1)} {best.group(2)}{counter}" if best else ""


def _attached_number(reading: Reading, text: str) -> str:
    """A bare number written right beside a focus word of the question, which says what it
    counts ("문서를 128의 stride를 주어" for "stride를 얼마로 주었나요?"). In running text a
    bare number alone says nothing; beside the word asked about it is the value."""
    numbers = [v for v in own_values(reading, text) if v.kind is ValueKind.NUMBER]
    lowered = text.lower()
    for word in (w for w in reading.focus if len(w) >= 2 and not w[0].isdigit()):
        for spot in re.finditer(re.escape(word), lowered):
            for v in numbers:
                before = 0 <= spot.start() - v.end <= _ATTACHED_GAP
                after = 0 <= v.start - spot.end() <= _ATTACHED_GAP
                if before or after:
                    return v.text
    return ""


#: days of the same month listed after a date: ", 7일, 10일", " 및 12일"
_MORE_DAYS = re.compile(r"(?:\s*(?:,|및|와|과)\s*\d{1,2}\s*일(?![간째]))+")


def _record_from(text: str, start: int, end: int) -> str:
    """``text[start:end]``, a count, with the counts that follow it as one record: "16승
    14패", "4타수 2안타 3타점" — a record is its counts together; its first says half."""
    first = find_values(text[start:end])
    if len(first) == 1 and first[0].kind is ValueKind.DATE and text[start:end].endswith("일"):
        # "7월 4일, 7일, 10일로 나누어": the days of one month listed after the first
        days = _MORE_DAYS.match(text, end)
        return text[start : days.end() if days else end]
    if len(first) != 1 or first[0].kind is not ValueKind.COUNT:
        return text[start:end]
    stop, units = end, {first[0].unit}
    for value in find_values(text[end:]):
        at = end + value.start
        if value.kind is not ValueKind.COUNT or value.unit in units or text[stop:at].strip():
            break
        stop, units = end + value.end, units | {value.unit}
    return text[start:stop]


#: a number as Korean writes it: "26,000", "870만", "3-4천", "1.5"
_NUMERAL = r"\d[\d,]*(?:\.\d+)?(?:\s*[-~]\s*\d[\d,]*(?:\.\d+)?)?(?:\s*[천만억조])*"


#: a numbered heading: "3.3 KorQuAD 1.0 데이터 변환", "2. 관련 연구"
_NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=[^\d\s.])")


def _counted(reading: Reading, text: str) -> str:
    """The number written with the counter the question names ("몇 m" → "100m", "제 몇
    조" → "제89조", "몇 세기" → "19-20세기"), not one the question states itself."""
    counter = reading.intent.counter
    if not counter or counter in ("시", "분", "일", "명", "개", "년"):
        return ""  # typed values read these better (times, durations, counts)
    if counter in ("절", "장"):
        heading = _NUMBERED_HEADING.match(text)
        if heading:
            return heading.group(1)  # "몇 절에 나와 있나요?" over "3.3 KorQuAD 1.0 데이터 변환"
    prefix = r"제\s*" if re.search(r"제\s*몇", reading.question) else ""
    if not prefix and counter in ("조", "항", "호"):
        prefix = r"(?:제\s*)?"  # "몇 조" is answered as the text writes it: "제34조"
    asked = squash(reading.question)
    law = _law_asked(reading.question) if counter == "조" else ""
    found = []
    for match in re.finditer(rf"{prefix}{_NUMERAL}\s*{re.escape(counter)}", text):
        if squash(match.group()) in asked:
            continue
        if law and not _of_law(text[: match.start()], law):
            continue  # "보호법 조항은 몇 조" is not answered by "「… 보호법 시행령」 제16조"
        found.append(match)
    if not found:
        return ""
    spots = _phrase_spots(reading.question, text)
    # "줄 간격은 몇 %" over "문자 간격은 -5%, 줄 간격은 165%": the one after those words
    after = [m for m in found if _after_phrase(spots, m.start()) is not None]
    match = after[0] if after else found[0]
    return _record_from(text, match.start(), match.end())


#: the act whose article a question asks for: "개인정보 보호법 조항은 몇 조", "근로기준법 몇 조"
_LAW_ASKED = re.compile(r"([가-힣]{2,}법)」?\s*(?:의\s*)?(?:조항|몇\s*조|제\s*몇)")
#: what makes another instrument of an act: its decree, its rules, a notice under it
_UNDER_ACT = re.compile(r"(?:시행령|시행규칙|규칙|고시|기준|훈령|지침)」?\s*제?$")


def _law_asked(question: str) -> str:
    """The act whose article a question asks for, "" when it names none: "보호법 조항은 몇
    조", "근로기준법 몇 조", or the act named before "그 법 몇 조"."""
    asked = _LAW_ASKED.search(question)
    if asked is not None:
        return asked.group(1)
    pointing = _THAT_LAW.search(question)
    named = _LAW_NAMED.findall(question[: pointing.start()]) if pointing else []
    return named[-1] if named else ""


#: an act pointed back to: "교원노조법 위헌확인 사건은 그 법 몇 조에 관한 것인가요"
_THAT_LAW = re.compile(r"(?:그|이|해당|같은)\s*법\s*(?:의\s*)?(?:몇\s*조|조항)")
_LAW_NAMED = re.compile(r"([가-힣]{2,}법)(?![가-힣])")


def _of_law(before: str, law: str) -> bool:
    """Whether the article number after ``before`` may be one of the act ``law`` a question
    names: not when the act's decree, rules or a notice is written right before it ("「…
    보호법 시행령」 제16조" for "보호법 조항"), unless the question names that instrument, nor
    when another act is ("최저임금법 제8조" for "교원노조법"). Questions shorten an act's name
    (교원노조법 for 교원의 노동조합 설립 및 운영 등에 관한 법률), keeping its syllables in
    order: the name written must hold the question's that way."""
    under = _UNDER_ACT.search(before[-20:].rstrip())
    if under is not None and under.group().rstrip("」제 ") not in law:
        return False
    written = _ACT_BEFORE.search(before[-_ACT_CHARS:])
    return written is None or _shortens(law, written.group(1))


#: an act's name written right before an article number: "… 등에 관한 법률 제5조"
_ACT_BEFORE = re.compile(r"([가-힣ㆍ·\s]+?(?:법률|법))\s*」?\s*제?\s*$")
#: how far back an act's name is read
_ACT_CHARS = 40


def _shortens(short: str, name: str) -> bool:
    """Whether ``short`` keeps the syllables of ``name`` in order ("교원노조법" of "교원의 노동
    조합 설립 및 운영 등에 관한 법률"): how Korean acts are shortened."""
    rest = iter(re.sub(r"\s", "", name))
    return all(syllable in rest for syllable in short)


#: an act's name in a line: a word of three syllables or more ending in 법 ("근로기준법",
#: not 방법 or 헌법), or the 법률 that closes a long name
_ACT_WRITTEN = re.compile(r"[가-힣]{2,}법(?![가-힣])|[가-힣]{2,}법(?=률)|법률(?![가-힣])")
#: how far before its 법 an act's long name may reach ("… 거래 공정화에 관한 법률")
_ACT_NAME_CHARS = 40


def names_other_act(question: str, line: str) -> bool:
    """Whether ``line`` names acts but not the one the question does: "양경규 의원이 낸
    대규모유통업법 개정안의 의안번호" is not answered by "근로기준법 일부개정법률안(…)(의안번호
    2126620)". An act shortened in the question keeps its syllables in order in the
    line's name (대규모유통업법 of "대규모유통업에서의 거래 공정화에 관한 법률")."""
    written = [m for m in _ACT_WRITTEN.finditer(line) if len(m.group()) >= 3]
    return bool(_acts_asked(question)) and bool(written) and not names_act(question, line)


#: the kinds of rule an act is carried out by: a 시행령 is not its 시행규칙
_INSTRUMENT = re.compile(r"시행령|시행규칙|시행세칙|조례|고시|훈령|예규")


def names_other_instrument(question: str, line: str) -> bool:
    """Whether ``line`` names a kind of rule (시행령, 시행규칙, 조례 …) but none the question
    names: "… 법률 시행령 일부개정령의 공포번호" is not answered by the 시행규칙's row."""
    asked = set(_INSTRUMENT.findall(question))
    written = set(_INSTRUMENT.findall(line))
    return bool(asked) and bool(written) and not asked & written


def names_act(question: str, line: str) -> bool:
    """Whether ``line`` names an act the question names, in full or as it is shortened."""
    asked = _acts_asked(question)
    for match in _ACT_WRITTEN.finditer(line):
        name = line[max(0, match.start() - _ACT_NAME_CHARS) : match.end()]
        if any(_shortens(a, name) for a in asked):
            return True
    return False


def _acts_asked(question: str) -> list[str]:
    return [a for a in _LAW_NAMED.findall(question) if len(a) >= 3]


def _holds(reading: Reading, value: str, kinds: Sequence[ValueKind]) -> bool:
    """Whether a field's or a cell's value is of the kind asked: it holds such a value, or
    it is a bare number where a number will do (the label says what it counts)."""
    if not reading.intent.value_kinds:
        return True
    values = own_values(reading, value)
    if any(counts_other_things(reading.intent, v) for v in values):
        return False  # "17,737,227건" for "몇 번"
    if any(v.kind in kinds for v in values):
        return True
    return ValueKind.NUMBER in reading.intent.value_kinds and is_numeric(value)


def own_values(reading: Reading, text: str) -> list[Value]:
    """Values in ``text`` that the question does not itself state ("HB-200", "2024년")."""
    asked = squash(reading.question)
    return [v for v in find_values(text) if squash(v.text) not in asked]


#: a question for the whole of several things: "뽑은 질문은 모두 몇 개", "총 몇 명"
ASKS_WHOLE = re.compile(
    r"(?:모두|총|전체|전부|통틀어|합쳐서?|합해서)\s*몇|in total|altogether", re.I
)
#: right before a value the text itself calls the whole: "총 550개", "합계 12건", "전체 66명"
TOTAL_MARK = re.compile(r"(?:총|합계|전체|모두|합|total)\s*[:：]?\s*$", re.I)
_YEAR_ASKED = re.compile(r"연도|년도|몇\s*년(?!\s*(?:간|동안))|which year|what year", re.I)
_YEAR = re.compile(r"\d{4}\s*년")
_UNTIL = re.compile(r"까지|until|\bby\b|마감|종료|끝", re.I)
_FROM = re.compile(r"부터|from|since|시작|개시", re.I)


def _nearest_value(reading: Reading, text: str, values: Sequence[Value]) -> Value:
    """The value closest to where the question's words sit in ``text``; of a range
    ("09:00~18:00") its end when the question asks until when, its start when from when."""
    values = _range_end(reading.question, text, values)
    if ASKS_WHOLE.search(reading.question):
        # "모두 몇 명" over "총 200명, 곧 서울 120명과 부산 80명": the whole the text names
        values = [
            v for v in values if TOTAL_MARK.search(text[max(0, v.start - 6) : v.start])
        ] or values
    if _YEAR_ASKED.search(reading.question):  # "체결 연도는?" is answered by "1989년"
        years = [v for v in values if _YEAR.fullmatch(v.text)]
        values = years or values
    labelled = _labelled(reading.question, text, values)
    if labelled is not None:
        return labelled
    named = _phrase_spots(reading.question, text)
    # "줄 간격은 얼마" over "문자 간격은 -5%, 줄 간격은 배수 130%": the value written after the
    # two words the question writes together, not after 간격 alone
    placed = [(gap, v) for v in values if (gap := _after_phrase(named, v.start)) is not None]
    if placed:
        return min(placed, key=lambda p: p[0])[1]
    spots = [
        m.start() for w in reading.words if len(w) > 1 for m in re.finditer(re.escape(w), text)
    ]
    if not spots:
        return values[0]
    return min(values, key=lambda v: min(abs(v.start - s) for s in spots))


def _labelled(question: str, text: str, values: Sequence[Value]) -> Value | None:
    """The value written right after a short Latin label the question writes: "F1 점수는"
    over "EM 69.8%, F1 85.7%" is 85.7%, though 69.8% sits nearer the words 점수는."""
    for label in _LATIN_LABEL.findall(question):
        ends = {
            m.end() for m in re.finditer(rf"(?<![\w.]){re.escape(label)}\s*[:=]?\s*", text, re.I)
        }
        found = [v for v in values if v.start in ends]
        if len(found) == 1:
            return found[0]
    return None


#: a short Latin label a score or measure goes by: F1, EM, BLEU, p95
_LATIN_LABEL = re.compile(r"(?<![\w.-])([A-Za-z][A-Za-z0-9]{1,4})(?![\w.-])")
#: how far after the words naming it a value may be written: "줄 간격은 배수 130%"
_PHRASE_GAP = 12
#: text ending in a number, with its Korean units: "자본금 1억 "
_AFTER_NUMBER = re.compile(r"\d[\d,.]*\s*(?:[천만억조]\s*)*$")
#: a particle ending a question's word: "간격은" → 간격
_PARTICLE_END = re.compile(r"(?:은|는|이|가|을|를|의|도|로|으로|에)$")


def _after_phrase(spots: Sequence[int], at: int) -> int | None:
    """How far after the nearest phrase end in ``spots`` a value at ``at`` is written, when
    within :data:`_PHRASE_GAP`; None when no phrase ends just before it."""
    gaps = [at - spot for spot in spots if 0 <= at - spot <= _PHRASE_GAP]
    return min(gaps) if gaps else None


def _phrase_spots(question: str, text: str) -> list[int]:
    """Where ``text`` writes two words the question writes side by side, the first of one
    syllable ("줄 간격", "글자 크기"): a one-syllable word is too common to place a value
    alone, and with the next one it names the very field asked. The ends of such phrases."""
    # (a unit after a number is no name: "1억 원 이상" places nothing)
    words = [
        ("" if _AFTER_NUMBER.search(question[: m.start()]) else _PARTICLE_END.sub("", m.group()))
        for m in re.finditer(r"[가-힣]+", question)
    ]
    spots = []
    for first, second in itertools.pairwise(words):
        if len(first) == 1 and len(second) >= 2:
            pattern = rf"(?<![가-힣]){re.escape(first)}\s*{re.escape(second)}"
            spots += [m.end() for m in re.finditer(pattern, text)]
    return spots


#: a question for both ends of a span: "언제부터 언제까지", "from when until when"
_BOTH_ENDS = re.compile(r"부터\s*\S*\s*까지|from\b.*\b(?:until|to)\b", re.I)
_RANGE_JOINT = re.compile(r"\s*(?:[~∼–-]|부터|에서|from|to)\s*", re.I)


def _whole_range(question: str, text: str, values: Sequence[Value], best: Value) -> str | None:
    """The whole range ``best`` ends or starts, when the question asks both its ends."""
    if not _BOTH_ENDS.search(question):
        return None
    for a, b in itertools.pairwise(values):
        if best in (a, b) and _RANGE_JOINT.fullmatch(text[a.end : b.start]):
            return text[a.start : b.end]
    return None


def _range_end(question: str, text: str, values: Sequence[Value]) -> Sequence[Value]:
    until, since = _UNTIL.search(question), _FROM.search(question)
    if until is None and since is None:
        return values
    ends, starts = [], []
    for a, b in itertools.pairwise(values):
        joint = text[a.end : b.start]
        if _RANGE_JOINT.fullmatch(joint):
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
        score = 1.0 if key and key in asked else share_of(reading, set(tokenize(name)))
        if score > 0 and squash(value) not in asked and (best is None or score > best[0]):
            best = (score, name, value)
    return (best[1], best[2]) if best else None
