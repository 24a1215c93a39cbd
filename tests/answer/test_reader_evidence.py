"""Units of a passage: rejoined PDF lines, fields, and the lines that state nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dalin.answer.evidence import passage_units, rejoin, repeated_lines
from dalin.types import Hit


def hit(text: str, name: str = "report.pdf", chunk_id: int = 1) -> Hit:
    return Hit(chunk_id, 1, f"/d/{name}", name, f"{name} · p.1", 1.0, text, 0, len(text), 1)


PDF = (
    "- 1 -\n"
    "제22조 경기시간 제한\n"
    "1. 야간 조명시설이 없는 구장에서 암흑 또는 시간 제한으로 9회까지 경기속행이 불가\n"
    "능하게 되었을 경우에는 경기 전체를 일시 정지하고 다음 날로 넘겨 서스펜디드 경\n"
    "기로 한다.\n"
    "단, 조명시설이 있는 구장에서는 점등한 후 경기를 속행한다.\n"
    "Ⅰ. 제안경위 ······································ 1\n"
    "입 찰 참 가 신 청 서\n"
)


def test_a_sentence_broken_by_the_layout_reads_as_one_and_quotes_verbatim() -> None:
    units = passage_units(hit(PDF))
    item = next(u for u in units if u.display.startswith("1. 야간"))
    assert "불가능하게" in item.display and "서스펜디드 경기로 한다." in item.display
    assert "\n" not in item.display and "\n" in item.text
    assert item.text == PDF[item.start : item.end]
    assert item.context == "제22조 경기시간 제한" and item.first


def test_contents_lines_page_numbers_and_form_titles_are_never_answers() -> None:
    why = {u.display: u.demoted for u in passage_units(hit(PDF))}
    assert why["- 1 -"] == "furniture"
    assert why["Ⅰ. 제안경위 ······································ 1"] == "toc"
    assert why["입 찰 참 가 신 청 서"] == "form"
    assert why["단, 조명시설이 있는 구장에서는 점등한 후 경기를 속행한다."] == ""


def test_running_headers_repeated_across_passages_are_furniture() -> None:
    a = hit("제414회-환경노동제1차(2024년5월7일) 3\n회의를 시작합니다.", chunk_id=1)
    b = hit("4 제414회-환경노동제1차(2024년5월7일)\n회의를 마칩니다.", chunk_id=2)
    repeated = repeated_lines([a, b])
    assert next(u.demoted for u in passage_units(a, repeated)) == "furniture"


def test_fields_and_faq_questions() -> None:
    text = (
        "Q3. 보증 기간은 얼마나 되나요?\nA. 구입일로부터 1년입니다.\n"
        "나. 모집기간 : 2024. 7. 24.(수)~8. 2.(금)"
    )
    units = passage_units(hit(text, "faq.txt"))
    assert units[0].demoted == "question"
    assert units[1].context_kind == "question" and units[1].first
    field = units[2]
    assert (field.kind, field.label, field.value) == (
        "field",
        "모집기간",
        "2024. 7. 24.(수)~8. 2.(금)",
    )


def test_space_aligned_table_lines_are_not_joined() -> None:
    text = (
        "ITEM DESCRIPTION QUANTITY PRICE AMOUNT\n"
        "2 Turbo Flyer 5 40.00 200.00\n3 Giga Trash 1 180.00 180.00"
    )
    displays = [u.display for u in passage_units(hit(text + "\n" + "x" * 60))]
    assert "2 Turbo Flyer 5 40.00 200.00" in displays


def test_rejoin_closes_a_word_broken_at_a_line_end_and_keeps_a_space_between_words() -> None:
    assert rejoin("경우 서\n스펜디드 경기로") == "경우 서스펜디드 경기로"
    assert rejoin("일몰시간\n15분 전에") == "일몰시간 15분 전에"
    assert rejoin("제1기 205\n0 탄소중립") == "제1기 2050 탄소중립"


@given(st.lists(st.text(alphabet="가나다라마 바사아12 \n.", min_size=1, max_size=30), max_size=6))
def test_rejoin_keeps_every_letter_in_order(pieces: list[str]) -> None:
    text = "\n".join(pieces)
    assert rejoin(text).replace(" ", "") == "".join(text.split())


@given(st.text(alphabet="가나다 .?\n①②-·12:|", max_size=120))
def test_units_quote_their_passage_verbatim(text: str) -> None:
    for unit in passage_units(hit(text)):
        assert unit.text == text[unit.start : unit.end]
        assert unit.text.strip() == unit.text and unit.text


def test_a_label_alone_on_its_line_takes_the_line_below_as_its_value() -> None:
    text = "info@kraxi.com\nLocal sales rep:\nLucy Irwin\n255 Customer Lane\n"
    fields = [u for u in passage_units(hit(text)) if u.kind == "field"]
    assert [(u.label, u.value) for u in fields] == [("Local sales rep", "Lucy Irwin")]
    # a sentence ending in a colon introduces a list, not a value
    listed = "다음 서류를 제출하여야 하며 제출 방법은 아래와 같습니다:\n우편 또는 방문 접수\n"
    assert not [u for u in passage_units(hit(listed)) if u.kind == "field"]
