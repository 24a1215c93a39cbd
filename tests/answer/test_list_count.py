"""Counts of a numbered list's items a question filters (issue 13): no line states how many
bills one member sponsored; the agenda lists them, and each counted item is cited."""

from __future__ import annotations

from test_reader import flat_idf, hit, read_of
from test_reader_h20 import table_passage

from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.extractive import extractive_answer
from dalin.answer.list_count import _lists, counted_items
from dalin.answer.reader_question import Sources, reading_for
from dalin.text.korean import tokenize

AGENDA = (
    "제414회국회 환경노동위원회회의록\n의사일정\n"
    "1. 2023년도 국정감사 결과보고서 채택의 건\n"
    "2. 가축분뇨법 일부개정법률안(송기헌 의원 대표발의)(의안번호 2126511)\n"
    "3. 대기환경보전법 일부개정법률안(이주환 의원 대표발의)(의안번호\n2126172)\n"
    "4. 수도법 일부개정법률안(이주환 의원 대표발의)(의안번호 2126161)\n"
    "5. 근로기준법 일부개정법률안(노웅래 의원 대표발의)(의안번호 2124914)\n"
    "6. 근로기준법 일부개정법률안(이주환 의원 대표발의)(의안번호 2124915)\n\n"
    "상정된 안건\n1. 수도법 일부개정법률안\n2. 근로기준법 일부개정법률안\n3. 물환경보전법\n"
)


def _ask(question: str) -> str:
    sources = Sources(read=read_of(AGENDA), text_at=read_of(AGENDA))
    return extractive_answer(question, [hit(AGENDA, "회의록.pdf")], flat_idf, sources=sources).text


def test_the_items_a_question_filters_are_counted_and_each_cited() -> None:
    answer = _ask("의사일정에 올라온 법률안 가운데 이주환 의원이 대표발의한 것은 모두 몇 건인가요?")
    first = answer.splitlines()[0]
    assert first.startswith("3건 — 의사일정 중 '이주환 의원이 대표발의한'"), answer
    assert (
        "3. 대기환경보전법" in first and "6. 근로기준법" in first and "5. 근로기준법" not in first
    )
    assert "[3]" in first
    laws = _ask("의사일정에 올라온 근로기준법 일부개정법률안은 모두 몇 건인가요?")
    assert laws.startswith("2건"), laws


def test_a_filter_keeping_every_item_or_one_or_none_counts_nothing() -> None:
    sources = Sources(read=read_of(AGENDA), text_at=read_of(AGENDA))
    passage = [(hit(AGENDA, "회의록.pdf"), 1.0)]
    for question in (
        "의사일정에 올라온 노웅래 의원이 대표발의한 것은 모두 몇 건인가요?",  # one item
        "의사일정에 올라온 김철수 의원이 대표발의한 것은 모두 몇 건인가요?",  # none
        "이주환 의원이 대표발의한 법안은 몇 건인가요?",  # no "모두": a stated count is asked
        "예산안에 올라온 이주환 의원이 대표발의한 것은 모두 몇 건인가요?",  # no list named
    ):
        reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
        assert counted_items(reading, passage, [], sources) is None, question


def test_a_list_counts_up_from_one_and_an_item_runs_over_its_wrapped_lines() -> None:
    lists = _lists(AGENDA)
    assert [(heading, len(items)) for heading, items in lists] == [
        ("의사일정", 6),
        ("상정된 안건", 3),
    ]
    wrapped = lists[0][1][2]
    assert (
        wrapped.text.endswith("(의안번호\n2126172)")
        and AGENDA[wrapped.start : wrapped.end] == wrapped.text
    )


def test_a_tables_rows_the_filter_keeps_are_counted_by_the_cells_naming_it() -> None:
    passage, sources = table_passage(
        ("Rank", "Model", "EM"),
        [
            ("1", "EXAONE-LM LG AI Research", "89.71"),
            ("8", "SkERT-Large 2.0.0 Skelter Labs", "87.94"),
            ("12", "SkERT-Large Skelter Labs", "87.66"),
            ("13", "KoELECTRA Monologg", "87.01"),
        ],
        name="korquad_1.0_KOR.html",
        above="Leaderboard",
    )
    question = "KorQuAD 1.0 리더보드에 Skelter Labs가 올린 모델은 모두 몇 개인가요?"
    answer = extractive_answer(
        question, [passage], flat_idf, sources=sources, equivalents=bilingual_equivalents(question)
    ).text
    assert answer.startswith("2개 — Leaderboard 중 'Skelter Labs가 올린 모델'"), answer
    assert "SkERT-Large Skelter Labs [2]" in answer.splitlines()[0]


def test_a_bill_asked_by_its_plain_name_and_a_name_by_its_gloss_are_counted() -> None:
    agenda = (
        "의사일정\n"
        "1. 환경영향평가법 일부개정법률안(노웅래 의원 대표발의)(의안번호 2125583)\n"
        "2. 환경영향평가법 일부개정법률안(박정 의원 대표발의)(의안번호 2125873)\n"
        "3. 수도법 일부개정법률안(이주환 의원 대표발의)(의안번호 2126161)\n"
    )
    question = "의사일정에 올라온 환경영향평가법 개정안은 모두 몇 건이에요?"
    sources = Sources(read=read_of(agenda), text_at=read_of(agenda))
    # 개정안 is what an item writes as 일부개정법률안
    answer = extractive_answer(question, [hit(agenda, "회의록.pdf")], flat_idf, sources=sources)
    assert answer.text.startswith("2건"), answer.text
    passage, table = table_passage(
        ("Rank", "Model", "EM"),
        [
            ("1", "BERT insp. by GPT-2 (single) Kakao NLP Team", "89.1"),
            ("2", "SkERT-Large (single) Skelter Labs", "88.2"),
            ("3", "BERT LM fine-tuned (single) Kakao NLP Team", "87.0"),
        ],
        name="korquad_1.0_KOR.html",
        above="Leaderboard",
    )
    asked = "KorQuAD 1.0 리더보드에 카카오 NLP팀(Kakao NLP Team)이 올린 모델은 모두 몇 개예요?"
    counted = extractive_answer(
        asked, [passage], flat_idf, sources=table, equivalents=bilingual_equivalents(asked)
    )
    assert counted.text.startswith("2개 — Leaderboard 중 'Kakao NLP Team이 올린 모델'"), (
        counted.text
    )
