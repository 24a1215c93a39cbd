"""Checks on a model's answer: are its citations real, and do its sources say what it says?

Two checks run on the text a model wrote over numbered sources:

1. **Citations name given sources.** Markers ``[1]``, ``[1, 2]``, ``[1][2]``, ``[1-3]`` (and
   full-width ``［1］``, ``【1】``, ``[자료 1]``) are read; a number that names no source the
   model was given is taken out of the text and reported.
2. **Each sentence is supported.** The answer is split into sentences (markers stay with
   their sentence) and each is checked against the passages it cites by a
   :class:`SupportChecker`, with the question, the sentence before it and any values a tool
   computed (:class:`~dalin.answer.support.CheckContext`). A sentence that cites nothing is
   checked against each source alone, and the best one that supports it clearly
   (``INFERRED_MIN_SCORE``) is cited for it. A sentence that cites wrongly stays
   unsupported. Each :class:`SentenceCheck` keeps why it failed and the source statement
   that says otherwise, so that the answer can show the source's words instead.

The default checker, :class:`~dalin.answer.checker.MeaningChecker`, reads numbers,
arithmetic, polarity, scope, entities and conditions; :class:`OverlapChecker` is the lexical
check it replaced (kept as a baseline and a simple ``SupportChecker``).
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, replace

from dalin.answer.checker import MeaningChecker
from dalin.answer.quantities import number_terms, quantities, supports
from dalin.answer.support import CheckContext, ComputedValue, Reason, Support, SupportChecker
from dalin.text.korean import split_sentences
from dalin.tools.evidence import usable

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


def claim_terms(sentence: str) -> frozenset[str]:
    """The tokens of ``sentence`` that a supporting passage must hold: content words (nouns,
    Latin words, codes) and numbers with their units, as :func:`number_terms` reads them."""
    return frozenset(
        _canonical_number(t.token) if t.kind == "number" else t.token
        for t in number_terms(strip_citations(sentence))
        if t.kind in OVERLAP_KINDS
    )


_NO_CONTEXT = CheckContext()
#: term kinds the lexical check counts; bare units ("일", "년") say nothing alone
OVERLAP_KINDS = frozenset({"noun", "latin", "code", "number"})
_DIGITS = re.compile(r"^(\d+(?:\.\d+)?)(.*)$")


def _canonical_number(token: str) -> str:
    """Read "09" as "9" (and "09시" as "9시"); leave non-digit numerals as written."""
    match = _DIGITS.match(token)
    if match is None:
        return token
    number, unit = match.groups()
    if "." not in number:
        number = str(int(number))
    return number + unit


@dataclass(frozen=True)
class OverlapChecker:
    """Support as the share of a sentence's claim terms found in the passages.

    The lexical baseline (and the check before issue #19): claim terms are nouns, Latin
    stems, codes and numbers with their units, after :func:`canonical_numbers` has written
    amounts, times and 항 marks one way on both sides. A sentence is supported when at least
    ``threshold`` of them are in the passages *and* every number in it is stated there with
    the same value and unit (:mod:`dalin.answer.quantities`).

    Limits: it cannot see negation ("주지 않는다"), a swapped role, a widened scope or a
    dropped condition; :class:`dalin.answer.checker.MeaningChecker`, the default, adds those.
    """

    threshold: float = 0.6

    def check(
        self, sentence: str, passages: Sequence[str], context: CheckContext = _NO_CONTEXT
    ) -> Support:
        claim = claim_terms(sentence)
        if not claim:
            return Support(0.0, False, "unsupported")  # nothing a passage could confirm
        evidence = frozenset(t for p in passages for t in claim_terms(p))
        given = [q for p in passages for q in quantities(p, evidence=True)]
        missing = [q for q in quantities(strip_citations(sentence)) if not supports(q, given)]
        score = round(len(claim & evidence) / len(claim), 3)
        if missing:
            return Support(score, False, "number", ", ".join(q.token for q in missing))
        if score < self.threshold:
            return Support(score, False, "unsupported")
        return Support(score, True)


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
    #: why it is not supported (a key of ``dalin.answer.support.REASONS``); "" when it is
    reason: Reason = ""
    #: what the check found, for people ("30일 ↔ 7일")
    detail: str = ""
    #: the source sentence it was compared with, and the source number holding it
    evidence: str = ""
    evidence_source: int = 0
    #: where ``evidence`` is in that source's passage as checked (label line included)
    evidence_span: tuple[int, int] = (0, 0)
    #: the model verifier's verdict and reason ("contradicted: …"), when one ran
    verifier: str = ""


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


def check_answer(
    text: str,
    sources: Mapping[int, str],
    checker: SupportChecker | None = None,
    *,
    question: str = "",
    computed: Sequence[ComputedValue] = (),
) -> CheckedAnswer:
    """Check every sentence of ``text`` against ``sources`` (number → passage as given).

    ``question`` is what the user asked (its numbers are given, not invented); ``computed``
    are values a tool computed, which support the same numbers in a sentence that cites
    passages holding all their operands (:func:`dalin.tools.evidence.usable`); a sentence
    that cites nothing gets nothing from them.
    """
    checker = checker or MeaningChecker()
    cited, removed = split_cited(text, sources)
    checks: list[SentenceCheck] = []
    for n, sentence in enumerate(cited):
        before = cited[n - 1].text if n else ""
        checks.append(_check_sentence(sentence, sources, checker, question, before, computed))
    return CheckedAnswer(tuple(checks), tuple(removed))


def _check_sentence(
    sentence: _Cited,
    sources: Mapping[int, str],
    checker: SupportChecker,
    question: str,
    before: str,
    computed: Sequence[ComputedValue],
) -> SentenceCheck:
    claim = _LIST_MARKER.sub("", sentence.text)

    def context(numbers: Sequence[int]) -> CheckContext:
        values = usable(computed, [sources[n] for n in numbers]) if sentence.cited else ()
        return CheckContext(question, _LIST_MARKER.sub("", before), values)

    def verdict(numbers: tuple[int, ...], support: Support, inferred: bool) -> SentenceCheck:
        source = numbers[support.passage] if 0 <= support.passage < len(numbers) else 0
        return SentenceCheck(
            sentence.text, numbers if support.supported or not inferred else (),
            support.score, support.supported, inferred, sentence.separator,
            support.reason, support.detail, support.evidence, source, support.span,
        )  # fmt: skip

    if sentence.cited:
        # Held to what it cites, never re-attributed: with several passages on one topic,
        # a wrong claim often matches *some* other passage word for word ("3초" beside
        # another button), and citing that one would dress the error up as evidence.
        passages = [sources[n] for n in sentence.cited]
        return verdict(
            sentence.cited, checker.check(claim, passages, context(sentence.cited)), False
        )
    best: tuple[Support, int] | None = None
    for number, passage in sources.items():
        support = checker.check(claim, [passage], context((number,)))
        if best is None or (support.supported, support.score) > (best[0].supported, best[0].score):
            best = (support, number)
    if best is None:
        return SentenceCheck(
            sentence.text, (), 0.0, False, False, sentence.separator, "unsupported"
        )
    support, number = best
    if support.supported and support.score < INFERRED_MIN_SCORE:
        support = replace(support, supported=False, reason="unsupported", detail="")
    return verdict((number,), support, True)
