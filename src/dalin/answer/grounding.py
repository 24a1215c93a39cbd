"""Checks on a model's answer: are its citations real, and do its sources say what it says?

Two checks run on the text a model wrote over numbered sources:

1. **Citations name given sources.** Markers ``[1]``, ``[1, 2]``, ``[1][2]``, ``[1-3]`` (and
   full-width ``［1］``, ``【1】``, ``[자료 1]``) are read; a number that names no source the
   model was given is taken out of the text and reported.
2. **Each sentence is supported.** The answer is split into sentences (markers stay with
   their sentence) and each is checked against the passages it cites by a
   :class:`SupportChecker`. A sentence that cites nothing is checked against each source
   alone, and the best one that supports it clearly (``INFERRED_MIN_SCORE``) is cited for
   it. A sentence that cites wrongly stays unsupported.

The default checker, :class:`OverlapChecker`, is lexical and deliberately strict about
numbers, because the failure that matters most with small models is an invented number
("연차는 20일입니다" over a passage that says 15일).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from dalin.ingest.structure import CIRCLED
from dalin.text.korean import Term, split_sentences, terms

# --- citation markers ------------------------------------------------------------------------

_NUMBER_LIST = r"[0-9０-９]+(?:\s*(?:[,，、]|[-–~〜]|and|및)\s*[0-9０-９]+)*"
#: one citation marker; the optional word covers "[자료 1]" and "[Source 1]"
CITATION = re.compile(
    r"[\[［【]\s*(?:(?:source|src|자료|출처|근거)\s*)?(" + _NUMBER_LIST + r")\s*[\]］】]",
    re.IGNORECASE,
)
_RANGE = re.compile(r"^([0-9０-９]+)\s*[-–~〜]\s*([0-9０-９]+)$")
_PIECES = re.compile(r"\s*(?:[,，、]|and|및)\s*")
#: a range wider than this is read as its two ends: "[1-2024]" is not 2024 citations
_MAX_RANGE = 20
#: markers written after a sentence's full stop on the same line ("…준다. [1]") belong to it
_AFTER_STOP = re.compile(
    r"([.?!。])([ \t]*)((?:" + CITATION.pattern + r"[ \t]*)+)(?=\s|$)", re.IGNORECASE
)
#: a list item's marker ("1. ", "- ") is layout, not a claim with the number 1 in it
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)]|[가-하][.)]|\(\d{1,2}\))\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+(?=[.?!。,:;)])")


def citation_numbers(marker_body: str) -> list[int]:
    """The numbers one marker names: "1, 3" → [1, 3]; "2-4" → [2, 3, 4]."""
    numbers: list[int] = []
    for piece in _PIECES.split(marker_body.strip()):
        span = _RANGE.match(piece)
        if span is None:
            numbers.append(int(piece))  # int() reads full-width digits too
            continue
        first, last = int(span.group(1)), int(span.group(2))
        if first <= last <= first + _MAX_RANGE:
            numbers.extend(range(first, last + 1))
        else:
            numbers.extend((first, last))
    return numbers


def strip_citations(text: str) -> str:
    """``text`` without citation markers, spaces left before punctuation tidied."""
    return _tidy(CITATION.sub("", text))


def _tidy(text: str) -> str:
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


# --- support ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    """How well some passages back one sentence: a score in [0, 1] and the verdict."""

    score: float
    supported: bool


class SupportChecker(Protocol):
    """Judges whether ``passages`` state what ``sentence`` says."""

    def check(self, sentence: str, passages: Sequence[str]) -> Support: ...


#: term kinds that carry a claim. Predicates are left out because paraphrase changes them
#: most ("준다" → "주어집니다", "부여됩니다"); bare units ("일", "년") say nothing alone.
CLAIM_KINDS = frozenset({"noun", "latin", "code", "number"})
_DIGITS = re.compile(r"^(\d+(?:\.\d+)?)(.*)$")


# --- numbers written alike -------------------------------------------------------------------
# The check compares numbers token by token, so the spellings a model and a document use
# for one value must meet first: "2만 원" and "20,000원", "오후 6시" and "18:00", "15 일"
# and "15일", "②" and "제2항". Claim and passage go through the same rewrites.

_AMOUNT_PAIR = re.compile(r"(\d[\d,]*)\s*만\s*(\d+)\s*천")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(천만|억|만|천)")
_MULTIPLIER = {"천": 1_000, "만": 10_000, "천만": 10_000_000, "억": 100_000_000}
#: "9시", "오후 6시 30분", "9시 반", "09:00"; not "3시간" nor "1시행" (a word after a number)
_KO_TIME = re.compile(
    r"(?:(오전|오후)\s*)?(?<![\d.:])(\d{1,2})"
    r"(?:시(?![간작행험설장청])(?:\s*(\d{1,2})\s*분|\s*(반))?|:(\d{2})(?!\d))"
)
_EN_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\b\.?", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
#: a number then a space then a Korean word: "15 일" is read as "15일"
_SPACED_UNIT = re.compile(r"(\d)[ \t]+(?=[가-힣])")
#: English units a number is read together with ("15 days", "15 working days" → 15day)
_LATIN_UNIT = re.compile(
    r"(\d+(?:\.\d+)?)\s?(?:[a-z]+\s)?(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?"
    r"|months?|years?|times|kg|mg|km|cm|mm|ml|kwh|kw|mah|n·m|nm|won|krw|usd|dollars?)\b",
    re.IGNORECASE,
)


def _amount(match: re.Match[str]) -> str:
    value = Decimal(match.group(1).replace(",", "")) * _MULTIPLIER[match.group(2)]
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _clock(hour: int, minute: int, afternoon: bool) -> str:
    if afternoon and hour < 12:
        hour += 12
    return f"{hour}:{minute:02d}"


def _ko_time(m: re.Match[str]) -> str:
    minute = m.group(3) or ("30" if m.group(4) else m.group(5) or "0")
    return _clock(int(m.group(2)), int(minute), m.group(1) == "오후")


def _en_time(m: re.Match[str]) -> str:
    return _clock(int(m.group(1)), int(m.group(2) or 0), m.group(3).lower() == "p")


def canonical_numbers(text: str) -> str:
    """``text`` with spaced units, amounts, clock times and 항 marks written one way."""
    text = _AMOUNT_PAIR.sub(
        lambda m: str(int(m.group(1).replace(",", "")) * 10_000 + int(m.group(2)) * 1_000), text
    )
    text = _SPACED_UNIT.sub(r"\1", _AMOUNT.sub(_amount, text))
    text = _EN_TIME.sub(_en_time, text)
    text = _KO_TIME.sub(_ko_time, text)
    return "".join(f" 제{CIRCLED.index(c) + 1}항 " if c in CIRCLED else c for c in text)


@lru_cache(maxsize=4096)
def _terms(text: str) -> tuple[Term, ...]:
    # Uncited sentences are checked against every source, so passages are analysed often.
    text = canonical_numbers(text)
    units = [
        Term(m.group(1) + m.group(2).lower().removesuffix("s"), "number")
        for m in _LATIN_UNIT.finditer(text)
    ]
    # "9:30" is one value; as the numbers 9 and 30 it would meet any 9 and any 30.
    clocks = [Term(m.group(), "number") for m in _CLOCK.finditer(text)]
    return (*terms(text), *units, *clocks)


def claim_terms(sentence: str) -> frozenset[str]:
    """The tokens of ``sentence`` that a supporting passage must hold."""
    return frozenset(
        _canonical_number(t.token) if t.kind == "number" else t.token
        for t in _terms(strip_citations(sentence))
        if t.kind in CLAIM_KINDS
    )


def _canonical_number(token: str) -> str:
    """Read "09" as "9" (and "09시" as "9시"); leave non-digit numerals as written."""
    match = _DIGITS.match(token)
    if match is None:
        return token
    number, unit = match.groups()
    if "." not in number:
        number = str(int(number))
    return number + unit


def _evidence(passages: Sequence[str]) -> frozenset[str]:
    return frozenset(
        _canonical_number(t.token) if t.kind == "number" else t.token
        for passage in passages
        for t in _terms(passage)
    )


def number_conflicts(claim: frozenset[str], evidence: frozenset[str]) -> list[str]:
    """Numbers of the claim that the evidence does not state with the same unit.

    "15" must appear as a number, and "15일" as "15일": a number the passages hold only
    elsewhere ("3. 사용 방법" beside a claimed "3초") or with another unit ("15개월") is as
    wrong as a number they do not hold at all.
    """
    return sorted(t for t in claim if t[:1].isdigit() and t not in evidence)


@dataclass(frozen=True)
class OverlapChecker:
    """Support as the share of a sentence's claim terms found in the passages.

    Claim terms are nouns, Latin-script stems, codes and numbers (with their units), as
    ``terms()`` reads them, after :func:`canonical_numbers` has written amounts, times
    and 항 marks one way on both sides. A sentence is supported when at least ``threshold``
    of them are in the passages *and* every number in it is stated there with the same
    unit (:func:`number_conflicts`).

    Why 0.6: a faithful paraphrase keeps the nouns and numbers of its source and changes
    predicates and particles (which are not counted), so it scores 0.75-1.0 even when the
    model adds a word or two of its own ("근로자" for "직원"). A claim the passage does not
    make brings its own nouns ("입사 첫날부터 사용", "사장의 승인") and falls to 0.3-0.5.
    The tests in tests/answer/test_grounding.py hold examples on both sides.

    Limits: it is lexical. It cannot see negation ("주지 않는다"), and an answer in another
    language than its sources (an English answer over Korean passages) shares only numbers
    and codes with them, so it is judged unsupported; a cross-lingual checker (embeddings,
    NLI) can replace this one through :class:`SupportChecker`.
    """

    threshold: float = 0.6

    def check(self, sentence: str, passages: Sequence[str]) -> Support:
        claim = claim_terms(sentence)
        if not claim:
            return Support(0.0, False)  # no content word: nothing a passage could confirm
        evidence = _evidence(passages)
        score = len(claim & evidence) / len(claim)
        supported = score >= self.threshold and not number_conflicts(claim, evidence)
        return Support(round(score, 3), supported)


# --- the checked answer ----------------------------------------------------------------------


#: an uncited sentence is given a citation only when one source backs it at least this well:
#: the model did not say where it came from, so a bare pass (0.6) is too weak a guess
INFERRED_MIN_SCORE = 0.8


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence of a model's answer and what the check found."""

    #: the sentence as written, without its citation markers
    text: str
    #: the given sources it cites, or the one the check found for an uncited sentence
    citations: tuple[int, ...]
    score: float
    supported: bool
    #: True when the check chose ``citations`` (the model cited no source it was given)
    inferred: bool = False
    #: the whitespace that preceded it: "" (first), " ", "\n" or "\n\n"
    separator: str = ""


@dataclass(frozen=True)
class CheckedAnswer:
    sentences: tuple[SentenceCheck, ...]
    #: numbers the model cited that name no given source, in order of appearance
    removed_citations: tuple[int, ...]

    @property
    def grounded_rate(self) -> float:
        """Share of sentences supported by their sources (0 for an empty answer)."""
        if not self.sentences:
            return 0.0
        return sum(s.supported for s in self.sentences) / len(self.sentences)

    @property
    def any_supported(self) -> bool:
        return any(s.supported for s in self.sentences)


@dataclass(frozen=True)
class _Cited:
    text: str
    cited: tuple[int, ...]
    separator: str


def split_cited(text: str, valid: Container[int]) -> tuple[list[_Cited], list[int]]:
    """Sentences of ``text`` with the valid numbers each cites, and the invalid numbers."""
    text = _AFTER_STOP.sub(lambda m: m.group(3).rstrip() + m.group(1), text)
    out: list[_Cited] = []
    removed: list[int] = []
    position = 0
    for sentence in split_sentences(text):
        gap = text[position : sentence.start]
        position = sentence.end
        numbers = [n for m in CITATION.finditer(sentence.text) for n in citation_numbers(m[1])]
        removed.extend(n for n in numbers if n not in valid and n not in removed)
        cited = tuple(dict.fromkeys(n for n in numbers if n in valid))
        clean = strip_citations(sentence.text)
        if not any(ch.isalnum() for ch in clean):
            if out:  # a marker on a line of its own belongs to the sentence above it
                last = out[-1]
                out[-1] = _Cited(
                    last.text, tuple(dict.fromkeys(last.cited + cited)), last.separator
                )
            continue
        separator = ("\n\n" if gap.count("\n") > 1 else "\n" if "\n" in gap else " ") if out else ""
        out.append(_Cited(clean, cited, separator))
    return out, removed


#: more evidence for a cited sentence, given the sentence and its cited passages: the numbers
#: tools computed from those passages (:class:`dalin.tools.evidence.ToolEvidence`)
ExtraEvidence = Callable[[str, Sequence[str]], Sequence[str]]


def check_answer(
    text: str,
    sources: Mapping[int, str],
    checker: SupportChecker | None = None,
    *,
    extra_evidence: ExtraEvidence | None = None,
) -> CheckedAnswer:
    """Check every sentence of ``text`` against ``sources`` (number → passage as given)."""
    checker = checker or OverlapChecker()
    cited, removed = split_cited(text, sources)
    checks = tuple(_check_sentence(c, sources, checker, extra_evidence) for c in cited)
    return CheckedAnswer(checks, tuple(removed))


def _check_sentence(
    sentence: _Cited,
    sources: Mapping[int, str],
    checker: SupportChecker,
    extra_evidence: ExtraEvidence | None = None,
) -> SentenceCheck:
    claim = _LIST_MARKER.sub("", sentence.text)
    if sentence.cited:
        # Held to what it cites, never re-attributed: with several passages on one topic,
        # a wrong claim often matches *some* other passage word for word ("3초" beside
        # another button), and citing that one would dress the error up as evidence.
        passages = [sources[n] for n in sentence.cited]
        if extra_evidence is not None:
            passages += extra_evidence(claim, passages)
        support = checker.check(claim, passages)
        return SentenceCheck(
            sentence.text,
            sentence.cited,
            support.score,
            support.supported,
            separator=sentence.separator,
        )
    best: tuple[float, int] | None = None
    for number, passage in sources.items():
        support = checker.check(claim, [passage])
        if support.supported and (best is None or support.score > best[0]):
            best = (support.score, number)
    if best is not None and best[0] >= INFERRED_MIN_SCORE:
        return SentenceCheck(sentence.text, (best[1],), best[0], True, True, sentence.separator)
    score = best[0] if best else 0.0
    return SentenceCheck(sentence.text, (), score, False, False, sentence.separator)
