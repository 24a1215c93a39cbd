"""LocalE5: the bundled multilingual-e5-small, in process."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from dalin.embedders.local import DIM, LocalE5
from dalin.testing.embedder_contract import EmbedderContract


class TestLocalE5Contract(EmbedderContract):
    distinguishes_kind = True

    @pytest.fixture
    def embedder(self) -> LocalE5:
        return LocalE5(batch_size=2)  # three texts: two engine calls, so batching is exercised


def test_name_and_dim_are_known_before_loading() -> None:
    embedder = LocalE5()
    assert (embedder.name, embedder.dim) == ("local:multilingual-e5-small-q4", DIM)


def test_korean_question_finds_the_passage_that_answers_it() -> None:
    # meaning, not shared words: no passage repeats the question's wording
    passages = [
        "근로자는 1년간 80% 이상 출근하면 15일의 유급휴가를 받는다.",
        "고양이는 육식 동물이다.",
    ]
    embedder = LocalE5()
    scores = (
        embedder.embed(passages, kind="passage")
        @ embedder.embed(["연차휴가는 며칠인가요?"], kind="query")[0]
    )
    assert scores[0] > scores[1]


def test_threads_take_turns_and_get_the_same_vectors() -> None:
    embedder = LocalE5(batch_size=1)
    expected = embedder.embed(["서울", "부산"], kind="query")
    results: list[np.ndarray] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(embedder.embed(["서울", "부산"], kind="query"))
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        LocalE5(batch_size=0)
