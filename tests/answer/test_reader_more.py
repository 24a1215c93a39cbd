"""Rules added for issue 13 after heldout3 was written, each from a failure on dev, heldout
or heldout2 and each failing before its rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from test_reader import table_source

from dalin.answer.candidates import unit_candidate
from dalin.answer.evidence import passage_units
from dalin.answer.extractive import extractive_answer
from dalin.answer.reader_question import Sources, reading_for
from dalin.answer.values import find_values
from dalin.ingest.document import DocumentBuilder
from dalin.text.korean import tokenize
from dalin.types import Hit, StoredTable


def flat_idf(tokens: Sequence[str]) -> Mapping[str, float]:
    return dict.fromkeys(tokens, 1.0)


def hit(text: str, name: str = "기사.hwpx", chunk_id: int = 1, start: int = 0) -> Hit:
    return Hit(chunk_id, 1, f"/d/{name}", name, f"{name} · ¶1", 1.0, text, start,
               start + len(text), None)  # fmt: skip


def kinds(text: str) -> list[tuple[str, str]]:
    return [(v.kind.value, v.text) for v in find_values(text)]


def test_a_share_written_as_a_fraction_is_a_percent_value() -> None:
    assert kinds("시즌 타율은 .222로 상승했다.") == [("percent", ".222")]


def test_a_bare_number_may_take_a_particle_but_is_no_part_of_a_word() -> None:
    assert kinds("총인원은 27로 늘었다") == [("number", "27")]
    assert kinds("3개선 사업") == []
    assert kinds("5호선") == []


ARTICLE = (
    "이날 경기 전까지 통산 99타점을 기록한 김하성은 홈런 한방으로 3타점을 추가하며 통산 "
    "102타점째를 마크했다. 김하성은 이날 4타수 2안타 3타점 2득점으로 경기를 마쳤다. "
    "시즌 타율은 .222로 상승했다."
)


def test_the_second_of_two_facts_is_the_rate_asked() -> None:
    answer = extractive_answer(
        "김하성의 이날 경기 타격 성적과 시즌 타율은?", [hit(ARTICLE)], flat_idf
    )
    assert ".222" in answer.text


ESTIMATE = (
    "Insured name Gabriel Diaz Year 2022 Claim # SF-1008 Make Jeep\n"
    "Policy # POL-2022-555 Model Grand Cherokee"
)


def test_a_line_holding_none_of_what_is_asked_is_no_answer() -> None:
    answer = extractive_answer(
        "What is the deductible on Gabriel Diaz's insurance policy?",
        [hit(ESTIMATE, "estimate.pdf")],
        flat_idf,
    )
    assert answer.citations == ()


RFP = (
    "- 공동계약운용요령 제9조(공동수급체의 구성)에 따라 매출액 8천억원 이상의 대기업자간 "
    "공동수급 방식의 참여를 제한함\n"
    "m 계약방식 : 제한공개경쟁 입찰, 협상에 의한 계약체결\n"
)


def test_a_field_labelled_with_the_words_asked_beats_a_sentence_holding_them() -> None:
    question = "웹기안기 사업의 계약방식은?"
    reading = reading_for(question, tokenize(question), flat_idf(tokenize(question)), (), "ko")
    sentence, field = passage_units(hit(RFP, "rfp.pdf"), set())
    assert field.kind == "field"
    scores = [unit_candidate(reading, u, 1.0, 0) for u in (sentence, field)]
    assert scores[0] is not None and scores[1] is not None
    assert scores[1].score > scores[0].score


def two_tables() -> tuple[Hit, Sources]:
    builder = DocumentBuilder("보고서.pdf")
    builder.paragraph("제1기 2050 탄소중립위원회 위원 현황")
    builder.table(
        ("구분", "제1기 2050 탄소중립위원회", "제2기 2050 탄소중립위원회"),
        [("여성", "28명", "19명"), ("농업계", "1명", "2명")],
    )
    builder.paragraph("광역 탄소중립위원회 위원 구성 현황")
    builder.table(
        ("구분", "구성 정부", "구성 민간"),
        [("서울", "10", "30"), ("부산", "6", "44"), ("울산", "3", "24")],
    )
    doc = builder.build()
    stored = []
    for n, block in enumerate(doc.tables, start=1):
        assert block.table is not None
        stored.append(StoredTable(1, n, block.table, 1, block.start, block.end))
    passage = Hit(1, 1, "/d/보고서.pdf", "보고서.pdf", "보고서.pdf · p.1", 1.0, doc.text, 0,
                  len(doc.text), 1)  # fmt: skip

    def read(doc_id: int, start: int, end: int) -> str:
        return doc.text[start:end]

    return passage, Sources(tables=lambda doc_id: stored if doc_id == 1 else [], read=read)


def test_the_smallest_is_taken_in_the_table_whose_caption_names_what_is_asked() -> None:
    passage, sources = two_tables()
    question = "광역 탄소중립위원회 중 정부 위원이 가장 적은 곳은 어디인가요?"

    def idf(tokens: Sequence[str]) -> Mapping[str, float]:
        return {t: 3.0 if t == "광역" else 1.0 for t in tokens}  # rare in the report

    answer = extractive_answer(question, [passage], idf, sources=sources)
    assert answer.text.splitlines()[0].startswith("울산")


def test_a_dash_cell_is_answered_by_what_its_row_states_beside_it() -> None:
    passage, sources = table_source(
        ("구분", "변경 전", "변경 후"),
        [
            (
                "KBO 피치클락 규정",
                "-",
                "경기장 내 카운트다운 타이머(피치클락)를 이용해 경기진행 속도를 향상",
            ),
            (
                "제28조 [비디오 판독]",
                "-",
                "수비 시프트 제한 위반 판정에 대해 비디오 판독 요청 가능",
            ),
        ],
        caption="2024년 KBO 리그 규정 변경 요약사항",
    )
    question = "2024년 KBO 규정 변경에서 제28조 비디오 판독에 추가된 판독 대상은?"
    lead = extractive_answer(question, [passage], flat_idf, sources=sources).text.splitlines()[0]
    assert "수비 시프트" in lead and ": -" not in lead
