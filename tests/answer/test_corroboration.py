"""Two places stating the same distinctive amount outweigh one stating another (issue 13):
a workbook's row and its note agree on 2,695; a count of another thing stands alone."""

from __future__ import annotations

from test_reader import flat_idf, hit

from dalin.answer.reader import _pick
from dalin.answer.reader_question import Candidate, Evidence, Reading, reading_for

QUESTION = "외부 대량 코퍼스에는 문서가 몇 개 들어 있나요?"


def _reading() -> Reading:
    words = ("외부", "대량", "코퍼스", "문서")
    return reading_for(QUESTION, words, flat_idf(words), (), "ko")


def _candidate(score: float, lead: str, line: str, chunk: int) -> Candidate:
    passage = hit(line, chunk_id=chunk)
    evidence = Evidence(passage, passage.label, line, 0, len(line), line)
    return Candidate(score, lead, evidence, typed=True, focus=0.3, relevance=0.9)


def test_an_amount_two_places_state_wins_over_one_scoring_a_little_more() -> None:
    other = _candidate(1.13, "테스트 LOC: 730", "계층: ir | 테스트 LOC: 730", 1)
    note = _candidate(1.09, "2,695개", "외부 대량 코퍼스(fixtures-v1, 2,695개)는 제외했습니다.", 2)
    row = _candidate(0.97, "외부 대량 코퍼스 수량: 2,695", "외부 대량 코퍼스 | 수량 | 2,695", 3)
    assert _pick(_reading(), [other, note, row]).lead == "2,695개"
    # alone, the note loses: agreement is what raised it
    assert _pick(_reading(), [other, note]).lead == "테스트 LOC: 730"


def test_small_numbers_and_years_agree_by_chance() -> None:
    other = _candidate(1.13, "테스트 수: 730", "테스트 수 | 730", 1)
    for amount in ("3개", "2024년"):
        first = _candidate(1.09, amount, f"코퍼스는 {amount}이다.", 2)
        second = _candidate(0.97, f"코퍼스: {amount}", f"코퍼스 | {amount}", 3)
        assert _pick(_reading(), [other, first, second]).lead == "테스트 수: 730"


def test_the_same_line_twice_is_one_place() -> None:
    other = _candidate(1.13, "테스트 LOC: 730", "계층: ir | 테스트 LOC: 730", 1)
    line = "외부 대량 코퍼스(fixtures-v1, 2,695개)는 제외했습니다."
    once = _candidate(1.09, "2,695개", line, 2)
    again = _candidate(1.0, "코퍼스: 2,695개", line, 2)
    assert _pick(_reading(), [other, once, again]).lead == "테스트 LOC: 730"
