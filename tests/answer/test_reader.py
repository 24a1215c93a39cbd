"""The offline reader on hand-made passages and tables: lead lines, work, rulings, two facts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.answer.evidence import line_key
from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, read_intent
from dalin.answer.reader import _names_someone, two_facts
from dalin.answer.reader_question import Candidate, Evidence, Sources, reading_for
from dalin.content import text_at
from dalin.ingest.document import DocumentBuilder
from dalin.types import Chunk, Hit, StoredTable


def flat_idf(tokens: Sequence[str]) -> Mapping[str, float]:
    return dict.fromkeys(tokens, 1.0)


def read_of(text: str) -> Callable[[int, int, int], str]:
    """A one-document text lookup (``Sources.read``, ``Sources.text_at``) over ``text``."""
    return lambda doc_id, start, end: text[start:end]


def stored_text(chunks: Sequence[Chunk]) -> Sources:
    """A one-document ``Sources`` over its stored passages ``chunks``: the passages, and the
    text they hold for a clause or an item read past a passage's end."""
    return Sources(passages=lambda doc_id: list(chunks),
                   text_at=lambda doc_id, start, end: text_at(chunks, start, end))  # fmt: skip


def hit(text: str, name: str = "공고.hwp", chunk_id: int = 1, start: int = 0) -> Hit:
    return Hit(chunk_id, 1, f"/d/{name}", name, f"{name} · ¶1", 1.0, text, start,
               start + len(text), None)  # fmt: skip


NOTICE = (
    "논산 피크닉 데이 제안서 평가위원 모집\n"
    "나. 모집기간 : 2024. 7. 24.(수)~8. 2.(금)\n"
    "라. 모집인원 : 심사위원 후보 21명 (평가위원수의 3배수)\n"
    "자. 문 의 처 : 논산문화관광재단 문화기획팀(041-730-2925)"
)


def test_a_field_leads_with_its_label_and_value_then_the_evidence() -> None:
    answer = extractive_answer(
        "논산 피크닉 데이 평가위원 모집인원은 몇 명인가요?", [hit(NOTICE)], flat_idf
    )
    lines = answer.text.splitlines()
    assert lines[0] == "모집인원: 심사위원 후보 21명 (평가위원수의 3배수) [1]"
    assert lines[1] == "라. 모집인원 : 심사위원 후보 21명 (평가위원수의 3배수) [1]"
    assert len(lines) == len(set(lines))
    (citation,) = answer.citations
    assert NOTICE[citation.start : citation.end] == citation.quote


def test_two_facts_are_two_lead_lines() -> None:
    assert two_facts("논산 피크닉 데이 평가위원 후보의 모집기간과 모집인원은?") == [
        "논산 피크닉 데이 평가위원 후보의 모집기간은?",
        "논산 피크닉 데이 평가위원 후보의 모집인원은?",
    ]
    # one thing of two topics; the particle agrees with the word it now follows
    assert two_facts("7월 토요일 경기와 일요일 경기의 개시 시간은?") == [
        "7월 토요일 경기의 개시 시간은?",
        "7월 일요일 경기의 개시 시간은?",
    ]
    assert two_facts("의견 제출 기한과 세무2과 전화번호는?")[0] == "의견 제출 기한은?"
    assert two_facts("여성 위원과 시민사회 위원은 각각 몇 명인가요?") == [
        "여성 위원은 몇 명인가요?",
        "시민사회 위원은 몇 명인가요?",
    ]
    assert two_facts("연차휴가는 며칠인가요?") == []
    # two clauses, each asking with 어떤/어느; a verb before 고 asks as a question again
    assert two_facts("PDF/A 출력은 어떤 규격을 기반으로 하고, 검증에는 어떤 도구를 권하나요?") == [
        "PDF/A 출력은 어떤 규격을 기반으로 하나요?",
        "PDF/A 출력 검증에는 어떤 도구를 권하나요?",  # sharing no word, asked of its topic
    ]
    assert two_facts("어느 부서가 담당하고 있나요?") == []
    # a comma after 고 parts the clauses, though a quoted 고 comes before it; 며칠 asks too
    assert two_facts("차관은 어느 대회에서 응원했다고 했고, 올림픽까지 며칠 남았다고 했나요?") == [
        "차관은 어느 대회에서 응원했다고 했나요?",
        "올림픽까지 며칠 남았다고 했나요?",
    ]
    answer = extractive_answer(
        "논산 피크닉 데이 평가위원 후보의 모집기간과 모집인원은?", [hit(NOTICE)], flat_idf
    )
    lines = answer.text.splitlines()
    assert lines[0].startswith("모집기간: 2024. 7. 24.") and lines[1].startswith(
        "모집인원: 심사위원 후보 21명"
    )


def test_a_multiple_is_divided_with_the_work_shown() -> None:
    question = (
        "논산 피크닉 데이 평가위원 후보를 평가위원 수의 3배수로 모집한다면 평가위원은 몇 명인가요?"
    )
    answer = extractive_answer(question, [hit(NOTICE)], flat_idf)
    assert answer.text.splitlines()[0] == "21명 [1] ÷ 3 = 7명"


RULES = (
    "제5조(재위탁 제한) ① “을”은 “갑”의 사전 승낙을 얻은 경우를 제외하고 계약상의 권리와 의무를 "
    "제3자에게 재위탁할 수 없다.\n"
    "② 제22조 경기시간 제한\n"
    "1. 야간 조명시설이 없는 구장에서의 주간경기는 일몰시간 15분 전에 새로운 이닝에 "
    "들어갈 수 없다.\n"
    "단, 조명시설이 있는 구장에서는 점등한 후 경기를 속행한다."
)


def test_a_prohibition_answers_no_and_quotes_the_ruling_clause() -> None:
    answer = extractive_answer(
        "을이 갑의 승낙 없이 재위탁할 수 있나요?", [hit(RULES, "계약서.pdf")], flat_idf
    )
    lead, evidence = answer.text.splitlines()[:2]
    assert lead == "아니요 [1]" and "재위탁할 수 없다." in evidence


def test_an_exception_in_the_next_sentence_is_quoted_with_the_answer() -> None:
    question = "야간 조명시설이 없는 구장에서 일몰 15분 전에 새로운 이닝에 들어갈 수 있나요?"
    answer = extractive_answer(question, [hit(RULES, "규정.pdf")], flat_idf)
    lines = answer.text.splitlines()
    assert lines[0].startswith("아니요")
    assert any(line.startswith("단, 조명시설이 있는 구장에서는") for line in lines)


def table_source(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    caption: str = "광역 탄소중립위원회 위원 구성 현황",
) -> tuple[Hit, Sources]:
    builder = DocumentBuilder("보고서.pdf")
    builder.paragraph(caption)
    builder.table(header, rows, page=13)
    doc = builder.build()
    block = doc.tables[0]
    assert block.table is not None
    stored = StoredTable(1, 8, block.table, 13, block.start, block.end)
    passage = Hit(1, 1, "/d/보고서.pdf", "보고서.pdf", "보고서.pdf · p.13", 1.0, doc.text, 0,
                  len(doc.text), 13)  # fmt: skip

    def tables(doc_id: int) -> list[StoredTable]:
        return [stored] if doc_id == 1 else []

    def read(doc_id: int, start: int, end: int) -> str:
        return doc.text[start:end]

    return passage, Sources(tables=tables, read=read)


ROWS = [("서울", "40", "10"), ("부산", "50", "6"), ("대구", "15", "6"), ("제주", "66", "22")]


def test_a_table_cell_is_the_answer_cited_to_its_row() -> None:
    passage, sources = table_source(("구분", "총인원", "정부"), ROWS)
    question = "광역 탄소중립위원회 위원 구성에서 부산의 총인원은 몇 명인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0] == "부산 총인원: 50 [1]"
    assert answer.citations[0].label == "보고서.pdf · p.13 · 표 8 · '부산' 행"
    assert answer.citations[0].quote == "구분: 부산 | 총인원: 50 | 정부: 6"


def test_a_sum_over_named_rows_and_the_smallest_of_a_column() -> None:
    passage, sources = table_source(("구분", "총인원", "정부"), ROWS)
    total = extractive_answer("광역 탄소중립위원회에서 서울과 부산의 총인원을 합하면 몇 명인가요?",
                              [passage], flat_idf, sources=sources)  # fmt: skip
    assert total.text.splitlines()[0] == "서울 총인원 40 [1] + 부산 총인원 50 [2] = 90명"
    assert [c.quote for c in total.citations] == [
        "구분: 서울 | 총인원: 40 | 정부: 10",
        "구분: 부산 | 총인원: 50 | 정부: 6",
    ]
    question = "광역 탄소중립위원회 중 총인원이 가장 적은 곳은 어디인가요?"
    least = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert least.text.splitlines()[0] == "대구 총인원: 15 [1] (4개 중 최소)"


def test_an_invoice_laid_out_with_spaces_is_read_as_a_table() -> None:
    invoice = (
        "Kraxi Systems invoice 2020-10\n"
        "ITEM DESCRIPTION QUANTITY PRICE (€) AMOUNT (€)\n"
        "1 Super Kite 2 20.00 40.00\n"
        "2 Turbo Flyer 5 40.00 200.00\n"
        "3 Giga Trash 1 180.00 180.00\n"
    )
    answer = extractive_answer(
        "How many Turbo Flyer are on the Kraxi invoice? quantity",
        [hit(invoice, "invoice.pdf")],
        flat_idf,
    )
    assert answer.text.splitlines()[0] == "Turbo Flyer QUANTITY: 5 [1]"
    question = "What do the Super Kite and the Giga Trash amount to together on the Kraxi invoice?"
    both = extractive_answer(question, [hit(invoice, "invoice.pdf")], flat_idf)
    assert both.text.splitlines()[0].endswith("= 220")


_label = st.sampled_from(["사업금액", "소요예산", "계약금액", "총사업비"])


@settings(max_examples=40, deadline=None)
@given(_label, st.integers(min_value=1, max_value=10**9), st.sampled_from(["원", "천원", "만원"]))
def test_the_lead_value_is_quoted_verbatim_by_its_citation(
    label: str, amount: int, unit: str
) -> None:
    value = f"{amount:,}{unit}"
    text = (
        f"□ 사업 개요\nm 사 업 명 : 웹기안기 도입\nm {label} : {value}(VAT 포함)\n"
        "m 사업기간 : 계약일로부터 ~ 2023. 12. 31."
    )
    answer = extractive_answer(
        f"웹기안기 도입 사업의 {label}은 얼마인가요?", [hit(text, "rfp.pdf")], flat_idf
    )
    lead = answer.text.splitlines()[0]
    assert lead == f"{label}: {value}(VAT 포함) [1]"
    assert value in answer.citations[0].quote


def test_an_elapsed_time_with_one_end_found_names_the_other() -> None:
    opened = "(10시14분 개의)\n성원이 되었으므로 제414회 제1차 환경노동위원회를 개회하겠습니다."
    question = "제414회 환경노동위원회 제1차 회의는 몇 분 동안 열렸나요?"
    lines = extractive_answer(question, [hit(opened, "회의록.pdf")], flat_idf).text.splitlines()
    assert lines[0] == "계산하지 않았습니다: 문서에서 '끝난 시각'을(를) 찾지 못했습니다."
    assert lines[1] == "(10시14분 개의) [1]"
    closed = "이상으로 제414회 환경노동위원회 제1차 회의를 마치겠습니다.\n(10시45분 산회)"
    both = [hit(opened, "회의록.pdf"), hit(closed, "회의록.pdf", chunk_id=2, start=500)]
    assert extractive_answer(question, both, flat_idf).text.splitlines()[0].endswith("= 31분")


def test_impossible_rules_no_although_it_contains_possible() -> None:
    text = (
        "제안서 작성 시 유의사항\n"
        "｢가능하다｣, ｢할 수도 있다｣ 등의 표현은 평가에서 불가능한 것으로 간주함"
    )
    question = "제안서에 '가능하다'라고 쓰면 가능한 것으로 평가받나요?"
    answer = extractive_answer(question, [hit(text, "제안요청서.pdf")], flat_idf)
    assert answer.text.splitlines()[0].startswith("아니요")


def test_a_line_that_only_names_the_subject_is_no_yes() -> None:
    # "Kraxi Systems, Inc." neither rules on anything nor names what is asked about it (the
    # sentence that does is English: no Korean word of the question is in it)
    text = (
        "Kraxi Systems, Inc.\nPaper Planes\n"
        "This warranty is not transferable. No returns or exchanges will be accepted for wet"
        " products."
    )
    question = "Kraxi는 반품을 받아 주나요?"
    answer = extractive_answer(question, [hit(text, "invoice.pdf")], flat_idf)
    assert not answer.text.startswith("예")


KICKOFF = [("9월", "18:30", "17:00", "14:00"), ("10월", "18:30", "17:00", "14:00")]


def test_a_difference_between_two_columns_of_one_row() -> None:
    # the second column is named by one part of its header ("일요일" of "일요일/공휴일")
    header = ("구분", "평일", "토요일", "일요일/공휴일")
    passage, sources = table_source(header, KICKOFF, "제21조 경기개시 시간 (KBO 경기)")
    question = "10월 평일 경기와 일요일 경기의 개시 시간 차이는 몇 분인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].endswith("= 270분 (4시간 30분)")


COUNCIL = [("부산", "50", "6", "44", "13", "5"), ("제주", "66", "22", "44", "15", "4")]
COUNCIL_HEADER = ("구분", "총인원", "구성 정부", "구성 민간", "민간현황 학계", "민간현황 노동계")


def common_government(tokens: Sequence[str]) -> Mapping[str, float]:
    return {t: 0.3 if t == "정부" else 1.0 for t in tokens}  # 정부 is in many passages


def test_a_difference_takes_the_operands_the_question_names_in_its_order() -> None:
    # "민간현황 학계" shares the rarer word 민간 with the first operand but names nothing new:
    # the second operand is the column of the other word the question names (정부)
    passage, sources = table_source(COUNCIL_HEADER, COUNCIL)
    more = "부산 광역 탄소중립위원회의 민간 위원은 정부 위원보다 몇 명 많나요?"
    answer = extractive_answer(more, [passage], common_government, sources=sources)
    assert answer.text.splitlines()[0] == "구성 민간 44 [1] − 구성 정부 6 [1] = 38명"
    fewer = "부산 광역 탄소중립위원회의 정부 위원보다 민간 위원이 몇 명 많나요?"
    answer = extractive_answer(fewer, [passage], common_government, sources=sources)
    assert answer.text.splitlines()[0] == "구성 민간 44 [1] − 구성 정부 6 [1] = 38명"


INVOICE_HEAD = (
    "Kraxi Systems, Inc.\nPaper Planes\n"
    "Kraxi Systems, Inc. • 17, Aviation Road • Paperfield\nPhone 7079 4301\n"
    "Local sales rep: Lucy Irwin"
)
LETTER_END = (
    "논산 피크닉 데이 제안서 평가위원 모집\n"
    "자. 문 의 처 : 논산문화관광재단 문화기획팀(041-730-2925)\n"
    "(재)논산문화관광재단 대표이사\n"
    "대표이사 : 팀장 전결\n"
    "담당자 : 문화기획팀 주임 김철수"
)


def test_who_holds_a_role_the_documents_never_name_abstains() -> None:
    # the lines name the company, or the role with nobody in it: neither says who
    for question, text in (
        ("Kraxi Systems의 대표이사는 누구인가요?", INVOICE_HEAD),
        ("논산문화관광재단 대표이사의 이름은 무엇인가요?", LETTER_END),
    ):
        answer = extractive_answer(question, [hit(text, "문서.pdf")], flat_idf)
        assert answer.abstained, answer.text


def test_who_holds_a_role_the_documents_name_is_answered() -> None:
    answer = extractive_answer("논산 피크닉 데이 담당자는 누구인가요?", [hit(LETTER_END)], flat_idf)
    assert "김철수" in answer.text.splitlines()[0]


CALL = (
    "2. 논산 피크닉 데이 행사와 관련하여 다음과 같이 제안서 평가위원(후보자)을 모집하오니,\n"
    "가. 건 명 : 논산 피크닉 데이 제안서 평가위원(후보자) 추천 협조 요청"
)
CALL_DETAILS = (
    "나. 모집기간 : 2024. 7. 24.(수)~8. 2.(금)\n"
    "바. 신청방법 : 담당자 이메일 접수(snd0603@naver.com)\n"
    "사. 심사장소 : 논산아트센터 2층 회의실"
)


def test_where_to_submit_is_read_from_the_line_about_submitting() -> None:
    # the title holds more of the question's words; the line that says where to submit
    # holds the verb written after 어디
    question = "논산 피크닉 데이 평가위원 후보 신청은 어디로 접수하나요?"
    passages = [hit(CALL), hit(CALL_DETAILS, chunk_id=2, start=200)]
    answer = extractive_answer(question, passages, flat_idf, min_coverage=0.2)
    assert answer.text.splitlines()[0].startswith("신청방법: 담당자 이메일 접수")
    question = "논산 피크닉 데이 심사장소는 어디인가요?"
    place = extractive_answer(question, passages, flat_idf, min_coverage=0.2)
    assert place.text.splitlines()[0].startswith("심사장소: 논산아트센터")


def test_a_concessive_clause_about_the_subject_rules_not_the_main_clause() -> None:
    text = (
        "비록 국민의힘 위원들이 그 회의에 참석하지 않는다 하더라도 정부를 불러서 꼼꼼하게 "
        "심사하고 무엇 하나라도 처리를 할 수 있도록 최선을 다했으면 좋겠습니다."
    )
    question = "국민의힘 위원들은 환경노동위원회 회의에 참석했나요?"
    answer = extractive_answer(question, [hit(text, "회의록.pdf")], flat_idf)
    assert answer.text.startswith("아니요"), answer.text


def test_a_sentence_for_the_opposite_condition_does_not_rule() -> None:
    # the question asks about grounds WITH lights; the sentence about grounds without them
    # holds more of its words (일몰) but rules on another case
    text = (
        "제22조 경기시간 제한\n"
        "단, 조명시설이 있는 구장에서는 점등한 후 경기를 속행한다.\n"
        "2. 야간 조명시설이 없는 구장에서 암흑 또는 일몰로 경기속행이 불가능하게 되었을 경우 "
        "서스펜디드 경기로 한다."
    )
    question = "조명시설이 있는 구장에서는 일몰 후에도 경기를 계속하나요?"
    answer = extractive_answer(question, [hit(text, "KBO.pdf")], flat_idf)
    assert answer.text.startswith("예"), answer.text


def test_a_ruling_cut_by_a_passage_end_or_a_line_break_is_read_to_its_end() -> None:
    first = "제안 인력 관리\n- 제안서에 명시된 참여 인력은 주관기관의 승인 없이 사업수행 중"
    rest = "교체할 수 없음\n- 인력 교체 시 동등 이상의 자격을 갖춘 인력으로 한다."
    text = f"{first}\n{rest}"
    passage = hit(first, "제안요청서.pdf")
    sources = Sources(read=lambda doc_id, start, end: text[start:end])
    question = "제안서에 명시된 참여 인력을 주관기관 승인 없이 교체할 수 있나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("아니요"), answer.text
    # the same break inside a passage: a short PDF line, the next line closes the sentence
    whole = extractive_answer(question, [hit(text, "제안요청서.pdf")], flat_idf)
    assert whole.text.startswith("아니요"), whole.text
    assert "교체할 수 없음" in whole.citations[0].quote


REVIEW = (
    "논산 피크닉 데이 용역 제안서 평가위원 모집\n"
    "아. 심사내용 : 논산 피크닉 데이 무대설치 및 행사운영 용역 제안서 PT심사\n"
    "마. 심사일정 : 2024. 8. 13.(화) 14:00, 논산아트센터 2층 커뮤니티룸 예정"
)


def test_a_place_is_answered_by_a_line_naming_one() -> None:
    # 심사내용 holds more of the question's words; 심사일정 names the place
    question = "논산 피크닉 데이 용역 제안서 심사 장소는?"
    answer = extractive_answer(question, [hit(REVIEW)], flat_idf)
    assert "논산아트센터" in answer.text.splitlines()[0], answer.text


def test_a_schedule_is_asked_as_a_date() -> None:
    assert read_intent("용역 제안서 심사 일정은?").asked is Asked.DATE
    answer = extractive_answer("논산 피크닉 데이 용역 제안서 심사 일정은?", [hit(REVIEW)], flat_idf)
    assert "2024. 8. 13." in answer.text.splitlines()[0], answer.text


SECURITY = (
    "보안 요구사항\n"
    "◦ 사업자는 공용계정을 사용하면 안되며, 사용하지 않는 계정은 주기적으로 삭제해야 한다.\n"
    "◦ 공유 폴더는 사용해서는 안 된다."
)


def test_a_ruling_about_what_is_asked_beats_one_that_only_names_the_subject() -> None:
    answer = extractive_answer("사업자가 공유 폴더를 사용해도 되나요?", [hit(SECURITY)], flat_idf)
    assert answer.text.startswith("아니요"), answer.text
    assert "공유 폴더는 사용해서는 안 된다." in answer.text.splitlines()[1]


def test_a_comitative_particle_before_a_second_noun_joins_two_things_asked() -> None:
    assert two_facts("제안요청서 문의처 담당자와 이메일은?") == [
        "제안요청서 문의처 담당자는?",
        "제안요청서 문의처 이메일은?",
    ]
    assert two_facts("김하성이 이날 상대한 팀과 경기가 열린 구장은?") == []  # a clause follows


def test_rows_named_without_their_item_numbers_are_summed() -> None:
    header = ("ITEM DESCRIPTION", "QUANTITY", "PRICE (€)", "AMOUNT (€)")
    rows = [("1 Super Kite", "2", "20.00", "40.00"), ("2 Turbo Flyer", "5", "40.00", "200.00"),
            ("3 Giga Trash", "1", "180.00", "180.00")]  # fmt: skip
    passage, sources = table_source(header, rows, "Kraxi invoice 2020-10 lines")
    question = "What do the Super Kite and the Giga Trash lines amount to together?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].endswith("= 220"), answer.text


PROPOSAL_RULES = (
    "제안서 작성 및 평가\n"
    "- 제안서 평가점수는 각 제안사가 받은 점수 중에서 최저 및 최고점수를 제외한 후 "
    "산술평균하여 산출함\n"
    "- 제안내용은 명료하게 작성하여야 하며, ｢가능하다｣, ｢할 수도 있다｣ 등의 표현은 "
    "평가에서 불가능한 것으로 간주함"
)


def test_the_sentence_writing_the_words_a_question_quotes_rules() -> None:
    question = "제안서에 '가능하다'라고 쓰면 가능한 것으로 평가받나요?"
    answer = extractive_answer(question, [hit(PROPOSAL_RULES, "제안요청서.pdf")], flat_idf)
    assert answer.text.startswith("아니요"), answer.text


NOTICE_HEAD = (
    "울산광역시 남구 공고 제2021-174호\n"
    "「울산광역시 남구 구세 조례」를 일부 개정함에 있어 입법예고 공고 내용을 알려 구민 여러분의 "
    "의견을 듣고자 다음과 같이 공고합니다."
)


def test_a_number_that_names_something_is_answered_by_an_identifier() -> None:
    assert read_intent("입법예고의 공고 번호는?").asked is Asked.IDENTIFIER
    question = "울산 남구 구세 조례 입법예고의 공고 번호는?"
    answer = extractive_answer(question, [hit(NOTICE_HEAD)], flat_idf)
    assert "제2021-174호" in answer.text.splitlines()[0], answer.text


def test_two_things_of_one_owner_keep_the_owner() -> None:
    assert two_facts("온나라 웹기안기 사업 책임자의 부서와 부장 이름은?") == [
        "온나라 웹기안기 사업 책임자의 부서는?",
        "온나라 웹기안기 사업 책임자의 부장 이름은?",
    ]


def test_a_dated_line_is_no_running_header() -> None:
    # two rulings differ in their dates; a header differs only in its page number
    assert line_key("(2024. 1. 25. 선고)") != line_key("(2024. 2. 28. 선고)")
    assert line_key("회의록(2024년5월7일) 1") == line_key("회의록(2024년5월7일) 2")
    assert line_key("- 12 -") == line_key("- 13 -")


def test_a_version_asked_is_answered_only_by_a_line_writing_it() -> None:
    text = (
        "최신 배포 버전 : v0.6.4 (2026-07-23 자동 배포)\n"
        "초기 공개 버전 v0.1.0 은 릴리스 목록 2페이지에 있어 날짜를 확인하지 못했다.\n"
    )
    answer = extractive_answer("첫 버전 v0.1.0은 언제 릴리스됐나요?", [hit(text)], flat_idf)
    assert "2026-07-23" not in answer.text, answer.text
    later = extractive_answer("v0.6.4는 언제 배포됐나요?", [hit(text)], flat_idf)
    assert "2026-07-23" in later.text.splitlines()[0], later.text


def test_who_is_not_answered_by_a_count() -> None:
    question = "제2기 탄소중립위원회의 청년 위원은 누구인가요?"
    words = ("제2기", "탄소", "중립", "위원회", "청년", "위원")
    reading = reading_for(question, words, flat_idf(words), (), "ko")
    lead = "청년 제2기 2050 탄소중립 녹색성장위원회"
    passage = hit(f"{lead} | 1명")

    def candidate(value: str) -> Candidate:
        evidence = Evidence(passage, passage.label, passage.text, 0, 1, passage.text)
        return Candidate(1.0, f"{lead}: {value}", evidence)

    assert not _names_someone(reading, candidate("1명"))
    assert _names_someone(reading, candidate("김승완 교수"))
