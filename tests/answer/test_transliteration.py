"""Latin names an English question spells that a Korean passage writes in Hangul (issue 13,
cross-language questions): the consonant skeletons both scripts keep."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_reader import hit

from dalin.answer.transliteration import hangul_key, latin_key, transliterated_equivalents
from shared_samples import sample_workspace


@pytest.mark.parametrize(
    ("latin", "hangul"),
    [
        ("Cincinnati", "신시내티"),
        ("changeup", "체인지업"),
        ("Kim Ha-seong", "김하성"),
        ("San Diego", "샌디에이고"),
        ("Padres", "파드리스"),
        ("Jang Mi-ran", "장미란"),
        ("Nonsan", "논산"),
    ],
)
def test_a_name_keeps_its_consonants_across_the_scripts(latin: str, hangul: str) -> None:
    assert latin_key(latin) == hangul_key(hangul)


def test_different_names_keep_different_skeletons() -> None:
    assert latin_key("Cincinnati") != hangul_key("샌디에이고")
    assert latin_key("Padres") != hangul_key("파리")
    assert hangul_key("ABC") == ""  # no Hangul, no skeleton


ARTICLE = (
    "'어썸킴' 김하성(27·샌디에이고 파드리스)이 시원한 3점홈런을 폭발했다. 김하성은 미국 "
    "캘리포니아주 펫코파크에서 열린 신시내티 레즈와의 홈 경기에서 7번타자로 출전했다."
)


def test_only_names_the_passages_write_are_offered() -> None:
    asked = "In the article about Kim Ha-seong's game against Cincinnati, what is his nickname?"
    pairs = transliterated_equivalents(asked, [hit(ARTICLE, "기사.hwpx")])
    held = {word for _, korean in pairs for word in korean}
    assert {"김하성", "신시내티"} <= held
    assert "시원" not in held  # a word no Latin name of the question spells
    assert transliterated_equivalents(asked, [hit("오늘은 날씨가 맑다.", "날씨.txt")]) == ()


def test_an_english_question_reads_the_korean_sample_article(tmp_path: Path) -> None:
    with sample_workspace(tmp_path, "hwpxlib_textextractor_multipara.hwpx") as workspace:
        asked = (
            "What nickname does the Korean news article give Kim Ha-seong, in its sentence "
            "about his three-run homer for San Diego?"
        )
        answer = workspace.ask(asked, llm="extractive")
    assert "어썸킴" in answer.text, answer.text
