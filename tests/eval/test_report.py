"""The run report: well-formed offline HTML, hostile answers escaped, the cheapest
configuration meeting the bar marked, JSON that round-trips, terminal and Markdown tables."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from lxml import etree, html
from rich.console import Console

from dalin.eval.charts import CostAxis, nice_step
from dalin.eval.report import CSP, format_markdown, render_html, terminal_table, write_report
from dalin.eval.schema import ConfigSummary, QuestionResult, RunReport

HOSTILE = "<script>alert(1)</script>"
HOSTILE_ANSWER = (
    f"연차휴가는 15일입니다 [1].\n{HOSTILE}\n"
    '<img src="https://evil.example/x.png" onerror="alert(2)">\n'
    "[자세히](javascript:alert(3)) ![추적](https://evil.example/t.gif)"
)
CONFIGS = ("local", "deepseek:deepseek-chat", "openai:gpt-4o")
QUESTIONS = (
    ("q1", "연차휴가는 며칠인가요?", ("hr", "easy")),
    ("q2", "결혼하면 휴가를 며칠 받나요?", ("hr",)),
    ("q3", "HB-200 오류 코드 E02는 무슨 뜻이에요?", ("product",)),
    ("q4", "How long is the HB-200 warranty?", ("product", "en")),
)


def _summary(config: str, accuracy: float, cost: float | None, seconds: float) -> ConfigSummary:
    return ConfigSummary(
        config=config,
        questions=4,
        errors=0,
        accuracy=accuracy,
        abstention_accuracy=None,
        hit_at_k=0.75,
        mrr=0.625,
        grounded_rate=0.9,
        citation_validity=1.0,
        latency_p50=seconds,
        latency_p95=seconds * 2,
        first_token_p50=seconds / 4,
        first_token_p95=seconds / 2,
        prompt_tokens=4000,
        completion_tokens=600,
        cost_per_1000_usd=cost,
        by_tag={"hr": accuracy, "easy": 1.0, "product": accuracy / 2, "en": 0.0},
    )


def _result(qid: str, question: str, tags: tuple[str, ...], config: str, n: int) -> QuestionResult:
    verdict = ("correct", "incorrect", "abstained", "error")[n % 4]
    return QuestionResult(
        question_id=qid,
        config=config,
        question=question,
        answer=HOSTILE_ANSWER if qid == "q1" else f"{config}의 답변입니다.\n둘째 줄",
        method="generative",
        retrieved=("취업규칙.docx", "제품설명서_HB-200.pdf#p.3"),
        citations=("[1] 취업규칙.docx · 제12조(연차휴가) ①",),
        grounded_rate=n / 12,
        hit_at_k=1.0,
        reciprocal_rank=1.0,
        verdict=verdict,
        judge={"model": "judge:model", "reason": f"<b>이유</b> {n}"} if n % 2 else {},
        prompt_tokens=1000 + n,
        completion_tokens=150,
        cost_usd=None if config == "local" else 0.0004 * (n + 1),
        first_token_seconds=0.2,
        total_seconds=0.5 + n * 0.7,
        error="timeout: no reply in 120 s" if verdict == "error" else "",
        tags=tags,
    )


def hand_made_report() -> RunReport:
    """Three configurations over four tagged questions, Korean text and a hostile answer."""
    summaries = (
        _summary("local", 0.5, 0.0, 1.5),
        _summary("deepseek:deepseek-chat", 0.85, 0.35, 2.5),
        _summary("openai:gpt-4o", 0.9, 4.2, 3.0),
    )
    results = tuple(
        _result(qid, question, tags, config, i * len(CONFIGS) + j)
        for i, (qid, question, tags) in enumerate(QUESTIONS)
        for j, config in enumerate(CONFIGS)
    )
    return RunReport(
        run_id="20250101-0900-abc123",
        question_set="예시 질문 (examples/questions.jsonl)",
        started_at="2025-01-01T09:00:00+09:00",
        finished_at="2025-01-01T09:03:00+09:00",
        k=8,
        summaries=summaries,
        results=results,
        judge="judge:model",
    )


def _page(report: RunReport, bar: float | None = 0.8) -> html.HtmlElement:
    return html.document_fromstring(render_html(report, bar=bar))


def test_page_is_well_formed_and_self_contained() -> None:
    text = render_html(hand_made_report(), bar=0.8)
    # Stricter than a browser: the page must also parse as XML, so no tag is left open
    # and no stray "<" or "&" from model text reached the markup.
    etree.fromstring(text.encode("utf-8"), etree.XMLParser(recover=False, resolve_entities=False))
    page = html.document_fromstring(text)
    assert page.xpath("//meta[@charset='utf-8']")
    assert page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [CSP]
    assert not page.xpath("//script | //iframe | //object | //embed | //img")
    assert not page.xpath("//link[@rel='stylesheet']")
    references = page.xpath("//@src | //@href")
    assert all(ref.startswith("data:") for ref in references), references
    assert page.get("lang") == "ko"


def test_hostile_answers_are_text_not_markup() -> None:
    text = render_html(hand_made_report(), bar=0.8)
    assert HOSTILE not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "onerror=" not in text.replace("onerror=&quot;", "")
    page = html.document_fromstring(text)
    answers = [cell.text_content() for cell in page.xpath("//td[contains(@class, 'answer')]")]
    # shown exactly as the model wrote it, line breaks included
    assert answers.count(HOSTILE_ANSWER) == len(CONFIGS)
    reasons = page.xpath("//table[@id='results']//td[last()]/text()")
    assert any("<b>이유</b>" in r for r in reasons)  # the judge's text is escaped too
    assert not page.xpath("//table[@id='results']//b")


def test_verdicts_are_coloured_by_kind() -> None:
    page = _page(hand_made_report())
    cells = page.xpath("//table[@id='results']//td[contains(@class, 'verdict')]")
    classes = {c.get("class").split()[-1] for c in cells}
    assert classes == {"v-correct", "v-incorrect", "v-abstained", "v-error"}
    assert any(c.text_content() == "오답 (incorrect)" for c in cells)


def test_unknown_verdict_gets_no_class_from_the_data() -> None:
    report = hand_made_report()
    odd = dataclasses.replace(report.results[0], verdict='x" onclick="alert(1)')
    page = _page(dataclasses.replace(report, results=(odd, *report.results[1:])))
    cell = page.xpath("//table[@id='results']//td[contains(@class, 'verdict')]")[0]
    assert cell.get("class") == "verdict v-other"
    assert cell.get("onclick") is None


def _marker_config(page: html.HtmlElement) -> str | None:
    markers = page.xpath("//*[@id='cheapest-marker']")
    assert len(markers) <= 1
    return markers[0].get("data-config") if markers else None


def test_cheapest_configuration_meeting_the_bar_is_marked() -> None:
    page = _page(hand_made_report(), bar=0.8)
    assert _marker_config(page) == "deepseek:deepseek-chat"
    # the ring sits on that configuration's point
    ring = page.xpath("//*[@id='cheapest-marker']/*[local-name()='circle']")[0]
    point = page.xpath(
        "//*[@class='point'][@data-config='deepseek:deepseek-chat']/*[local-name()='circle']"
    )[0]
    assert (ring.get("cx"), ring.get("cy")) == (point.get("cx"), point.get("cy"))
    assert "deepseek:deepseek-chat" in page.get_element_by_id("cheapest-note").text_content()
    assert page.xpath("//*[@id='summary']//td[@class='best']")[0].text_content().endswith("★")


def test_bar_decides_the_cheapest() -> None:
    report = hand_made_report()
    assert _marker_config(_page(report, bar=0.5)) == "local"
    assert _marker_config(_page(report, bar=0.9)) == "openai:gpt-4o"
    none = _page(report, bar=0.95)
    assert _marker_config(none) is None
    assert "No configuration" in none.get_element_by_id("cheapest-note").text_content()
    assert "기준 (bar) 82.5%" in render_html(report, bar=0.825)  # not rounded to 82% or 83%
    assert _marker_config(_page(report, bar=None)) is None
    assert not _page(report, bar=None).xpath("//*[@id='bar-line']")


def test_unknown_cost_is_drawn_apart_and_never_cheapest() -> None:
    report = hand_made_report()
    mystery = dataclasses.replace(report.summaries[0], config="mystery", accuracy=1.0)
    mystery = dataclasses.replace(mystery, cost_per_1000_usd=None)
    page = _page(dataclasses.replace(report, summaries=(*report.summaries, mystery)), bar=0.8)
    assert _marker_config(page) == "deepseek:deepseek-chat"
    band = page.xpath("//*[@id='unknown-cost-band']")[0]
    point = page.xpath("//*[@data-config='mystery']/*[local-name()='circle']")[0]
    assert (
        float(band.get("x"))
        <= float(point.get("cx"))
        <= float(band.get("x")) + float(band.get("width"))
    )


def test_charts_have_their_marks() -> None:
    page = _page(hand_made_report())
    for chart in ("chart-cost-accuracy", "chart-tag-accuracy", "chart-latency"):
        svg = page.xpath(f"//*[local-name()='svg'][@id='{chart}']")
        assert len(svg) == 1 and svg[0].get("role") == "img"
    assert len(page.xpath("//*[@class='point']")) == len(CONFIGS)
    # overall plus four tags, one bar per configuration in each group
    assert len(page.xpath("//*[@class='tag-bar']")) == 5 * len(CONFIGS)
    assert len(page.xpath("//*[@class='latency-box']")) == len(CONFIGS)
    assert page.xpath("//*[@id='bar-line']")


def test_summary_table_shows_costs_in_both_currencies() -> None:
    page = _page(hand_made_report())
    rows = page.xpath("//table[@id='summary']//tr[td]")
    assert [r.xpath("td")[0].text_content().rstrip(" ★") for r in rows] == list(CONFIGS)
    deepseek = [c.text_content() for c in rows[1].xpath("td")]
    assert "$0.3500" in deepseek and "₩490" in deepseek  # 0.35 × 1,400
    assert "85.0%" in deepseek
    assert "1 USD = 1,400 KRW" in page.get_element_by_id("run-facts").text_content()


def test_write_report_round_trips_json(tmp_path: Path) -> None:
    report = hand_made_report()
    paths = write_report(report, tmp_path / "out", bar=0.8)
    assert set(paths) == {"json", "html"}
    raw = paths["json"].read_text(encoding="utf-8")
    assert "연차휴가" in raw  # Korean kept readable, not \\u escapes
    assert RunReport.from_json(json.loads(raw)) == report
    assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_markdown_has_a_row_per_configuration() -> None:
    report = hand_made_report()
    piped = dataclasses.replace(report.summaries[2], config="a|b")
    report = dataclasses.replace(report, summaries=(*report.summaries[:2], piped))
    text = format_markdown(report, bar=0.8)
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(CONFIGS)  # header + one per configuration
    assert rows[2].startswith("| deepseek:deepseek-chat ★ | 85.0% |")
    assert rows[3].startswith("| a\\|b | 90.0% |")
    assert all(row.count(" | ") == rows[0].count(" | ") for row in rows)


def test_terminal_table_has_a_row_per_configuration() -> None:
    table = terminal_table(hand_made_report(), bar=0.8)
    assert table.row_count == len(CONFIGS)
    console = Console(record=True, width=200)
    console.print(table)
    shown = console.export_text()
    assert "deepseek:deepseek-chat ★" in shown and "85.0%" in shown and "₩5,880" in shown


@pytest.mark.parametrize(("smallest", "largest"), [(0.01, 10.0), (0.35, 4.2), (2.0, 2.0)])
def test_cost_axis_is_monotonic_from_zero(smallest: float, largest: float) -> None:
    axis = CostAxis(smallest, largest)
    points = [0.0, smallest, (smallest + largest) / 2, largest]
    positions = [axis.position(c) for c in points]
    assert positions[0] == 0.0 and positions[-1] == pytest.approx(1.0)
    assert positions == sorted(positions)
    ticks = axis.ticks()
    assert ticks[0] == 0.0 and all(t <= largest * 1.0001 for t in ticks) and len(ticks) <= 7


def test_cost_axis_with_only_free_models() -> None:
    axis = CostAxis.over([0.0, 0.0])
    assert axis.position(0.0) == 0.0 and axis.ticks() == [0.0]


@pytest.mark.parametrize(("span", "step"), [(7.3, 2.0), (0.4, 0.1), (100.0, 20.0), (0.0, 1.0)])
def test_nice_step(span: float, step: float) -> None:
    assert nice_step(span) == pytest.approx(step)
