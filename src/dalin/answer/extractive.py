"""The model-free answer: the best evidence sentences of the top passages, each cited.

It never writes a word that is not in the documents. Relevance is judged by *coverage*:
the IDF-weighted share of the question's topic words (nouns, Latin words, numbers, codes)
that a passage contains. A question whose topic the documents do not hold gets "not found"
rather than the nearest unrelated passage. Among relevant passages, a sentence scores by
the question words it holds, the relevance of its passage, and whether it has the kind of
value the question asks for (a number of days for 며칠, a time for 몇 시, …).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dalin.answer.asked import NAMED_BY_VALUE, english_grammar
from dalin.answer.confidence import Gate, measures
from dalin.answer.contents import heading_page_listed, named_headings, page_asked
from dalin.answer.evidence import article_references, document_words, refine_label
from dalin.answer.intent import Operation, read_intent
from dalin.answer.quantities import ORDINALS
from dalin.answer.reader import Read, read_answer, table_after, to_answer
from dalin.answer.reader_question import PassageLookup, Sources, quoted_words
from dalin.answer.values import ValueKind, find_values
from dalin.text.korean import Term, has_korean, terms, tokenize
from dalin.types import Answer, Hit

__all__ = [
    "NOT_FOUND",
    "Equivalents",
    "IdfLookup",
    "Question",
    "Sources",
    "bm25_idf",
    "coverage",
    "extractive_answer",
    "question_language",
    "refine_label",
    "relevant_hits",
    "with_equivalents",
]

NOT_FOUND = {
    "ko": "문서에서 답을 찾지 못했습니다.",
    "en": "Not found in your documents.",
}

#: Question words and light verbs: they shape a question but are never in its answer.
QUESTION_WORDS = frozenset(
    [
        "며칠",
        "얼마",
        "얼마나",
        "언제",
        "어디",
        "무엇",
        "뭐",
        "무슨",
        "누구",
        "어떻게",
        "왜",
        "몇",
        "어느",
        "어떤",
        "어떠하",
        "되",
        "하",
        "있",
        "없",
        "알",
        "주",
        "알리",
        "궁금",
        "말",
        "가능",
        "경우",
        "방법",
        "뜻",
        "의미",
        "how",
        "mani",
        "much",
        "long",
        "often",
        "when",
        "where",
        "who",
        "whom",
        "which",
        "why",
        "mean",
        # English's light verbs of arithmetic: "what do the ColB values add up to?"
        "add",
        "up",
        "togeth",
        "combin",
        "altogeth",
        # framing and hedging: "According to the RFP, roughly how many …?" asks what the
        # RFP says, and a document never writes "according" or "roughly" beside its answer
        "accord",
        "rough",
        "approxim",
        # what a cell holds is asked, not a word it writes: "what is written in the cell of
        # the row whose …"
        "whose",
        "written",
    ]
)
#: Kinds of term that carry a question's topic; coverage is computed over these. Numbers
#: and units ("10년", "몇 살") are left out: they are parameters of the question, and
#: the evidence often states them differently ("9년 이상 11년 미만", "60세").
TOPIC_KINDS = frozenset({"noun", "latin", "code"})

#: words that say where in a file or table to look, not what about: "표.hwp 파일에서 첫 칸이
#: UVM인 행의 GHI 열 값", "the ColC value in the row where ColA is 9" — a table's text never
#: writes 칸, 행 or 열, nor "value" for what a cell holds, nor 괄호 for the brackets it writes;
#: a form's 표지 is its first page, and 예시 asks for the sample a form writes in a field
#: ("표지의 … 학과명 칸에는 예시로 무엇이": "학과명 | ○○○○과")
LOCATORS = frozenset(
    ("칸", "행", "열", "셀", "괄호", "표지", "예시", "row", "column", "cell", "valu")
)
#: the rows under a group's merged cell: "'사용성' 평가항목 밑에 달린 세부평가항목" (밑
#: is where to look; "대통령 밑에서 맡은 직책" is what about)
_UNDER_GROUP = re.compile(r"밑에\s*(?:달린|딸린|속한|있는\s*세부)")
#: a cell placed by its neighbour: "the table cell directly below the cell that says
#: 'Just a'" — directly, below and says say where to look, as 칸 and 바로 아래 do
_CELL_PLACED = re.compile(
    r"\b(?:cell|box)\s+(?:\w+\s+)?(?:below|under|beneath|above|to\s+the)\b", re.I
)
_PLACING_WORDS = frozenset(
    ("direct", "immedi", "below", "abov", "beneath", "underneath", "right", "left", "say", "read")
)

#: a part placed at an edge of the document: "양식 맨 아래 '기타' 표" says where to look
#: (아래), not what about
_EDGE_PLACED = re.compile(r"맨\s*(아래|위|밑|끝|앞|뒤)")

#: words that say when in a day, not what: "아침 몇 시" asks what "몇 시" asks, and the
#: evidence states the time as a number ("시업시각은 09:00")
TIME_OF_DAY = frozenset(
    [
        *("아침", "저녁", "오전", "오후", "점심", "새벽", "밤", "낮", "하루", "매일"),
        # when an act happens, relative to now: "나중에 돌려받을 수 있나요" asks whether one
        # gets it back at all; the rule ("반환하지 않으며") never says "나중"
        *("나중", "지금", "오늘", "내일", "어제", "추후", "향후", "당장"),
    ]
)

#: maps tokens to their inverse document frequency in the workspace
IdfLookup = Callable[[Sequence[str]], Mapping[str, float]]
#: (tokens of a glossary term in the question, tokens of a word that means the same): a
#: passage holding the second holds the first ("부가가치세" answers a question on "부가세")
Equivalents = Sequence[tuple[frozenset[str], frozenset[str]]]


def with_equivalents(tokens: set[str], equivalents: Equivalents) -> set[str]:
    """``tokens`` plus the tokens of every glossary term whose synonym they hold."""
    extra = [term for term, word in equivalents if word <= tokens]
    return tokens.union(*extra) if extra else tokens


def bm25_idf(df: int, n: int) -> float:
    """Lucene's BM25 IDF, always positive: ln(1 + (N - df + 0.5) / (df + 0.5))."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def question_language(question: str) -> str:
    return "ko" if has_korean(question) else "en"


_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['’]s\b")
#: how an English question frames a share it asks computed, not what it is about: "what
#: percentage of the invoice total does … make up (to one decimal place)?" — no document
#: writes "percentage", "make up" or "decimal place" beside the figures it divides (a share
#: a document states, "what share of … have Long answers?", keeps its words)
_SHARE_FRAMING = re.compile(
    r"\bwhat (?:percentage|percent|share|proportion) of\b|\bmakes? up\b"
    r"|\b(?:to|rounded to) (?:one|two|three|[1-3]) decimal places?\b",
    re.I,
)


#: a part taken out of a total, in words no document writes beside the amounts: "what
#: would the invoice total come to if the Giga Trash line were taken off"
_TAKEN_OFF_FRAMING = re.compile(
    r"\b(?:come|comes|came)\s+to\b|\b(?:were|was|is)\s+(?:taken\s+(?:off|out)|removed"
    r"|deducted|subtracted|left\s+out|dropped)\b",
    re.I,
)


#: how an English question asks what a thing says it is: "Does Zava Auto Repair describe
#: itself … as a certified collision repair shop?" asks whether it is one; a document
#: writes what it is ("ZAVA AUTO REPAIR / Certified Collision Repair"), never "describe"
_SELF_FRAMING = re.compile(
    r"\b(?:describes?|call|calls|presents?|bills?)\s+(?:itself|themselves|himself|herself)\b",
    re.I,
)

#: a decimal place counted in words: "소수점 다섯째 자리" is the "소수점 5자리" a document
#: writes
_ORDINAL_PLACE = re.compile(rf"(?<![가-힣])({'|'.join(ORDINALS)})째\s*자리")


@dataclass(frozen=True)
class Question:
    """A question reduced to what evidence must contain."""

    text: str
    words: tuple[str, ...]  # every content token (topic words and predicates)
    topic: tuple[str, ...]  # the tokens coverage is measured over
    language: str
    #: the kinds of value the question asks for that :data:`NAMED_BY_VALUE` knows
    kinds: tuple[ValueKind, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Question:
        # a possessive's s ("the table's bottom row") is no word; "S8" keeps its S
        words_of = _SELF_FRAMING.sub(" ", _POSSESSIVE.sub("", text))
        words_of = _ORDINAL_PLACE.sub(lambda m: f"{ORDINALS[m.group(1)]}자리", words_of)
        intent = read_intent(text)
        if english_grammar(text):
            # "final exam (C반 기말고사)" asks for the Korean; a Korean question's
            # "operations research(운영 연구)" asks for the English term
            words_of = _GLOSSED_ENGLISH.sub(" ", words_of)
        if intent.operation is Operation.SHARE:
            words_of = _SHARE_FRAMING.sub(" ", words_of)
        if intent.operation is Operation.DIFFERENCE:
            words_of = _TAKEN_OFF_FRAMING.sub(" ", words_of)
        found: list[Term] = [t for t in terms(words_of) if t.token not in QUESTION_WORDS]
        words = tuple(dict.fromkeys(t.token for t in found))
        locators = TIME_OF_DAY | LOCATORS | ({"밑"} if _UNDER_GROUP.search(text) else set())
        if _CELL_PLACED.search(text):
            locators |= _PLACING_WORDS
        locators |= set(_EDGE_PLACED.findall(text))
        topic = (
            tuple(
                dict.fromkeys(
                    t.token for t in found if t.kind in TOPIC_KINDS and t.token not in locators
                )
            )
            or words
        )
        kinds = tuple(k for k in intent.value_kinds if k in NAMED_BY_VALUE)
        return cls(text, words, topic, question_language(text), kinds)

    def named_by_values(self, text: str) -> set[str]:
        """The topic words that only name the kind of value asked, when ``text`` states a
        value of that kind."""
        asked = [k for k in self.kinds if NAMED_BY_VALUE[k].intersection(self.topic)]
        if not asked:
            return set()  # no such word to cover: the passage's values need not be read
        stated = {v.kind for v in find_values(text)}
        named = set().union(*(NAMED_BY_VALUE[k] for k in asked if k in stated))
        return named.intersection(self.topic)


def coverage(terms_: Sequence[str], idf: Mapping[str, float], tokens: set[str]) -> float:
    """IDF-weighted share of ``terms_`` present in ``tokens`` (0 when there are none)."""
    total = sum(idf[t] for t in terms_)
    return sum(idf[t] for t in terms_ if t in tokens) / total if total else 0.0


#: how many pages apart two things are: "본론이 시작하는 쪽보다 몇 쪽 뒤"
_PAGES_APART = re.compile(r"몇\s*(?:쪽|페이지)\s*(?:뒤|앞|차이|떨어)")


def relevant_hits(
    q: Question,
    hits: Sequence[Hit],
    idf: Mapping[str, float],
    *,
    min_coverage: float,
    equivalents: Equivalents = (),
    beside: Callable[[Hit], str] | None = None,
) -> list[tuple[Hit, float]]:
    """The hits that cover the question's topic, with their coverage, in the given order.

    The one gate every answer path uses, so extractive and model answers abstain alike.
    ``beside`` gives text that belongs with a passage though the chunk does not hold it
    (the table a caption introduces).
    """
    relevant: list[tuple[Hit, float]] = []
    articles = article_references(q.text)
    pages = bool(_PAGES_APART.search(q.text))
    one_page = not pages and page_asked(q.text)
    glossed = _TERM_GLOSSED.findall(q.text)
    for hit in hits:
        text = f"{document_words(hit.name)}\n{hit.section}\n{hit.text}"
        tokens = passage_tokens(q, hit, equivalents)
        share = coverage(q.topic, idf, tokens)
        if share < min_coverage and beside is not None:
            more = with_equivalents(set(tokenize(beside(hit))), equivalents)
            share = coverage(q.topic, idf, tokens | more)
        if articles and articles & article_references(text):
            share = max(share, min_coverage)  # the article asked about is here
        if pages and named_headings(q.text, hit.text):
            share = max(share, min_coverage)  # the contents page listing both headings
        elif one_page and heading_page_listed(q.text, hit.text):
            share = max(share, min_coverage)  # the contents page listing the heading asked
        if share >= min_coverage - 1e-9 and not _gloss_missing(glossed, text):
            relevant.append((hit, share))
    return relevant


def _named(gloss: str, text: str) -> bool:
    """Whether text holds a Latin gloss as words, however spaced ("Konan Technology Inc."
    holds Konan Technology; "Claim # 999 Make Batman" holds Make, "Maker" does not)."""
    words = r"\s*".join(re.escape(w) for w in gloss.split())
    return re.search(rf"(?<![A-Za-z]){words}(?![A-Za-z])", text, re.IGNORECASE) is not None


#: English words a Korean gloss in brackets restates, in an English question: "class C's
#: final exam (C반 기말고사)", "Korean language (국어)" — the document writes the gloss, not
#: the English (up to four words back, never across a function word)
_GLOSSED_ENGLISH = re.compile(
    r"(?<![\w'’])(?:(?!(?:the|a|an|for|in|of|on|at|to|and|or|from|by|with|what|which|did"
    r"|does|do|is|are|was|were)\b)[A-Za-z][\w'’]*\s+){0,3}[A-Za-z][\w'’]*\s*"
    r"(?=[(（][^()（）]*[가-힣][^()（）]*[)）])",
    re.I,
)
#: a term glossed in brackets, "운영체제(OS)": the asked thing under both its names
_TERM_GLOSSED = re.compile(r"([가-힣]{2,})\s*[(（]([A-Za-z][A-Za-z0-9 .-]*)[)）]")


def _gloss_missing(glossed: Sequence[tuple[str, str]], text: str) -> bool:
    """Whether a passage holds a glossed term under neither name. Split into morphemes,
    운영체제 is 운영 + 체제 and a passage on 설치·운영 covers most of it; the asked thing
    is the whole term, so a passage naming neither it nor its gloss is about something
    else."""
    flat = re.sub(r"\s+", "", text)
    return any(word not in flat and not _named(gloss, text) for word, gloss in glossed)


#: what a question calls a file of each kind: "the markitdown test spreadsheet", "표 위치
#:테스트용 한글 파일" (a .hwp is a 한글 file, after the word processor's name), "KorQuAD
#: 1.0 홈페이지에서 내려받는" (a saved web page)
_KIND_WORDS = {
    "html": "홈페이지 웹페이지 사이트 website homepage webpage",
    "htm": "홈페이지 웹페이지 사이트 website homepage webpage",
    "xlsx": "spreadsheet workbook sheet",
    "xls": "spreadsheet workbook sheet",
    "pptx": "presentation slides deck",
    "hwp": "한글",
    "hwpx": "한글",
    "docx": "워드",
}


def _file_words(name: str) -> str:
    """A file name as words, with what people call a file of its kind."""
    kind = _KIND_WORDS.get(name.rpartition(".")[2].lower(), "")
    return f"{document_words(name)} {kind}"


def passage_tokens(q: Question, hit: Hit, equivalents: Equivalents = ()) -> set[str]:
    """The question's words a passage holds, as the gate reads it: its file name (with what
    a file of its kind is called), section and text, glossary equivalents, file-name words,
    and words a stated value stands for."""
    text = f"{_file_words(hit.name)}\n{hit.section}\n{hit.text}"
    tokens = with_equivalents(set(tokenize(text)), equivalents)
    tokens |= named_in(q.topic, hit.name) | q.named_by_values(hit.text)
    if _NUMBERED_FIELD.search(hit.text):
        tokens.add("number")  # "Claim # SF-1008" writes the claim number with a sign
    held = _parts_held(q, tokens) | _written_whole(q, hit.text, tokens)
    return tokens | held | _korean_names_held(q, hit.text)


#: a run of Hangul in a question, as it is written
_HANGUL_RUN = re.compile(r"[가-힣]{2,}")


def _korean_names_held(q: Question, text: str) -> set[str]:
    """In a question written in English, the topic words of a Korean name the passage
    writes letter for letter: Kiwi reads "개똥이" in "what score did 개똥이 get" as 개 + 똥,
    and the grade sheet's "이름: 개똥이" as one word."""
    if not english_grammar(q.text):
        return set()
    squashed = _squashed(text)
    held: set[str] = set()
    for run in _HANGUL_RUN.findall(q.text):
        if run in squashed:
            held |= {t for t in q.topic if has_korean(t) and t in run}
    return held


def _written_whole(q: Question, text: str, tokens: set[str]) -> set[str]:
    """The Korean topic words the passage writes letter for letter (spaces and signs aside)
    though Kiwi read them apart there: "홍수지질학이" is one word in a question and
    "홍수지질학적" 홍수 + 지질학 in the passage; "제나기즈가" is "제나 기즈의" (제 + 기즈). Four
    syllables or more, or three the question quotes ("'각주목록'을"): a shorter word is
    written inside longer ones ("보호법" in "개인정보보호법")."""
    quoted = "".join(quoted_words(q.text))
    missing = [
        t
        for t in q.topic
        if t not in tokens and has_korean(t) and (len(t) >= 4 or (len(t) == 3 and t in quoted))
    ]
    if not missing:
        return set()
    squashed = _squashed(text)
    return {t for t in missing if t in squashed}


#: a field numbered with a sign: "Claim # 999", "Repair Order #RO-1"
_NUMBERED_FIELD = re.compile(r"[A-Za-z]\s?#\s?\w")


def _parts_held(q: Question, tokens: set[str]) -> set[str]:
    """The topic tokens that are parts of a longer topic token the passage holds, when the
    question writes that word more than once: Kiwi reads a name it does not know in one
    place as one word (김하성) and in another as pieces (김, 성); a passage writing the name
    holds the pieces too. (음 of 당김음 is no piece of the 음악 the question writes once.)"""
    topic = q.topic
    held = [u for u in topic if u in tokens and has_korean(u) and q.text.count(u) >= 2]
    return {
        t
        for t in topic
        if t not in tokens and has_korean(t) and any(t in u and t != u for u in held)
    }


def named_in(words: Sequence[str], name: str) -> set[str]:
    """The ``words`` written in a file name: Kiwi reads "온나라웹기안기" in a name as one
    word and "온나라 웹기안기" in a question as others, so names are matched as text."""
    squashed = _squashed(name)
    return {w for w in words if len(w) >= 2 and w in squashed}


def extractive_answer(
    question: str,
    hits: Sequence[Hit],
    idf_of: IdfLookup,
    *,
    min_coverage: float = 0.5,
    equivalents: Equivalents = (),
    sources: Sources | None = None,
    gate: Gate | None = None,
) -> Answer:
    """Answer ``question`` from ``hits`` without a model (see :mod:`dalin.answer.reader`),
    or abstain. ``sources`` gives the reader the documents' stored tables and text;
    ``gate`` withholds an answer it finds unlikely to be right
    (:mod:`dalin.answer.confidence`)."""
    q = Question.parse(question)
    language = q.language
    idf = idf_of(q.words) if q.words else {}
    sources = sources or Sources()
    relevant = relevant_hits(q, hits, idf, min_coverage=min_coverage, equivalents=equivalents,
                             beside=table_after(sources))  # fmt: skip
    relevant = _writing_parts_named(question, relevant, sources)
    relevant = _writing_glossed(question, relevant, sources)
    read = read_answer(
        question, q.words, relevant, idf, equivalents, language, sources
    ) if relevant else None  # fmt: skip
    if read is None or _figure_unread(question, read):
        return Answer(question, NOT_FOUND[language], (), True, language, hits=tuple(hits))
    if gate is not None and not gate.shows(
        answer_measures(q, idf, hits, relevant, read, equivalents)
    ):
        return Answer(question, NOT_FOUND[language], (), True, language, hits=tuple(hits))
    return to_answer(question, language, read.lines, read.evidence, hits)


#: a table or figure a question names by its number: "표 14", "그림 3", "Table 2"
_NUMBERED_PART = re.compile(
    r"(?<![가-힣A-Za-z])(표|그림|table|figure|fig\.)\s*(\d{1,3})(?!\d)", re.IGNORECASE
)
_PART_NAMES = {"표": "표|table|테이블", "table": "표|table|테이블", "그림": "그림|figure|fig\\.",
               "figure": "그림|figure|fig\\.", "fig.": "그림|figure|fig\\."}  # fmt: skip


def _writing_parts_named(
    question: str, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> list[tuple[Hit, float]]:
    """The passages of documents that write every table or figure the question names by
    number: "표 위치 테스트용 한글 파일에서 표 14는 …" is not answered from 표 2 of a
    file with 13 tables. Only read when the stored passages can be looked through."""
    named = [(m.group(1).lower(), m.group(2)) for m in _NUMBERED_PART.finditer(question)]
    if not named or sources.passages is None:
        return list(relevant)
    patterns = [
        re.compile(rf"(?<![가-힣A-Za-z])(?:{_PART_NAMES[kind]})\s*{number}(?!\d)", re.I)
        for kind, number in named
    ]
    return _documents_holding(
        relevant,
        sources.passages,
        lambda texts: all(any(p.search(t) for t in texts) for p in patterns),
    )


def _figure_unread(question: str, read: Read) -> bool:
    """Whether a question asks what a figure it names by number shows, and the answer rests
    on no passage writing that figure: a figure's values are drawn, not written, so a
    figure "[그림 4]의 C 데이터 F1" is not read from the abstract's F1 of another thing."""
    figures = [
        number
        for kind, number in _NUMBERED_PART.findall(question)
        if kind.lower() in ("그림", "figure", "fig.")
    ]
    if not figures:
        return False
    written = [
        re.compile(rf"(?<![가-힣A-Za-z])(?:그림|figure|fig\.)\s*{n}(?!\d)", re.I) for n in figures
    ]
    return not any(p.search(e.hit.text) for e in read.evidence for p in written)


#: a term the question glosses in brackets: "포스트시즌(한국시리즈)", "소계(Subtotal)"
_GLOSSED = re.compile(r"([가-힣A-Za-z][가-힣A-Za-z0-9]+)\s*[(（]([^()（）]{2,30})[)）]")


#: a gloss that says what is measured, not another name: "모델 크기(파라미터 수)" asks a
#: number a leaderboard writes "355M", naming neither
_MEASURE_GLOSS = re.compile(r"\s(?:수|개수|수량|규모|크기)$")


def _writing_glossed(
    question: str, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> list[tuple[Hit, float]]:
    """The passages of documents that write (in any stored passage or the file name) one
    of the two names of every term a Korean question glosses: a question naming a thing
    twice, "포스트시즌(한국시리즈)", asks about that thing, and a document writing neither
    name (the regular season's start times) does not answer it. An English question's
    terms are checked in translation elsewhere."""
    glossed = [
        (m.group(1), m.group(2)) for m in _GLOSSED.finditer(question)
        if not _MEASURE_GLOSS.search(m.group(2))
    ]  # fmt: skip
    if not glossed or sources.passages is None or question_language(question) != "ko":
        return list(relevant)

    def holds(texts: list[str]) -> bool:
        text = _squashed(" ".join(texts))
        return all(_written(term, text) or _written(gloss, text) for term, gloss in glossed)

    return _documents_holding(relevant, sources.passages, holds, with_name=True)


def _documents_holding(
    relevant: Sequence[tuple[Hit, float]],
    passages: PassageLookup,
    holds: Callable[[list[str]], bool],
    *,
    with_name: bool = False,
) -> list[tuple[Hit, float]]:
    """The passages of the documents whose stored passages' texts (after the file name, if
    ``with_name``) ``holds`` accepts; each document read once."""
    kept: dict[int, bool] = {}
    for hit, _ in relevant:
        if hit.doc_id not in kept:
            texts = [p.text for p in passages(hit.doc_id)]
            kept[hit.doc_id] = holds([hit.name, *texts] if with_name else texts)
    return [(hit, share) for hit, share in relevant if kept[hit.doc_id]]


def _written(name: str, text: str) -> bool:
    """Whether ``text`` (squashed) writes every word of ``name`` of two letters or more;
    a name of no such word ("-j") is taken as written, there being nothing to look for."""
    words = [w for w in (_squashed(w) for w in name.split()) if len(w) >= 2]
    return all(w in text for w in words)


def _squashed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def answer_measures(
    q: Question,
    idf: Mapping[str, float],
    hits: Sequence[Hit],
    relevant: Sequence[tuple[Hit, float]],
    read: Read,
    equivalents: Equivalents,
) -> list[float]:
    """The confidence gate's measures of what the reader found."""
    cited = {e.hit.chunk_id: passage_tokens(q, e.hit, equivalents) for e in read.evidence}
    return measures(q.text, q.topic, idf, hits, relevant, read.lines, read.evidence,
                    read.chosen, cited)  # fmt: skip
