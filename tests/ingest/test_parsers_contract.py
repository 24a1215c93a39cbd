"""Every parser honours the Parser contract, on small inputs made here."""

from __future__ import annotations

from dalin.ingest.parsers.docx import DocxParser
from dalin.ingest.parsers.html import HtmlParser
from dalin.ingest.parsers.markdown import MarkdownParser
from dalin.ingest.parsers.pdf import PdfParser
from dalin.ingest.parsers.text import TextParser
from dalin.testing.parser_contract import ParserContract, minimal_docx, minimal_pdf


class TestTextParser(ParserContract):
    parser = TextParser()
    good_sample = "제1조(목적)\n이 규정은 연차휴가를 정한다.\n\n제2조(연차) 15일을 준다.".encode(
        "cp949"
    )
    good_name = "규정.txt"


class TestMarkdownParser(ParserContract):
    parser = MarkdownParser()
    good_sample = (
        "---\ntitle: x\n---\n# 휴가 규정\n\n연차는 15일.\n\n- 병가\n- 경조사\n\n"
        "| 구분 | 일수 |\n|---|---|\n| 연차 | 15 |\n"
    ).encode()
    good_name = "rules.md"


class TestHtmlParser(ParserContract):
    parser = HtmlParser()
    good_sample = (
        "<html><head><meta charset='utf-8'><script>var x = 1;</script></head><body>"
        "<h1>휴가</h1><p>연차는 <b>15일</b>.</p><ul><li>병가</li></ul>"
        "<table><tr><th>구분</th><th>일수</th></tr><tr><td>연차</td><td>15</td></tr></table>"
        "</body></html>"
    ).encode()
    good_name = "rules.html"


class TestPdfParser(ParserContract):
    parser = PdfParser()
    good_sample = minimal_pdf(["Annual leave is 15 days.", "Sick leave is 10 days."])
    good_name = "rules.pdf"


class TestDocxParser(ParserContract):
    parser = DocxParser()
    good_sample = minimal_docx(
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Leave</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>Annual leave is 15 days.</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Kind</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Days</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>Annual</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>15</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    good_name = "rules.docx"
