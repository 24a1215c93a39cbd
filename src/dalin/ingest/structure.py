"""Recognise the structure of Korean regulations and contracts in plain lines.

Korean work rules, contracts and statutes share one outline: 편/장/절/관 headings,
articles ``제12조(연차휴가)``, paragraphs ``①②③``, items ``1. 2.``, sub-items ``가. 나.``,
then ``부칙`` (supplementary provisions) and ``별표``/``별지`` (annexed tables and forms).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# An article heading, not a reference to one: "제12조(연차휴가)", "제12조의2 【…】",
# "제3조 ① …" or a bare "제3조" line — but not "제12조에 따라" or "제12조의 규정". What may
# follow the title is checked apart (``_AFTER_TITLE``): "제76조(부정당업자의 …)에 해당되는"
# is a reference whose title the writer quoted.
_ARTICLE = re.compile(
    r"^제\s*(?P<num>\d{1,4})\s*조(?:\s*의\s*(?P<sub>\d{1,3}))?"
    r"(?:\s*(?P<title>[(\[【〔][^)\]】〕\n]{1,40}[)\]】〕])|(?=\s*[" + CIRCLED + r"])|(?=\s*$))"
)
# After a heading's title: the end of the line, a paragraph mark, an amendment note
# ("<개정 2020. 1. 1.>", "[전문개정 …]") or the article's text after a space. A particle
# glued to the bracket ("…)에 따른", "…)의") or a conjunction ("… 및 제4조") continues a
# sentence that cites the article.
_AFTER_TITLE = re.compile(r"$|[\s" + CIRCLED + r"<\[〈]")
_CONTINUATION = re.compile(
    r"^\s*(?:및|또는|내지|부터|까지|등의|에\s|의\s|[,·ㆍ、]|제\s*\d+\s*[항호조])"
)
# A bare heading, "제21조 경기개시 시간": the number, a space, a short title and nothing
# else on the line but perhaps the first paragraph mark.
_BARE_ARTICLE = re.compile(
    r"^제\s*(?P<num>\d{1,4})\s*조(?:\s*의\s*(?P<sub>\d{1,3}))?\s+"
    r"(?P<title>[^\s" + CIRCLED + r"][^\n" + CIRCLED + r"]{1,39}?)\s*(?=[" + CIRCLED + r"]|$)"
)
# Why a bare title is not a title: it starts like the rest of a citation ("제5조 제3항 …",
# "제5조 및 …"), reads as a sentence (an ending, a full stop, a citing phrase) or stops on
# a particle that needs more words after it.
_NOT_A_TITLE_START = re.compile(
    r"^(?:제\s*\d|및|또는|내지|부터|까지|에|의|중|각|[,·ㆍ、.(\[「『<])"
)
_SENTENCE = re.compile(
    r"다[.\s]|다$|[.。!?]$|니다|에\s*따[라른]|에\s*의[한하]|에도\s*불구|준용|의\s*규정|에서\s*정[한하]"
    r"|에\s*해당|에\s*규정|(?:은|는|을|를|에|에서|으로|하여|하고|하며|되어|하는|되는|및|또는)$"
)
# A line that ends a law's name: the next line's "제3조(…)" cites that law's article.
_LAW_NAME_END = re.compile(r"(?:[」』]|법|령|규칙|규정|조례|같은\s*법)\s*$")
_PART = re.compile(r"^제\s*(?P<num>\d{1,3})\s*(?P<kind>편|장|절|관)(?=\s|$)(?P<rest>[^\n]{0,60})")
_SUPPLEMENT = re.compile(r"^부\s*칙(?=\s|$|[<(\[〈])[^\n]{0,60}")
_ANNEX = re.compile(
    r"^[\[<【]?\s*별\s*(?P<kind>표|지)\s*(?:제?\s*(?P<num>\d{1,3})\s*호?)?\s*[\]>】]?"
)

PART_LEVEL = {"편": 1, "장": 2, "절": 3, "관": 4}
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Marker:
    """A structural line: what it opens and the label it gives."""

    kind: str  # "article" | "part" | "supplement" | "annex"
    label: str
    level: int = 0


def match_marker(line: str, previous: str = "") -> Marker | None:
    """The structure a line opens, if it opens one.

    ``previous`` is the line before it in the same block, when there is one: a line
    starting "제3조(…)" right after "「의료법」" goes on citing that law (a PDF wrapped the
    sentence there) and opens nothing.
    """
    line = line.strip()
    if not line.startswith(("제", "부", "별", "[", "<", "【")):
        return None
    if line.startswith("제") and (article := _article(line, previous)) is not None:
        return article
    if m := _PART.match(line):
        return Marker("part", line[: m.end()].strip(), PART_LEVEL[m["kind"]])
    if m := _SUPPLEMENT.match(line):
        return Marker("supplement", "부칙")
    if m := _ANNEX.match(line):
        return Marker("annex", f"별{m['kind']}" + (f" {m['num']}" if m["num"] else ""))
    return None


def _article(line: str, previous: str) -> Marker | None:
    """An article heading (titled, bare or untitled) at the start of ``line``."""
    if _LAW_NAME_END.search(previous):
        return None
    if m := _ARTICLE.match(line):
        rest = line[m.end() :]
        if m["title"] and (not _AFTER_TITLE.match(rest) or _CONTINUATION.match(rest)):
            return None
        label = f"제{m['num']}조" + (f"의{m['sub']}" if m["sub"] else "")
        if m["title"]:
            label += "(" + m["title"][1:-1].strip() + ")"
        return Marker("article", label)
    m = _BARE_ARTICLE.match(line)
    if m is None:
        return None
    title = m["title"].strip()
    if _NOT_A_TITLE_START.match(title) or _SENTENCE.search(title) or not _HANGUL.search(title):
        return None
    number = f"제{m['num']}조" + (f"의{m['sub']}" if m["sub"] else "")
    return Marker("article", f"{number} {title}")


def circled_numbers(text: str) -> list[str]:
    """The paragraph markers (①, ②, …) in ``text``, in order."""
    return [c for c in text if c in CIRCLED]


# --- tables of contents ------------------------------------------------------------------

# An entry: a title, a leader of dots (or middle dots, ellipses) and the page it starts on,
# "Ⅰ. 제안경위 ········ 1". Pages have at most three digits, so a price list's
# "아메리카노 ······ 4500" is not one.
_TOC_ENTRY = re.compile(
    r"\S.*?(?:[.·…‥ㆍ・∙•]\s*){4,}\s*(?:\d{1,3}|[ivxlc]{1,6})(?=\s|$)", re.IGNORECASE
)
_TOC_TITLE = re.compile(r"^(?:목\s*차|차\s*례|contents|table\s+of\s+contents)$", re.IGNORECASE)
#: lines of a title or chapter above the first entry ("목 차", "Ⅰ. 사업 개요")
_TOC_LEAD_LINES = 2
# a sentence ends inside the line ("…바랍니다. ◯위원장"): text, not a chapter title
_SENTENCE_END = re.compile(r"[가-힣a-z][.?!](?:\s|$)")
_TOC_LEAD_CHARS = 40


def is_toc_entry(line: str) -> bool:
    """Whether a line is an entry of a table of contents (title, dot leader, page)."""
    return _TOC_ENTRY.match(line.strip()) is not None


def toc_lines(lines: Sequence[str]) -> list[bool]:
    """Which lines of a block belong to a table of contents.

    Entries (``is_toc_entry``) count when a block has two of them; so do the lines between
    entries (chapter titles without a page, an entry wrapped onto two lines) and a short
    title line or two just above the first entry ("목 차").
    """
    entries = [is_toc_entry(line) for line in lines]
    if sum(entries) < 2:
        return [False] * len(lines)
    marked = list(entries)
    first, last = entries.index(True), len(entries) - 1 - entries[::-1].index(True)
    for i in range(first, last):
        marked[i] = marked[i] or bool(lines[i].strip())
    for i in range(first - 1, max(first - 1 - _TOC_LEAD_LINES, -1), -1):
        line = lines[i].strip()
        title = len(line) <= _TOC_LEAD_CHARS and not _SENTENCE_END.search(line)
        if not (_TOC_TITLE.match(line) or title):
            break
        marked[i] = True
    return marked


# --- page numbers --------------------------------------------------------------------------

# A line that is only a printed page number: "12", "- 3 -", "― 3 ―", "(3)", "3 / 10",
# "Page 3 of 10", "p. 3", "3쪽", "iv".
_FOLIO = re.compile(
    r"^[-–—―(\[<〈]?\s*(?:page\s*|p\.\s*)?(?P<n>\d{1,4}|[ivxlc]{1,7})\s*(?:쪽|페이지)?"
    r"\s*(?:(?:/|of)\s*\d{1,4})?\s*[-–—―)\]>〉]?$",
    re.IGNORECASE,
)


def folio(line: str) -> str | None:
    """The page number a line prints, when the line is nothing but a page number."""
    m = _FOLIO.match(line.strip())
    return m["n"] if m else None


# --- numbered headings ---------------------------------------------------------------------

# A line a writer numbered as a heading: "Ⅱ. 제안이유 및 주요내용", "1. 개요", "가. 추진배경",
# "2) 세부 내용", "□ 기본 정보". Short, and not a sentence, a form's "label : value" or a
# table row as dalin renders it.
_NUMBERED = re.compile(
    r"^(?P<mark>[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,3}\.?|(?:I|II|III|IV|V|VI|VII|VIII|IX|X)\.|\d{1,2}\.(?!\d)"
    r"|[가-하]\.|\d{1,2}\)(?!\d)|[가-하]\)|\(\d{1,2}\)|[□■▣])\s*\S"
)
_HEADING_CHARS = 50
_NOT_A_HEADING = re.compile(r"[:：|]|다[.!?]?$|[.。!?]$|[·.…]{4}")


def numbered_heading(line: str, neighbours: Sequence[str] = ()) -> bool:
    """Whether a line is a heading its writer numbered (or marked with □). ``neighbours``
    are the lines around it: lines numbered alike nearby ("45. …", a wrapped line,
    "46. …") make a list, not headings — except □ headings, which often follow one
    another."""
    line = line.strip()
    m = _NUMBERED.match(line)
    if m is None or len(line) > _HEADING_CHARS or _NOT_A_HEADING.search(line):
        return False
    shape = _shape(m["mark"])
    return shape == "□" or shape not in {_mark_shape(n) for n in neighbours}


def _shape(mark: str) -> str:
    """A numbering mark without its number: "12." → "0.", "가)" → "가)"."""
    return re.sub(r"\d+", "0", re.sub(r"[가-하]", "가", re.sub(r"[□■▣]", "□", mark)))


def _mark_shape(line: str) -> str:
    m = _NUMBERED.match(line.strip())
    return _shape(m["mark"]) if m else ""
