"""SSEDecoder: events come out whole however the bytes are cut."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from dalin.llm.sse import SSEDecoder


def decode(pieces: list[bytes]) -> list[str]:
    decoder = SSEDecoder()
    return [d for piece in pieces for d in decoder.feed(piece)] + decoder.finish()


def test_data_comments_and_multiline_events() -> None:
    body = b': keep-alive\n\ndata: {"a":1}\n\ndata:first\ndata: second\n\nevent: x\nid: 3\n\n'
    assert decode([body]) == ['{"a":1}', "first\nsecond"]


def test_line_ends_crlf_cr_and_lf() -> None:
    assert decode([b"data: a\r\n\r\ndata: b\r\rdata: c\n\n"]) == ["a", "b", "c"]


def test_crlf_split_between_chunks_is_one_line_end() -> None:
    assert decode([b"data: a\r", b"\n", b"data: b\r", b"\n\r", b"\n"]) == ["a\nb"]


def test_utf8_character_split_between_chunks() -> None:
    body = "data: 연차휴가\n\n".encode()
    assert decode([body[:8], body[8:]]) == ["연차휴가"]


def test_unterminated_last_event_is_kept() -> None:
    assert decode([b"data: [DONE]"]) == ["[DONE]"]
    assert decode([b"data: x\r"]) == ["x"]


_BODY = (
    b": ping\r\n\r\n"
    + 'data: {"content": "보증"}\r\n\r\n'.encode()
    + b"data: one\ndata: two\n\n"
    + b"data: [DONE]\r\r"
)


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(_BODY)), max_size=10))
def test_any_cutting_gives_the_same_events(cuts: list[int]) -> None:
    bounds = sorted({0, len(_BODY), *cuts})
    pieces = [_BODY[a:b] for a, b in itertools.pairwise(bounds)]
    assert decode(pieces) == ['{"content": "보증"}', "one\ntwo", "[DONE]"]
