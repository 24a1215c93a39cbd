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

from dalin.ingest.structure import CIRCLED
from dalin.text.korean import Term, has_korean, split_sentences, terms, tokenize
from dalin.types import Answer, Citation, Hit

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
    ]
)
#: Kinds of term that carry a question's topic; coverage is computed over these. Numbers
#: and units ("10년", "몇 살") are left out: they are parameters of the question, and
#: the evidence often states them differently ("9년 이상 11년 미만", "60세").
TOPIC_KINDS = frozenset({"noun", "latin", "code"})

#: (what the question asks, what a sentence answering it contains)
ANSWER_TYPES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(q, re.IGNORECASE), re.compile(a, re.IGNORECASE))
    for q, a in (
        (r"며칠|몇\s*일|how many days", r"\d+\s*(?:일|영업일|days?)"),
        (r"몇\s*살|나이|정년|how old", r"\d+\s*세|만\s*\d+|\d+\s*years? old"),
        (r"몇\s*시|what time", r"\d{1,2}:\d{2}|\d{1,2}\s*시"),
        (r"언제|when", r"\d+\s*(?:년|월|일|영업일)|\d{4}[.-]\d|이내|까지|\d+\s*(?:days?|months?)"),
        (r"얼마|가격|단가|비용|how much|price|cost", r"\d[\d,]*\s*(?:원|만\s*원)|[$₩]\s*\d|\d"),
        (r"자주|주기|how often", r"마다|주기|매\s*\d|\d+\s*(?:개월|년|주)|every"),
        (r"몇|얼마나|how (?:many|long)", r"\d"),
    )
)
MAX_SENTENCES = 3
#: how many relevant passages sentences are drawn from
MAX_PASSAGES = 3
_MIN_SENTENCE_CHARS = 6
#: a word as written, hyphens and dots kept ("HB-200", "v2.1")
_WORD = re.compile(r"\w+(?:[-.]\w+)*")
#: a numbered heading line such as "3.3 영점 조정" or "8. Warranty"
_NUMBERED_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|[가-하]\.)\s*\S[^.?!:|]{0,40}$")
_ARTICLE_LABEL = re.compile(
    r"(제\d+조(?:의\d+)?(?:\([^)]*\))?)(?:\s+[" + CIRCLED + r"](?:–[" + CIRCLED + r"])?)?"
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


@dataclass(frozen=True)
class Question:
    """A question reduced to what evidence must contain."""

    text: str
    words: tuple[str, ...]  # every content token (topic words and predicates)
    topic: tuple[str, ...]  # the tokens coverage is measured over
    answer_types: tuple[re.Pattern[str], ...]
    language: str
    #: the question's own words that hold a digit ("HB-200", "E02"): a sentence that only
    #: repeats them has not stated the number that was asked for
    echoes: re.Pattern[str] | None = None

    @classmethod
    def parse(cls, text: str) -> Question:
        found: list[Term] = [t for t in terms(text) if t.token not in QUESTION_WORDS]
        words = tuple(dict.fromkeys(t.token for t in found))
        topic = tuple(dict.fromkeys(t.token for t in found if t.kind in TOPIC_KINDS)) or words
        types = tuple(a for q, a in ANSWER_TYPES if q.search(text))
        numbered = {w for w in _WORD.findall(text) if any(c.isdigit() for c in w)}
        longest_first = sorted(numbered, key=len, reverse=True)  # "HB-200-CS" before "HB-200"
        echoes = re.compile("|".join(map(re.escape, longest_first)), re.I) if numbered else None
        return cls(text, words, topic, types, question_language(text), echoes)

    def is_answered_in_kind(self, sentence: str) -> bool:
        """Whether ``sentence`` holds what the question asks for (a number of days, a
        price, …), not counting the question's own numbered words."""
        rest = self.echoes.sub(" ", sentence) if self.echoes else sentence
        return any(a.search(rest) for a in self.answer_types)


def coverage(terms_: Sequence[str], idf: Mapping[str, float], tokens: set[str]) -> float:
    """IDF-weighted share of ``terms_`` present in ``tokens`` (0 when there are none)."""
    total = sum(idf[t] for t in terms_)
    return sum(idf[t] for t in terms_ if t in tokens) / total if total else 0.0


@dataclass(frozen=True)
class _Candidate:
    hit: Hit
    sentence: str
    start: int  # offset in the hit's text
    score: float


def relevant_hits(
    q: Question,
    hits: Sequence[Hit],
    idf: Mapping[str, float],
    *,
    min_coverage: float,
    equivalents: Equivalents = (),
) -> list[tuple[Hit, float]]:
    """The hits that cover the question's topic, with their coverage, in the given order.

    The one gate every answer path uses, so extractive and model answers abstain alike.
    """
    relevant: list[tuple[Hit, float]] = []
    for hit in hits:
        tokens = with_equivalents(set(tokenize(hit.section + "\n" + hit.text)), equivalents)
        share = coverage(q.topic, idf, tokens)
        if share >= min_coverage:
            relevant.append((hit, share))
    return relevant


def extractive_answer(
    question: str,
    hits: Sequence[Hit],
    idf_of: IdfLookup,
    *,
    min_coverage: float = 0.5,
    equivalents: Equivalents = (),
) -> Answer:
    """Answer ``question`` with sentences quoted from ``hits``, or abstain."""
    q = Question.parse(question)
    language = q.language
    idf = idf_of(q.words) if q.words else {}
    relevant = relevant_hits(q, hits, idf, min_coverage=min_coverage, equivalents=equivalents)
    candidates = sorted(
        (
            c
            for hit, share in relevant[:MAX_PASSAGES]
            for c in _sentences(hit, share, q, idf, equivalents)
        ),
        key=lambda c: -c.score,
    )
    if not candidates:
        return Answer(question, NOT_FOUND[language], (), True, language, hits=tuple(hits))
    best = candidates[0].score
    chosen = [c for c in candidates if c.score >= 0.8 * best][:MAX_SENTENCES]
    return _compose(question, language, chosen, hits)


def _sentences(
    hit: Hit, relevance: float, q: Question, idf: Mapping[str, float], equivalents: Equivalents
) -> list[_Candidate]:
    section = set(tokenize(hit.section)) if hit.section else set()
    asked: set[str] = set()  # an FAQ's question gives its answer's context
    out: list[_Candidate] = []
    for position, s in enumerate(split_sentences(hit.text)):
        own = with_equivalents(set(tokenize(s.text)), equivalents)
        if _is_question(s.text):
            asked = own
            continue
        context, asked = section | asked, set()
        if _is_not_evidence(s.text, own, section):
            continue
        share = coverage(q.words, idf, own)
        in_section = coverage(q.words, idf, context - own)
        if share == 0 and in_section == 0:
            continue
        typed = 0.3 if q.is_answered_in_kind(s.text) else 0.0
        # Earlier sentences of a passage win ties: articles state the rule first.
        score = share + 0.3 * in_section + 0.3 * relevance + typed - 0.001 * position
        if has_korean(s.text) != (q.language == "ko"):
            score *= 0.7  # evidence in the asker's language reads better; keep the other as backup
        out.append(_Candidate(hit, s.text, s.start, score))
    return out


_FAQ_QUESTION = re.compile(r"^(?:Q|질문|문)\s*\d*\s*[.:)]", re.IGNORECASE)


def _is_question(sentence: str) -> bool:
    """An FAQ entry's question: it frames the answer that follows, it is not one."""
    return sentence.rstrip().endswith(("?", "？")) or _FAQ_QUESTION.match(sentence) is not None


def _is_not_evidence(sentence: str, tokens: set[str], section: set[str]) -> bool:
    """Headings and table header lines state no answer."""
    return (
        len(sentence) < _MIN_SENTENCE_CHARS
        or tokens <= section
        or _NUMBERED_HEADING.match(sentence) is not None
        or (" | " in sentence and ": " not in sentence)
    )


def _compose(
    question: str, language: str, chosen: Sequence[_Candidate], hits: Sequence[Hit]
) -> Answer:
    numbers: dict[tuple[int, str], int] = {}
    citations: list[Citation] = []
    lines: list[str] = []
    for c in chosen:
        label = refine_label(c.hit.label, c.hit.text, c.start)
        key = (c.hit.chunk_id, label)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            start = c.hit.start + c.start
            citations.append(
                Citation(
                    numbers[key],
                    c.hit.doc_id,
                    c.hit.document,
                    label,
                    c.sentence,
                    start,
                    start + len(c.sentence),
                    c.hit.page,
                )
            )
        # The quote stays verbatim in the citation; the answer reads a wrapped line as one.
        lines.append(f"{' '.join(c.sentence.split())} [{numbers[key]}]")
    return Answer(question, "\n".join(lines), tuple(citations), False, language, hits=tuple(hits))


def refine_label(label: str, chunk_text: str, offset: int) -> str:
    """Narrow an article label to the 항 (①②…) that holds the text at ``offset``."""
    match = _ARTICLE_LABEL.search(label)
    if match is None:
        return label
    marks = [ch for ch in chunk_text[: offset + 1] if ch in CIRCLED]
    if not marks:
        return label
    return label[: match.start()] + f"{match.group(1)} {marks[-1]}" + label[match.end() :]
