"""What an article is about, read from its heading: "제8조는 무엇을 정한 조항인가요?" →
"제8조(세율)".

A staff member asks what article N of a rule covers; the document answers in the article's
heading, ``제8조(세율)``, which may stand in a paragraph of its own or in a cell of a
comparison table of old and new text (신·구조문대비표). The best sentence about the rule is
no answer; the heading is. The passages are read in the order of how well they cover the
question's topic, so the 울산 남구 ordinance's 제8조 wins over the 최저임금법 제8조 that the
minutes mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.evidence import article_references, refine_label
from dalin.answer.reader_question import Candidate, Evidence, Reading
from dalin.types import Hit

__all__ = ["article_number", "article_title"]

#: a question asking what an article is about: "무엇을 정한 조항", "무엇에 관한 조문",
#: "무슨 의무를 정한", "어떤 내용의 조항", "what is article 8 about"
_ABOUT = re.compile(
    r"(?:무엇|무슨|어떤|뭘|뭐)[^?？]*(?:조항|조문|규정|정한|정하|관한|다루|내용)"
    r"|(?:조항|조문)[은는이가]?\s*(?:무엇|뭔|뭘)|\bwhat is article\b|\barticle \d+\b.*\babout\b",
    re.IGNORECASE,
)
#: a question for what an article says a thing is, not what it is about: "제1조는 이 계약의
#: 목적을 무엇이라고 정하고 있나요?" (its text, "… 성실하게 업무를 완성하도록 …")
_SAYS = re.compile(r"(?:무엇|뭐)(?:이)?라고")
#: a question about one clause of the article ("제23조 제1항은 …"): the heading names the
#: article, not what that clause says
_CLAUSE = re.compile(r"제\s*\d+\s*항")
#: a title that is a sentence: "제8조 중 “재산분”을 “사업소분”으로 한다."
_SENTENCE = re.compile(r"[.。]\s*$|다\s*$|[“”\"']|^\s*중\s")
#: a title longer than this is a sentence in parentheses, not a heading
_MAX_TITLE = 30


def article_title(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """The heading of the one article the question names and asks about, from the document
    that best covers the question's topic and names that article; None when the question
    asks something else or that document writes no heading for it."""
    named = article_references(reading.question)
    if len(named) != 1 or not _ABOUT.search(reading.question) or _SAYS.search(reading.question):
        return None
    (article,) = named
    if _CLAUSE.search(reading.question):
        return None
    naming = [(hit, share) for hit, share in relevant if article in article_references(hit.text)]
    if not naming:
        return None
    best_doc = max(naming, key=lambda pair: pair[1])[0].doc_id
    own = [(hit, share) for hit, share in naming if hit.doc_id == best_doc]
    for kind in ("title", "bare"):  # a heading in parentheses is surer than a bare line
        for hit, share in own:
            for found in _heading(article).finditer(hit.text):
                title = found.group(kind)
                if title and not _SENTENCE.search(title) and not _quoted(title, reading):
                    return _candidate(article, hit, share, found)
    return None


def _quoted(title: str, reading: Reading) -> bool:
    """Whether the question already writes the heading ("제6조(개인정보의 안전성
    확보조치)는 을에게 어떤 조치를 …"): it asks what the article says, and its own words
    are no answer."""
    return "".join(title.split()) in "".join(reading.question.split())


def article_number(article: str) -> str:
    """A pattern for how a document writes ``article`` ("제5조의2"), spacing aside; "제5조"
    does not match "제5조의2"."""
    number, _, sub = article.removeprefix("제").partition("조")
    return rf"제\s*{number}\s*조" + (
        rf"\s*의\s*{sub.removeprefix('의')}" if sub else r"(?!\s*의\s*\d)"
    )


def _heading(article: str) -> re.Pattern[str]:
    """``제8조(세율)`` anywhere, or ``제21조 경기개시 시간`` alone on its line."""
    digits = article_number(article)
    return re.compile(
        rf"{digits}\s*[(（]\s*(?P<title>[^()（）\n|]{{1,{_MAX_TITLE}}}?)\s*[)）]"
        rf"|^\s*{digits}\s+(?P<bare>[^\n|()]{{2,{_MAX_TITLE}}})\s*$",
        re.MULTILINE,
    )


def _candidate(article: str, hit: Hit, share: float, found: re.Match[str]) -> Candidate:
    """The heading as the lead, its table cell or line as the evidence."""
    text = hit.text
    line_start = text.rfind("\n", 0, found.start()) + 1
    bar = text.rfind(" | ", line_start, found.start())
    cell_start = line_start if bar < 0 else bar + 3
    line_end = text.find("\n", found.end())
    line_end = len(text) if line_end < 0 else line_end
    cell_end = text.find(" | ", found.end())
    cell_end = line_end if cell_end < 0 else min(cell_end, line_end)
    quote = text[cell_start:cell_end]
    label = refine_label(hit.label, text, cell_start)
    evidence = Evidence(hit, label, quote, hit.start + cell_start, hit.start + cell_end,
                        " ".join(quote.split()), hit.page)  # fmt: skip
    title = " ".join((found.group("title") or found.group("bare")).split())
    return Candidate(2.0 + share, f"{article}({title})", evidence, relevance=share)
