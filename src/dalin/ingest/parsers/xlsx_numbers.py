"""Excel number formats: how a numeric cell's stored value is shown.

Covers what business workbooks use: dates and times (shown as ISO 8601 whatever the
format's own pattern, so "2025-01-31" matches however a user types a date), thousands
separators, fixed decimals, percentages, currency and unit literals (#,##0"원", [$₩-412]),
and the positive;negative;zero sections. Anything else (scientific, fractions,
conditions) is shown as the stored number in shortest form, never guessed at.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SHORT_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")

# ECMA-376 Part 1, 18.8.30: built-in formats a file references by id without defining them.
# A date pattern only has to read as a date here: every date is shown as ISO 8601.
BUILTIN_FORMATS: dict[int, str] = {
    1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    # East Asian (ko-KR, ja-JP, zh) built-ins: dates such as yyyy"년" mm"월" dd"일", and
    # 32/33 the times h"시" mm"분" (ss"초"); Korean workbooks use them without a numFmt.
    **dict.fromkeys((*range(27, 32), *range(34, 37), *range(50, 59)), "yyyy-mm-dd"),
    32: "h:mm", 33: "h:mm:ss",
}  # fmt: skip
# quoted text, escaped characters, padding (_x) and fill (*x): never format codes
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.I)
_BRACKETS = re.compile(r"\[[^\]]*\]")
_EPOCH_1900 = datetime(1899, 12, 30)  # serial 1 is 1900-01-01 after Excel's fake 1900-02-29
_EPOCH_1904 = datetime(1904, 1, 1)
_MAX_SERIAL = 2_958_466  # 10000-01-01


@dataclass(frozen=True)
class _Section:
    """One ``;``-separated part of a number format that we can reproduce."""

    prefix: str = ""
    suffix: str = ""
    digits: bool = False
    thousands: bool = False
    min_decimals: int = 0
    max_decimals: int = 0
    percent: bool = False


@dataclass(frozen=True)
class NumberFormat:
    """How a numeric cell is shown: plain, as a date/time, or through number sections."""

    date: bool = False
    time: bool = False
    seconds: bool = False
    elapsed: bool = False
    sections: tuple[_Section, ...] = ()

    @property
    def temporal(self) -> bool:
        return self.date or self.time


GENERAL = NumberFormat()


def classify(code: str) -> NumberFormat:
    """Read a format code once; dates win, then the number formats we can reproduce."""
    bare = _LITERALS.sub("", code)
    elapsed = bool(_ELAPSED.search(bare))
    bare = _BRACKETS.sub("", bare).lower().split(";")[0]
    bare = bare.replace("am/pm", "").replace("a/p", "")
    time = elapsed or "h" in bare or "s" in bare
    date = "y" in bare or "d" in bare or ("m" in bare and not time)  # a lone m is a month
    if date or time:
        return NumberFormat(date=date, time=time, seconds="s" in bare, elapsed=elapsed)
    sections = tuple(_section(part) for part in code.split(";")[:3])
    if any(s is None for s in sections):
        return GENERAL
    return NumberFormat(sections=tuple(s for s in sections if s is not None))


def _section(code: str) -> _Section | None:
    """Prefix, one run of digit placeholders, suffix; None for what we do not reproduce."""
    prefix: list[str] = []
    suffix: list[str] = []
    core = ""
    percent = False
    i = 0
    while i < len(code):
        char, literal = code[i], ""
        if char == '"':
            end = code.find('"', i + 1)
            end = len(code) if end < 0 else end
            literal, i = code[i + 1 : end], end + 1
        elif char in "\\_*":  # escaped character; _x pads to the width of x; *x fills
            literal, i = (code[i + 1 : i + 2] if char == "\\" else ""), i + 2
        elif char == "[":
            end = code.find("]", i)
            end = len(code) if end < 0 else end
            body, i = code[i + 1 : end], end + 1
            if body[:1] in ("<", ">", "="):
                return None  # a conditional section
            literal = body[1:].split("-")[0] if body.startswith("$") else ""  # [$₩-412]
        elif char in "0#?,.":
            if suffix:
                return None  # a second run of digits: fractions, phone numbers ...
            core, i = core + char, i + 1
            continue
        elif char in "EeGg/@":
            return None  # scientific, General inside a section, fractions, text
        else:
            percent, literal, i = percent or char == "%", char, i + 1
        (suffix if core else prefix).append(literal)
    return _core_section("".join(prefix), core, "".join(suffix), percent)


def _core_section(prefix: str, core: str, suffix: str, percent: bool) -> _Section | None:
    integer, _, decimals = core.partition(".")
    if core.endswith(",") or "." in decimals or "," in decimals:
        return None  # scaling by thousands, or not a number pattern
    return _Section(
        prefix=prefix,
        suffix=suffix,
        digits=any(c in core for c in "0#?"),
        thousands="," in integer,
        min_decimals=decimals.count("0"),
        max_decimals=len(decimals),
        percent=percent,
    )


def plain_number(text: str) -> str:
    """A stored number in shortest form: 3000 not 3000.0, 0.3 not 0.30000000000000004.

    Excel keeps 15 significant digits; rounding to them first removes binary noise that
    a formula leaves (0.1+0.2) and that Excel never shows.
    """
    if len(text) <= 15 and _SHORT_DECIMAL.fullmatch(text):  # the common case, kept as written
        return text.rstrip("0").rstrip(".") if "." in text else text
    try:
        value = float(text)
    except ValueError:
        return text
    if not math.isfinite(value):
        return text
    value = float(f"{value:.15g}")
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _render_section(section: _Section, value: float) -> str:
    if not section.digits:
        return section.prefix + section.suffix
    number = Decimal(f"{value * 100 if section.percent else value:.15g}")
    quantum = Decimal(1).scaleb(-section.max_decimals)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:{',' if section.thousands else ''}.{section.max_decimals}f}"
    if section.max_decimals > section.min_decimals:  # "#" decimals are optional digits
        keep = len(text) - (section.max_decimals - section.min_decimals)
        text = text[:keep] + text[keep:].rstrip("0")
        text = text.rstrip(".")
    return section.prefix + text + section.suffix


def _render_date(value: float, fmt: NumberFormat, date1904: bool) -> str | None:
    if not 0 <= value < _MAX_SERIAL:
        return None
    if fmt.elapsed:
        hours, rest = divmod(round(value * 86_400), 3_600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if fmt.seconds else f"{hours}:{minutes:02d}"
    if date1904:
        epoch = _EPOCH_1904
    else:  # Excel counts a 1900-02-29 that never was: serials before it start a day later
        epoch = _EPOCH_1900 if value >= 60 else _EPOCH_1900 + timedelta(days=1)
    moment = epoch + timedelta(seconds=round(value * 86_400))
    clock = moment.strftime("%H:%M:%S" if fmt.seconds else "%H:%M")
    if not fmt.date:
        return clock
    return moment.date().isoformat() + (f" {clock}" if fmt.time else "")


def format_number(text: str, fmt: NumberFormat, date1904: bool) -> str:
    """A numeric cell's stored value shown through its number format."""
    if fmt is GENERAL:
        return plain_number(text)
    try:
        value = float(text)
    except ValueError:
        return text
    if not math.isfinite(value):
        return text
    if fmt.temporal:
        return _render_date(value, fmt, date1904) or plain_number(text)
    sections = fmt.sections
    try:
        if value < 0 and len(sections) > 1:
            return _render_section(sections[1], -value)
        if value == 0 and len(sections) > 2:
            return _render_section(sections[2], value)
        shown = _render_section(sections[0], abs(value))
    except (InvalidOperation, ValueError):  # beyond Decimal's context: show it plainly
        return plain_number(text)
    return "-" + shown if value < 0 and any(c.isdigit() for c in shown) else shown
