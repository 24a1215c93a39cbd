"""Reading fixed for issue 13 from heldout27's failures, once it had been measured: the
title of a part a question names by its number (a paper's 4.2절, a report's Ⅱ장, an
agenda's 39번 항목), written anywhere in the document, not in the passage search found.
Each test failed before its change."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_reader import flat_idf, hit
from test_reader_h20 import table_passage

import dalin
from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.coded_fields import coded_field
from dalin.answer.extractive import Question, extractive_answer, passage_tokens
from dalin.answer.numbered_titles import numbered_title
from dalin.answer.operands import _years_for_amount
from dalin.answer.reader import _numbers_asked_with, _says_only_the_question
from dalin.answer.reader_question import Sources, reading_for
from dalin.answer.shown_work import Operand
from dalin.content import text_at, text_between
from dalin.text.korean import tokenize
from dalin.types import Chunk

PAPER = (
    "KorQuAD 2.0 논문\n이 논문은 데이터셋의 제작을 다루며, 각 절의 내용과 제목은 다음과 같다.\n"
    "4.1 답변 유형\n표, 리스트가 각각 22.0%, 10.5%를 차지한다.\n"
    "4.2 지문 및 답변 길이\n문서의 길이는 평균 90,259음절로 매우 길다.\n"
    "5. 실험\nKorQuAD 2.0 기준 모델의 성능을 측정하였다.\n"
)


def _paper_sources(text: str = PAPER) -> Sources:
    cut = text.index("4.1")
    return Sources(passages=lambda d: [Chunk(text[:cut], 0, cut, "p.3", 3),
                                       Chunk(text[cut:], cut, len(text), "p.4", 4)])  # fmt: skip


def test_a_numbered_section_is_answered_by_its_heading_line() -> None:
    # search found the paper's opening; the heading is further on in the document
    passage = hit(PAPER[: PAPER.index("4.2")], "KorQuAD_2.0_paper.pdf")
    question = "KorQuAD 2.0 논문 4.2절은 무슨 내용을 다루는 절이에요? 제목이 뭐예요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=_paper_sources())
    assert answer.text.splitlines()[0] == "4.2 지문 및 답변 길이 [1]", answer.text
    (cited,) = answer.citations
    assert cited.quote == "4.2 지문 및 답변 길이"
    assert cited.label.endswith("p.4")  # the stored passage holding it, not the one found
    assert PAPER[cited.start : cited.end] == cited.quote


def _title(question: str, text: str) -> str | None:
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    sources = Sources(passages=lambda d: [Chunk(text, 0, len(text), "p.1", 1)])
    found = numbered_title(reading, [(hit(text, "보고서.pdf"), 1.0)], sources)
    return found.lead if found else None


def test_something_asked_inside_a_section_is_not_its_title() -> None:
    assert _title("KorQuAD 2.0 논문 4.2절에서 문서 평균 길이는 몇 음절이에요?", PAPER) is None
    # a number opening a sentence is no heading
    assert _title("4.2절 제목이 뭐예요?", "4.2 이상이면 합격으로 본다.\n") is None


CONTENTS = (
    "목 차\nⅠ. 심사경과 ··························· 1\n"
    "Ⅱ. 제안이유 및 주요내용 ······················ 1\nⅢ. 검토의견 ··········· 2\n"
)


def test_a_roman_chapter_is_read_from_the_contents_without_its_leader() -> None:
    assert _title("검토보고서 목차에서 Ⅱ장 제목은 뭐라고 되어 있어요?", CONTENTS) == (
        "Ⅱ. 제안이유 및 주요내용"
    )
    # written in Latin letters in the question, or in the document
    assert _title("검토보고서에서 II장 제목은 뭐예요?", CONTENTS) == "Ⅱ. 제안이유 및 주요내용"
    latin = CONTENTS.replace("Ⅱ.", "II.").replace("Ⅲ.", "III.")
    assert _title("검토보고서에서 Ⅱ장 제목은 뭐예요?", latin) == "II. 제안이유 및 주요내용"
    assert _title("검토보고서에서 Ⅳ장 제목은 뭐예요?", CONTENTS) is None


AGENDA = (
    "의사일정\n38. 환경영향평가법 일부개정법률안(이주환 의원\n대표발의)(의안번호 2126306)\n"
    "39. 환경정책기본법 일부개정법률안(양이원영 의원\n대표발의)(의안번호 2124994)\n"
)


def test_an_agenda_item_broken_mid_parenthesis_is_read_whole() -> None:
    question = "회의록 의사일정 39번 항목은 어떤 법률안이에요?"
    assert _title(question, AGENDA) == (
        "39. 환경정책기본법 일부개정법률안(양이원영 의원 대표발의)(의안번호 2124994)"
    )
    assert _title("의사일정 제38항은 무슨 안건이에요?", AGENDA) == (
        "38. 환경영향평가법 일부개정법률안(이주환 의원 대표발의)(의안번호 2126306)"
    )


def test_the_label_comes_from_the_stored_passage_holding_the_heading(tmp_path: Path) -> None:
    # a real workspace: the heading is in a stored passage search did not return
    line = "이 논문의 절마다 제목과 다루는 내용을 적었다."
    body = "".join(f"문단 {i}. {line}\n\n" for i in range(120))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "논문.md").write_text(f"# 1 서론\n\n{body}\n# 4.2 지문 및 답변 길이\n\n{body}")
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        ws.add([docs])
        answer = ws.ask("논문 4.2절은 무슨 내용을 다루는 절이에요? 제목이 뭐예요?")
        assert answer.text.splitlines()[0].startswith("4.2 지문 및 답변 길이"), answer.text
        (cited,) = answer.citations
        held = [b.label for b in ws.content("논문.md").blocks if "4.2 지문" in b.text]
        first = [b.label for b in ws.content("논문.md").blocks if "서론" in b.text]
        assert held and held != first and cited.label.endswith(held[0]), (cited, held)
        shown = ws.passage(cited.doc_id, cited.start, cited.end)
        assert shown.text[shown.highlight[0] : shown.highlight[1]] == cited.quote


LAYERS = (
    ("parser", "OOXML 패키지 파싱 → 중간 표현(IR) 생성", "1,520", "610"),
    ("render", "IR → Typst 마크업 코드 생성", "2,043", "955"),
    ("ir", "포맷 독립 문서 모델", "1,184", "730"),
    ("core", "공개 API, 변환 파이프라인", "2,727", "4,388"),
)


def test_a_row_label_written_as_a_word_names_its_row_though_other_rows_mention_it() -> None:
    # two descriptions mention IR; the question still names the ``ir`` row by its label
    header = ("계층", "설명", "프로덕션 LOC", "테스트 LOC")
    passage, sources = table_passage(header, LAYERS, name="workbook.xlsx", sheet="계층별 집계")
    question = (
        "모듈 인벤토리 계층별 집계에서 ir 계층은 프로덕션 코드가 테스트 코드보다 몇 줄 더 많아요?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].endswith("= 454"), answer.text


def test_a_row_named_by_the_value_written_in_one_of_its_columns() -> None:
    # 31 is also the second row's Delta: the row is the one whose Alpha reads 31
    rows = (("89", "82", "100", "12"), ("40", "65", "19", "31"), ("31", "46", "47", "82"))
    passage, sources = table_passage(("Alpha", "Beta", "Gamma", "Delta"), rows, sheet="Sheet1")
    question = "Alpha가 31로 적힌 줄의 Gamma 값은 얼마예요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].endswith("Gamma: 47 [1]"), answer.text


FORM = (
    "Insured name Bruce Wayne Year 2025\nClaim # 999 Make Batman\n"
    "Policy # IM-BATMAN Model Batmobile\nRepair Order # RO-20221108 Estimator Ellis Turner\n"
)


def _coded(question: str) -> str | None:
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = coded_field(reading, [(hit(FORM, "estimate.pdf"), 1.0)])
    return found.lead if found else None


def test_a_numbered_field_of_a_flattened_form_is_its_one_code() -> None:
    # the form's two columns run into one line: the code is the token after the label
    assert _coded("Bruce Wayne 건의 보험 청구 번호(Claim #)가 뭐로 적혀 있어요?") == "Claim # 999"
    assert _coded("What is the policy number on Bruce Wayne's estimate?") == "Policy # IM-BATMAN"
    # the question's name may say more than the form's label
    assert _coded("What is the insurance policy number?") == "Policy # IM-BATMAN"
    assert _coded("수리 주문 번호(Repair Order #)는 무엇인가요?") == "Repair Order # RO-20221108"
    assert _coded("Bruce Wayne 견적서의 VIN 번호는?") is None  # no numbered field named so
    assert _coded("What is the invoice number?") is None  # a field the form does not write


def test_an_english_word_the_question_writes_still_holds_its_korean_gloss() -> None:
    # "보험 청구 번호(Claim #)": a passage writing Claim holds 청구, though the question
    # writes Claim too
    pairs = bilingual_equivalents("Bruce Wayne 건의 보험 청구 번호(Claim #)가 뭐로 적혀 있어요?")
    assert (frozenset({"청구"}), frozenset({"claim"})) in pairs


def test_a_year_the_question_quotes_is_no_count_nor_operand() -> None:
    # measured on the annual report template: "2012" (its title) read as a count of months,
    # and "ANNUAL REPORT of 2012 − OOOOO ANNUAL REPORT of 2012 = 0" as 억원
    question = "연간 보고서(Annual Report 2012)의 '2012 At a Glance' 쪽에는 몇 개 달이 나와 있어요?"
    assert _numbers_asked_with("OOOOO ANNUAL REPORT 다운받기: 2012", question)
    assert not _numbers_asked_with("달: 12", question)
    # a small number may be both the question's and the count ("제2기 … 로펌 2명")
    assert not _numbers_asked_with("로펌 2명", "제2기 위원 가운데 로펌 출신은 몇 명인가요?")
    asked = "Annual Report 2012의 순이익에서 가장 큰 값과 가장 작은 값의 차이는 몇 억원인가요?"
    reading = reading_for(asked, tokenize(asked), flat_idf, (), "ko")
    titles = [
        Operand("ANNUAL REPORT of", "2012", Decimal(2012)),
        Operand("OOOOO", "2012", Decimal(2012)),
    ]
    assert _years_for_amount(reading, titles)
    amounts = [Operand("순이익", "6,323", Decimal(6323)), Operand("순이익", "844", Decimal(844))]
    assert not _years_for_amount(reading, amounts)
    years = "2012년과 2020년은 몇 년 차이인가요?"
    assert not _years_for_amount(reading_for(years, tokenize(years), flat_idf, (), "ko"), titles)


def test_a_field_numbered_with_a_sign_holds_the_word_number() -> None:
    question = "What is the claim number on Gabriel Diaz's estimate?"
    passage = hit("Insured name Gabriel Diaz Year 2022\nClaim # SF-1008 Make Jeep\n", "est.pdf")
    assert "number" in passage_tokens(Question.parse(question), passage)
    assert "number" not in passage_tokens(Question.parse(question), hit("Claim: open", "a.pdf"))


def test_the_name_asked_about_alone_under_a_title_answers_nothing_about_it() -> None:
    # measured: "Jane Doe [1]" (the line under "Sample Title Slide") for her company and title
    question = "샘플 파워포인트 제목 슬라이드에 나온 Jane Doe는 어느 회사 소속이고 직함이 뭐예요?"
    assert _says_only_the_question("Jane Doe", question)
    assert not _says_only_the_question("Jane Doe, CEO of Contoso", question)
    # a sentence in the question's own words still answers ("두가지": its count)
    asked = "할로우바디는 몇 가지 종류로 나뉘는가?"
    assert not _says_only_the_question("할로우바디는 두가지 종류로 나뉜다.", asked)


def test_text_at_keeps_document_offsets_across_the_gaps_between_passages() -> None:
    # two passages with a blank line no passage holds between them, and one overlapping
    chunks = [Chunk("3.1 문서 수집", 0, 9, "a"), Chunk("page view 기준으로", 11, 25, "b"),
              Chunk("기준으로 골랐다.", 21, 30, "b")]  # fmt: skip
    text = text_at(chunks, 0, 30)
    assert len(text) == 30 and text[11:20] == "page view" and text.endswith("골랐다.")
    assert text_at(chunks, 4, 15) == "문서 수집\n\npage"
    assert text_between(chunks, 0, 30).count("기준으로") == 2  # what `read` gives: joined


def test_a_located_heading_is_cited_where_it_stands(tmp_path: Path) -> None:
    # measured: "3.3 KorQuAD 1.0 데이터 변환" cited at an offset showing other words
    line = "작업자는 문단을 보고 질문과 답변을 만들었다."
    body = "".join(f"{line} ({i})\n\n" for i in range(60))
    # passages before the heading too: the joined text of Sources.read drifts at each gap
    found = "위키백과 문서는 page view 기준으로 골랐다."
    text = f"# 2 관련 연구\n\n{body}# 3.1 문서 수집\n\n{body}{found}"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "논문.md").write_text(text)
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        ws.add([docs])
        answer = ws.ask("논문에서 위키백과 문서를 고른 기준은 몇 절에 나와요?")
        assert answer.text.startswith("3.1 문서 수집"), answer.text
        for cited in answer.citations:
            shown = ws.passage(cited.doc_id, cited.start, cited.end)
            assert shown.text[shown.highlight[0] : shown.highlight[1]] == cited.quote
