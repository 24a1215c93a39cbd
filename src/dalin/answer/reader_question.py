"""A question as the offline reader holds it while answering, and what it answers with.

:class:`Reading` is what the reader takes from a question before reading anything: its
words, what is asked (:mod:`dalin.answer.intent`), the *focus* (the words of the thing
asked about, "갱신주기" in "… 표준데이터의 갱신주기는?") and, for yes/no questions, the
*subject* ("대기업" in "대기업도 … 참여할 수 있나요?"). :class:`Candidate` is a possible
answer: the line stating it and the :class:`Evidence` it quotes. The scores here —
coverage of the question's words, of its focus — are shared by every kind of candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from dalin.answer.evidence import Unit, article_references, refine_label
from dalin.answer.intent import QUOTED as QUOTED
from dalin.answer.intent import Asked, Intent, read_intent
from dalin.answer.tables import squash
from dalin.text.korean import has_korean, kiwi, tokenize
from dalin.types import Chunk, Hit, StoredTable

#: a document's stored tables, by document id
TableLookup = Callable[[int], Sequence[StoredTable]]
#: the stored text of a document between two offsets
TextLookup = Callable[[int, int, int], str]
#: a document's stored passages in document order, by document id
PassageLookup = Callable[[int], Sequence[Chunk]]

_EVIDENCE_CHARS = 400


@dataclass(frozen=True)
class Sources:
    """What the reader may consult besides the passages: stored tables and text."""

    tables: TableLookup | None = None
    read: TextLookup | None = None
    #: the same text at the document's own offsets (index i is offset start + i), for
    #: evidence cited by where it was found
    text_at: TextLookup | None = None
    passages: PassageLookup | None = None


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
    #: how far it scored above the best candidate stating something else, as a share of
    #: its own score (1.0: nothing else was in the running); set when it is picked
    margin: float = 1.0
    #: for a table cell, the table's caption and column names: what its passage is about,
    #: which the hit that led to the document need not be
    context: str = ""


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
_FOCUS_BOUNDARY = re.compile(r"(?:의|에서|(?<![가-힣])중|에|에는|에선)\s+(?=\S)")
#: in English the thing asked about comes first: "the salary of the project manager"
_FOCUS_BOUNDARY_EN = re.compile(r"\s(?:of|in|on|for|at|from|about)\s", re.IGNORECASE)
#: "How many GPUs were used …" asks about the GPUs, not the words after them
_HOW_MANY = re.compile(
    r"^\s*how\s+(?:many|much)\s+(?!(?:is|are|was|were|do|does|did|has|have|will|can)\b)"
    r"([A-Za-z][\w-]*)",
    re.IGNORECASE,
)
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


#: an English question's opening phrase saying where to look: "According to the review
#: report, how many …", "In the markitdown test spreadsheet, what is …"
_WHERE_TO_LOOK = re.compile(
    r"^\s*(?:according\s+to|in|on|from|for|at|per|under|within)\b[^,?]{1,120},\s*", re.I
)


def main_clause(question: str) -> str:
    """An English question without the phrase that opens it by saying where to look."""
    return _WHERE_TO_LOOK.sub("", question, count=1)


def counted_thing(question: str) -> str | None:
    """What an English how-many question counts ("How many GPUs were used" → "GPUs")."""
    match = _HOW_MANY.match(main_clause(question))
    return match.group(1) if match else None


#: words that ask for whatever a place holds without naming it: "어떤 값이 들어 있어요",
#: "무슨 내용이 적혀 있나요", "뭐라고 되어 있어요"
_WHAT_IS_WRITTEN = frozenset(
    ("값", "내용", "들", "적히", "적", "쓰이", "기재", "되", "있", "나오", "어떻")
)
#: the same in English: "what is entered in the Beta column", "what value is shown for …"
_WHAT_IS_WRITTEN_EN = frozenset(
    ("enter", "written", "write", "shown", "show", "list", "record", "given", "state", "valu")
)


def focus_words(question: str, words: Sequence[str]) -> tuple[str, ...]:
    """The question words after its last genitive or locative ("…의", "…에서"), or in
    English before its first preposition ("What type of battery" asks about the battery);
    all of them when it has none."""
    kind_of = _KIND_OF.match(question)
    counted = counted_thing(question)
    if kind_of or counted:
        tail = kind_of.group(1) if kind_of else str(counted)
    elif has_korean(question):
        parts = _FOCUS_BOUNDARY.split(question)
        tail = parts[-1] if len(parts) > 1 else question
        asks = set(tokenize(tail))
        if len(parts) > 2 and asks and asks <= _WHAT_IS_WRITTEN:
            tail = parts[-2]  # "col_a 칸에는 어떤 값이 들어 있어요": the cell holds what is asked
    else:
        parts = _FOCUS_BOUNDARY_EN.split(main_clause(question), maxsplit=1)
        tail = parts[0]
        asks = set(tokenize(tail))
        if len(parts) > 1 and asks and asks <= _WHAT_IS_WRITTEN_EN:
            tail = parts[1]  # "what is entered in the Beta column": the column holds it
    tail_tokens = set(tokenize(tail)) - _counters(question)
    focus = tuple(w for w in words if w in tail_tokens)
    return focus or tuple(words)


#: the counter after 몇 ("몇 개", "몇 명이에요"): it says what kind of value is asked (a
#: count), which the value kinds weigh; as a focus word it made any "…개" sentence about
#: the thing asked ("총 102,960개" over the table's "질문 | 평가: 9,309")
_COUNTER = re.compile(r"몇\s*(개월|시간|개|명|건|곳|대|회|번|점|일|분|배|호|살|세|권|장)")


def _counters(question: str) -> set[str]:
    return {t for m in _COUNTER.finditer(question) for t in tokenize(m.group(1))}


#: words that ask for a person without naming the role ("… 대표이사의 이름은?")
_PERSON_WORDS = frozenset(("누구", "이름", "성명", "who", "whom", "name"))
_PERSON_WORD = re.compile(r"^(?:누구|이름|성명|who|whom|name)", re.IGNORECASE)


def role_words(question: str, words: Sequence[str]) -> tuple[str, ...]:
    """For a question asking who: the words of the role asked about — the word written just
    before 누구 or 이름 ("담당자는 누구", "대표이사의 이름은" → 담당자, 대표이사). Empty when
    the question names no role there."""
    written = question.split()
    at = next((i for i, w in enumerate(written) if _PERSON_WORD.match(w)), 0)
    if at == 0:
        return ()
    if at >= 3 and _PEOPLE_COUNTED.fullmatch(f"{written[at - 2]} {written[at - 1]}"):
        # "간사 두 사람은 누구": the role is 간사, not the 사람 counting them; "방화를 한
        # 사람은 누구" reads alike, and the deed (방화) says who as 사람 never does
        at -= 2
    before = set(tokenize(written[at - 1]))
    return tuple(w for w in words if w in before and w not in _PERSON_WORDS)


#: a count of the people asked after the role: "두 사람은", "세 분은", "2명은"
_PEOPLE_COUNTED = re.compile(r"(?:[한두세네]|다섯|\d{1,2})\s(?:사람|분|명)(?:은|는|이|가)?")


_WHERE = re.compile(r"(\S*)\s+(?:어디|where)\S*\s*(.*)$", re.IGNORECASE)
#: "심사 장소는?", "행사 위치는?": the place word and the word before it name what is asked
_PLACE_NAMED = re.compile(r"(\S+)\s+(장소|위치|주소)")


def where_words(question: str, words: Sequence[str]) -> tuple[str, ...]:
    """For a question asking where: the words of what is done there, written after 어디
    ("신청은 어디로 접수하나요" → 접수), or else of what is asked about, written just before
    it ("심사장소는 어디인가요" → 심사장소); with no 어디, the place word and the word before it
    ("심사 장소는?" → 심사, 장소). Empty when the question names neither."""
    match = _WHERE.search(question) or _PLACE_NAMED.search(question)
    if match is None:
        return ()
    parts: tuple[str, ...] = (match.group(2), match.group(1))
    if match.re is _PLACE_NAMED:
        parts = (f"{match.group(1)} {match.group(2)}",)
    for part in parts:
        found = tuple(w for w in words if w in set(tokenize(part)))
        if found:
            return found
    return ()


def _focus(question: str, words: Sequence[str], intent: Intent) -> tuple[str, ...]:
    if intent.asked is Asked.PERSON:
        return role_words(question, words) or focus_words(question, words)
    if intent.asked is Asked.PLACE:
        return where_words(question, words) or focus_words(question, words)
    return focus_words(question, words)


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
                   _focus(question, words, intent), subject)  # fmt: skip


def part_reading(reading: Reading, text: str) -> Reading:
    words = tuple(w for w in tokenize(text) if w in reading.words) or reading.words
    intent = read_intent(text)
    return Reading(text, words, reading.idf, reading.same, reading.language, intent,
                   _focus(text, words, intent))  # fmt: skip


def share_of(
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


def quoted_words(question: str) -> list[str]:
    """What the question quotes, squashed, two characters or more."""
    return [squash(q) for q in QUOTED.findall(question) if len(squash(q)) >= 2]


_CODE = re.compile(r"(?<![A-Za-z])([A-Za-z]{1,4})-?(\d{1,4})(?!\d)")


def names_other_code(question: str, text: str) -> bool:
    """Whether ``text`` names a code of the family the question asks about, but another one
    ("E01" where "E02" was asked) and not the one asked."""
    asked = {(p.upper(), int(n)) for p, n in _CODE.findall(question)}
    if not asked:
        return False
    found = {(p.upper(), int(n)) for p, n in _CODE.findall(text)}
    families = {p for p, _ in asked}
    return not (found & asked) and any(p in families for p, _ in found)


def focus_weight(reading: Reading) -> float:
    """How much holding the asked-about words counts: more when no kind of value is asked
    (a place, a name, a definition), since nothing else then says "this is the answer"."""
    return 0.5 if reading.intent.value_kinds else 0.8


def written_words(reading: Reading, text: str) -> set[str]:
    """Question words written in ``text`` though not read as its tokens: a letter-spaced
    label ("일 시", "총인 원"), a compound Kiwi splits differently in either."""
    squashed = squash(text)
    return {w for w in reading.words if len(w) >= 2 and squash(w) in squashed}


def focus_share(reading: Reading, tokens: set[str] | frozenset[str], text: str) -> float:
    """The share of the focus words ``tokens`` hold, a focus word written inside ``text``
    counting too ("장소" in "장 소 환경노동위원회회의실", "총인원" in "총인 원")."""
    squashed = squash(text)
    written = {w for w in reading.focus if len(w) >= 2 and squash(w) in squashed}
    return share_of(reading, set(tokens) | written, reading.focus)


def articles_in(text: str) -> frozenset[str]:
    return article_references(text)


def unit_evidence(unit: Unit) -> Evidence:
    hit = unit.hit
    label = refine_label(hit.label, hit.text, unit.start)
    return Evidence(hit, label, unit.text, hit.start + unit.start, hit.start + unit.end,
                    unit.display, hit.page)  # fmt: skip


def any_spacing(phrase: str) -> str:
    """A pattern for ``phrase`` however it is spaced: a quoted "테스트 누름틀" is written
    "테스트누름틀" or across a line break as well."""
    return r"\s*".join(re.escape(w) for w in phrase.split())


def passage_evidence(hit: Hit, passage: Chunk, start: int, quote: str, display: str) -> Evidence:
    """The evidence of ``quote`` at document offset ``start``, under the label and page of
    the stored ``passage`` holding it rather than of the passage search found (``hit``): a
    part of the document read by position, not by search."""
    return Evidence(hit, passage.label, quote, start, start + len(quote), display, passage.page)


def line_holding(text: str, found: re.Match[str]) -> tuple[int, str]:
    """The line of ``text`` holding a match, without its surrounding space, and where it
    starts in ``text``."""
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    line = text[start : len(text) if end < 0 else end]
    return start + len(line) - len(line.lstrip()), line.strip()


def span_evidence(hit: Hit, start: int, end: int) -> Evidence:
    """The evidence of ``hit.text[start:end]`` without its surrounding space, at document
    offsets, labelled with the passage's file: a contents line, a figure's line, bullets."""
    span = hit.text[start:end]
    quote = span.strip()
    begin = hit.start + start + len(span) - len(span.lstrip())
    return Evidence(hit, hit.name, quote, begin, begin + len(quote), quote)


def short_quote(text: str) -> str:
    """A quote cut at a word boundary when it is very long (a 600-character cell)."""
    if len(text) <= _EVIDENCE_CHARS:
        return text
    cut = text.rfind(" ", 0, _EVIDENCE_CHARS)
    return text[: cut if cut > 0 else _EVIDENCE_CHARS] + " …"


def dedupe_lines(lines: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        key = re.sub(r"\s*\{\d+\}", "", line).strip()
        if key and key not in seen:
            seen.add(key)
            out.append(line)
    return out
