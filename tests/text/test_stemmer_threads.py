"""English stemming from many threads at once (the server answers on a thread pool)."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from dalin.text import korean

STEMS = ("connect", "generat", "relat", "hope", "estimat", "organiz", "nation", "operat")
ENDINGS = ("ing", "ion", "ions", "ed", "ive", "ively", "ization", "ational", "fulness", "s")
WORDS = [stem + ending for stem in STEMS for ending in ENDINGS]


def _stem_all(words: list[str]) -> list[str]:
    return [korean._stem.__wrapped__(w) for w in words * 40]


def test_threads_stemming_at_once_get_what_one_thread_gets() -> None:
    expected = _stem_all(WORDS)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(_stem_all, [WORDS] * 8))
    finally:
        sys.setswitchinterval(switch)
    assert all(r == expected for r in results)
