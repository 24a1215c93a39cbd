"""Reading fixed for issue 13 from heldout30's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from test_reader import flat_idf, hit, stored_text
from test_reader_h20 import table_passage

from dalin.answer.clauses import clause_text
from dalin.answer.extractive import Question, extractive_answer
from dalin.answer.intent import read_intent
from dalin.answer.reader import two_facts
from dalin.answer.reader_question import focus_words, reading_for
from dalin.answer.tables import match_cells, read_grid
from dalin.answer.yes_no import limited_otherwise, zero_charge_verdict
from dalin.text.korean import tokenize
from dalin.types import Chunk


def test_a_cell_under_the_asked_column_answers_though_it_repeats_question_words() -> None:
    passage, sources = table_passage(
        ("NO", "항목명", "구분", "설명", "표현형식/단위", "예시"),
        [("12", "버스정류소ID", "선택", "환승센터 내 버스 정류소 번호", "NNNNNNNNN", "106007273"),
         ("13", "버스정류소명", "선택", "환승센터 내 버스 정류소 명칭", "text",
          "서울역버스환승센터+서울역버스환승센터(중)"),
         ("14", "도시철도노선번호", "선택", "도시철도 노선번호", "text", "S1101+S2802")],
        name="공공데이터_제공표준.hwpx",
        above="대중교통환승센터 표준데이터 항목",
    )  # fmt: skip
    question = (
        "대중교통환승센터 공공데이터 표준 항목표에서 '버스정류소명' 항목의 예시 값은 "
        "어떻게 적혀 있나요?"
    )

    def idf(tokens: Sequence[str]) -> Mapping[str, float]:
        # the workspace's weights: 환승 and 센터 are rarer than the form's 항목 and 표준
        return {t: 3.0 if t in ("환승", "센터") else 1.0 for t in tokens}

    answer = extractive_answer(question, [passage], idf, sources=sources)
    # its 버스 … 환승센터 made the example a name of the row, and another row was read
    assert answer.text.startswith("버스정류소명 예시: 서울역버스환승센터+"), answer.text


def test_a_second_clause_sharing_only_where_the_first_looks_is_asked_of_its_topic() -> None:
    question = (
        "office2pdf 릴리스 이력에서 v0.5.0은 언제 나왔고, 어떤 유형의 릴리스로 분류돼 있어요?"
    )
    # 릴리스 is shared with "릴리스 이력에서", not with v0.5.0: the second still needs its row
    assert two_facts(question) == [
        "office2pdf 릴리스 이력에서 v0.5.0은 언제 나왔나요?",
        "office2pdf 릴리스 이력에서 v0.5.0 어떤 유형의 릴리스로 분류돼 있어요?",
    ]
    # a second clause sharing the first's topic word keeps its own words
    assert two_facts("회의록에서 개정안은 언제 발의됐고, 개정안 심사는 언제 했나요?")[1] == (
        "개정안 심사는 언제 했나요?"
    )


def test_a_field_named_by_a_word_and_its_count_is_not_answered_by_another_field() -> None:
    passage, sources = table_passage(
        ("NO", "항목명", "구분", "설명", "예시"),
        [("20", "일반주차단위구획수", "선택", "환승센터 내 주차장의 승용차 주차단위구획 수", "82"),
         ("21", "주차요금", "선택", "주차장의 기본 요금", "1000")],
        name="공공데이터_제공표준.hwpx",
        above="대중교통환승센터 표준데이터 항목",
    )  # fmt: skip
    question = (
        "대중교통환승센터 표준데이터 항목표에서 장애인 전용 주차구획 수 항목의 예시 값은 "
        "몇 면이에요?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.abstained, answer.text
    # the field the table does write is still read, spaced as the asker likes
    answer = extractive_answer(
        "표준데이터 항목표에서 일반주차단위 구획 수 항목의 예시 값은?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert answer.text.startswith("일반주차단위구획수 예시: 82"), answer.text


def test_a_leaf_under_the_parent_the_question_names_is_not_its_cousins() -> None:
    _, sources = table_passage(
        ("", "검증 데이터 EM", "검증 데이터 F1", "평가 데이터 EM", "평가 데이터 F1"),
        [("Baseline", "30.8", "46.8", "30.2", "46.0"), ("Human", "-", "-", "68.8", "83.9")],
        name="KorQuAD_2.0_paper.pdf",
    )
    assert sources.tables is not None
    grid = read_grid(sources.tables(1)[0])
    question = "KorQuAD 2.0 논문에서 사람(Human)이 검증 데이터로 받은 F1 점수는 몇 점이에요?"
    words = tokenize(question)
    named = {m.column_name for m in match_cells(grid, question, words, flat_idf(words), {})
             if m.column_score > 0}  # fmt: skip
    # F1 alone used to name 평가 데이터 F1 too, and its 83.9 was read for the blank asked
    assert named == {"검증 데이터 F1"}, named


def test_a_value_right_after_the_latin_label_asked_is_read() -> None:
    line = "하지만 사람의 점수는 EM 69.8%, F1 85.7%로 기계학습에 비해 두 배 가까이 높았다."
    answer = extractive_answer("논문에서 사람의 F1 점수는 몇 점이에요?", [hit(line)], flat_idf)
    # 69.8% sits nearer 사람의 점수는, but it is the EM
    assert answer.text.startswith("85.7%"), answer.text
    answer = extractive_answer("논문에서 사람의 EM 점수는 몇 점이에요?", [hit(line)], flat_idf)
    assert answer.text.startswith("69.8%"), answer.text


def test_a_line_charging_nothing_is_not_charged_and_is_free() -> None:
    row = "ITEM DESCRIPTION: 7 Free Gift | QUANTITY: 1 | PRICE (€): 0.00 | AMOUNT (€): 0.00"
    charged = "On Kraxi invoice 2020-10, is the customer charged anything for the Free Gift line?"
    assert zero_charge_verdict(charged, row) == (False, row)
    assert zero_charge_verdict("Is the Free Gift on the invoice free?", row) == (True, row)
    # a priced line, or a line the question does not name, rules nothing
    priced = "ITEM DESCRIPTION: 1 Super Kite | QUANTITY: 2 | PRICE (€): 20.00 | AMOUNT (€): 40.00"
    assert zero_charge_verdict("Is the customer charged for the Super Kite?", priced) is None
    assert zero_charge_verdict("Is the customer charged for shipping?", row) is None
    passage, sources = table_passage(
        ("ITEM DESCRIPTION", "QUANTITY", "PRICE (€)", "AMOUNT (€)"),
        [("1 Super Kite", "2", "20.00", "40.00"), ("7 Free Gift", "1", "0.00", "0.00")],
        name="Invoice.pdf",
        above="Kraxi Systems INVOICE 2020-10 customer",
    )
    answer = extractive_answer(charged, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("No — ITEM DESCRIPTION: 7 Free Gift"), answer.text


def test_a_limit_refuses_its_opposite_and_allows_itself() -> None:
    rule = (
        "변경 후: 퓨처스리그에서는 유니폼 내 착용하는 형태에 한하여 KBO에 사전 신고한 "
        "웨어러블 전자 퍼포먼스 트래킹 시스템 착용 가능"
    )
    outside = "퓨처스리그 선수가 웨어러블 트래킹 장비를 유니폼 겉에 차고 뛰어도 되나요?"
    refused = limited_otherwise(outside, rule)
    assert refused is not None and refused.startswith("퓨처스리그에서는 유니폼 내"), refused
    assert limited_otherwise(outside.replace("겉에", "안에"), rule) is None
    assert (
        limited_otherwise("금요일 경기 시간을 바꿀 수 있나요?", "금요일에 한해 변경 가능") is None
    )
    answer = extractive_answer(outside, [hit(rule, "KBO규정.pdf")], flat_idf)
    assert answer.text.startswith("아니요 — 퓨처스리그에서는 유니폼 내"), answer.text


def test_an_explaining_sentence_ties_to_the_sentence_it_explains() -> None:
    text = (
        "김하성은 1회말 2사 1,3루 찬스에서 유격수 땅볼 아웃으로 물러났지만 4회말 선두타자로 "
        "나와 좌전 2루타를 터뜨리면서 득점권 찬스를 열었다. 풀카운트에서 5구째 들어온 위버의 "
        "93마일(150km) 포심 패스트볼을 공략한 결과였다. 시즌 5호 2루타."
    )
    question = "김하성 기사에서 김하성은 4회말에 선두타자로 타석에 들어섰나요?"
    answer = extractive_answer(question, [hit(text, "기사.hwpx")], flat_idf)
    assert "4회말 선두타자로 나와" in answer.text, answer.text
    # what only the explaining sentence says is still read from it
    answer = extractive_answer(
        "김하성 기사에서 4회말 2루타는 풀카운트에서 나왔나요?", [hit(text, "기사.hwpx")], flat_idf
    )
    assert "풀카운트에서 5구째" in answer.text, answer.text


#: the RFP's security terms (odl_제안요청서_온나라웹기안기_230524.pdf, 붙임1): a section
#: named by its heading, its clauses circled and run together as the PDF gives them
TERMS = (
    "<붙임1> 외주 용역사업 보안특약사항\n외주 용역사업 보안특약 사항\n"
    "① 사업자는 관련 보안규정을 위반하였을 경우 위규처리 기준에 따라 모든 책임을 지며, "
    "보안 위약금을 발주\n기관에 납부한다. ② 사업자는 보안관리계획을 사업제안서에 기재하여야 "
    "한다. ③ 사업 수행과정에서 취득한 자료와 정보에 관하여 사업 완료 후에도 이를 외부에 "
    "유출해서는 안 되며, 사업종료 시 발주기관 정보보호담당자의 입회하에 완전 폐기 또는 반납해야 "
    "한다. ④ 사업자는 사업 최종 산출물의 보안 취약점을 점검해야 한다.\n"
)


def test_a_clause_of_a_section_named_by_its_heading_is_read() -> None:
    chunks = [Chunk(TERMS, 0, len(TERMS), "p.41", 41)]
    sources = stored_text(chunks)
    question = (
        "웹기안기 제안요청서의 외주 용역사업 보안특약사항 ③항에 따르면, 사업이 끝날 때 사업 "
        "중에 얻은 자료는 어떻게 처리해야 해요?"
    )
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = clause_text(reading, [(hit(TERMS, "제안요청서.pdf"), 1.0)], sources)
    assert found is not None and found.lead.startswith("③ 사업 수행과정에서"), found
    assert found.lead.endswith("완전 폐기 또는 반납해야 한다.")
    # the same clause named 제3항 after the section's name
    question = "보안특약사항의 제3항은 무엇을 정하나요?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = clause_text(reading, [(hit(TERMS, "제안요청서.pdf"), 1.0)], sources)
    assert found is not None and found.lead.startswith("③ 사업 수행과정에서"), found


def test_a_word_ending_in_jung_is_no_boundary_of_the_focus() -> None:
    question = (
        "웹기안기 제안요청서의 보안 위약금 부과기준 표에서 A급 위규는 위약금 비중 칸에 "
        "뭐라고 적혀 있어요?"
    )
    words = tokenize(question)
    # 비중 split after 비 left only 칸 as what is asked, and the right cell was refused
    assert {"위약금", "비중", "칸"} <= set(focus_words(question, words))
    passage, sources = table_passage(
        ("구분", "위규 수준 A급", "위규 수준 B급"),
        [("위규", "심각 1건", "중대 1건"),
         ("위약금 비중", "부정당업자 등록", "총 사업비의 0.5% 이하")],
        name="제안요청서.pdf",
        above="웹기안기 제안요청서 [별첨2] 보안 위약금 부과기준 표",
    )  # fmt: skip
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("위약금 비중 위규 수준 A급: 부정당업자 등록"), answer.text
    # 중 written apart still ends the topic: "위원 중 여성은"
    assert "위원" not in focus_words("위원 중 여성은 몇 명인가요?", tokenize("위원 중 여성은"))


def test_rows_kept_by_a_number_in_a_named_column_are_counted() -> None:
    passage, sources = table_passage(
        ("구분", "총인원", "구성 정부", "구성 민간"),
        [("서울", "40", "10", "30"), ("부산", "50", "6", "44"), ("대구", "15", "6", "9"),
         ("광주", "50", "7", "43"), ("충남", "50", "9", "41"), ("제주", "66", "22", "44")],
        name="검토보고서.pdf",
        above="광역 탄소중립위원회 위원 구성 현황",
    )  # fmt: skip
    question = (
        "검토보고서의 광역 탄소중립위원회 위원 구성 현황에서 총인원이 딱 50명인 시도 위원회는 "
        "몇 곳이에요?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("3곳 — 총인원 '50' 행: 부산 [1], 광주 [2], 충남 [3]"), answer.text
    # a number the question writes beside no column keeps nothing
    answer = extractive_answer(
        "광역 탄소중립위원회 위원 구성 현황에서 50명인 곳은 몇 곳이에요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert not answer.text.startswith("3곳"), answer.text


def test_a_counter_whose_second_syllable_reads_as_a_particle_is_taken_whole() -> None:
    question = "온나라 웹기안기 제안서는 최대 몇 페이지 이내로 작성해야 하나요?"
    assert read_intent(question).counter == "페이지"  # not 페, before 이 read as a particle
    assert read_intent("지지율은 몇 포인트 올랐나요?").counter == "포인트"
    assert read_intent("회의실은 몇 층이에요?").counter == "층"
    usage = "웹기안기 사용건수(2022년 기준) 문서작성: 14,649,103건"
    answer = extractive_answer(question, [hit(usage, "제안요청서.pdf")], flat_idf)
    assert answer.abstained, answer.text  # a count of uses is no count of pages


def test_rows_under_a_group_of_the_merged_first_column_are_counted() -> None:
    passage, sources = table_passage(
        ("평가항목", "세부평가항목", "평가기준", "배점"),
        [("기능성 (19)", "기능구현 완전성", "요구 기능이 모두 구현되어 있는지", "3"),
         ("기능성 (19)", "표준 준수성", "규격을 준수하여 개발되었는지", "5"),
         ("사용성 (12)", "기능학습 용이성", "도움말, 매뉴얼 등을 통해 정보를 제공", "2"),
         ("사용성 (12)", "입출력 데이터 이해도", "데이터 입출력 방법이 편리한지", "2"),
         ("사용성 (12)", "진행상태 파악 용이성", "작업의 진행 상태를 쉽게 파악", "2"),
         ("이식성 (16)", "운영환경 적합성", "사용환경에 설치 가능한지", "6"),
         ("이식성 (16)", "하위호환성", "문서시스템과 호환성", "9")],
        name="제안요청서.pdf",
        above="웹기안기 제안서 정성적 평가표",
    )  # fmt: skip
    question = (
        "웹기안기 제안서 정성적 평가표에서 '사용성' 평가항목 밑에 달린 세부평가항목은 모두 "
        "몇 개예요?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith(
        "3개 — 평가항목 '사용성 (12)' 행: 기능학습 용이성 [1], 입출력 데이터 이해도 [2], "
        "진행상태 파악 용이성 [3]"
    ), answer.text
    # 밑 is where to look only under a group; "대통령 밑에서 맡은 직책" is about 밑
    assert "밑" not in Question.parse(question).topic
    assert "밑" in Question.parse("헤이그가 레이건 대통령 밑에서 맡은 직책은?").topic
