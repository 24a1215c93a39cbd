"""Reading fixed for issue 13 from heldout37's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf, hit, stored_text
from test_reader_h20 import table_passage
from test_reader_h32 import INVOICE

from dalin.answer.asked import attribute_forms
from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.clauses import clause_text
from dalin.answer.extractive import Question, extractive_answer
from dalin.answer.intent import Asked, Operation, read_intent
from dalin.answer.reader_question import reading_for
from dalin.answer.yes_no import (
    kept_from_removal,
    limited_otherwise,
    opposite_quality_verdict,
    order_verdict,
    zero_charge_verdict,
)
from dalin.text.korean import tokenize
from dalin.types import Chunk


def test_the_opposite_quality_of_the_same_thing_answers_no() -> None:
    cold = (
        "양궁훈련장 등 훈련시설을 직접 살펴보고 추운 날씨에도 연습에 매진하고 있는 "
        "선수들을 격려할 예정이다."
    )
    question = "보도자료는 진천 선수촌 선수들이 따뜻한 날씨 속에서 훈련하고 있다고 묘사하나요?"
    assert opposite_quality_verdict(question, cold) == (False, cold)
    few = (
        "영문의 경우 초기 데이터로 QASent, WikiQA가 있는데 질문의 수가 만개 이하로 적다는 "
        "한계가 있었다."
    )
    asked = "QASent와 WikiQA는 질문 수가 많은 대규모 데이터로 소개되나요?"
    clause = "WikiQA가 있는데 질문의 수가 만개 이하로 적다는 한계가 있었다."
    assert opposite_quality_verdict(asked, few) == (False, clause)
    # a negated opposite, the quality asked written too, or a comparison: not this reading
    assert opposite_quality_verdict(asked, few.replace("적다는", "적지 않다는")) is None
    assert opposite_quality_verdict(asked, few.replace("적다는", "적지만 많아지는")) is None
    assert opposite_quality_verdict("질문 수가 SQuAD보다 많나요?", few) is None
    # the quality of another thing: 날씨 is not what 추운 is said of
    assert (
        opposite_quality_verdict("선수들이 따뜻한 날씨 속에서 훈련하나요?", "추운 겨울 바다")
        is None
    )
    text = f"장미란 제2차관은 1월 2일 진천 국가대표 선수촌을 방문해 우리 선수단을 격려한다.\n{cold}"
    answer = extractive_answer(question, [hit(text, "보도자료.hwpx")], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("아니요 — 양궁훈련장 등"), answer.text


def test_an_english_term_a_korean_question_writes_picks_the_sentence() -> None:
    text = (
        "AutoGen agents are customizable, conversable, and can operate in various modes.\n"
        "Empirical studies demonstrate the effectiveness of the framework in many example "
        "applications, with domains ranging from mathematics, coding, operations research, "
        "online decision-making, entertainment, etc."
    )
    question = (
        "AutoGen 논문 초록에 나온 도메인 예시에 operations research(운영 연구)도 들어 있나요?"
    )
    answer = extractive_answer(question, [hit(text, "test.docx")], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("예"), answer.text
    assert "operations research" in answer.text.splitlines()[1], answer.text


def test_a_line_charging_dashes_is_not_charged() -> None:
    row = "Mechanical Labor | Hours: - | Rate: - | Cost: -"
    question = "Is any mechanical labor charged on the preliminary estimate for Gabriel Diaz?"
    assert zero_charge_verdict(question, row) == (False, row)
    assert zero_charge_verdict(question, "Body Labor | Hours: 2 | Rate: 150 | Cost: 300") is None


def test_an_english_share_of_an_unlabelled_total_is_computed() -> None:
    question = (
        "On Kraxi invoice 2020-10, what percentage of the invoice total does the Giga Trash "
        "line amount make up (to one decimal place)?"
    )
    assert read_intent(question).operation is Operation.SHARE
    # the framing of the share is no topic a passage must write
    assert not {"percentag", "make", "decim", "place"} & set(Question.parse(question).topic)
    header, rows = INVOICE
    rows = [*rows, ("7 Free Gift", "1", "0.00", "0.00"), ("", "", "", "845.00")]
    passage, sources = table_passage(header, rows, name="Invoice.pdf", above="Kraxi invoice")
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0].endswith("× 100 = 21.3%"), answer.text
    # a last row that is not the column's sum is no total
    rows[-1] = ("", "", "", "900.00")
    passage, sources = table_passage(header, rows, name="Invoice.pdf", above="Kraxi invoice")
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert "= 21.3%" not in answer.text, answer.text


def test_a_share_of_two_rows_the_question_names_is_computed() -> None:
    question = "기능 매트릭스 요약에서 전체 기능 항목 가운데 '구현 완료' 항목의 비율은 몇 %인가요?"
    assert read_intent(question).operation is Operation.SHARE
    header = ("", "", "요약", "값")
    rows = [
        ("", "", "전체 기능 항목 수", "67"),
        ("", "", "구현 완료", "59"),
        ("", "", "부분 구현", "4"),
        ("", "", "가중 구현률(상태 가중치 평균)", "91.0%"),
    ]
    passage, sources = table_passage(header, rows, name="workbook.xlsx", sheet="02_기능_매트릭스")
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0] == (
        "구현 완료 값 59 [1] ÷ 전체 기능 항목 수 값 67 [2] × 100 = 88.1%"
    ), answer.text


def test_the_column_the_whole_is_named_by_divides_the_part() -> None:
    header = ("구분", "총인원", "구성 정부", "구성 민간")
    rows = [("서울", "40", "10", "30"), ("광주", "50", "7", "43")]
    passage, sources = table_passage(header, rows, name="검토보고서.pdf")
    question = "위원 구성 현황을 보면, 광주 위원회 총인원 가운데 민간 위원 비율은 몇 %인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "구성 민간 43 [1] ÷ 총인원 50 [1] × 100 = 86%", (
        answer.text
    )


def test_the_items_a_list_starts_as_asked_are_given() -> None:
    text = (
        "○ 기본폰트를 5종이상 제공 ※ 현재 적용된 폰트 : 돋움체, 바탕체, HY견고딕, HY헤드라인M, "
        "소포카 한 산스 ○ 웹편집기와 스크린리더 프로그램 호환성 보장"
    )
    question = "현재 적용된 기본 폰트 가운데 이름이 'HY'로 시작하는 두 가지는 무엇인가요?"
    answer = extractive_answer(question, [hit(text, "제안요청서.pdf")], flat_idf, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "HY견고딕, HY헤드라인M [1]", answer.text
    three = question.replace("두 가지", "세 가지")  # the list holds two: not this list
    answer = extractive_answer(three, [hit(text, "제안요청서.pdf")], flat_idf, min_coverage=0.2)
    assert not answer.text.startswith("HY견고딕, HY헤드라인M"), answer.text


STANDARD = (
    "공공데이터 제공 표준 (2023.5.18.)\n\n119) 대중교통환승센터\n\n□ 기본 정보\n"
    "항목: 소관기관 | 내용: 국토교통부"
)


def test_the_day_a_document_is_of_and_the_number_of_its_part_are_read() -> None:
    dated = "공공데이터 제공 표준 문서는 몇 년 몇 월 며칠 자 기준인가요?"
    assert read_intent(dated).asked is Asked.DATE
    assert attribute_forms(dated) == ()  # 문서 is what is dated, no attribute it writes
    question = (
        "대중교통환승센터 내용이 실린 공공데이터 제공 표준 문서는 몇 년 몇 월 며칠 자 기준이고, "
        "대중교통환승센터는 몇 번 표준으로 실려 있나요?"
    )
    chunks = [Chunk(STANDARD, 0, len(STANDARD), "p.1", 1)]
    answer = extractive_answer(
        question, [hit(STANDARD, "제공표준.hwpx")], flat_idf, sources=stored_text(chunks),
        min_coverage=0.2,
    )  # fmt: skip
    lines = answer.text.splitlines()
    assert lines[:2] == ["2023.5.18. [1]", "119) 대중교통환승센터 [2]"], answer.text
    counted = "대중교통환승센터를 몇 번 방문했나요?"  # how many times, not which number
    answer = extractive_answer(
        counted, [hit(STANDARD, "제공표준.hwpx")], flat_idf, sources=stored_text(chunks),
        min_coverage=0.2,
    )  # fmt: skip
    assert "119)" not in answer.text, answer.text


PLEDGES = (
    "[서식5]\n보안 서약서(대표자용)\n"
    "1. 본인과 소속업체는 업무 중 알게 될 일체의 내용이 직무상 기밀 사항임을 인정한다. "
    "2. 본인과 소속업체는 업무수행 중 지득한 제반 기밀 사항을 일체 누설하거나 공개하지 아니한다. "
    "3. 본인과 소속업체는 관계 규정을 위반한 때에는 어떠한 처벌도 감수한다. "
    "4. 본인과 소속업체는 사업 수행시 본사 및 하도급자로 인해 발생하는 위반사항에 대하여 "
    "모든 책임을 부담한다.\n"
    "[서식6]\n보안서약 서(참여자용)\n"
    "1. 본인은 소관업무가 국가기밀 사항임을 인정한다. "
    "2. 본인은 재직 중은 물론 퇴직 후에도 알게 된 모든 기밀사항을 일체 타인에게 누설하지 "
    "아니한다.\n"
)


def test_the_form_the_word_before_its_name_tells_apart_is_read() -> None:
    chunks = [Chunk(PLEDGES, 0, len(PLEDGES), "p.52", 52)]
    relevant = [(hit(PLEDGES, "제안요청서.pdf"), 1.0)]
    question = (
        "제안요청서의 참여자용 보안서약서 제2항에 따르면, 기밀을 언제까지 누설하지 않아야 하나요?"
    )
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = clause_text(reading, relevant, stored_text(chunks))
    assert found is not None and "퇴직 후에도" in found.lead, found
    question = "제안요청서의 대표자용 보안 서약서 제4항은 하도급자로 인한 위반사항을 어떻게 하나요?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = clause_text(reading, relevant, stored_text(chunks))
    assert found is not None and "모든 책임을 부담한다" in found.lead, found


def test_an_id_asked_is_read_after_its_label() -> None:
    text = "Customer Information\nPhone: (425) 000-0000\nPreliminary Estimate (ID: EST-1008)"
    question = "Zava Auto Repair 예비 견적서(Preliminary Estimate)의 견적 ID는 무엇인가요?"
    answer = extractive_answer(question, [hit(text, "estimate.pdf")], flat_idf, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "ID EST-1008 [1]", answer.text


def test_map_and_public_data_words_are_translated() -> None:
    question = (
        "In the Korean public data standard for public transit transfer centers, which "
        "geodetic coordinate system must the latitude and longitude values use?"
    )
    held = {word for pair in bilingual_equivalents(question) for word in pair[1]}
    for korean in ("위도", "경도", "좌표계", "표준", "공공"):
        assert korean in held, korean
    question = "what example bus stop ID is given for the bus stop ID field?"
    held = {word for pair in bilingual_equivalents(question) for word in pair[1]}
    assert "정류소" in held and "정류장" in held, held


def test_what_the_brackets_after_a_quoted_name_hold_is_given() -> None:
    header = ("작성일자", "0000년 00월 00일")
    rows = [
        ("조직 구성", "조직 구성을 입력해 주세요."),
        ("사업환경\n(시장분석)", "이곳을 클릭하여 …"),
    ]
    passage, sources = table_passage(header, rows, name="프로젝트_계획서.hwpx")
    question = "프로젝트 계획서 양식의 표에서 '사업환경' 항목 이름 아래 괄호 안에는 무엇을 쓰나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "시장분석 [1]", answer.text


def test_a_forms_cover_and_its_sample_are_no_topic_words() -> None:
    question = "리포트 양식 표지의 정보 표에서 학과명 칸에는 예시로 무엇이 적혀 있나요?"
    topic = Question.parse(question).topic
    assert "표지" not in topic and "예시" not in topic and "학과" in topic, topic


def test_a_batter_who_made_an_out_got_no_hit() -> None:
    text = (
        "김하성은 1회말 2사 1,3루 찬스에서 유격수 땅볼 아웃으로 물러났지만 4회말 선두타자로 "
        "나와 좌전 2루타를 터뜨렸다."
    )
    question = "김하성 기사에서 김하성은 1회말 2사 1,3루 찬스 때 안타를 쳤나요?"
    answer = extractive_answer(question, [hit(text, "기사.hwpx")], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("아니요"), answer.text
    hits = "김하성은 1회말 2사 1,3루 찬스에서 우전 안타를 쳤다."
    answer = extractive_answer(question, [hit(hits, "기사.hwpx")], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("예"), answer.text


def test_which_came_first_is_read_from_the_sentence_saying_first() -> None:
    question = (
        "보도자료에 따르면 장미란 차관은 이천 장애인 선수촌을 진천 선수촌보다 먼저 방문하나요?"
    )
    first = "장미란 차관은 먼저 진천 국가대표 선수촌을 방문해 선수들의 훈련 상황을 점검한다."
    assert order_verdict(question, first) == (False, first)
    other = first.replace("진천 국가대표", "이천 장애인 국가대표")
    assert order_verdict(question, other) == (True, other)
    assert order_verdict(question, "장미란 차관은 진천 선수촌을 방문한다.") is None
    text = (
        "장미란 제2차관은 1월 2일 진천 국가대표 선수촌과 이천 장애인 국가대표 선수촌을 연달아 "
        f"방문해 선수단을 격려한다.\n{first}\n"
        "이어 곧바로 이천 장애인 국가대표 선수촌도 찾아가 훈련시설을 둘러본다."
    )
    answer = extractive_answer(question, [hit(text, "보도자료.hwpx")], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("아니요 — 장미란 차관은 먼저 진천"), answer.text


def test_what_a_removal_left_in_was_not_removed() -> None:
    sentence = (
        "<script>를 제거하였고 table 형식과 관련된 정보인 colspan, rowspan을 제외한 모든 "
        "attribute를 제거하였다."
    )
    question = (
        "KorQuAD 2.0을 만들 때 HTML을 전처리하면서 표의 colspan·rowspan 속성까지 모두 지웠나요?"
    )
    clause = kept_from_removal(question, sentence)
    assert clause is not None and "colspan, rowspan을 제외한" in clause, clause
    assert kept_from_removal(question.replace("colspan·rowspan", "style"), sentence) is None
    text = (
        "질문-답변은 먼저 답변 길이에 따라 Short과 Long으로 구분 가능하다.\n"
        f"KorQuAD 2.0을 만들 때 HTML 전처리 과정에서 표의 속성 가운데 {sentence}"
    )
    answer = extractive_answer(question, [hit(text, "paper.pdf")], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("아니요 — "), answer.text
    assert "colspan" in answer.text.splitlines()[0], answer.text


def test_a_way_done_instead_refuses_the_way_proposed() -> None:
    sentence = (
        "다음은 검토보고를 듣는 순서입니다만 효율적인 회의 진행을 위해 검토보고는 서면으로 "
        "대체하겠습니다."
    )
    question = "회의에서 상정된 법률안의 검토보고를 전문위원이 회의장에서 말로 했나요?"
    refused = limited_otherwise(question, sentence)
    assert refused == "회의 진행을 위해 검토보고는 서면으로 대체하겠습니다.", refused
    assert limited_otherwise(question.replace("말로", "서면으로"), sentence) is None
    text = f"지난 5월 2일 본회의장에서 간사도 오늘 회의에 대해 합의를 했던 사안입니다.\n{sentence}"
    answer = extractive_answer(question, [hit(text, "회의록.pdf")], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("아니요 — 회의 진행을 위해"), answer.text


CONTRACT = (
    "제7조 (개인정보의 처리제한) ① “을”은 계약기간은 물론 계약 종료 후에도 위탁업무 수행 "
    "목적 범위를 넘어 개인정보를 이용하여서는 안 된다.\n"
    "제8조 (수탁자에 대한 관리·감독 등) ① “갑”은 “을”에 대하여 다음 각 호의 사항을 감독할 수 "
    "있으며, “을”은 이에 응하여야 한다. 1. 개인정보의 처리 현황 2. 개인정보의 접근 또는 "
    "접속기록\n"
    "제9조 (정보주체 권리보장) ① “을”은 정보주체의 개인정보 열람, 정정·삭제 요구에 응하기 "
    "위한 민원 창구를 마련하여야 한다. 「개인정보 보호법」 제35조에 따른다.\n"
)


def test_the_article_a_described_rule_stands_under_is_given() -> None:
    question = (
        "개인정보처리위탁 계약서에서, 위탁자가 수탁자의 개인정보 처리 현황이나 접속기록 등을 "
        "감독할 수 있다고 정한 조항은 몇 조인가요?"
    )
    answer = extractive_answer(question, [hit(CONTRACT, "계약서.pdf")], flat_idf, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "제8조 (수탁자에 대한 관리·감독 등) [1]", answer.text
    # the quote shows the heading the answer names, with the sentence under it
    assert answer.text.splitlines()[1].startswith("제8조 (수탁자에 대한 관리·감독 등) ①"), (
        answer.text
    )
    question = (
        "정보주체의 열람·정정 요청에 응할 민원 창구를 두라는 내용은 위탁 계약서 몇 조에 있나요?"
    )
    answer = extractive_answer(question, [hit(CONTRACT, "계약서.pdf")], flat_idf, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "제9조 (정보주체 권리보장) [1]", answer.text
    # the article of another law the text cites is asked as a reference, not a heading
    other = "민원 창구는 개인정보 보호법 몇 조 몇 항에 따른 것인가요?"
    answer = extractive_answer(other, [hit(CONTRACT, "계약서.pdf")], flat_idf, min_coverage=0.2)
    assert "제9조 (정보주체 권리보장)" not in answer.text.splitlines()[0], answer.text
    cited = "민원 창구를 두라는 근거로 든 개인정보 보호법 조항은 몇 조인가요?"
    answer = extractive_answer(cited, [hit(CONTRACT, "계약서.pdf")], flat_idf, min_coverage=0.2)
    assert "제9조 (정보주체 권리보장)" not in answer.text.splitlines()[0], answer.text
