"""Issue 13, the word gap: what a question names in other words than its documents do.

Plain words for formal ones (:mod:`dalin.answer.plain_words`), words that only name the kind
of value asked (전화번호 over a row holding a phone number), a contact table read as rows of
people, a row's number when the question names a text column, and values marked (X)/(O).
Each test failed before its change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_reader import flat_idf, hit, table_source

import dalin
from dalin.answer.acts import rules_other_act
from dalin.answer.asked import counts_other_thing, states_other_filter
from dalin.answer.extractive import Question, extractive_answer
from dalin.answer.intent import Asked, Operation, read_intent
from dalin.answer.plain_words import plain_equivalents
from dalin.answer.reader_question import Sources
from dalin.answer.tables import read_grid
from dalin.answer.values import ValueKind
from dalin.answer.yes_no import asked_verb, marked_verdict
from dalin.types import StoredTable, Table
from shared_samples import sample_workspace

#: the press release's contact table (hwpxlib_20241104_mot_보도자료.hwpx), as stored
CONTACTS = Table(
    (),
    (
        ("담당 부서", "체육국", "책임자", "과장", "정태경", "(044-203-3111)"),
        ("(진천선수촌)", "체육정책과", "담당자", "사무관", "최준규", "(044-203-3129)"),
        ("담당 부서", "체육협력관", "책임자", "과장", "홍덕호", "(044-203-3181)"),
        ("(이천선수촌)", "장애인체육과", "담당자", "사무관", "이기태", "(044-203-3185)"),
    ),
)
#: the RFP's qualitative evaluation table (odl_제안요청서_온나라웹기안기_230524.pdf p.45)
SCORES = Table(
    ("평가항목", "세부평가항목", "평가기준", "배점"),
    (
        (
            "이식성 (16)",
            "운영환경 적합성",
            "제안요청서에서 요구하는 사용환경에 설치 가능한지 여부를 평가한다.",
            "6",
        ),
        ("이식성 (16)", "기술 이전", "유지보수를 위한 기술 이전 계획의 적정성을 평가한다.", "5"),
    ),
)


def _with_table(table: Table, caption_text: str) -> tuple[list[dalin.types.Hit], Sources]:
    passage = hit(caption_text, "자료.hwpx")
    stored = StoredTable(1, 1, table, None, passage.end + 1, passage.end + 200)
    return [passage], Sources(tables=lambda doc_id: [stored] if doc_id == 1 else [])


def test_a_phone_question_is_covered_by_a_phone_number() -> None:
    q = Question.parse("문체부 체육협력관 담당자의 전화번호는 무엇인가요?")
    assert q.named_by_values("홍덕호 (044-203-3181)") >= {"전화번호", "전화", "번호"}
    assert q.named_by_values("담당 부서 체육협력관") == set()


def test_the_number_to_call_is_a_phone_number() -> None:
    question = "사업 담당 김관현 수석에게 연락하려면 어느 번호로 전화하나요?"
    assert read_intent(question).asked is Asked.PHONE
    assert read_intent("의안번호는?").asked is Asked.IDENTIFIER


def test_when_an_act_happens_is_no_topic_word() -> None:
    assert "나중" not in Question.parse("제출한 제안서를 나중에 돌려받을 수 있나요?").topic


def test_a_contact_table_starts_with_a_person_not_a_header() -> None:
    grid = read_grid(StoredTable(1, 1, CONTACTS, None, 0, 100))
    assert not any(grid.columns)
    assert [cells[4] for _, cells in grid.rows] == ["정태경", "최준규", "홍덕호", "이기태"]


def test_the_phone_of_the_person_named_is_read_from_the_contact_row() -> None:
    hits, sources = _with_table(CONTACTS, "보도자료 담당 부서 체육국 과장 정태경 전화")
    question = "담당 부서 표에서 체육국 책임자 정태경 과장의 전화번호는?"
    answer = extractive_answer(question, hits, flat_idf, sources=sources)
    assert "044-203-3111" in answer.text.splitlines()[0], answer.text


def test_a_rows_number_answers_how_many_points_over_a_text_column() -> None:
    hits, sources = _with_table(SCORES, "정성적 평가 평가항목 세부평가항목 평가기준 배점")
    question = "정성적 평가표에서 이식성 항목 중 운영환경 적합성은 몇 점짜리인가요?"
    answer = extractive_answer(question, hits, flat_idf, sources=sources)
    assert answer.text.splitlines()[0] == "운영환경 적합성 배점: 6 [1]", answer.text


def test_a_value_marked_wrong_answers_no_and_shows_the_right_one() -> None:
    sentence = "도의 정식 명칭 예) 제주도(X), 제주특별자치도(O)"
    assert marked_verdict("시도명 칸에 '제주도'라고 써도 되나요?", sentence) == (
        False,
        "제주도(X), 제주특별자치도(O)",
    )
    assert marked_verdict("'제주특별자치도'라고 써야 하나요?", sentence) == (
        True,
        "제주도(X), 제주특별자치도(O)",
    )
    assert marked_verdict("'강원도'라고 써도 되나요?", sentence) is None


def test_a_formal_word_for_the_act_asked_rules_on_it() -> None:
    question = "제출한 제안서를 돌려받을 수 있나요?"
    sentence = "제출된 제안서는 반환할 수 없다"
    assert rules_other_act(question, sentence)  # no word of the question's act
    same = {w: t for t, f in plain_equivalents(question) for w in f}
    assert not rules_other_act(question, sentence, same)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    name = "hwpxlib_20241104_mot_보도자료.hwpx"
    with sample_workspace(tmp_path_factory.mktemp("plain"), name) as workspace:
        yield workspace


def test_the_press_release_gives_the_phone_of_the_person_asked(release: dalin.Workspace) -> None:
    answer = release.ask(
        "보도자료의 담당 부서 표에서 체육국 책임자 정태경 과장의 전화번호는?", llm="extractive"
    )
    assert "044-203-3111" in answer.text.splitlines()[0], answer.text


def test_the_person_of_a_contact_row_is_the_name_not_the_role() -> None:
    hits, sources = _with_table(CONTACTS, "장애인체육과 사무관 연락처")
    question = "장애인체육과 담당 사무관의 이름과 전화번호는?"
    answer = extractive_answer(question, hits, flat_idf, sources=sources)
    assert answer.text.splitlines()[:2] == [
        "장애인체육과 사무관: 이기태 [1]",
        "장애인체육과 사무관: (044-203-3185) [1]",
    ], answer.text


LISTED = ("01:국가기간복합환승센터", "02:광역복합환승센터", "06:터미널형 환승센터")
#: the 공공데이터 제공표준's item table, the code list row (abridged)
CODES = Table(
    ("NO", "항목명", "구분 (필수/선택)", "표현형식/단위", "예시"),
    (
        ("1", "환승센터명", "필수", "text", "서울역복합환승센터"),
        ("2", "환승센터유형코드", "필수", " ".join(LISTED), "02"),
    ),
)  # fmt: skip


def test_a_meaning_named_is_looked_up_in_a_code_list() -> None:
    hits, sources = _with_table(CODES, "환승센터 데이터 표준 항목")
    question = "환승센터 데이터 표준에서 터미널형 환승센터의 유형 코드는 몇 번인가요?"
    answer = extractive_answer(question, hits, flat_idf, sources=sources)
    assert answer.text.splitlines()[0] == "환승센터유형코드 06: 터미널형 환승센터 [1]", answer.text


#: a code list of capital letters inside a description cell
LETTERS = Table(
    ("NO", "항목명", "설명"),
    (
        ("13", "도시철도역명", "역 이름"),
        ("14", "도시철도노선번호", "1. 유형구분 1자리 : 구분 코드 (S/L/G) * S : 도시철도 Subway,"
         " L : 경량도시철도 Light Rail, G : 광역급행철도 Great Train Express 2. 운행지역 2자리"),
    ),
)  # fmt: skip


def test_a_letter_code_is_looked_up_in_a_code_list() -> None:
    hits, sources = _with_table(LETTERS, "환승센터 데이터 표준 항목")
    question = "환승센터 데이터에서 도시철도 노선번호가 G로 시작하면 어떤 철도인가요?"
    answer = extractive_answer(question, hits, flat_idf, sources=sources)
    first = answer.text.splitlines()[0]
    assert "G: 광역급행철도" in first and "운행지역" not in first, answer.text


def test_a_step_done_without_answers_no_to_whether_it_is_needed() -> None:
    question = "키워드를 고치면 시스템을 껐다 다시 켜야 하나요?"
    sentence = (
        "키워드 매핑정보를 DB로 관리하여, 수정 필요시 시스템 재기동 없이 작업을 수행할 수 있어야함"
    )
    answer = extractive_answer(
        question,
        [hit(sentence, "제안요청서.pdf")],
        flat_idf,
        equivalents=plain_equivalents(question),
    )
    assert answer.text.splitlines()[0] == "아니요 — 재기동 없이 작업을 수행할 수 있어야함 [1]", (
        answer.text
    )
    # asked whether one can, not whether one must: the rule's own polarity
    can = "키워드를 고치면 시스템을 다시 켜지 않고 작업할 수 있나요?"
    answer = extractive_answer(
        can, [hit(sentence, "제안요청서.pdf")], flat_idf, equivalents=plain_equivalents(can)
    )
    assert answer.text.startswith("예"), answer.text


def test_an_answer_about_another_month_or_batting_order_is_no_answer() -> None:
    assert states_other_filter("KBO 11월 토요일 경기는 몇 시에?", "3월 토요일: 17:00", Asked.TIME)
    assert not states_other_filter("KBO 7월 토요일 경기는?", "7월 토요일: 18:00", Asked.TIME)
    assert states_other_filter(
        "신시내티 레즈의 4번타자는 누구였나요?",
        "김하성은 7번타자 2루수로 선발 출전했다.",
        Asked.PERSON,
    )
    # a month inside a date is no row label, and years are never compared
    assert not states_other_filter("11월 행사의 장소는?", "2023년 3월 15일 개최", Asked.PLACE)
    assert not states_other_filter("2013년 순위는?", "2012년도 평가에서 3위", Asked.NUMBER)
    # a date asked is answered by another month
    assert not states_other_filter(
        "2024년 5월 보고서의 개정안은 언제 회부되었나요?", "2023년 11월 10일", Asked.DATE
    )


def test_a_unit_of_measure_asked_is_not_answered_by_a_count_of_things() -> None:
    assert counts_other_thing("CLI 바이너리는 몇 MB로 측정됐나요?", "6개 타깃 프리빌트 아카이브")
    assert not counts_other_thing("CLI 바이너리는 몇 MB인가요?", "CLI 50MB 미만(폰트 포함)")
    assert not counts_other_thing("크기는 몇 GB인가요?", "1.5 gb")


def test_seconds_asked_are_no_date_and_a_size_is_no_comparison() -> None:
    assert read_intent("투구 제한 시간은 몇 초인가요?").value_kinds == (ValueKind.DURATION,)
    assert ValueKind.DATE in read_intent("모집기간은 언제까지인가요?").value_kinds
    assert read_intent("A3 용지를 고르면 몇 포인트 크기로 나오나요?").operation is None
    legal = "Legal 용지는 Letter 용지보다 세로가 몇 포인트 더 긴가요?"
    assert read_intent(legal).operation is Operation.DIFFERENCE


def test_versions_are_never_added_or_subtracted() -> None:
    passage, sources = table_source(
        ("크레이트", "버전", "용도"),
        (("typst-pdf", "0.14", "PDF 백엔드"), ("pdf-extract", "0.10", "PDF 텍스트 추출")),
        caption="office2pdf 의존 크레이트",
    )
    question = "office2pdf에서 typst-pdf와 pdf-extract 버전의 차이는 얼마인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert "0.04" not in answer.text, answer.text


def test_cells_of_unlike_columns_of_one_row_are_not_summed() -> None:
    passage, sources = table_source(
        ("ITEM DESCRIPTION", "QUANTITY", "PRICE (€)", "AMOUNT (€)"),
        (("7 Free Gift", "1", "0.00", "0.00"), ("2 Turbo Flyer", "5", "40.00", "200.00")),
        caption="Kraxi invoice 2020-10",
    )
    answer = extractive_answer(
        "Free Gift 항목을 모두 합하면?", [passage], flat_idf, sources=sources
    )
    assert "0.00 [1] +" not in answer.text and "= 1" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "sentence", "rules"),
    [
        # 보내다 = 전송: the ruling on the act asked, in the formal word
        ("문서를 서버로 보내야 하나요?", "원본 문서를 서버로 전송하지 않는다.", True),
        ("저장한 문서를 나중에 고칠 수 있나요?", "저장된 문서는 편집할 수 없으며", True),
        ("저장한 문서를 나중에 고칠 수 있나요?", "문서를 편집기로 연다.", False),
    ],
)
def test_the_verb_a_yes_no_question_asks_is_ruled_on_in_a_formal_word(
    question: str, sentence: str, rules: bool
) -> None:
    verb = asked_verb(question)
    assert verb is not None
    assert bool(verb.search(sentence)) is rules


def test_a_sino_korean_act_is_no_verb_to_rule_on() -> None:
    # "참여할 수 없음" is written of too many other bidders
    assert asked_verb("이 사업에 공동수급으로 참여할 수 있나요?") is None


def test_a_line_writing_the_words_the_question_quotes_wins() -> None:
    text = (
        "질문 유형을 분석한 결과 Short 답변에서 가장 많은 유형은 구문 변형으로 48.0%였다.\n"
        "그 밖의 유형 가운데 어휘 변형 유형이 15.4%였다."
    )
    answer = extractive_answer(
        "질문 유형 분석에서 Short 답변 중 '어휘 변형' 유형은 몇 퍼센트였나요?",
        [hit(text)],
        flat_idf,
    )
    assert answer.text.splitlines()[0].startswith("15.4%"), answer.text
