"""Recognise the structure of Korean regulations and contracts in plain lines.

Korean work rules, contracts and statutes share one outline: 편/장/절/관 headings,
articles ``제12조(연차휴가)``, paragraphs ``①②③``, items ``1. 2.``, sub-items ``가. 나.``,
then ``부칙`` (supplementary provisions) and ``별표``/``별지`` (annexed tables and forms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# An article heading, not a reference to one: "제12조(연차휴가)", "제12조의2 【…】",
# "제3조 ① …" or a bare "제3조" line — but not "제12조에 따라" or "제12조의 규정".
_ARTICLE = re.compile(
    r"^제\s*(?P<num>\d{1,4})\s*조(?:\s*의\s*(?P<sub>\d{1,3}))?"
    r"(?:\s*(?P<title>[(\[【〔][^)\]】〕\n]{1,40}[)\]】〕])|(?=\s*[" + CIRCLED + r"])|(?=\s*$))"
)
_PART = re.compile(r"^제\s*(?P<num>\d{1,3})\s*(?P<kind>편|장|절|관)(?=\s|$)(?P<rest>[^\n]{0,60})")
_SUPPLEMENT = re.compile(r"^부\s*칙(?=\s|$|[<(\[〈])[^\n]{0,60}")
_ANNEX = re.compile(
    r"^[\[<【]?\s*별\s*(?P<kind>표|지)\s*(?:제?\s*(?P<num>\d{1,3})\s*호?)?\s*[\]>】]?"
)

PART_LEVEL = {"편": 1, "장": 2, "절": 3, "관": 4}


@dataclass(frozen=True)
class Marker:
    """A structural line: what it opens and the label it gives."""

    kind: str  # "article" | "part" | "supplement" | "annex"
    label: str
    level: int = 0


def match_marker(line: str) -> Marker | None:
    """The structure a line opens, if it opens one."""
    line = line.strip()
    if not line.startswith(("제", "부", "별", "[", "<", "【")):
        return None
    if m := _ARTICLE.match(line):
        label = f"제{m['num']}조" + (f"의{m['sub']}" if m["sub"] else "")
        if m["title"]:
            label += "(" + m["title"][1:-1].strip() + ")"
        return Marker("article", label)
    if m := _PART.match(line):
        return Marker("part", line[: m.end()].strip(), PART_LEVEL[m["kind"]])
    if m := _SUPPLEMENT.match(line):
        return Marker("supplement", "부칙")
    if m := _ANNEX.match(line):
        return Marker("annex", f"별{m['kind']}" + (f" {m['num']}" if m["num"] else ""))
    return None


def circled_numbers(text: str) -> list[str]:
    """The paragraph markers (①, ②, …) in ``text``, in order."""
    return [c for c in text if c in CIRCLED]
