"""The staff-question benchmark's citation check (bench/answers.py): a yes/no verdict word
is the reader's, so it is never looked for in a quote, however the question writer spelt it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

_BENCH = Path(__file__).resolve().parents[1] / "bench" / "answers.py"


def _answers() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_answers", _BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_verdict_word_is_not_looked_for_in_the_quotes() -> None:
    answers = _answers()
    entry = {
        "answer": "아니요 — ABC 주식회사 30인, DEF 파트너스 70인 [1]",
        "citations": [{"number": 1, "quote": "ABC 주식회사와 DEF 파트너스는 각각 30인 및 70인"}],
    }
    for verdict in ("아니", "아니요", "아니오"):
        item = {"answer_contains": [verdict, "70인"], "tags": ["yes_no", "x"]}
        assert answers.citations_hold(item, entry), verdict
    # a fact that is no verdict must be quoted
    item = {"answer_contains": ["아니", "80인"], "tags": ["yes_no", "x"]}
    assert not answers.citations_hold(item, entry)
