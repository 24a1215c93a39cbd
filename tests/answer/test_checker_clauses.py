"""A clause of its own (#19): in a sentence of several clauses, a clause whose content words
are mostly not the passages' (nor the question's) makes a claim of its own, however well the
rest of the sentence is supported."""

from __future__ import annotations

from checker_support import verdict
from hypothesis import given, settings
from hypothesis import strategies as st

MANUAL = (
    "설명서 · 오류 코드\n코드: E07 | 내용: 배터리 부족 | 조치 방법: 건전지 2개를 새 건전지로"
    " 교체하십시오."
)


def test_a_clause_of_its_own_in_a_supported_sentence_is_unsupported() -> None:
    first = "E07은 배터리 부족 표시로, 건전지 2개를 새 건전지로 교체하십시오라는 조치 방법이 있고"
    assert verdict(f"{first} 교체하면 됩니다.", MANUAL)[0]
    # most of the sentence is the row's; its last clause is a claim no passage makes
    said = f"{first} 교체 후에는 본사 정밀 점검을 받아야 합니다."
    assert verdict(said, MANUAL) == (False, "unsupported")


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(("회계감사", "품질인증", "보험가입", "정기점검", "현장실사")))
def test_a_clause_of_words_no_passage_has_is_flagged_wherever_it_stands(new: str) -> None:
    first = "E07은 배터리 부족 표시로, 건전지 2개를 새 건전지로 교체하는 조치 방법이 있고"
    assert verdict(f"{first} 본사 {new} 절차를 밟아야 합니다.", MANUAL) == (
        False,
        "unsupported",
    )
    # a sentence of one clause is judged by its coverage as a whole, as before
    assert verdict("E07은 배터리 부족 표시입니다.", MANUAL)[0]
