"""Reading fixed for issue 13 from heldout36's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf, hit, stored_text
from test_reader_h20 import built_passage, table_passage
from test_reader_h32 import INVOICE

from dalin.answer.clauses import clause_text
from dalin.answer.extractive import Question, extractive_answer, passage_tokens
from dalin.answer.intent import Asked, Operation, read_intent
from dalin.answer.named_clauses import other_name_verdict
from dalin.answer.reader_question import reading_for
from dalin.answer.yes_no import asked_verb, in_fact, removed_clause, same_day_verdict
from dalin.ingest.document import DocumentBuilder
from dalin.text.korean import tokenize
from dalin.types import Chunk


def test_ratio_inside_a_word_asks_no_ratio() -> None:
    question = "ir 계층과 integration-tests 계층의 파일 수를 합치면 몇 개인가요?"
    assert read_intent(question).operation is Operation.SUM
    asked = "integration-tests 계층의 파일 수는 ir 계층의 몇 배인가요?"
    assert read_intent(asked).operation is Operation.RATIO


TERMS = (
    "□ 1기 탄중위 : 위원장(1) + 위촉직(78)\n"
    "구분: 성별비율 | 현황: · 여성(28명, 35%) 남성(51명, 65%)\n"
    "□ 2기 탄중위 : 위원장(1) + 위촉직(32)\n"
    "구분: 성별비율 | 현황: · 여성(7명, 21%) 남성(26명, 79%)\n"
)


def test_figures_bracketed_beside_their_share_are_summed_under_their_term() -> None:
    question = (
        "참고자료의 제1기 탄소중립위원회 성별비율에 적힌 여성과 남성 인원을 합치면 몇 명인가요?"
    )
    answer = extractive_answer(question, [hit(TERMS, "검토보고서.pdf")], flat_idf, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "여성 28명 [1] + 남성 51명 [1] = 79명", answer.text


def test_one_column_named_apart_is_no_sum_of_the_rows_columns() -> None:
    header = ("", "제1기 2050 탄소중립‧녹색성장위원회", "제2기 2050 탄소중립‧녹색성장위원회")
    rows = [("여성", "28명", "7명"), ("농업계", "1명", "-"), ("청년", "6명", "1명")]
    passage, sources = table_passage(header, rows, name="검토보고서.pdf")
    question = "제1기 탄소중립녹색성장위원회 여성과 남성 인원을 합치면 몇 명인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    # 제1기 names one column; 28명 + 7명 adds the 제2기 committee's women to it
    assert "= 35명" not in answer.text, answer.text


def test_the_figure_of_another_listed_name_answers_no() -> None:
    sentence = (
        "다문단 기계독해 데이터로는 평균 6개의 단락으로부터 답변을 추론해야 하는 TriviaQA[6] 와 "
        "두 개의 단락에 대해 멀티홉 추론을 해야 하는 HotpotQA[7]이 있다."
    )
    question = (
        "KorQuAD 2.0 논문에서 HotpotQA는 평균 6개 단락에서 답을 추론해야 하는 데이터로 소개되나요?"
    )
    ruled = other_name_verdict(question, sentence)
    assert ruled == (False, "두 개의 단락에 대해 멀티홉 추론을 해야 하는 HotpotQA"), ruled
    assert other_name_verdict(question.replace("HotpotQA", "TriviaQA"), sentence) is None
    assert other_name_verdict(question, "TriviaQA, HotpotQA는 평균 6개 단락을 쓴다.") is None
    passage = hit(f"2. KorQuAD 2.0 관련 연구\n{sentence}", "korquad_KorQuAD_2.0_paper.pdf")
    answer = extractive_answer(question, [passage], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("아니요 — 두 개의 단락에 대해"), answer.text


def test_a_code_list_written_a_code_a_line_says_what_the_code_means() -> None:
    header = ("항목명", "설명", "허용 값", "표현형식/단위")
    rows = [("운영유무", "환승센터의 현재 운영 상태", "Y/N", "Y:운영\nN:미운영")]
    passage, sources = table_passage(header, rows, name="공공데이터_제공표준.hwpx")
    question = "공공데이터 표준에서 운영유무 항목 값을 N으로 적으면 무슨 뜻인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("운영유무 N: 미운영"), answer.text


def test_a_bound_someone_is_asked_to_have_said_is_compared() -> None:
    line = "오늘 환경 분야와 고용노동 분야의 법률안 94 건이 상정이 되었습니다."
    question = "전용기 위원은 이날 상정된 법률안이 100건을 넘는다고 말했나요?"
    answer = extractive_answer(question, [hit(line, "회의록.pdf")], flat_idf, min_coverage=0.2)
    assert answer.text.startswith("아니요 — 법률안 94"), answer.text


def test_an_act_done_instead_of_the_one_asked_answers_no() -> None:
    question = "office2pdf는 Typst 조판 엔진을 별도 프로세스로 띄워서 호출하나요?"
    # the question asks of 호출 (a Sino-Korean act), not of 띄우 that leads to it
    assert asked_verb(question) is None
    assert asked_verb("서버로 보내야 하나요?") is not None
    sentence = "조판 엔진을 프로세스로 호출하지 않고 라이브러리로 임베드할 수 있다는 점이 핵심이다."
    assert in_fact(question, sentence) == (False, "라이브러리로 임베드할 수 있다는 점이 핵심이다.")
    assert in_fact("라이브러리로 임베드할 수 있나요?", sentence) == (
        True,
        "라이브러리로 임베드할 수 있다는 점이 핵심이다.",
    )


def test_the_table_holding_the_code_asked_is_read() -> None:
    builder = DocumentBuilder("제안요청서.pdf")
    builder.table(
        ("요구사항 분류", "품질 요구사항"),
        [
            ("요구사항 고유번호", "QUR-001"),
            ("요구사항 명칭", "품질관리"),
            ("산출정보", "품질목표 정의서"),
        ],
    )
    builder.table(("요구사항 분류", "프로젝트 관리 요구사항"),
                  [("요구사항 고유번호", "PMR-001"), ("요구사항 명칭", "사업관리"),
                   ("산출정보", "사업수행계획서"), ("관련 요구사항", "품질 요구사항")])  # fmt: skip
    passage, sources = built_passage(builder)
    question = "품질관리 요구사항(QUR-001)에서 산출정보로 내야 하는 문서는 무엇인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    # the project management form, which names 품질 요구사항 too, scored as well
    assert "품질목표 정의서" in answer.text.splitlines()[0], answer.text


def test_rows_kept_by_an_english_bound_are_counted() -> None:
    passage, sources = table_passage(*INVOICE, name="Invoice.pdf")
    question = "On Kraxi invoice 2020-10, how many line items have a quantity greater than one?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    first = answer.text.splitlines()[0]
    assert first.startswith("4 — rows where QUANTITY is '> 1': 1 Super Kite 2 [1]"), first
    question = "On the Kraxi invoice, how many line items have a quantity of at least 5?"
    assert read_intent(question).operation is None  # at least is no least value asked
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.startswith("2 — rows where QUANTITY is '>= 5'"), answer.text


COMPARISON = (
    "현행: 제22조(지방위원회의 구성 및 운영 등) ① ㆍ ② (생 략) ③ 지방위원회의 구성, 운영 및 "
    "기능 등 필요한 사항은 조례로 정한다. | 개정안: 제22조(지방위원회의 구성 및 운영 등) ① ㆍ "
    "② (현행과 같음) ③ -------------------- --------------------. - -------------다음 각 "
    "호에 해당하는 단체로부터 후보를 추천받아 다양한 사회계층의 대표성을 반영하여야-----. 1. "
    "아동ㆍ청년ㆍ여성을 각각 대표할 수 있는 단체\n"
    "현행: 제23조(협조) ① 위원회는 협조를 요청할 수 있다. | 개정안: 제23조(협조) ① (현행과 같음)\n"
)


def test_a_clause_of_the_proposal_is_read_from_its_column() -> None:
    chunks = [Chunk(COMPARISON, 0, len(COMPARISON), "¶1", None)]
    sources = stored_text(chunks)
    relevant = [(hit(COMPARISON, "검토보고서.pdf"), 1.0)]
    question = "조문대비표를 보면, 개정안 제22조제3항은 위원을 위촉할 때 어떻게 하도록 바꾸나요?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = clause_text(reading, relevant, sources)
    assert found is not None
    assert found.lead == (
        "③ … 다음 각 호에 해당하는 단체로부터 후보를 추천받아 다양한 사회계층의 대표성을 "
        "반영하여야 …."
    ), found.lead
    # a proposal cell that does not write the article is not read on into the next row
    rows = (
        "현행: 제21조(협의) ① 협의한다. | 개정안: 제21조(협의) ① (현행과 같음)\n"
        "현행: 제22조(구성) ① (생 략) ③ 위원은 위촉한다. | 개정안: <신 설>\n"
    )
    chunks = [Chunk(rows, 0, len(rows), "¶1", None)]
    sources = stored_text(chunks)
    reading = reading_for("개정안 제22조제3항은 어떻게 바뀌나요?", ["개정안"], flat_idf, (), "ko")
    found = clause_text(reading, [(hit(rows, "검토보고서.pdf"), 1.0)], sources)
    assert found is None or "위원은 위촉한다" not in found.lead, found
    chunks = [Chunk(COMPARISON, 0, len(COMPARISON), "¶1", None)]
    sources = stored_text(chunks)
    question = "제22조제3항은 무엇을 정하나요?"  # no proposal asked: not its column
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = clause_text(reading, relevant, sources)
    assert found is None or "후보를 추천받아" not in found.lead, found


def test_the_time_something_took_asks_a_duration() -> None:
    question = "KorQuAD 2.0 논문에서 BERT 베이스라인을 학습하는 데 걸린 총 시간은 얼마인가요?"
    assert read_intent(question).asked is Asked.DURATION
    assert read_intent("처리 소요 시간은 얼마인가요?").asked is Asked.DURATION


def test_a_row_noting_a_thing_is_left_out_refuses_keeping_it() -> None:
    row = (
        "크레이트: rayon | 버전: 1 | 소속: office2pdf-cli | 역할: 일괄 변환 병렬화(--jobs) | "
        "crates.io | 비고: wasm32 빌드에서는 제외 필요"
    )
    question = "wasm32 타깃으로 빌드할 때 CLI에서 쓰는 rayon 크레이트도 그대로 포함해도 되나요?"
    assert removed_clause(question, row) == "비고: wasm32 빌드에서는 제외 필요"
    assert removed_clause("wasm32 빌드에서 rayon 크레이트를 제외해야 하나요?", row) is None


def test_a_compound_the_passage_writes_whole_is_held() -> None:
    q = Question.parse(
        "리포트 양식 한글 파일에서 각주를 달 때 '각주목록'을 적용하라고 안내하고 있나요?"
    )
    assert "각주목록" in q.topic
    passage = hit("● 서론 1) 각주목록을 적용합니다. (각주1)", "basicsReport.hwp")
    assert "각주목록" in passage_tokens(q, passage)
    assert "각주목록" not in passage_tokens(q, hit("● 서론 1) 각주를 적용합니다.", "r.hwp"))
    # four syllables need no quotes (three unquoted are often written inside longer words)
    q = Question.parse("유사지질학인 홍수지질학이 근원은?")
    passage = hit("제칠일안식교를 기반으로 한 홍수지질학적 주장들", "홍수.md")
    assert "홍수지질학" in passage_tokens(q, passage)


def test_value_is_no_topic_word_a_table_must_write() -> None:
    question = (
        "In the markitdown test spreadsheet, on the second sheet (the one named with a GUID), "
        "what is the ColC value in the row where ColA is 9?"
    )
    topic = Question.parse(question).topic
    assert "valu" not in topic and {"colc", "cola"} <= set(topic), topic


def test_two_visits_one_after_the_other_are_not_on_different_days() -> None:
    sentence = (
        "장미란 제2차관은 1월 2일(화), 진천 국가대표 선수촌과 이천 장애인 국가대표 선수촌을 "
        "연달아 방문해 선수들을 격려한다."
    )
    question = "장미란 차관은 진천 선수촌과 이천 장애인 선수촌을 서로 다른 날에 찾아가나요?"
    ruled = same_day_verdict(question, sentence)
    assert ruled is not None and not ruled[0] and "연달아 방문해" in ruled[1], ruled
    assert same_day_verdict("진천 선수촌을 찾아가나요?", sentence) is None
    assert same_day_verdict(question, "1월 2일 진천 선수촌을 방문한다.") is None
