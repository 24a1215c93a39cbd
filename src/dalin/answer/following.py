"""What a document writes right after a phrase the question quotes: "'테스트 누름틀' 뒤에
적힌 영문자는 무엇인가요?" over "테스트 누름틀 ABCD 1234567" → "ABCD", and "… 숫자는?" →
"1234567".

The quoted phrase says where to look, and the kind named (영문자, 숫자) says which of the
words after it is meant. No sentence states the answer, so the sentence reader finds none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.reader_question import Candidate, Reading, any_spacing, span_evidence
from dalin.types import Hit

__all__ = ["written_after"]

#: a quoted phrase and what is asked written after it: "'테스트 누름틀' 뒤에 적힌",
#: "“성명” 다음에 나오는"
_AFTER = re.compile(
    r"['‘\"“](?P<phrase>[^'’\"”]{2,40})['’\"”]\s*(?:바로\s*)?(?:뒤|다음|옆)(?:에|에는)?\s*"
    r"(?:적힌|쓰인|써\s*있는|나오는|오는|붙은|있는|이어지는)"
)
#: the kinds a question may name, and the word of that kind to take
_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"영문자|알파벳|영어|영문"), re.compile(r"[A-Za-z][A-Za-z\-]*")),
    (re.compile(r"숫자|번호"), re.compile(r"\d[\d,.\-]*")),
)
#: how many of the words after the phrase answer when no kind is named
_WORDS = 6


def written_after(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """The word of the kind asked (or the words) after the quoted phrase, on its line, in the
    first passage most about the question that writes the phrase; None when the question
    quotes no phrase to look after or no passage writes it with something after it."""
    asked = _AFTER.search(reading.question)
    if asked is None:
        return _bracketed_after(reading, relevant)
    rest_of_question = reading.question[asked.end() :]
    kind = next((word for named, word in _KINDS if named.search(rest_of_question)), None)
    phrase = any_spacing(asked.group("phrase"))
    for hit, share in sorted(relevant, key=lambda pair: -pair[1]):
        for found in re.finditer(phrase, hit.text):
            line_end = hit.text.find("\n", found.end())
            line_end = len(hit.text) if line_end < 0 else line_end
            after = hit.text[found.end() : line_end]
            lead = _taken(after, kind)
            if lead:
                line_start = hit.text.rfind("\n", 0, found.start()) + 1
                evidence = span_evidence(hit, line_start, line_end)
                return Candidate(2.0 + share, lead, evidence, relevance=share)
    return None


#: a quoted phrase and the brackets asked after it: "'사업환경' 항목 이름 아래 괄호 안에는
#: 무엇을 쓰는 칸", "'성명' 옆 괄호에는"
_BRACKET_ASKED = re.compile(
    r"['‘\"“](?P<phrase>[^'’\"”]{2,40})['’\"”].{0,20}?괄호\s*(?:안|속)?(?:에는|에|의)"
)
#: the brackets right after a phrase, across a line break: "사업환경\n(시장분석)"
_BRACKETS = re.compile(r"\s*[(（]\s*([^()（）\n]{1,40}?)\s*[)）]")


def _bracketed_after(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """What the brackets right after the quoted phrase hold ("시장분석" for "'사업환경' …
    괄호 안에는 무엇을 쓰는 칸" over the cell "사업환경 (시장분석)"), in the first passage
    most about the question that writes the phrase so; None otherwise."""
    asked = _BRACKET_ASKED.search(reading.question)
    if asked is None:
        return None
    phrase = any_spacing(asked.group("phrase"))
    for hit, share in sorted(relevant, key=lambda pair: -pair[1]):
        for found in re.finditer(phrase, hit.text):
            inside = _BRACKETS.match(hit.text, found.end())
            if inside is not None:
                evidence = span_evidence(hit, found.start(), inside.end())
                return Candidate(2.0 + share, inside.group(1), evidence, relevance=share)
    return None


def _taken(after: str, kind: re.Pattern[str] | None) -> str:
    """The first word of ``kind`` in ``after``, or its first words; "" when none."""
    if kind is None:
        return " ".join(after.split()[:_WORDS])
    found = kind.search(after)
    return found.group() if found else ""
