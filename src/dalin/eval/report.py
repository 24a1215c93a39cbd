"""A run's report as one offline HTML page, JSON, a terminal table and Markdown.

The HTML page is a single file a business can mail around or open from a USB stick: no
scripts, fonts, images or stylesheets from anywhere, and a Content-Security-Policy that
forbids them, so even a model answer that slipped through unescaped could not run or call
out (SECURITY.md row 6). Everything a model or a document wrote is escaped; answers keep
their line breaks through CSS, not markup. Labels are Korean first, English in brackets.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from rich.table import Table
from rich.text import Text

from dalin.eval.aggregate import cheapest_meeting
from dalin.eval.charts import (
    DASH,
    cost_accuracy_svg,
    escape,
    krw,
    latency_svg,
    num,
    pct,
    share,
    tag_accuracy_svg,
    usd,
)
from dalin.eval.schema import VERDICTS, ConfigSummary, QuestionResult, RunReport
from dalin.llm.cost import KRW_PER_USD

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
VERDICT_LABELS = {
    "correct": "정답 (correct)",
    "incorrect": "오답 (incorrect)",
    "abstained": "답변 보류 (abstained)",
    "error": "오류 (error)",
}

_STYLE = """
body{font-family:"Noto Sans CJK KR","Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",
sans-serif;margin:2rem;color:#222;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.2rem}
table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}
th{background:#f3f3f3;text-align:left}
td.num{text-align:right;white-space:nowrap}
td.pre{white-space:pre-wrap;overflow-wrap:anywhere;max-width:32rem}
td.answer{min-width:20rem}
td.best{font-weight:bold;background:#fff6d5}
.verdict{font-weight:bold;white-space:nowrap}
.v-correct{background:#dff3e4;color:#155724}
.v-incorrect{background:#f8d7da;color:#721c24}
.v-abstained{background:#fff3cd;color:#7a5b00}
.v-error,.v-other{background:#e2e3e5;color:#383d41}
.note{color:#555;font-size:.85rem}
svg{display:block;margin:.5rem 0;font-size:12px}
"""
#: the CSP source of the report's one <style> block: the web UI shows the report in a
#: sandboxed srcdoc iframe, which inherits the page's CSP, and the page admits exactly this
STYLE_HASH = f"'sha256-{base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()}'"


# --- entry points --------------------------------------------------------------------------


def write_report(report: RunReport, out_dir: Path, *, bar: float | None = None) -> dict[str, Path]:
    """Write ``report.json`` and ``report.html`` into ``out_dir``; return both paths.

    ``bar`` is the accuracy a configuration must reach to count as good enough; the page
    then draws it and marks the cheapest configuration that reaches it.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "html": out_dir / "report.html"}
    paths["json"].write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    paths["html"].write_text(render_html(report, bar=bar), encoding="utf-8")
    return paths


def terminal_table(report: RunReport, *, bar: float | None = None) -> Table:
    """One row per configuration with the key columns, for the command line."""
    best = cheapest_meeting(report.summaries, bar) if bar is not None else None
    table = Table(title=Text(f"{report.question_set} · {report.run_id}"))
    headers = (
        "구성\nconfig",
        "정확도\naccuracy",
        "보류 정확도\nabstention",
        f"hit@{report.k}",
        "MRR",
        "근거\ngrounded",
        "근거 답변\ngrounded answers",
        "지연 p50/p95\nlatency (s)",
        "1,000문항당\nper 1,000 (USD)",
        "KRW",
    )
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i == 0 else "right")
    for s in report.summaries:
        name = Text(s.config + (" ★" if best is not None and s is best else ""))
        table.add_row(
            name,
            pct(s.accuracy),
            pct(s.abstention_accuracy),
            pct(s.hit_at_k),
            num(s.mrr, 3),
            pct(s.grounded_rate),
            pct(s.grounded_answer_rate),
            f"{num(s.latency_p50, 2)} / {num(s.latency_p95, 2)}",
            usd(s.cost_per_1000_usd),
            krw(s.cost_per_1000_usd),
        )
    return table


def _quality_cells(s: ConfigSummary) -> tuple[str, ...]:
    """Accuracy to latency p95: the summary columns the Markdown and HTML tables share."""
    return (
        pct(s.accuracy),
        pct(s.abstention_accuracy),
        pct(s.hit_at_k),
        num(s.mrr, 3),
        pct(s.grounded_rate),
        pct(s.grounded_answer_rate),
        pct(s.citation_validity),
        num(s.latency_p50, 2),
        num(s.latency_p95, 2),
    )


def format_markdown(report: RunReport, *, bar: float | None = None) -> str:
    """The summary as a Markdown table, one row per configuration (for docs)."""
    best = cheapest_meeting(report.summaries, bar) if bar is not None else None
    lines = [
        f"**{_md(report.question_set)}** · run `{_md(report.run_id)}` · k={report.k}",
        "",
        "| 구성 (config) | 정확도 (accuracy) | 보류 정확도 (abstention) | hit@k | MRR"
        " | 근거 (grounded) | 근거 답변 (grounded answers) | 인용 유효 (citations valid)"
        " | p50 s | p95 s | USD / 1,000 | KRW / 1,000 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in report.summaries:
        mark = " ★" if best is not None and s is best else ""
        cells = (
            _md(s.config) + mark,
            *_quality_cells(s),
            usd(s.cost_per_1000_usd),
            krw(s.cost_per_1000_usd),
        )
        lines.append("| " + " | ".join(cells) + " |")
    if bar is not None:
        lines += ["", _cheapest_sentence(best, bar)]
    lines += ["", f"KRW = USD × {KRW_PER_USD:,.0f}."]
    return "\n".join(lines) + "\n"


def render_html(report: RunReport, *, bar: float | None = None) -> str:
    """The whole report as one self-contained HTML page."""
    best = cheapest_meeting(report.summaries, bar) if bar is not None else None
    title = f"평가 보고서 (Evaluation report) · {report.question_set}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ko"><head><meta charset="utf-8"/>',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}"/>',
        # an empty data: icon, so the browser does not ask the (absent) server for one
        '<link rel="icon" href="data:,"/>',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        _run_facts(report, bar),
        "<h2>구성별 요약 (Summary per configuration)</h2>",
        _summary_table(report, best),
        "<h2>정확도와 비용 (Accuracy against cost per 1,000 questions)</h2>",
        cost_accuracy_svg(report.summaries, bar=bar, best=best),
        f'<p class="note" id="cheapest-note">{escape(_cheapest_sentence(best, bar))}</p>'
        if bar is not None
        else "",
        "<h2>태그별 정확도 (Accuracy per tag)</h2>",
        tag_accuracy_svg(report.summaries),
        "<h2>응답 시간 분포 (Latency distribution, seconds)</h2>",
        latency_svg(report.summaries, report.results),
        _checks_section(report),
        "<h2>문항별 결과 (Per-question results)</h2>",
        _results_table(report),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


# --- formatting ----------------------------------------------------------------------------


def _md(text: str) -> str:
    # a pipe would split a Markdown table cell; a newline would end the row
    return text.replace("|", "\\|").replace("\n", " ")


def _cheapest_sentence(best: ConfigSummary | None, bar: float | None) -> str:
    if bar is None:
        return ""
    if best is None:
        return (
            f"기준 정확도 {share(bar)}를 충족하고 비용을 아는 구성이 없습니다."
            f" (No configuration with a known cost reaches the {share(bar)} bar.)"
        )
    cost = f"{usd(best.cost_per_1000_usd)} / {krw(best.cost_per_1000_usd)}"
    return (
        f"기준 정확도 {share(bar)}를 충족하는 가장 싼 구성: {best.config} ({cost}, 1,000문항당)."
        f" (Cheapest configuration meeting the {share(bar)} bar: {best.config}, {cost}"
        " per 1,000 questions.)"
    )


# --- tables --------------------------------------------------------------------------------


def _run_facts(report: RunReport, bar: float | None) -> str:
    facts = [
        ("질문 세트 (question set)", report.question_set),
        ("실행 (run)", report.run_id),
        ("시작 · 끝 (started · finished)", f"{report.started_at} · {report.finished_at}"),
        ("검색 깊이 (k)", str(report.k)),
        ("심사 모델 (judge)", report.judge or DASH),
        ("기준 정확도 (bar)", DASH if bar is None else share(bar)),
        ("환율 (exchange rate)", f"1 USD = {KRW_PER_USD:,.0f} KRW (원화 = 달러 × 환율)"),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    return f'<table id="run-facts">{rows}</table>'


def _summary_table(report: RunReport, best: ConfigSummary | None) -> str:
    headers = (
        "구성 (configuration)",
        "문항 (questions)",
        "오류 (errors)",
        "정확도 (accuracy)",
        "보류 정확도 (abstention accuracy)",
        f"검색 적중 (hit@{report.k})",
        "MRR",
        "근거 비율 (grounded rate)",
        "근거 답변 비율 (grounded answers)",
        "인용 유효성 (citation validity)",
        "지연 p50 (latency, s)",
        "지연 p95 (latency, s)",
        "첫 토큰 p50 (first token, s)",
        "토큰 입력 (prompt tokens)",
        "토큰 출력 (completion tokens)",
        "1,000문항당 비용 (cost per 1,000, USD)",
        "1,000문항당 비용 (cost per 1,000, KRW)",
        "검증 모델 비용 (verifier per 1,000, USD)",
        "검사 시간 p50 (check, ms)",
        "걸린 문장 (flagged sentences)",
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    rows = []
    for s in report.summaries:
        cells = (
            *_quality_cells(s),
            num(s.first_token_p50, 2),
            f"{s.prompt_tokens:,}",
            f"{s.completion_tokens:,}",
            usd(s.cost_per_1000_usd),
            krw(s.cost_per_1000_usd),
            usd(s.verifier_cost_per_1000_usd),
            num(s.check_ms_p50, 1),
            ", ".join(f"{k} {v}" for k, v in sorted(s.flags_by_reason.items())) or DASH,
        )
        name_class = ' class="best"' if best is not None and s is best else ""
        mark = " ★" if name_class else ""
        rows.append(
            f"<tr><td{name_class}>{escape(s.config)}{mark}</td>"
            f'<td class="num">{s.questions}</td><td class="num">{s.errors}</td>'
            + "".join(f'<td class="num">{escape(c)}</td>' for c in cells)
            + "</tr>"
        )
    return f'<table id="summary"><tr>{head}</tr>{"".join(rows)}</table>'


def _results_table(report: RunReport) -> str:
    headers = (
        "질문 (question)",
        "구성 (configuration)",
        "판정 (verdict)",
        "답변 (answer)",
        "인용 (citations)",
        "검색된 출처 (retrieved)",
        "근거 비율 (grounded)",
        "걸린 문장 (flagged sentences)",
        "토큰 (tokens in/out)",
        "비용 (cost, USD)",
        "시간 (seconds)",
        "심사 이유 (judge's reason)",
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    rows = [_result_row(r) for r in _ordered(report)]
    return f'<table id="results"><tr>{head}</tr>{"".join(rows)}</table>'


def _ordered(report: RunReport) -> list[QuestionResult]:
    """Results grouped by question (in set order), configurations in summary order."""
    questions = {
        qid: i for i, qid in enumerate(dict.fromkeys(r.question_id for r in report.results))
    }
    configs = {s.config: i for i, s in enumerate(report.summaries)}
    return sorted(
        report.results,
        key=lambda r: (questions[r.question_id], configs.get(r.config, len(configs)), r.config),
    )


def _result_row(r: QuestionResult) -> str:
    verdict_class = f"v-{r.verdict}" if r.verdict in VERDICTS else "v-other"
    answer = f"오류 (error): {r.error}\n{r.answer}".strip() if r.error else r.answer
    cost = DASH if r.cost_usd is None else f"${r.cost_usd:.6f}"
    verdict = VERDICT_LABELS.get(r.verdict, r.verdict)
    lines = "\n".join
    cells = (
        f'<td class="pre">{escape(r.question_id)} · {escape(r.question)}</td>',
        f"<td>{escape(r.config)}</td>",
        f'<td class="verdict {verdict_class}">{escape(verdict)}</td>',
        f'<td class="pre answer">{escape(answer)}</td>',
        f'<td class="pre">{escape(lines(r.citations))}</td>',
        f'<td class="pre">{escape(lines(r.retrieved))}</td>',
        f'<td class="num">{pct(r.grounded_rate)}</td>',
        f'<td class="pre">{escape(_flags_text(r))}</td>',
        f'<td class="num">{r.prompt_tokens:,} / {r.completion_tokens:,}</td>',
        f'<td class="num">{cost}</td>',
        f'<td class="num">{r.total_seconds:.2f}</td>',
        f'<td class="pre">{escape(_judge_reason(r))}</td>',
    )
    return "<tr>" + "".join(cells) + "</tr>"


def _flags_text(r: QuestionResult) -> str:
    """Each flagged sentence: its reason, what was done, and the model's words."""
    lines = [
        f"{f.get('reason', '')} · {f.get('action', '')}: {f.get('sentence', '')}"
        + (f" (verifier {f['verifier']})" if f.get("verifier") else "")
        for f in r.flags
    ]
    verdicts = r.verification.get("verdicts", []) if r.verification else []
    if verdicts and not r.flags:
        lines.append("verifier: " + ", ".join(str(v.get("verdict", "")) for v in verdicts))
    return "\n".join(lines)


def _checks_section(report: RunReport) -> str:
    """The sentence check on the grounding check set, per type, when the run measured it."""
    checks = report.checks
    if not checks:
        return ""
    head = "".join(
        f"<th>{escape(h)}</th>"
        for h in (
            "유형 (type)",
            "구분 (label)",
            "문장 (sentences)",
            "맞게 판정 (accepted / caught)",
            "비율 (rate)",
            "그 이유로 건 것의 정밀도 (precision of its flags)",
        )
    )
    rows = []
    for t in checks.get("per_type", []):
        precision = t.get("precision")
        rows.append(
            f"<tr><td>{escape(str(t['type']))}</td><td>{escape(str(t['label']))}</td>"
            f'<td class="num">{t["items"]}</td><td class="num">{t["right"]}</td>'
            f'<td class="num">{pct(t["rate"])}</td><td class="num">{pct(precision)}</td></tr>'
        )
    summary = (
        f"{checks.get('checker', '')} · {checks.get('split', '')}: "
        f"faithful accepted {pct(checks.get('faithful_accepted'))}, "
        f"unfaithful caught {pct(checks.get('unfaithful_caught'))}, "
        f"check p50 {num(checks.get('check_ms_p50'), 1)} ms"
    )
    return (
        "<h2>근거 검사 세트 (Grounding check set)</h2>"
        f'<p class="note">{escape(summary)}</p>'
        f'<table id="checks"><tr>{head}</tr>{"".join(rows)}</table>'
    )


def _judge_reason(r: QuestionResult) -> str:
    if not r.judge:
        return ""
    reason = r.judge.get("reason") or r.judge.get("reply") or ""
    model = r.judge.get("model", "")
    return f"{reason}\n({model})" if model and reason else reason
