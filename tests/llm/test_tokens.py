"""estimate_tokens: the character-class rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dalin.llm.tokens import estimate_tokens


def test_character_classes() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("연차휴가") == 4  # a token per syllable
    assert estimate_tokens("2025") == 4  # a token per digit
    assert estimate_tokens("word") == 1  # four letters to a token
    assert estimate_tokens("a b c d e") == 3  # nine letters and spaces
    assert estimate_tokens("(!)") == 3
    assert estimate_tokens("漢字かな") == 4


@given(a=st.text(max_size=40), b=st.text(max_size=40))
def test_never_less_than_the_parts(a: str, b: str) -> None:
    # the ceiling may round the joint count up by one, never down
    assert estimate_tokens(a) + estimate_tokens(b) - 1 <= estimate_tokens(a + b)
    assert estimate_tokens(a + b) <= estimate_tokens(a) + estimate_tokens(b)
    assert (estimate_tokens(a) > 0) == bool(a)
