"""DocumentBuilder helpers: cell cleaning must match the full clean_text pass."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dalin.ingest.document import _cell, clean_text


@given(st.text())
def test_the_clean_cell_fast_path_changes_nothing(text: str) -> None:
    assert _cell(text) == clean_text(text).replace("\n", " ")


def test_cells_are_tidied() -> None:
    assert _cell(" 볼트\tM8 \n 120원 ") == "볼트 M8 120원"
    assert _cell("e\u0301") == "é"  # decomposed input is NFC-normalised
