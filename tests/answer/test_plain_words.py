"""The bundled list of plain words and the formal words documents write for them."""

from __future__ import annotations

from importlib import resources

from dalin.answer.extractive import Question, relevant_hits
from dalin.answer.plain_words import (
    formal_words,
    load_entries,
    parse_entries,
    plain_equivalents,
)
from dalin.types import Hit

SECURITY = "대외비 자료는 전자우편으로 수발신을 금함"


def bundled_lines(name: str) -> list[str]:
    """The entry lines of a word list bundled in ``dalin/answer/data``: no comment, no blank."""
    data = resources.files("dalin.answer") / "data" / name
    text = data.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_every_line_of_the_list_is_read_as_words() -> None:
    # a word Kiwi reads as no content token (내다, 보다) would silently match nothing
    lines = bundled_lines("plain_words.txt")
    assert len(load_entries()) == len(lines)
    for line in lines:
        plain, formals = parse_entries(line)[0]
        assert plain, line
        assert len(formals) == len(line.partition("=")[2].split(",")), line


def test_a_plain_verb_is_held_by_the_formal_noun() -> None:
    pairs = plain_equivalents("제출한 제안서를 나중에 돌려받을 수 있나요?")
    assert (frozenset({"돌려받"}), frozenset({"반환"})) in pairs
    assert formal_words("돌려받") >= {"반환", "환불"}


def test_a_formal_question_word_is_not_held_by_a_plain_verb() -> None:
    # "검토" would be held by every "살펴보면"
    assert plain_equivalents("검토보고서는 개정안의 취지가 타당하다고 보나요?") == ()


def test_no_pair_lets_a_one_syllable_word_stand_for_a_question_word() -> None:
    questions = ["두다 열다 날 때 곳 값 돈 집 빚 땅 글", "자료를 어디에 두나요?"]
    for question in questions:
        for _, passage_side in plain_equivalents(question):
            assert all(len(token) >= 2 for token in passage_side), passage_side


def test_the_gate_lets_the_formal_word_cover_the_plain_one() -> None:
    question = "대외비 자료를 이메일로 보내도 되나요?"
    passage = Hit(1, 1, "/d/rfp.pdf", "rfp.pdf", "rfp.pdf · p.30", 1.0, SECURITY, 0,
                  len(SECURITY), 30)  # fmt: skip
    q = Question.parse(question)
    idf = dict.fromkeys(q.words, 1.0)
    assert not relevant_hits(q, [passage], idf, min_coverage=0.9)  # 이메일 is not written
    plain = plain_equivalents(question)
    assert relevant_hits(q, [passage], idf, min_coverage=0.9, equivalents=plain)
