"""Inline SVG charts of a run report, and the number formats they share with its tables.

Plain SVG strings rather than a plotting library: the report must open offline with no
script, and three small charts do not justify a dependency. Every label that comes from
a configuration name or a tag is escaped. Each chart is an ``<svg role="img">`` with an
id and a ``<title>``; marks carry ``<title>`` children so hovering shows the numbers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dalin.eval.metrics import percentile
from dalin.eval.schema import ConfigSummary, QuestionResult
from dalin.llm.cost import KRW_PER_USD

#: Okabe & Ito (2008) colour-blind-safe palette, cycled over configurations
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BAR_COLOUR = "#B00020"
DASH = "—"

# --- formats -------------------------------------------------------------------------------


def escape(value: object) -> str:
    """Text made safe for HTML and SVG content and attribute values (quotes too)."""
    return html.escape(str(value), quote=True)


def missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def pct(value: float | None) -> str:
    return DASH if value is None or missing(value) else f"{value:.1%}"


def num(value: float | None, digits: int) -> str:
    return DASH if value is None or missing(value) else f"{value:.{digits}f}"


def usd(value: float | None) -> str:
    """Dollars, with four decimals below one dollar (a cheap model's cost is cents)."""
    if value is None or missing(value):
        return "?"
    return f"${value:,.4f}" if value < 1 else f"${value:,.2f}"


def krw(usd_value: float | None) -> str:
    """The won figure of a dollar amount, at ``KRW_PER_USD``."""
    return "?" if usd_value is None or missing(usd_value) else f"₩{usd_value * KRW_PER_USD:,.0f}"


def share(value: float) -> str:
    """A bar such as 0.8 or 0.825 as "80%" or "82.5%": never rounded to a different bar."""
    return f"{round(value * 100, 6):g}%"


def short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- SVG pieces ----------------------------------------------------------------------------


def _svg(chart_id: str, width: float, height: float, title: str, body: Sequence[str]) -> str:
    return (
        f'<svg id="{chart_id}" role="img" aria-labelledby="{chart_id}-title"'
        f' xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, extra: str = ' stroke="#333"') -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"{extra}/>'


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _accuracy_grid(left: float, right: float, y_of: Callable[[float], float]) -> list[str]:
    body = [_text(14, 14, "정확도 (accuracy)")]
    for level in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = y_of(level)
        body.append(_line(left, y, right, y, ' stroke="#e4e4e4"'))
        body.append(_text(left - 6, y + 4, f"{level:.0%}", anchor="end"))
    return body


# --- accuracy against cost -----------------------------------------------------------------


@dataclass(frozen=True)
class CostAxis:
    """A log-like cost axis that still has a place for zero (a free local model).

    log10(1 + cost / smallest) is 0 at zero cost and grows like log10(cost) above the
    cheapest paid configuration (a "symlog" axis), so a model a hundred times dearer is
    not drawn a hundred times further away and the cheap ones stay apart.
    """

    smallest: float  # the lowest positive cost
    largest: float  # the highest cost (0: every known cost is zero)

    @classmethod
    def over(cls, costs: Sequence[float]) -> CostAxis:
        positive = [c for c in costs if c > 0]
        return cls(min(positive), max(positive)) if positive else cls(1.0, 0.0)

    def position(self, cost: float) -> float:
        """0..1 along the axis."""
        if self.largest <= 0:
            return 0.0
        return math.log10(1 + cost / self.smallest) / math.log10(1 + self.largest / self.smallest)

    def ticks(self) -> list[float]:
        """Zero and powers of ten up to the largest cost, at most about six."""
        if self.largest <= 0:
            return [0.0]
        low = math.floor(math.log10(self.smallest))
        high = math.ceil(math.log10(self.largest))
        powers = [10.0**p for p in range(low, high + 1) if 10.0**p <= self.largest * 1.0001]
        step = max(1, math.ceil(len(powers) / 5))
        return [0.0, *powers[::step]]


@dataclass(frozen=True)
class _CostFrame:
    """Where things go in the cost chart: the known-cost area, then a band for unknowns."""

    axis: CostAxis
    unknown: int  # configurations whose cost is unknown
    width: float = 760.0
    left: float = 64.0
    top: float = 30.0
    bottom: float = 330.0

    @property
    def known_right(self) -> float:
        return self.width - (250.0 if self.unknown else 40.0)

    def x(self, cost: float) -> float:
        return self.left + 10 + self.axis.position(cost) * (self.known_right - self.left - 60)

    def unknown_x(self, index: int) -> float:
        band = self.known_right + 20
        return band + (index + 1) * (self.width - 10 - band) / (self.unknown + 1)

    def y(self, accuracy: float) -> float:
        return self.bottom - accuracy * (self.bottom - self.top)


def cost_accuracy_svg(
    summaries: Sequence[ConfigSummary], *, bar: float | None, best: ConfigSummary | None
) -> str:
    """Accuracy (y) against cost per 1,000 questions (x); unknown costs in a band apart.

    ``bar`` draws a horizontal line; ``best`` (the cheapest configuration meeting it) gets
    a ring with the id ``cheapest-marker``.
    """
    known = [s.cost_per_1000_usd for s in summaries if s.cost_per_1000_usd is not None]
    frame = _CostFrame(CostAxis.over(known), unknown=len(summaries) - len(known))
    body = _accuracy_grid(frame.left, frame.width - 10, frame.y) + _cost_axis(frame)
    if bar is not None:
        y = frame.y(bar)
        body.append(
            _line(
                frame.left,
                y,
                frame.width - 10,
                y,
                f' id="bar-line" stroke="{BAR_COLOUR}" stroke-dasharray="6 4"',
            )
        )
        label = f"기준 (bar) {share(bar)}"
        body.append(_text(frame.width - 14, y - 5, label, anchor="end", extra=_BAR_FILL))
    unknown_index = 0
    for i, s in enumerate(summaries):
        if missing(s.accuracy):
            continue  # no answerable question: nothing to place
        y = frame.y(s.accuracy)
        if s.cost_per_1000_usd is None:
            # labelled below: the band is narrow and its right edge is the chart's
            x = frame.unknown_x(unknown_index)
            unknown_index += 1
            body.append(_point(s, x, y, colour(i), label_at=(x, y + 20), anchor="middle"))
        else:
            x = frame.x(s.cost_per_1000_usd)
            body.append(_point(s, x, y, colour(i), label_at=(x + 10, y - 8)))
        if best is not None and s is best:
            body.append(_cheapest_marker(s, x, y))
    title = "정확도 대 1,000문항당 비용 (accuracy against cost per 1,000 questions)"
    return _svg("chart-cost-accuracy", frame.width, frame.bottom + 60, title, body)


_BAR_FILL = f' fill="{BAR_COLOUR}"'


def _cost_axis(frame: _CostFrame) -> list[str]:
    bottom = frame.bottom
    body = [_line(frame.left, bottom, frame.known_right, bottom)]
    for tick in frame.axis.ticks():
        x = frame.x(tick)
        body.append(_line(x, bottom, x, bottom + 5))
        body.append(_text(x, bottom + 18, f"${tick:g}", anchor="middle"))
    label = "1,000문항당 비용 (cost per 1,000 questions, USD; 로그형 눈금 log-like scale)"
    body.append(_text((frame.left + frame.known_right) / 2, bottom + 40, label, anchor="middle"))
    if frame.unknown:
        band = frame.known_right + 20
        body.append(
            f'<rect id="unknown-cost-band" x="{band:.1f}" y="{frame.top:.1f}"'
            f' width="{frame.width - 10 - band:.1f}" height="{bottom - frame.top:.1f}"'
            ' fill="#f1f1f1"/>'
        )
        centre = (band + frame.width - 10) / 2
        body.append(_text(centre, bottom + 18, "비용 모름 (cost unknown)", anchor="middle"))
    return body


def _point(
    s: ConfigSummary,
    x: float,
    y: float,
    fill: str,
    *,
    label_at: tuple[float, float],
    anchor: str = "start",
) -> str:
    tip = f"{s.config}: {pct(s.accuracy)}, {usd(s.cost_per_1000_usd)} / 1,000"
    return (
        f'<g class="point" data-config="{escape(s.config)}"><title>{escape(tip)}</title>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{fill}"/>'
        + _text(*label_at, short(s.config), anchor=anchor)
        + "</g>"
    )


def _cheapest_marker(s: ConfigSummary, x: float, y: float) -> str:
    label = "★ 기준 충족 최저가 (cheapest meeting the bar)"
    return (
        f'<g id="cheapest-marker" class="cheapest" data-config="{escape(s.config)}">'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="12" fill="none" stroke="{BAR_COLOUR}"'
        ' stroke-width="3"/>'
        + _text(x, y + 28, label, anchor="middle", extra=_BAR_FILL + ' font-weight="bold"')
        + "</g>"
    )


# --- accuracy per tag ----------------------------------------------------------------------


def tag_accuracy_svg(summaries: Sequence[ConfigSummary]) -> str:
    """Grouped bars: accuracy overall and per tag, one bar per configuration."""
    tags = sorted({tag for s in summaries for tag in s.by_tag})
    groups = [("전체 (all)", {s.config: s.accuracy for s in summaries})]
    groups += [(t, {s.config: s.by_tag[t] for s in summaries if t in s.by_tag}) for t in tags]
    n = max(1, len(summaries))
    bar_width = max(6.0, min(18.0, 120.0 / n))
    group_width = n * bar_width + 28
    left, top, bottom = 64.0, 20.0, 260.0
    width = max(520.0, left + len(groups) * group_width + 20)

    def y_of(accuracy: float) -> float:
        return bottom - accuracy * (bottom - top)

    body = _accuracy_grid(left, width - 10, y_of)
    for g, (label, values) in enumerate(groups):
        x0 = left + 14 + g * group_width
        for i, s in enumerate(summaries):
            value = values.get(s.config)
            if value is None or missing(value):
                continue  # this configuration was asked no question with this tag
            y = y_of(value)
            body.append(
                f'<rect class="tag-bar" x="{x0 + i * bar_width:.1f}" y="{y:.1f}"'
                f' width="{bar_width - 1:.1f}" height="{bottom - y:.1f}" fill="{colour(i)}">'
                f"<title>{escape(f'{s.config} · {label}: {pct(value)}')}</title></rect>"
            )
        body.append(_text(x0 + n * bar_width / 2, bottom + 16, short(label, 16), anchor="middle"))
    body.append(_line(left, bottom, width - 10, bottom))
    body += _legend(summaries, left, bottom + 44)
    height = bottom + 44 + 18 * len(summaries) + 10
    return _svg("chart-tag-accuracy", width, height, "태그별 정확도 (accuracy per tag)", body)


def _legend(summaries: Sequence[ConfigSummary], left: float, top: float) -> list[str]:
    body = []
    for i, s in enumerate(summaries):
        y = top + i * 18
        body.append(
            f'<rect x="{left}" y="{y - 10:.1f}" width="12" height="12" fill="{colour(i)}"/>'
        )
        body.append(_text(left + 18, y, s.config))
    return body


# --- latency -------------------------------------------------------------------------------


def nice_step(span: float) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about five ticks over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / 5
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def latency_svg(summaries: Sequence[ConfigSummary], results: Sequence[QuestionResult]) -> str:
    """A box plot of total seconds per configuration: quartiles, median, min and max.

    Failed questions are left out: their time says how fast an error came, not an answer.
    """
    seconds = {
        s.config: [r.total_seconds for r in results if r.config == s.config and not r.error]
        for s in summaries
    }
    largest = max((v for values in seconds.values() for v in values), default=0.0)
    step = nice_step(largest)
    ticks = max(1, math.ceil(largest / step))
    left, right, top, row = 200.0, 720.0, 16.0, 34.0
    bottom = top + row * max(1, len(summaries))

    def x_of(value: float) -> float:
        return left + value / (step * ticks) * (right - left)

    body = []
    for t in range(ticks + 1):
        x = x_of(t * step)
        body.append(_line(x, top, x, bottom, ' stroke="#e4e4e4"'))
        body.append(_text(x, bottom + 16, f"{t * step:g}", anchor="middle"))
    body.append(_text((left + right) / 2, bottom + 36, "초 (seconds)", anchor="middle"))
    for i, s in enumerate(summaries):
        y = top + i * row + row / 2
        body.append(_text(left - 8, y + 4, short(s.config), anchor="end"))
        if seconds[s.config]:
            body.append(_box(s.config, seconds[s.config], y, x_of, colour(i)))
        else:
            body.append(_text(left + 4, y + 4, "자료 없음 (no data)"))
    title = "응답 시간 분포 (latency distribution)"
    return _svg("chart-latency", right + 30, bottom + 48, title, body)


def _box(
    config: str, values: Sequence[float], y: float, x_of: Callable[[float], float], fill: str
) -> str:
    low, q1, median, q3, high = (x_of(percentile(values, q)) for q in (0, 25, 50, 75, 100))
    stats = ", ".join(
        f"{name} {percentile(values, q):.2f}"
        for name, q in (("min", 0), ("p25", 25), ("p50", 50), ("p75", 75), ("max", 100))
    )
    return (
        f'<g class="latency-box" data-config="{escape(config)}">'
        f"<title>{escape(f'{config}: n={len(values)}, {stats} s')}</title>"
        + _line(low, y, high, y, ' stroke="#555"')
        + f'<rect x="{q1:.1f}" y="{y - 9:.1f}" width="{max(1.0, q3 - q1):.1f}" height="18"'
        f' fill="{fill}" fill-opacity="0.35" stroke="{fill}"/>'
        + _line(median, y - 9, median, y + 9, ' stroke="#000" stroke-width="2"')
        + "</g>"
    )
