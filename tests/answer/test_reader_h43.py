"""Reading fixed for issue 13 from heldout43's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf, hit, read_of
from test_reader_h20 import table_passage

from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.extractive import extractive_answer
from dalin.answer.reader_question import Sources
from dalin.answer.values import ValueKind, find_values
from dalin.answer.yes_no import out_of_bounds
from dalin.types import Chunk


def _first(question: str, text: str, name: str = "문서.docx") -> str:
    answer = extractive_answer(question, [hit(text, name)], flat_idf, min_coverage=0.2)
    return answer.text.splitlines()[0]


def _abstains(question: str, text: str, name: str = "문서.docx") -> bool:
    return extractive_answer(question, [hit(text, name)], flat_idf, min_coverage=0.2).abstained


def test_the_day_of_one_act_is_not_the_day_of_another() -> None:
    text = (
        "2023년 5월 2일 김아무 의원이 대표 발의한 공익활동 지원법 일부개정법률안은 "
        "2023년 5월 3일 우리 위원회에 회부되었음. 위원회는 개정안의 취지에 공감하였음."
    )
    asked = "검토보고서에서 지원위원회가 개정안에 대한 의견을 제출한 날짜는 언제로 적혀 있나요?"
    assert _abstains(asked, text, "검토보고서.pdf")
    told = "검토보고서에서 개정안이 위원회에 회부된 날짜는 언제인가요?"
    assert "5월 3일" in _first(told, text, "검토보고서.pdf")


def test_an_email_given_for_a_customer_is_not_the_letterheads() -> None:
    text = (
        "Kestrel Tools, Inc.\n12, Harbour Road\nPhone 5550 1200\nsales@kestrel.example\n"
        "Mary R. Roe\n40 Client Street\n77777 Hometown\nINVOICE 2021-07 March 3, 2021"
    )
    asked = "What email address is given for the customer Mary R. Roe on Kestrel invoice 2021-07?"
    assert _abstains(asked, text, "invoice.pdf")
    company = "What email address is given on Kestrel invoice 2021-07?"
    assert "sales@kestrel.example" in _first(company, text, "invoice.pdf")


def test_a_bound_a_rule_sets_is_no_share_or_measure() -> None:
    text = (
        "검수 과정에서 질문-답변 쌍의 통과와 탈락 판정은 두 명이 내렸다. 검수자는 과제 "
        "성공률 90% 이상인 작업자 가운데 선정되었다."
    )
    asked = "논문에 따르면 검수에서 탈락 판정을 받은 질문-답변 쌍은 전체의 몇 %였나요?"
    assert _abstains(asked, text, "논문.pdf")
    bound = "논문에 따르면 검수자로 뽑히려면 과제 성공률이 몇 % 이상이어야 하나요?"
    assert "90%" in _first(bound, text, "논문.pdf")
    passage, sources = table_passage(
        ("범주", "요구사항"), [("바이너리 크기", "CLI 30MB 미만(폰트 포함)")], name="요구.xlsx"
    )
    measured = "CLI 바이너리는 실제로 몇 MB로 측정됐나요?"
    answer = extractive_answer(measured, [passage], flat_idf, min_coverage=0.2, sources=sources)
    assert answer.abstained, answer.text
    passage, sources = table_passage(
        ("범주", "요구사항"), [("메모리", "100페이지 문서 기준 400MB 미만")], name="요구.xlsx"
    )
    used = "100페이지짜리 문서를 변환하면 메모리를 실제로 몇 MB 쓰나요?"
    answer = extractive_answer(used, [passage], flat_idf, min_coverage=0.2, sources=sources)
    assert answer.abstained, answer.text


def test_a_left_hander_is_no_right_hander() -> None:
    text = "이정후는 볼카운트 1B 2S에서 좌완투수 샘 롱의 4구 커브를 받아쳐 2루타를 만들었다."
    asked = "기사에서 이정후에게 2루타를 맞은 샘 롱은 오른손 투수였나요?"
    line = _first(asked, text, "기사.hwpx")
    assert line.startswith("아니요") and "좌완" in line, line


def test_a_party_said_to_leave_the_assembly_does_not_stay_in_it() -> None:
    text = (
        "◯김아무 위원 이 법이 꼭 통과되도록 정부가 끝까지 노력해야 된다고 믿습니다. "
        "다음 대 위원회에서도 이 법이 통과될 수 있도록 노력하겠습니다.\n\n"
        "◯김아무 위원 개인적으로도 임기가 끝나지만 두 달이 지나면 미래당이 원외가 되기 "
        "때문에 오늘 한 말씀 드리는 것이 맞을 것 같습니다."
    )
    asked = "회의에서 김아무 위원은 다음 국회에서도 미래당이 원내 정당으로 남는다고 말했나요?"
    line = _first(asked, text, "회의록.pdf")
    assert line.startswith("아니요") and "원외" in line, line


def test_a_side_written_elsewhere_in_the_passages_read_is_not_overruled() -> None:
    near = hit("표 3 여백 10mm, 종이 왼쪽부터 25mm", "표위치.hwp", chunk_id=1)
    far = hit("표 7 여백 10mm, 종이 오른쪽부터 25mm", "표위치.hwp", chunk_id=2, start=40)
    asked = "표위치 한글 파일에서 표 3은 종이 왼쪽에서 5mm 떨어진 곳에 놓여 있나요?"
    answer = extractive_answer(asked, [near, far], flat_idf, min_coverage=0.2)
    assert "표 3" in answer.text and "오른쪽" not in answer.text, answer.text


def test_measures_in_latin_units_are_values() -> None:
    found = [(v.kind, v.text, v.unit) for v in find_values("Dev Set (3.9MB), 여백 35mm, 5G 통신")]
    assert found == [(ValueKind.NUMBER, "3.9MB", "MB"), (ValueKind.NUMBER, "35mm", "mm")]


def test_two_values_named_by_quoted_words_are_subtracted() -> None:
    text = (
        "표 4 여백 10mm, 쪽 왼쪽부터 5mm\n\n표 5 여백 10mm, 종이 왼쪽부터 35mm\n\n"
        "표 6 여백 10mm, 문단 오른쪽부터 5mm"
    )
    asked = (
        "표 위치 한글 파일에서 '종이 왼쪽부터' 배치된 표는 '쪽 왼쪽부터' 배치된 표보다 "
        "몇 mm 더 떨어져 있나요?"
    )
    line = _first(asked, text, "표위치.hwp")
    assert line == "종이 왼쪽부터 35mm [1] − 쪽 왼쪽부터 5mm [2] = 30mm", line  # each its line


def test_a_korean_word_for_a_position_holds_an_english_file_name() -> None:
    asked = "표 위치를 시험하는 한글 파일에서 '종이 왼쪽부터' 배치된 표는 몇 mm 떨어져 있나요?"
    pairs = bilingual_equivalents(asked)
    assert any("위치" in korean and "posit" in english for korean, english in pairs), pairs


def test_a_file_size_is_read_off_a_download_link() -> None:
    text = (
        "데이터는 Training set 50,100 개, Dev set 4,900 개의 질의응답쌍으로 구분하였습니다.\n\n"
        "Training Set (41MB)\n\nDev Set (4.2MB)\n\n평가 스크립트를 제공합니다."
    )
    asked = "홈페이지에서 내려받는 Training Set 파일과 Dev Set 파일은 용량이 각각 얼마예요?"
    answer = extractive_answer(asked, [hit(text, "dataset.html")], flat_idf, min_coverage=0.2)
    assert "41MB" in answer.text and "4.2MB" in answer.text, answer.text
    assert "50,100" not in answer.text


def test_a_web_page_is_what_a_question_calls_a_homepage() -> None:
    text = "MyQA 2.0은 질의응답 데이터셋입니다. Training Set (41MB)"
    asked = "MyQA 2.0 홈페이지에서 내려받는 Training Set 파일은 용량이 얼마예요?"
    answer = extractive_answer(asked, [hit(text, "myqa.html")], flat_idf, min_coverage=0.75)
    assert "41MB" in answer.text, answer.text


def test_a_share_of_everyone_is_read_against_the_column_headed_total() -> None:
    passage, sources = table_passage(
        ("구분", "총인원", "구성 정부", "구성 민간", "민간현황 학계", "민간현황 청년"),
        [("대전", "25", "5", "20", "7", "3"), ("충북", "40", "8", "32", "9", "4")],
        name="검토보고서.pdf",
        above="2. 광역 위원회 위원 구성 현황",
    )
    asked = "검토보고서의 광역 위원회 위원 구성 현황에서 충북 위원회는 전체 위원 가운데 민간 위원 비율이 몇 %예요?"  # noqa: E501
    answer = extractive_answer(asked, [passage], flat_idf, min_coverage=0.2, sources=sources)
    assert answer.text.splitlines()[0].endswith("= 80%"), answer.text


def test_values_given_respectively_are_read_by_the_names_listed() -> None:
    text = (
        "전체에서 긴 답변이 차지하는 비율은 12.5%이고 유형에 따라서는 평문이 70.1%로 가장 "
        "많은 비율을 차지하고, 표, 리스트가 각각 19.4%, 10.5%를 차지한다."
    )
    asked = "논문에서 답변을 유형별로 나눠 보면 평문 비율이 표 비율보다 몇 %p 높아요?"
    line = _first(asked, text, "논문.pdf")
    assert "70.1%" in line and "19.4%" in line and line.endswith("= 50.7%p"), line


def test_the_words_written_under_a_quoted_heading_are_the_wording_asked() -> None:
    text = (
        "주간업무보고서 | 부서명: 부서명 이름: 이름\n\n금주 진행업무\n\n업무내용 | 완결여부\n\n"
        "기타\n\n기타 사항을 여기에 적습니다."
    )
    asked = "주간업무보고서 한글 양식 맨 아래 '기타' 표에는 어떤 안내 문구가 적혀 있어요?"
    answer = extractive_answer(asked, [hit(text, "업무보고.hwp")], flat_idf, min_coverage=0.5)
    assert "기타 사항을 여기에 적습니다" in answer.text, answer.text


def test_a_bulleted_list_laid_out_in_cells_is_read_as_lines() -> None:
    passage, sources = table_passage(
        ("•", "정책"),
        [
            ("•", "공용 러너의 60초 상한은 회귀 탐지용이며 제품 목표치가 아님"),
            ("•", "출시 차단 지연 목표 도입 전 전용 러너에서 시나리오당 200회 이상 표본을 보고"),
        ],
        name="workbook.xlsx",
        above="2. 성능 측정 정책 (PRD 5.2장)",
    )
    asked = (
        "PRD 5.2장(성능 측정 정책)에 따르면 출시 차단 지연 목표를 도입하기 전에 무엇을 해야 하나요?"
    )
    answer = extractive_answer(asked, [passage], flat_idf, min_coverage=0.2, sources=sources)
    assert "200회 이상" in answer.text.splitlines()[0], answer.text


def test_once_every_period_breaks_a_cap_of_one_per_longer_period() -> None:
    rule = "무분별한 제출을 막기 위해 한 달에 두 개의 모델을 제출하는 것으로 제한합니다."
    assert out_of_bounds("리더보드에 모델을 매주 제출할 수 있나요?", rule) == rule
    assert out_of_bounds("리더보드에 모델을 한 달에 한 번 제출해도 되나요?", rule) is None


def test_the_cap_closing_a_passage_answers_a_proposed_frequency() -> None:
    text = (
        "Getting Started\n\n데이터셋은 공개 라이센스를 따릅니다.\n\n"
        "모델 제출 시 테스트 점수 공개에 동의한 것으로 간주합니다.\n\n"
        "평가 스크립트를 제공합니다.\n\n샘플 예측 파일을 제공합니다.\n\n"
        "Dev set으로 만족스러운 모델을 만들었다면 리더보드에 올리기 위해 모델을 제출하세요.\n\n"
        "참가자는 제출한 모델의 라이센스를 직접 명시합니다.\n\n"
        "제출한 모델은 Test set에서 실행됩니다.\n\n"
        "무분별한 제출을 방지하기 위해 일주일에 하나의 모델을 제출하는 것으로 제한합니다."
    )
    asked = "MyQA 리더보드에 모델을 매일 제출할 수 있나요?"
    line = _first(asked, text, "myqa.html")
    assert line.startswith("아니요") and "일주일에 하나" in line, line


MINUTES = (
    "◯관련의안 회부\n"
    "남해 관광산업 발전 특별법안(서아무 의원 대표발의)\n"
    "(2024. 1. 12. 서아무․양아무 의원 발의)\n"
    "1월 15일 의견제시기간을 소관위원회의 심사의결일 전일까지로 정하여 회부됨동해 산업벨트\n"
    "지원에 관한 특별법안(이아무\n의원 대표발의)\n"
    "(2024. 1. 29. 이아무․박아무(비)․김아무 의원\n발의)\n"
    "1월 30일 의견제시기간을 소관위원회의 심사\n의결일 전일까지로 정하여 회부됨"
)


def _minutes(question: str, split: int) -> str:
    """The answer to ``question`` over the minutes stored as two passages, split at
    ``split``."""
    chunks = [Chunk(MINUTES[:split], 0, split, "p.16", 16),
              Chunk(MINUTES[split:], split, len(MINUTES), "p.17", 17)]  # fmt: skip
    sources = Sources(text_at=read_of(MINUTES), passages=lambda doc_id: chunks)
    found = hit(MINUTES[:split], "회의록.pdf")
    return extractive_answer(question, [found], flat_idf, min_coverage=0.2, sources=sources).text


def test_a_bills_record_in_the_minutes_gives_its_sponsor_and_days() -> None:
    asked = (
        "회의록 보고사항의 관련의안 회부 목록에 있는 '동해 산업벨트 지원에 관한 특별법안'은 "
        "누가 대표발의했고, 위원회에 언제 회부됐어요?"
    )
    lines = _minutes(asked, len(MINUTES)).splitlines()
    assert lines[0].startswith("이아무 의원") and lines[1].startswith("1월 30일"), lines
    moved = "회의록 보고사항을 보면 이아무 의원이 대표발의한 동해 산업벨트 지원에 관한 특별법안은 언제 발의됐어요?"  # noqa: E501
    assert _minutes(moved, len(MINUTES)).startswith("2024. 1. 29.")
    # a record straddling two stored passages is read whole
    split = MINUTES.index("(2024. 1. 29.")
    lines = _minutes(asked, split).splitlines()
    assert lines[0].startswith("이아무 의원") and lines[1].startswith("1월 30일"), lines


def test_every_bill_of_a_name_and_its_number_are_read_off_the_agenda() -> None:
    agenda = (
        "의사일정\n31. 하천법 일부개정법률안(정아무 의원 대표발의)(의안번호 2126545)\n"
        "32. 하천법 일부개정법률안(강아무 의원 대표발의)(의안번호 2125282)\n"
        "33. 악취방지법 일부개정법률안(송아무 의원 대표발의)(의안번호 2126512)"
    )
    chunks = [Chunk(agenda, 0, len(agenda), "p.1", 1)]
    sources = Sources(text_at=read_of(agenda), passages=lambda doc_id: chunks)

    def answer(question: str) -> list[str]:
        found = [hit(agenda, "회의록.pdf")]
        read = extractive_answer(question, found, flat_idf, min_coverage=0.2, sources=sources)
        return read.text.splitlines()

    each = answer("회의에 올라온 하천법 일부개정법률안 두 건은 각각 누가 대표발의했나요?")
    assert each[0].startswith("정아무 의원") and each[1].startswith("강아무 의원"), each
    numbered = answer(
        "의사일정의 악취방지법 일부개정법률안은 누가 대표발의했고 의안번호는 무엇인가요?"
    )
    assert numbered[0].startswith("송아무 의원") and numbered[1].startswith("2126512"), numbered
