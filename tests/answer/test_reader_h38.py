"""Reading fixed for issue 13 from heldout38's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf, hit
from test_reader_h20 import table_passage

from dalin.answer.contacts import _asked_field, contact_blocks
from dalin.answer.extractive import _figure_unread, extractive_answer
from dalin.answer.polarity import rule
from dalin.answer.reader import Read, _other_split
from dalin.answer.reader_question import Evidence
from dalin.answer.yes_no import other_section

RFP = "온나라 웹기안기 제안요청서"


def test_a_passage_naming_neither_name_of_a_glossed_term_is_no_answer() -> None:
    question = f"{RFP}에 따르면 문서변환 서버에 설치할 운영체제(OS)는 무엇으로 정해져 있나요?"
    other = (
        f"{RFP}\n문서변환 서버 개인정보 보호 조치\n"
        "접근통제 시스템 설치․운영(제6조): 접근통제 시스템 설치․운영 의무화"
    )
    answer = extractive_answer(question, [hit(other, "제안요청서.pdf")], flat_idf, min_coverage=0.2)
    assert answer.abstained, answer.text
    # the gloss written, as its own word, the passage is about the term
    named = f"{other}\n문서변환 서버 OS: Linux 계열로 정한다."
    answer = extractive_answer(question, [hit(named, "제안요청서.pdf")], flat_idf, min_coverage=0.2)
    assert not answer.abstained
    # inside a longer word ("IDS", "macOS") it is not written
    inside = f"{other}\n침입탐지(IDS) 기능 포함, macOS 지원"
    answer = extractive_answer(
        question, [hit(inside, "제안요청서.pdf")], flat_idf, min_coverage=0.2
    )
    assert answer.abstained, answer.text


def test_a_status_written_undisclosed_rules_no() -> None:
    row = (
        "범주: 메모리 | 요구사항: 100페이지 문서 기준 500MB 미만 | 현황 근거: XLSX 스트리밍 "
        "모드로 사용량 상한 제어 수단 제공 | 충족 판단: 측정치 미공개"
    )
    ruling = rule(row, lambda clause: float("메모리" in clause))
    assert not ruling.yes


def test_a_step_done_without_any_setting_is_not_needed() -> None:
    text = (
        "macOS 환경에서는 별도 설정 없이 오피스 기본 서체가 해석된다.\n"
        "리눅스 서버 배포 시에는 필요한 서체를 이미지에 포함하거나 --font-path로 지정하는 "
        "절차를 표준화해 두는 것을 권장한다."
    )
    question = (
        "office2pdf 소개 발표자료에 따르면 macOS 환경에서 오피스 기본 서체를 쓰려면 "
        "--font-path를 꼭 지정해야 하나요?"
    )
    answer = extractive_answer(
        question, [hit(text, "office2pdf_introduction.pptx")], flat_idf, min_coverage=0.2
    )
    assert answer.text.startswith("아니요 — 별도 설정 없이 오피스 기본 서체가"), answer.text


def test_a_sentence_of_another_numbered_section_does_not_rule() -> None:
    question = (
        "KorQuAD 2.0 논문 5.2절 실험에서 KorQuAD 1.0 데이터로 학습한 모델로 추론할 때 "
        "HTML tag를 그대로 남겨 두었나요?"
    )
    assert other_section(question, "5.1 실험 결과")
    assert not other_section(question, "5. 실험 및 결과")  # the section it is part of
    assert not other_section(question, "5.2.1 세부 결과")
    assert not other_section(question, "")
    assert not other_section("추론할 때 HTML tag를 남겼나요?", "5.1 실험 결과")
    earlier = (
        "5.1 실험 결과\nKorQuAD 2.0 논문의 실험에서 모델의 추론 성능을 측정하였다. 이 때 정답 및 "
        "예측 텍스트에서 HTML tag와 같이 실제 정보를 가지지 않은 부분은 Python BeautifulSoup "
        "라이브러리를 활용하여 제거하였다."
    )
    later = (
        "KorQuAD 2.0 논문\nKorQuAD 1.0 데이터로 학습한 모델의 성능을 확인해보았다.\n"
        "BERT multilingual 모델을 학습하였고 추론 시에는 학습 데이터에 없던 HTML tag를 제거하였다."
    )
    hits = [hit(earlier, "paper.pdf"), hit(later, "paper.pdf", 2, 900)]
    answer = extractive_answer(question, hits, flat_idf, min_coverage=0.2)
    assert answer.text.startswith("아니요 — BERT multilingual 모델을 학습하였고"), answer.text


def test_the_meaning_of_the_code_asked_wins_over_a_look_alike_column() -> None:
    header = ("NO", "항목명", "구분 (필수/선택)", "설명")
    rows = [
        ("3", "개발주체유형코드", "필수", "환승센터 개발 주체에 따른 유형 구분"),
        (
            "14",
            "도시철도노선번호",
            "선택",
            "노선번호 구성 : 유형구분 1자리 1. 도시철도 유형구분 1자리 : 구분 코드 (S/I/L/T/G) "
            "* S : 도시철도 Subway, I : 광역철도 Intercity Rail, T : 트램 Tram, "
            "G : 광역급행철도 Great Train Express 2. 운행지역 코드 2자리",
        ),
    ]
    passage, sources = table_passage(header, rows, name="공공데이터_제공표준.hwpx")
    question = (
        "대중교통환승센터 공공데이터 표준에서 도시철도노선번호의 유형구분 코드가 T이면 "
        "어떤 철도를 뜻하나요?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "도시철도노선번호 T: 트램 Tram [1]", answer.text


def test_a_figure_of_another_part_of_a_dataset_is_no_answer() -> None:
    text = (
        "KorQuAD 1.0의 전체 데이터는 1,560 개의 Wikipedia article에 대해 10,645 건의 문단과 "
        "66,181 개의 질의응답 쌍으로, Training set 60,407 개, Dev set 5,774 개의 질의응답쌍으로 "
        "구분하였습니다."
    )
    asked = "KorQuAD 1.0 테스트셋에는 질의응답 쌍이 몇 개 들어 있나요?"
    answer = extractive_answer(asked, [hit(text, "korquad.html")], flat_idf, min_coverage=0.2)
    assert answer.abstained, answer.text
    assert _other_split("Dev set F1 점수는?", "KorQuAD 1.0의 Test set으로 평가한 F1")
    assert not _other_split("Dev set F1 점수는?", "Dev set과 Test set의 F1")
    assert not _other_split("F1 점수는?", "KorQuAD 1.0의 Test set으로 평가한 F1")
    assert not _other_split("학습 데이터와 검증 데이터는?", "Test set 3,898 개")  # two asked
    assert not _other_split("테스트셋에는 몇 개", "전체 66,181 개")  # the line names none


CONTACTS = (
    "문화체육관광부 보도자료\n"
    "담당 부서 | 체육국 | 책임자 | 과장 | 정태경 | (044-203-3111)\n"
    "(진천선수촌) | 체육정책과 | 담당자 | 사무관 | 최준규 | (044-203-3129)\n"
    "담당 부서 | 체육협력관 | 책임자 | 과장 | 홍덕호 | (044-203-3181)\n"
    "(이천선수촌) | 장애인체육과 | 담당자 | 사무관 | 이기태 | (044-203-3185)"
)


def test_a_press_releases_contact_blocks_are_read_as_blocks() -> None:
    blocks = contact_blocks(CONTACTS)
    assert [(b.bureau, b.office, b.label) for b in blocks] == [
        ("체육국", "체육정책과", "진천선수촌"),
        ("체육협력관", "장애인체육과", "이천선수촌"),
    ]
    assert [p.name for p in blocks[1].people] == ["홍덕호", "이기태"]
    assert CONTACTS[blocks[1].start : blocks[1].end].endswith("(044-203-3185)")

    def ask(question: str) -> str:
        found = extractive_answer(
            question, [hit(CONTACTS, "mot_보도자료.hwpx")], flat_idf, min_coverage=0.2
        )
        return found.text.splitlines()[0]

    # the label is on the 담당자's row; the 책임자 above it is of the same block
    asked = "보도자료 담당 부서 표에서 이천선수촌 쪽 책임자로 적힌 과장님 이름이 뭐예요?"
    assert ask(asked) == "책임자 과장 홍덕호 [1]"
    assert ask("보도자료에서 진천선수촌 담당자 전화번호는 무엇인가요?") == "044-203-3129 [1]"
    asked = "보도자료 담당 부서 표에서 이천선수촌 담당 부서도 진천선수촌처럼 체육정책과인가요?"
    assert ask(asked) == "아니요 — (이천선수촌) 담당 부서: 체육협력관 장애인체육과 [1]"
    asked = "보도자료 담당 부서 표에서 이천선수촌 담당 부서는 장애인체육과인가요?"
    assert ask(asked).startswith("예 — (이천선수촌)")
    # two people named alike (either 과장) are no one person: the block reader gives none
    assert _asked_field("보도자료 담당 부서 표의 과장 전화번호는?", blocks) is None
    assert _asked_field("보도자료 담당 부서 표의 전화번호는?", blocks) is None


def test_what_a_business_describes_itself_as_is_what_it_writes_it_is() -> None:
    header = "ZAVA AUTO REPAIR\nCertified Collision Repair\n123 Main Street, Redmond, WA"
    question = (
        "Does Zava Auto Repair describe itself on its preliminary estimate as a certified "
        "collision repair shop?"
    )
    answer = extractive_answer(
        question, [hit(header, "REPAIR-2022.pdf")], flat_idf, min_coverage=0.6
    )
    lines = answer.text.splitlines()
    assert lines[0] == "Yes [1]", answer.text
    assert lines[1].startswith("Certified Collision Repair"), answer.text


def test_a_figure_named_by_number_is_read_only_where_it_is_written() -> None:
    question = (
        "KorQuAD 2.0 논문 [그림 4]에서 리스트와 테이블만 포함한 C 데이터의 F1 점수는 몇 점인가요?"
    )

    def read_from(text: str) -> Read:
        passage = hit(text, "paper.pdf")
        evidence = Evidence(passage, "paper.pdf", text, 0, len(text), text)
        return Read(["85.7% {0}"], [evidence])

    abstract = "이는 사람의 F1 점수 85.7%에 비해 매우 낮은 점수로, 도전적인 과제임을 알 수 있다."
    assert _figure_unread(question, read_from(abstract))
    assert not _figure_unread(question, read_from(f"[그림 4]를 보면 C는 … {abstract}"))
    assert not _figure_unread(question, read_from("Figure 4 shows C at 30.1%."))
    assert not _figure_unread(question, read_from("그림 4. 데이터별 F1"))
    assert _figure_unread(question, read_from("그림 14. 데이터별 F1"))
    assert not _figure_unread("표 4에서 C 데이터의 F1은?", read_from(abstract))  # tables are text
