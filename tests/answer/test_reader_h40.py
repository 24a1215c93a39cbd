"""Reading fixed for issue 13 from heldout40's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf
from test_reader_h20 import table_passage

from dalin.answer.extractive import extractive_answer

RFP = "온나라 웹기안기 제안요청서"


LEADERBOARD = (
    ("Rank", "Model", "EM"),
    [
        ("1", "EXAONE-LM-v1.0 (single model) LG AI Research", "89.71"),
        ("2", "MoBERT-Large V2.0 (single model, 355M) ETRI XAI-NLP Team", "89.05"),
        ("3", "VAIV AI VAIV Company AI Lab (Kisu Yang)", "88.28"),
        ("4", "MoBERT-Large V1.0 (single model, 355M) ETRI XAI-NLP Team", "88.56"),
        ("5", "LGSP-LM-Large V2.0 LG AI NLP Team", "87.46"),
    ],
)


def test_a_label_begun_inside_another_rows_label_names_no_row() -> None:
    passage, sources = table_passage(*LEADERBOARD, name="korquad_1.0_KOR.html",
                                     above="KorQuAD 1.0 Leaderboard")  # fmt: skip
    asked = (
        "KorQuAD 1.0 리더보드를 보면 4위 MoBERT-Large V1.0의 EM 점수가 3위 VAIV AI보다 오히려 "
        "높던데, 몇 점 더 높아요?"
    )
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert "= 0.28" in answer.text.splitlines()[0], answer.text
    # a row whose next word the question writes elsewhere is still named by its beginning
    both = "KorQuAD 1.0 리더보드에서 MoBERT-Large V2.0은 V1.0보다 EM 점수가 얼마나 올랐나요?"
    answer = extractive_answer(both, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert "= 0.49" in answer.text.splitlines()[0], answer.text
