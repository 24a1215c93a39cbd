"""ThinkSplitter: the same events however the text is cut, matching split_think."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.llm.base import ReasoningDelta, TextDelta
from dalin.llm.think import ThinkSplitter, split_think


def run(pieces: list[str], *, starts_inside: bool = False) -> tuple[str, str]:
    splitter = ThinkSplitter(starts_inside=starts_inside)
    events = [e for piece in pieces for e in splitter.feed(piece)] + splitter.finish()
    assert all(e.text for e in events), "no empty deltas"
    first_text = next((i for i, e in enumerate(events) if isinstance(e, TextDelta)), len(events))
    assert not any(isinstance(e, ReasoningDelta) for e in events[first_text:])
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    return reasoning, "".join(e.text for e in events if isinstance(e, TextDelta))


CASES = [
    ("<think>\n생각 중</think>\n\n답입니다.", ("생각 중", "답입니다.")),
    ("  \n<think>a < b </thin k></think>answer", ("a < b </thin k>", "answer")),
    ("답 <think>x</think>", ("", "답 <think>x</think>")),
    ("<think>끝나지 않은 생각", ("끝나지 않은 생각", "")),
    ("<think></think>", ("", "")),
    ("<thi", ("", "<thi")),
    ("  ", ("", "  ")),
    ("", ("", "")),
    ("<think>x</think>a</think>b", ("x", "a</think>b")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_whole_texts(text: str, expected: tuple[str, str]) -> None:
    assert split_think(text) == expected
    assert run([text]) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_every_single_split_point(text: str, expected: tuple[str, str]) -> None:
    for cut in range(len(text) + 1):
        assert run([text[:cut], text[cut:]]) == expected, cut


def test_one_character_at_a_time() -> None:
    text = "<think>\n사용자가 연차를 묻는다.\n</think>\n\n연차는 15일입니다 [1]."
    assert run(list(text)) == ("사용자가 연차를 묻는다.\n", "연차는 15일입니다 [1].")


def test_starts_inside_for_templates_that_open_the_block() -> None:
    assert run(["생각", "</thi", "nk>\n답"], starts_inside=True) == ("생각", "답")
    assert split_think("생각</think>답", starts_inside=True) == ("생각", "답")


def test_text_streams_without_waiting_for_the_end() -> None:
    splitter = ThinkSplitter()
    assert splitter.feed("답은 ") == [TextDelta("답은 ")]
    assert splitter.feed("15일") == [TextDelta("15일")]
    splitter = ThinkSplitter()
    splitter.feed("<think>")
    assert splitter.feed("생각</") == [ReasoningDelta("생각")]


# text made of the characters that matter, so tags and near-tags occur often
_PARTS = st.sampled_from(["<think>", "</think>", "<", "</", "think", ">", " ", "\n", "가", "a"])
_TEXTS = st.lists(_PARTS, max_size=12).map("".join)


@given(text=_TEXTS, cuts=st.lists(st.integers(min_value=0, max_value=80), max_size=6))
def test_any_cutting_matches_the_whole_text_rule(text: str, cuts: list[int]) -> None:
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    for starts_inside in (False, True):
        expected = split_think(text, starts_inside=starts_inside)
        assert run(pieces, starts_inside=starts_inside) == expected


@given(text=_TEXTS)
def test_every_split_point_of_generated_texts(text: str) -> None:
    expected = split_think(text)
    for cut in range(len(text) + 1):
        assert run([text[:cut], text[cut:]]) == expected
