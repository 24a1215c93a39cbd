"""Reading fixed for issue 13 from heldout41's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from pathlib import Path

from test_reader import flat_idf, hit
from test_reader_h20 import table_passage

from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, read_intent
from shared_samples import sample_workspace

RFP = "odl_제안요청서_온나라웹기안기_230524.pdf"


def _answer(question: str, text: str, name: str) -> str:
    answer = extractive_answer(question, [hit(text, name)], flat_idf, min_coverage=0.2)
    return answer.text


RISKS = (
    ("리스크", "영향", "완화 전략"),
    [
        ("Typst 표현력 한계", "일부 레이아웃을 Typst로 표현 불가", "Typst 업스트림 기여"),
        ("폰트 누락", "대체 폰트로 조판", "폰트 번들"),
    ],
)


def test_a_quoted_row_does_not_make_another_cell_the_one_asked() -> None:
    passage, sources = table_passage(*RISKS, name="office2pdf_repository_workbook.xlsx",
                                     above="09_리스크_로드맵 리스크 대응")  # fmt: skip
    asked = (
        "office2pdf 저장소 분석 엑셀의 리스크 표에서 'Typst 표현력 한계' 리스크의 발생 가능성 "
        "등급은 무엇으로 매겨져 있나요?"
    )
    # a 저장소 (repository) is no 장소: nothing asks a place
    assert read_intent(asked).asked is Asked.DEFINITION
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.abstained, answer.text
    # the column the question does name is still read
    named = asked.replace("발생 가능성 등급은 무엇으로 매겨져", "영향은 무엇으로 적혀")
    answer = extractive_answer(named, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert "일부 레이아웃을 Typst로 표현 불가" in answer.text.splitlines()[0], answer.text


def test_a_count_of_only_the_larger_ones_is_not_the_count_of_all() -> None:
    text = (
        "2) 개정안에 해당하는 단체를 살펴보면 영농조합법인 중 자본금이 1억 원 이상인 법인이 "
        "6,835개(국가통계포털, 2021년 기준)인 점을 고려할 때 추천단체가 과도하게 많음."
    )
    asked = (
        "탄중법 검토보고서에 따르면 자본금 규모와 상관없이 전국의 영농조합법인은 모두 몇 개인가요?"
    )
    answer = extractive_answer(asked, [hit(text, "검토보고서.pdf")], flat_idf, min_coverage=0.2)
    assert answer.abstained, answer.text
    some = "탄중법 검토보고서에 따르면 자본금이 1억 원 이상인 영농조합법인은 몇 개인가요?"
    assert "6,835개" in _answer(some, text, "검토보고서.pdf").splitlines()[0]


def test_a_bill_left_to_lapse_was_not_passed() -> None:
    text = (
        "심지어 기후위기 대응과 관련된 법률안까지 상정이 되었는데 이 법안이 결국 21대에는 "
        "폐기가 될 수밖에 없는 그런 상황에 놓인 것 같아서 너무나도 화가 납니다."
    )
    asked = (
        "환노위 회의에서 전용기 위원은 이날 상정된 기후위기 대응 관련 법률안이 21대 국회 안에 "
        "처리될 수 있을 거라고 봤나요?"
    )
    assert _answer(asked, text, "회의록.pdf").startswith("아니요")


SIGNERS = (("사원", "팀장", "사무국장", "대표이사"), [("김사원", "이팀장", "박국장", "전결 07/24")])


def test_a_name_on_a_forms_sign_off_row_is_listed() -> None:
    above = "논산문화관광재단 평가위원 추천 협조 요청 공문"
    passage, sources = table_passage(*SIGNERS, name="공문.hwp", above=above)
    asked = "논산문화관광재단 평가위원 추천 요청 공문 결재란에 사무국장도 올라 있나요?"
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0].startswith("예 — 사무국장"), answer.text
    # a name is held whole, not as the end of another: 사무국장 is no 국장
    other = asked.replace("사무국장도", "국장도")
    answer = extractive_answer(other, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert not answer.text.startswith("예 — 국장"), answer.text


def test_a_name_on_the_real_forms_sign_off_row_is_listed(tmp_path: Path) -> None:
    # the form's 결재란 is read as a table cell, never as a sentence the yes/no rules read
    with sample_workspace(tmp_path, "hwp2hwpx_JHOMS242540000308001.hwp") as workspace:
        asked = "논산문화관광재단 피크닉 데이 평가위원 추천 공문 결재란에 사무국장도 올라 있나요?"
        answer = workspace.ask(asked, llm="extractive")
    assert answer.text.startswith("예 — 사무국장"), answer.text


PROJECT = (
    "□ 사업개요\nm 사업명 : 온나라 웹기안기 고도화\nm 사업금액 : 1,062,888천원(국비 / VAT포함)\n"
    "m 사업대상 : 행정안전부 등 69개 중앙행정기관\n"
)


def test_an_amount_split_evenly_is_divided_by_how_many_share_it() -> None:
    asked = (
        "온나라 웹기안기 사업금액을 사업대상 중앙행정기관 수로 똑같이 나누면 기관 한 곳당 대략 "
        "몇 천원꼴인가요?"
    )
    first = _answer(asked, PROJECT, RFP).splitlines()[0]
    assert "1,062,888천원 [1] ÷ 중앙행정기관 69개 [2] = 15,404.17천원 (약 15,404천원)" in first


def test_a_rate_the_documents_set_is_applied_to_the_amount_asked() -> None:
    text = "위약금 비중 | B급: 총 사업비의 0.5% 이하 (최대 3천만원 최소 2,500천원)"
    asked = (
        "웹기안기 사업금액 1,062,888천원을 총 사업비로 보고 B급 보안 위규 위약금 비중(총 "
        "사업비의 0.5%)을 적용하면 위약금 상한은 대략 몇 천원인가요?"
    )
    first = _answer(asked, text, RFP).splitlines()[0]
    assert "1,062,888천원 × 0.5% [1] = 5,314.44천원 (약 5,314천원)" in first, first
    # the cap and the floor written beside the rate bound the product
    small = _answer(asked.replace("1,062,888천원", "200,000천원"), text, RFP).splitlines()[0]
    assert small.endswith("= 1,000천원; 최소 2,500천원에 못 미쳐 2,500천원"), small
    large = _answer(asked.replace("1,062,888천원", "9,000,000천원"), text, RFP).splitlines()[0]
    assert large.endswith("= 45,000천원; 최대 3천만원을 넘어 3천만원"), large
    # a rate no document writes is the question's own premise: nothing backs it
    assert "5,314" not in _answer(asked.replace("0.5%", "0.7%"), text, RFP)


BETAS = (("Alpha", "Beta"), [("1", "82"), ("2", "89"), ("3", "a3f6004b-6f4f"), ("4", "84")])


def test_the_numbers_of_a_column_with_a_word_in_it_are_summed() -> None:
    passage, sources = table_passage(*BETAS, sheet="Sheet1")
    asked = "markitdown 테스트 엑셀 Sheet1의 Beta 열에서 숫자로 된 값만 모두 더하면 얼마인가요?"
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0].endswith("= 255"), answer.text


def test_the_values_a_command_gives_its_options_are_read_off_it() -> None:
    text = (
        "WebAssembly — 브라우저와 Node.js\n① wasm-pack 빌드\n"
        "$ wasm-pack build crates/office2pdf \\\n--target web --features wasm\n"
        "② JavaScript에서 호출\n"
    )
    asked = (
        "office2pdf 소개 발표자료의 WebAssembly 슬라이드에서 wasm-pack으로 빌드할 때 지정하는 "
        "target 옵션 값과 feature 옵션 값은 각각 무엇인가요?"
    )
    answer = extractive_answer(asked, [hit(text, "office2pdf_introduction_ko.pptx")], flat_idf,
                               min_coverage=0.2)  # fmt: skip
    assert answer.text.splitlines()[0] == "--target web, --features wasm [1]", answer.text
    assert "wasm-pack build crates/office2pdf" in answer.citations[0].quote


def test_a_seasons_record_counts_the_games_played() -> None:
    text = (
        "한편 샌디에이고는 8-3으로 승리하면서 3연승을 질주, 시즌 전적 16승 14패를 기록했으며 "
        "김하성의 3점홈런은 결승타로 남았다."
    )
    asked = "김하성 기사에 나온 샌디에이고의 시즌 전적대로라면 시즌 몇 경기를 치른 셈인가요?"
    assert _answer(asked, text, "기사.hwpx").splitlines()[0] == "16승 [1] + 14패 [1] = 30경기"
