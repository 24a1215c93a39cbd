"""The CSV/TSV parser on the shared samples and on files written here."""

from __future__ import annotations

import codecs
import csv
import time
from pathlib import Path

import pytest

from dalin.errors import EmptyDocument, LimitExceeded, ParseError, UndecodableText
from dalin.ingest.limits import Limits
from dalin.ingest.parsers import delimited
from dalin.ingest.parsers.delimited import CsvParser, decode_delimited
from dalin.testing.parser_contract import ParserContract, assert_well_formed
from dalin.types import Document, Table

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"

# file -> phrases from its text; one is a table cell rendered as "header: value"
# (every CSV sample is an ADV_ one so far)
CSV_PHRASES: dict[str, tuple[str, ...]] = {}
# phrases that must sit inside a table block
CSV_TABLE_CELLS: dict[str, str] = {}
# file -> (error class name, or None for success; text expected in the detail or the text)
CSV_ADVERSARIAL: dict[str, tuple[str | None, str]] = {
    "ADV_markitdown_test_mskanji.csv": (None, "名前: 佐藤太郎 | 年齢: 30 | 住所: 東京"),
}

INVENTORY = "품목,단가,재고\r\n볼트 M8,120,3000\r\n너트 M8,80,150\r\n"


def parse(data: bytes, name: str = "재고.csv", limits: Limits | None = None) -> Document:
    doc = CsvParser().parse(data, name=name, limits=limits or Limits())
    assert_well_formed(doc)
    return doc


def only_table(doc: Document) -> Table:
    (block,) = doc.tables
    assert block.table is not None
    return block.table


# --- the shared samples -----------------------------------------------------------------


def samples() -> Path:
    if not SAMPLES.is_dir():
        print(f"skipped: shared samples not available at {SAMPLES.resolve()}")
        pytest.skip(f"shared samples not available at {SAMPLES.resolve()}")
    return SAMPLES


@pytest.mark.parametrize("name", sorted(CSV_ADVERSARIAL))
def test_adversarial_sample_is_handled(name: str) -> None:
    error, needle = CSV_ADVERSARIAL[name]
    data = (samples() / name).read_bytes()
    try:
        doc = CsvParser().parse(data, name=name, limits=Limits())
    except ParseError as failure:
        assert type(failure).__name__ == error
        assert needle in failure.detail
    else:
        assert error is None
        assert_well_formed(doc)
        assert needle in doc.text


def test_shift_jis_sample_is_japanese_with_row_provenance() -> None:
    name = "ADV_markitdown_test_mskanji.csv"
    table = only_table(parse((samples() / name).read_bytes(), name))
    assert table.header == ("名前", "年齢", "住所")
    assert table.rows[-1] == ("髙橋淳", "35", "名古屋")  # 髙 is a CP932 extension kanji
    assert (table.sheet, table.header_row, table.row_numbers) == ("", 1, (2, 3, 4))
    assert (table.first_column, table.last_column) == (1, 3)


# --- encodings --------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16"])
def test_korean_in_every_usual_encoding(encoding: str) -> None:
    doc = parse(INVENTORY.encode(encoding))
    assert "품목: 볼트 M8 | 단가: 120 | 재고: 3000" in doc.text
    assert only_table(doc).row_numbers == (2, 3)


def test_cp949_only_syllables() -> None:
    text = "이름,메모\r\n똠방각하,햏\r\n홍길동,연차휴가는 열다섯 날이며 병가는 열흘이다\r\n"
    assert "이름: 똠방각하 | 메모: 햏" in parse(text.encode("cp949")).text


@pytest.mark.parametrize(
    "text",
    [
        "名前,年齢\r\n田中,30\r\n",
        "氏名,部署\r\n鈴木一郎,営業部\r\n",  # decode_text reads this one as Korean mojibake
        "会社,住所\r\n株式会社山田,東京都千代田区\r\n",
        "商品名,価格\r\nりんご,100\r\nみかん,80\r\n",
        "品番,数量\r\nボルト,3000\r\nナット,200\r\n",
        "担当,備考\r\n山﨑,①※〒￥1000 μm→○\r\n",  # CP932 extensions and symbols
    ],
)
def test_short_shift_jis(text: str) -> None:
    assert decode_delimited(text.encode("cp932"), "a.csv") == text


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,  # binary
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        "café,naïve\r\n".encode("latin-1"),  # a coin toss between code pages: refused
        codecs.BOM_UTF16_LE + b"\x00\xd8",  # BOM then a lone surrogate
    ],
)
def test_undecodable_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(UndecodableText, match="UTF-8"):
        parse(data)


# --- delimiters, quoting, shape ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (INVENTORY.replace(",", ";"), "재고.csv"),
        (INVENTORY.replace(",", "\t"), "재고.tsv"),
        (INVENTORY.replace(",", "\t"), "재고.csv"),  # tab-separated but named .csv
        (INVENTORY.replace(",", "|"), "재고.csv"),
    ],
)
def test_delimiters_are_sniffed(text: str, name: str) -> None:
    table = only_table(parse(text.encode(), name))
    assert table.header == ("품목", "단가", "재고")
    assert table.rows == (("볼트 M8", "120", "3000"), ("너트 M8", "80", "150"))


def test_commas_inside_a_semicolon_file_stay_in_their_field() -> None:
    text = "이름;금액;메모\n홍길동;1,200;가, 나, 다\n김철수;800;라\n"
    assert only_table(parse(text.encode())).rows[0] == ("홍길동", "1,200", "가, 나, 다")


def test_quoted_field_with_a_line_break_is_one_record() -> None:
    text = '품목,설명\n볼트,"육각 볼트\n아연 도금"\n너트,"큰따옴표 ""M8"""\n'
    table = only_table(parse(text.encode()))
    assert table.rows == (("볼트", "육각 볼트\n아연 도금"), ("너트", '큰따옴표 "M8"'))
    assert table.row_numbers == (2, 3)  # records, as a spreadsheet numbers them


def test_ragged_rows_are_padded_and_empty_edge_columns_dropped() -> None:
    text = ",품목,단가,,\n,볼트,120,,\n,너트\n,와셔,10,비고,\n"
    table = only_table(parse(text.encode()))
    assert table.header == ("품목", "단가", "")
    assert table.rows == (("볼트", "120", ""), ("너트", "", ""), ("와셔", "10", "비고"))
    assert (table.first_column, table.last_column) == (2, 4)


def test_blank_lines_count_as_rows_but_hold_none() -> None:
    text = "\n품목,단가\n볼트,120\n\n너트,80\n"
    table = only_table(parse(text.encode()))
    assert (table.header_row, table.row_numbers) == (2, (3, 5))


def test_a_first_row_of_figures_is_not_a_header() -> None:
    table = only_table(parse(b"2024-01-05,120,3000\n2024-01-06,80,150\n"))
    assert table.header == () and table.header_row == 0 and table.row_numbers == (1, 2)
    assert table.rows[0] == ("2024-01-05", "120", "3000")


def test_a_single_column_is_a_list_without_header() -> None:
    text = (
        "연차휴가는 15일이며 입사 첫해에는 매달 하루씩 생기고 사용하지 않은 휴가는 연말에 수당으로 "
        "정산합니다\n병가는 10일입니다\n경조사 휴가는 따로 정합니다\n"
    )
    table = only_table(parse(text.encode()))
    assert table.header == ()


@pytest.mark.timed
def test_delimiter_sniffing_is_linear_on_hostile_input() -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError):
        parse(b'"\n' * 100_000)  # csv.Sniffer takes seconds on 16 KB of this
    assert time.perf_counter() - started < 2


def test_empty_and_blank_files() -> None:
    with pytest.raises(EmptyDocument):
        parse(b"")
    with pytest.raises(EmptyDocument, match="no values"):
        parse(b" , ,\n\n,\n")


def test_an_overlong_field_is_refused() -> None:
    data = b'a,b\n"' + b"x" * (csv.field_size_limit() + 10) + b'",1\n'
    with pytest.raises(LimitExceeded, match="unclosed quote"):
        parse(data)


def test_cell_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delimited, "MAX_CELLS", 5)
    with pytest.raises(LimitExceeded, match="more than 5 cells"):
        parse(INVENTORY.encode())
    monkeypatch.setattr(delimited, "MAX_CELLS", 8)
    with pytest.raises(LimitExceeded, match="spans 5 columns over 2 rows"):
        parse(b"a,b\n1,2,3,4,5\n")  # ragged: 7 cells read, 10 once padded


def test_text_limit() -> None:
    with pytest.raises(LimitExceeded, match="characters"):
        parse(INVENTORY.encode(), limits=Limits(max_text_chars=20))


class TestCsvParserContract(ParserContract):
    parser = CsvParser()
    good_sample = INVENTORY.encode("cp949")
    good_name = "재고.csv"
