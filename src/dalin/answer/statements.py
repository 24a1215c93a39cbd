"""A passage as the statements it makes: sentences and table rows, each with its place.

The grounding check compares an answer sentence with the one statement of its source that
it rests on, so the source must be cut where its meaning is cut, not where its lines are:

* a PDF breaks a sentence over lines, at spaces and inside words alike ("수리해" /
  "드립니다", "누설하여" / "서는"): lines of one sentence are joined, with or without a
  space as Kiwi reads the two words best;
* a line that starts a statement of its own is never joined to the one above: a
  paragraph mark (②), an article (제7조), a heading number (3.1), a list item, a table row,
  or anything after a blank line;
* a sentence that opens a bulleted list ("다음의 경우에는 유상으로 수리합니다.") is read
  with its items, which are its conditions;
* a table row ("직급: 임원 | 일비(1일): 40,000원") is one statement.

Each :class:`Statement` keeps its span in the passage, so the source's own words can be
quoted and highlighted exactly when they are shown in place of a flagged sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dalin.ingest.structure import CIRCLED
from dalin.text.korean import has_korean, kiwi, split_sentences


@dataclass(frozen=True)
class Statement:
    """One statement of a passage: its text (lines joined) and its span in the passage."""

    text: str
    start: int
    end: int


_ITEM = re.compile(r"^\s*(?:[-*•·※]|\d{1,2}[.)]\s|[가-하][.)]\s|\(\d{1,2}\))")
_BULLET = re.compile(r"^\s*[-*•·]")
#: a line that starts a statement of its own: a paragraph mark, an article, a heading number
_STARTS = re.compile(
    r"^\s*(?:[" + CIRCLED + r"]|제\s?\d+\s?조|\d+(?:\.\d+)+\s|[A-Z]\.\s|[^\s:|]{1,15}:\s)"
)
_HEADING = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\S{1,20}(?:\s\S{1,20}){0,3}$")
_OPENS_LIST = re.compile(r"(?:다음|아래|following)[^.]*[.:]?$|:$")
_ENDS = re.compile(r"[.?!。:)]$|\|")
#: how much better Kiwi must score two words written together to join a broken line so
_JOIN_MARGIN = 1.0


@dataclass
class _Line:
    text: str
    #: the passage offset of each character of ``text``
    offsets: list[int]


@lru_cache(maxsize=1024)
def statements(passage: str, *, skip_label: bool = True) -> tuple[Statement, ...]:
    """The statements of ``passage``; with ``skip_label``, without its first line (the
    label dalin puts above a passage: "취업규칙.docx · 제12조(연차휴가)")."""
    first = passage.find("\n") + 1 if skip_label and "\n" in passage else 0
    lines = _lines(passage, first)
    out: list[Statement] = []
    for line in lines:
        if out and _BULLET.match(line.text) and _OPENS_LIST.search(out[-1].text.split(" • ")[0]):
            opener = out[-1]
            item = line.text.lstrip("-*•· ")
            out[-1] = Statement(f"{opener.text} • {item}", opener.start, line.offsets[-1] + 1)
            continue
        for sentence in split_sentences(line.text):
            start = line.offsets[sentence.start]
            end = line.offsets[sentence.end - 1] + 1
            out.append(Statement(sentence.text, start, end))
    return tuple(out)


def _lines(passage: str, first: int) -> list[_Line]:
    """Lines of the passage from ``first``, those of one broken sentence joined."""
    lines: list[_Line] = []
    paragraph = True  # a blank line ends a paragraph: never join across it
    position = first
    for raw in passage[first:].split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        offsets = list(range(position + lead, position + lead + len(stripped)))
        position += len(raw) + 1
        if not stripped:
            paragraph = True
            continue
        line = _Line(stripped, offsets)
        previous = None if paragraph or not lines else lines[-1]
        paragraph = False
        if previous is not None and _continues(previous.text, stripped):
            _join(previous, line)
        else:
            lines.append(line)
    return lines


def _continues(previous: str, line: str) -> bool:
    return not (
        _ENDS.search(previous)
        or _HEADING.match(previous)
        or _ITEM.match(line)
        or _STARTS.match(line)
        or _HEADING.match(line)
        or " | " in line
    )


def _join(previous: _Line, line: _Line) -> None:
    """Append ``line`` to ``previous``, with a space unless Kiwi reads the two words at the
    break better written together ("누설하여" + "서는")."""
    left, right = previous.text.rsplit(" ", 1)[-1], line.text.split(" ", 1)[0]
    together = False
    if has_korean(left[-1:]) and has_korean(right[:1]):
        analyse = kiwi().analyze
        spaced = analyse(f"{left} {right}", top_n=1)[0][1]
        joined = analyse(f"{left}{right}", top_n=1)[0][1]
        together = joined > spaced + _JOIN_MARGIN
    if not together:
        previous.text += " "
        previous.offsets.append(previous.offsets[-1] + 1)  # the line break it stands for
    previous.text += line.text
    previous.offsets.extend(line.offsets)


def is_heading(text: str) -> bool:
    """A numbered heading line: "3.5 목표 토크 설정", "4. Zeroing the wrench"."""
    return _HEADING.match(text) is not None


def bigrams(text: str) -> frozenset[str]:
    """Pairs of Hangul letters (or Latin characters) written together."""
    words = re.findall(r"[가-힣]+|[A-Za-z]+", text)
    return frozenset(w[i : i + 2] for w in words for i in range(len(w) - 1))
