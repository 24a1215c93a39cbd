"""How one answer to one question is scored: text matches, retrieval, and the verdict.

Text is compared after :func:`normalize`, which follows the official KorQuAD 1.0 evaluation
script (itself the SQuAD 1.1 script adapted to Korean): quotes and brackets become spaces,
other punctuation is removed, case is folded and whitespace collapsed. We extend it: NFKC
first (full-width digits and compatibility jamo meet their plain forms), Unicode punctuation
rather than ASCII only, and numbers keep their value -- a comma between digits is a
thousands separator and goes ("3,000" == "3000"), a point between digits is a decimal point
and stays ("3.5" is not "35"), and other punctuation between digits becomes a space
("20~200", "09:00" stay two numbers, not "20200", "0900"). So EM can differ from KorQuAD's
where punctuation sat between digits, and char F1 (which ignores spaces) only by a kept
decimal point.

Korean particles are *not* stripped from the last word. Telling a particle from the end of a
word needs morphological analysis ("나이" ends in the particle-like "이"), KorQuAD's script
does not do it, and the cases it would help -- a sentence answer around a short reference --
are handled by containment instead (:func:`contains_all`), which is spacing-insensitive.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING

from dalin.eval.metrics import reciprocal_rank
from dalin.eval.schema import QuestionItem, QuestionResult, Verdict
from dalin.types import Answer, Hit

if TYPE_CHECKING:
    from dalin.eval.judge import Judge

#: references up to this many characters are "short" and scored by EM / char F1 / containment;
#: 99.98% of KorQuAD 1.0 dev answers fit (the longest is 43), while the shortest SEC 10-Q
#: reference answer is 97 characters, so the two kinds of reference fall on either side.
SHORT_REFERENCE_CHARS = 40
#: a short reference is matched at this char F1 (when its numbers agree, see
#: :func:`short_reference_matches`): "15일" against "15일간" (0.857) passes, a bare year
#: against a full date ("1989년" vs "1989년 2월 15일": 0.667) does not.
SHORT_F1_THRESHOLD = 0.8
#: without a judge, a long reference is matched at this char F1 -- a crude stand-in, since
#: character overlap says little about a paragraph-long answer; pass a Judge for these.
LONG_F1_THRESHOLD = 0.5

# KorQuAD's script turns these into spaces rather than deleting them, so that words they
# separate stay apart: opening/closing brackets (Ps/Pe) and quotes (Pi/Pf, ' and ").
_SPACED_CATEGORIES = frozenset({"Ps", "Pe", "Pi", "Pf"})
_ASCII_PUNCTUATION = frozenset(string.punctuation)
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d)")
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[^\w\s.](?=\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# "[1]", "[2, 3]": the answer's citation markers are not part of what it says
_CITATION_MARKER = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")


def normalize(text: str) -> str:
    """NFKC, lower case, punctuation removed (numbers kept apart), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _BETWEEN_DIGITS.sub(" ", _THOUSANDS_COMMA.sub("", text))
    text = ".".join(_strip_punctuation(part) for part in _DECIMAL_POINT.split(text))
    # Stripping can leave a symbol or control character alone between two digits
    # ("0:\x1b0" -> "0\x1b0"); part them now, or a second pass would and change the text.
    text = _BETWEEN_DIGITS.sub(" ", text)
    return " ".join(text.split())


def _strip_punctuation(text: str) -> str:
    return "".join(_punctuation_replacement(ch) for ch in text)


def _punctuation_replacement(ch: str) -> str:
    category = unicodedata.category(ch)
    if ch in "'\"" or category in _SPACED_CATEGORIES:
        return " "
    if ch in _ASCII_PUNCTUATION or category.startswith("P"):
        return ""
    return ch


def exact_match(prediction: str, reference: str) -> bool:
    """Equal after :func:`normalize` (whitespace counts, as in KorQuAD's EM)."""
    return normalize(prediction) == normalize(reference)


def char_f1(prediction: str, reference: str) -> float:
    """KorQuAD 1.0's F1: over the characters of both texts, normalised, whitespace removed."""
    predicted = Counter(normalize(prediction).replace(" ", ""))
    expected = Counter(normalize(reference).replace(" ", ""))
    same = sum((predicted & expected).values())
    if same == 0:
        return 0.0
    precision = same / sum(predicted.values())
    recall = same / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def contains_all(answer: str, facts: Iterable[str]) -> bool:
    """Whether every fact appears in the answer (see :func:`fact_in`)."""
    return all(fact_in(answer, fact) for fact in facts)


def fact_in(answer: str, fact: str) -> bool:
    """Whether ``fact`` appears in ``answer``, normalised, ignoring spaces, at number bounds.

    Korean spacing varies ("5만원" / "5만 원"), so a space may be present or absent between
    any two characters, except between two digits ("1 5" is not "15"). A fact that starts or
    ends with a digit must not continue a longer number: "15일" is not in "115일", nor "135"
    in "1,350원". The verdict "no" matches either of its spellings, 아니요 and 아니오.
    """
    normal = normalize(fact)
    if not normal:
        return True
    if normal in _NO:
        # "no" is spelt 아니요 or 아니오 by question writers alike: either verdict is the fact
        text = normalize(answer)
        return any(_fact_pattern(spelling).search(text) is not None for spelling in _NO)
    return _fact_pattern(normal).search(normalize(answer)) is not None


#: the two spellings of the answer word "no"
_NO = ("아니요", "아니오")


def _fact_pattern(normal: str) -> re.Pattern[str]:
    """A regex for a normalised fact: spacing-insensitive, bounded where it is a number."""
    pattern, previous, spaced = "", "", False
    for ch in normal:
        if ch == " ":
            spaced = True
            continue
        if previous:
            pattern += _gap(previous, ch, spaced=spaced)
        pattern += re.escape(ch)
        previous, spaced = ch, False
    lead = r"(?<![\d.])" if normal[0].isdigit() else ""
    tail = r"(?!\d|\.\d)" if normal[-1].isdigit() else ""
    return re.compile(lead + pattern + tail)


def _gap(before: str, after: str, *, spaced: bool) -> str:
    """What may stand between two characters of a fact in the answer."""
    if before.isdigit() and after.isdigit():
        return " " if spaced else ""  # "1 5" is two numbers, "15" one
    return " ?"


def short_reference_matches(answer: str, reference: str) -> bool:
    """Exact match; or char F1 ≥ :data:`SHORT_F1_THRESHOLD` with every number of the
    reference in the answer; or the whole reference in the answer (:func:`fact_in`).

    Char F1 alone would take "1989년 2월 16일" for "1989년 2월 15일" (0.9): one wrong digit
    is a small overlap loss but a wrong answer. Containment lets a sentence around the right
    span count, which is how a generated answer usually gives a short fact.
    """
    if exact_match(answer, reference) or fact_in(answer, reference):
        return True
    numbers = _NUMBER.findall(normalize(reference))
    close = char_f1(answer, reference) >= SHORT_F1_THRESHOLD
    return close and all(fact_in(answer, number) for number in numbers)


def strip_citation_markers(text: str) -> str:
    """The answer text without its "[n]" markers, which would count as digits otherwise."""
    return " ".join(_CITATION_MARKER.sub(" ", text).split())


# --- retrieval ---------------------------------------------------------------------------


def source_key(hit: Hit) -> str:
    """How a retrieved passage is named in results: "file name", or "file name#p.N"."""
    return hit.name if hit.page is None else f"{hit.name}#p.{hit.page}"


def is_expected_source(item: QuestionItem, hit: Hit) -> bool:
    """Whether the hit's file is one the item expects (by name or glob), on an expected page."""
    if item.expected_pages and hit.page not in item.expected_pages:
        return False
    return any(_name_matches(hit.name, pattern) for pattern in item.expected_sources)


def _name_matches(name: str, pattern: str) -> bool:
    # macOS file systems hand back NFD Hangul while question sets are typed in NFC
    name, pattern = unicodedata.normalize("NFC", name), unicodedata.normalize("NFC", pattern)
    return name == pattern or fnmatchcase(name, pattern)


def retrieval_scores(
    item: QuestionItem, hits: Sequence[Hit], k: int
) -> tuple[float | None, float | None]:
    """(hit@k, reciprocal rank) of the expected sources among the first ``k`` hits.

    Ranks count distinct sources (:func:`source_key`), not passages: three passages of one
    wrong file ahead of the right one put it at rank 2. None, None when the item names no
    expected source.
    """
    if not item.expected_sources:
        return None, None
    top = hits[:k]
    ranked = list(dict.fromkeys(source_key(h) for h in top))
    relevant = {source_key(h) for h in top if is_expected_source(item, h)}
    return (1.0 if relevant else 0.0), reciprocal_rank(ranked, relevant, len(ranked))


# --- one answer --------------------------------------------------------------------------


def score_answer(
    item: QuestionItem,
    answer: Answer,
    *,
    config: str,
    k: int,
    judge: Judge | None = None,
) -> QuestionResult:
    """Score one answer: what it said and cost, how retrieval did, and the verdict.

    The verdict, in order:

    - unanswerable question: correct iff the answer abstained;
    - answerable and abstained: "abstained";
    - ``answer_contains`` given: correct iff every fact is in the answer (:func:`fact_in`);
    - short reference (≤ :data:`SHORT_REFERENCE_CHARS`): :func:`short_reference_matches`
      (exact match, char F1 ≥ :data:`SHORT_F1_THRESHOLD` with the numbers agreeing, or the
      reference contained in the answer);
    - long reference: the judge's verdict when a judge is given (its model, prompt and reply
      are kept in ``judge``), else char F1 ≥ :data:`LONG_F1_THRESHOLD` (crude: long answers
      need a judge);
    - no reference and no facts: correct iff a citation names an expected source, or, with
      no expected sources either, iff the answer did not abstain (nothing else to check).

    Text scores are computed on the answer without its "[n]" citation markers.
    Errors of the judge (``LLMError``) propagate: the caller records them.
    """
    hit_at_k, rank = retrieval_scores(item, answer.hits, k)
    reference = item.reference_answer.strip()
    text = strip_citation_markers(answer.text)
    verdict, judged = _verdict(item, answer, text, reference, judge)
    return QuestionResult(
        question_id=item.id,
        config=config,
        question=item.question,
        answer=answer.text,
        method=answer.method,
        abstained=answer.abstained,
        retrieved=tuple(dict.fromkeys(source_key(h) for h in answer.hits)),
        citations=tuple(f"[{c.number}] {c.label}" for c in answer.citations),
        removed_citations=len(answer.removed_citations),
        grounded_rate=answer.grounded_rate,
        hit_at_k=hit_at_k,
        reciprocal_rank=rank,
        exact_match=float(exact_match(text, reference)) if reference else None,
        contains=_contains_share(text, item.answer_contains),
        char_f1=char_f1(text, reference) if reference else None,
        verdict=verdict,
        judge=judged,
        prompt_tokens=answer.prompt_tokens,
        cached_prompt_tokens=answer.cached_prompt_tokens,
        completion_tokens=answer.completion_tokens,
        reasoning_tokens=answer.reasoning_tokens,
        cost_usd=answer.cost_usd,
        first_token_seconds=answer.first_token_seconds,
        total_seconds=answer.total_seconds,
        tags=item.tags,
        answerable=item.answerable,
        flags=tuple(
            {
                "reason": f.reason,
                "action": f.action,
                "sentence": f.sentence,
                "detail": f.detail,
                "verifier": f.verifier,
            }
            for f in answer.flags
        ),
        verification=asdict(answer.verification) if answer.verification else {},
        verifier_cost_usd=answer.verification.cost_usd if answer.verification else None,
        check_seconds=answer.check_seconds,
    )


def _contains_share(text: str, facts: Sequence[str]) -> float | None:
    """Share of the facts found (1.0: all); None when the item lists none."""
    if not facts:
        return None
    return sum(fact_in(text, f) for f in facts) / len(facts)


def _verdict(
    item: QuestionItem, answer: Answer, text: str, reference: str, judge: Judge | None
) -> tuple[Verdict, dict[str, str]]:
    """The verdict, and the judge's record when a judge decided it."""
    if not item.answerable:
        return _correct_if(answer.abstained), {}
    if answer.abstained:
        return "abstained", {}
    if item.answer_contains:
        return _correct_if(contains_all(text, item.answer_contains)), {}
    if reference and len(reference) <= SHORT_REFERENCE_CHARS:
        return _correct_if(short_reference_matches(text, reference)), {}
    if reference and judge is not None:
        verdict = judge.judge(item, answer.text)
        return _correct_if(verdict.correct), verdict.record()
    if reference:
        return _correct_if(char_f1(text, reference) >= LONG_F1_THRESHOLD), {}
    return _correct_if(_cites_expected_source(item, answer)), {}


def _cites_expected_source(item: QuestionItem, answer: Answer) -> bool:
    if not item.expected_sources:
        return True  # answered (not abstained) and there is nothing else to check
    names = (Path(c.document).name for c in answer.citations)
    return any(_name_matches(n, p) for n in names for p in item.expected_sources)


def _correct_if(condition: bool) -> Verdict:
    return "correct" if condition else "incorrect"


def error_result(
    item: QuestionItem, config: str, error: BaseException, *, total_seconds: float = 0.0
) -> QuestionResult:
    """The result of a question whose answering raised: verdict "error", error "code: detail"."""
    code = getattr(error, "code", type(error).__name__)
    detail = getattr(error, "detail", str(error))
    return QuestionResult(
        question_id=item.id,
        config=config,
        question=item.question,
        verdict="error",
        error=f"{code}: {detail}",
        total_seconds=total_seconds,
        tags=item.tags,
        answerable=item.answerable,
    )
