"""Rules added for issue 13 after heldout4 was written, each from a failure on dev, heldout,
heldout2 or heldout3 (never heldout4) and each failing before its rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from test_reader import table_source

from dalin.answer.cells import index_columns
from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, Operation, read_intent
from dalin.answer.reader import two_facts
from dalin.answer.reader_question import counted_thing
from dalin.answer.tables import read_grid
from dalin.answer.yes_no import prefixed_nouns
from dalin.ingest.document import DocumentBuilder
from dalin.types import Hit, StoredTable


def flat_idf(tokens: Sequence[str]) -> Mapping[str, float]:
    return dict.fromkeys(tokens, 1.0)


CODES = "01:민간부문개발 02:공공부문개발 03:민관합동개발"
ITEMS_HEADER = ("NO", "항목명", "구분", "허용 값", "표현형식/단위", "예시")
ITEMS = [
    ("1", "환승센터명", "필수", "", "환승센터의 명칭", "동서울환승센터"),
    ("2", "환승센터면적", "선택", "", "제곱미터", "75480.3"),
    ("3", "개발주체유형코드", "필수", "01/02/03", CODES, "01"),
]  # fmt: skip


def test_a_column_numbering_the_rows_is_never_the_answer() -> None:
    passage, sources = table_source(ITEMS_HEADER, ITEMS, caption="환승센터 표준 항목")
    question = "환승센터 표준데이터의 제공 수수료는 얼마인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert "NO" not in answer.text.splitlines()[0], answer.text


def test_index_columns_are_headed_as_such_over_rising_whole_numbers() -> None:
    builder = DocumentBuilder("표.hwpx")
    builder.table(("NO", "이름", "번호"), [("1", "가", "7"), ("2", "나", "3")])
    block = builder.build().tables[0]
    assert block.table is not None
    grid = read_grid(StoredTable(1, 0, block.table, None, block.start, block.end))
    assert index_columns(grid) == frozenset({0})  # "번호" 7, 3 numbers something else


def test_a_code_the_question_states_is_read_from_the_rows_code_list() -> None:
    passage, sources = table_source(ITEMS_HEADER, ITEMS, caption="환승센터 표준 항목")
    question = "환승센터 개발주체유형코드 03은 무엇을 뜻하나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].startswith("개발주체유형코드 03: 민관합동개발"), answer.text


PARKING = [
    ("1", "환승센터면적", "선택", "", "제곱미터", "75480.3"),
    ("2", "일반주차단위구획수", "선택", "", "개", "82"),
    ("3", "대형주차단위구획수", "선택", "", "개", "114"),
    ("4", "환승센터유형코드", "필수", "", "코드", "02"),
]


def topic_idf(tokens: Sequence[str]) -> Mapping[str, float]:
    """The topic's words weigh most, as in a workspace of many documents."""
    return {t: 3.0 if t in ("환승", "센터") else 1.0 for t in tokens}


def test_a_sum_of_rows_written_out_in_the_question_takes_only_those_rows() -> None:
    passage, sources = table_source(ITEMS_HEADER, PARKING, caption="환승센터 표준 항목")
    question = "환승센터 표준에서 일반주차단위구획수 예시와 대형주차단위구획수 예시를 합하면?"
    answer = extractive_answer(question, [passage], topic_idf, sources=sources)
    first = answer.text.splitlines()[0]
    assert first.endswith("= 196"), answer.text
    assert "75480.3" not in first


SPLITS_HEADER = ("", "학습", "검증", "평가", "합계")
SPLITS = [
    ("문서", "38,496", "4,736", "4,725", "47,957"),
    ("질문", "83,486", "10,165", "9,309", "102,960"),
]
SPLITS_LEAD = "질문은 KorQuAD 1.0에서 변환한 데이터를 포함하여 총 102,960개가 있다."


def test_the_counter_asked_is_no_topic_word_a_cell_named_by_row_and_column_wins() -> None:
    # the paper writes the name asked ("KorQuAD 2.0"): a document that never does is about
    # something else (answer/asked.py, names_absent)
    passage, sources = table_source(SPLITS_HEADER, SPLITS, caption="표 2 KorQuAD 2.0 데이터 통계")
    lead = Hit(2, 1, passage.document, passage.name, f"{passage.name} · p.3", 1.0,
               SPLITS_LEAD, 900, 900 + len(SPLITS_LEAD), 3)  # fmt: skip
    question = "KorQuAD 2.0 평가 데이터의 질문은 몇 개인가요?"
    answer = extractive_answer(question, [lead, passage], flat_idf, sources=sources)
    assert "9,309" in answer.text.splitlines()[0], answer.text


GAME = (
    "김하성의 시즌 3호 홈런. 한편 샌디에이고는 8-3으로 승리하면서 3연승을 질주, 시즌 전적 "
    "16승 14패를 기록했으며 김하성의 3점홈런은 결승타로 남았다."
)


def game_hit() -> Hit:
    return Hit(1, 1, "기사.hwpx", "기사.hwpx", "기사.hwpx · ¶1", 1.0, GAME, 0, len(GAME))


def test_a_record_of_counts_is_stated_whole() -> None:
    question = "샌디에이고의 시즌 전적은 몇 승 몇 패인가요?"
    answer = extractive_answer(question, [game_hit()], flat_idf)
    assert answer.text.splitlines()[0].startswith("16승 14패"), answer.text


def test_two_questions_joined_as_clauses_are_two_facts() -> None:
    question = "김하성의 이날 홈런은 시즌 몇 호였고 샌디에이고의 시즌 전적은?"
    assert two_facts(question) == ["김하성의 이날 홈런은 시즌 몇 호?", "샌디에이고의 시즌 전적은?"]
    assert two_facts("계약 기간 동안 몇 명이 보고 있나요?") == []


CONTRACT = (
    "본 계약은 2026년 8월 150인 규모의 제3자 배정 유상증자를 위하여 체결되며 ABC 주식회사와 "
    "DEF 파트너스는 각각 30인 및 70인의 임원을 파견한다"
)


def test_two_things_named_then_all_of_them_counted_is_a_sum() -> None:
    question = "ABC 주식회사와 DEF 파트너스가 파견하는 임원은 모두 몇 명인가요?"
    assert read_intent(question).operation is Operation.SUM
    assert read_intent("제안요청서 요구사항은 모두 몇 개인가요?").operation is None


def test_values_given_respectively_are_the_operands() -> None:
    question = "ABC 주식회사와 DEF 파트너스가 파견하는 임원을 합하면 몇 명인가요?"
    doc = Hit(1, 1, "계약.docx", "계약.docx", "계약.docx · ¶1", 1.0, CONTRACT, 0, len(CONTRACT))
    answer = extractive_answer(question, [doc], flat_idf)
    assert answer.text.splitlines()[0] == "30인 [1] + 70인 [1] = 100인", answer.text


ENTRUSTING = (
    "제1조 (목적) 이 계약은 “갑”이 개인정보처리업무를 “을”에게 위탁하고, “을”은 이를 승낙하여 "
    "“을”의 책임아래 성실하게 업무를 완성하도록 하는데 필요한 사항을 정함을 목적으로 한다.\n"
    "제5조 (재위탁 제한) ① “을”은 “갑”의 사전 승낙을 얻은 경우를 제외하고 “갑”과의 계약상의 "
    "권리와 의무의 전부 또는 일부를 제3자에게 양도하거나 재위탁할 수 없다."
)


def test_a_yes_no_on_a_prefixed_act_is_ruled_by_the_sentence_on_that_act() -> None:
    question = "을이 갑의 승낙 없이 개인정보 처리 업무를 재위탁할 수 있나요?"
    doc = Hit(1, 1, "계약.pdf", "계약.pdf", "계약.pdf · p.63", 1.0, ENTRUSTING, 0, len(ENTRUSTING))
    answer = extractive_answer(question, [doc], flat_idf)
    assert answer.text.startswith("아니요"), answer.text
    assert "재위탁할 수 없다" in answer.text


def test_a_prefix_makes_another_noun() -> None:
    assert prefixed_nouns("재위탁할 수 있나요?") == {"위탁": "재위탁"}
    assert prefixed_nouns("위탁할 수 있나요?") == {}


def test_how_much_is_money_only_when_something_priced_is_named() -> None:
    assert read_intent("BERT에 문서를 입력할 때 stride를 얼마로 주었나요?").asked is Asked.NUMBER
    assert read_intent("행사의 입장료는 얼마인가요?").asked is Asked.MONEY
    assert read_intent("개당 얼마예요?").asked is Asked.MONEY


PAPER = (
    "이때 BERT 모델의 경우 입력의 길이가 512자로 제한되기 때문에 문서를 128의 stride를 주어 "
    "입력하였고, 학습 시 정답 토큰의 길이가 입력 길이 제한보다 긴 경우 제거하였다.\n"
    "실험 결과, BERT 딥러닝 모델은 평가 데이터에서 EM 30.2%, F1 46.0%의 성능을 내었다."
)


def test_a_bare_number_beside_the_word_asked_is_the_value() -> None:
    question = "BERT에 문서를 입력할 때 stride를 얼마로 주었나요?"
    doc = Hit(1, 1, "논문.pdf", "논문.pdf", "논문.pdf · p.5", 1.0, PAPER, 0, len(PAPER))
    answer = extractive_answer(question, [doc], flat_idf)
    assert answer.text.splitlines()[0].startswith("128"), answer.text


def rare_names_idf(tokens: Sequence[str]) -> Mapping[str, float]:
    """The names weigh most (as over a workspace): the passage passes the gate on them."""
    return {t: 3.0 if t in ("korquad", "baselin", "2.0") else 0.3 for t in tokens}


def test_a_count_of_something_else_answers_no_english_how_many() -> None:
    passage, sources = table_source(
        ("Model", "EM", "F1"), [("Baseline", "30.8", "46.8"), ("Human", "68.8", "83.9")],
        caption="Table 3. KorQuAD 2.0 results",
    )  # fmt: skip
    question = "How many GPUs were used to train the KorQuAD 2.0 baseline?"
    answer = extractive_answer(question, [passage], rare_names_idf, sources=sources)
    assert answer.citations == (), answer.text
    assert counted_thing("How many GPUs were used?") == "GPUs"
    assert counted_thing("How much is the deductible?") is None
