"""Which name a figure describes, when one sentence lists several names, each after the
clause that describes it.

Korean puts a describing clause before its noun, and a list of such nouns reads "평균 6개의
단락으로부터 답변을 추론해야 하는 TriviaQA[6]와 두 개의 단락에 대해 멀티홉 추론을 해야 하는
HotpotQA[7]이 있다": 6개 describes TriviaQA, not HotpotQA. A question asking whether
HotpotQA needs 6 paragraphs is answered 아니요 by HotpotQA's own clause.
"""

from __future__ import annotations

import re

#: a name written in Latin letters, a capital among them ("HotpotQA", "SQuAD", "KorQuAD 1.0"
#: reads as KorQuAD), with a citation mark and the joint to the next item after it
_NAME = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*|[A-Z][A-Za-z0-9-]+)")
_JOINT = re.compile(r"\s*(?:\[\d+(?:\s*,\s*\d+)*\])?\s*(?:와|과|및|,)\s*")
#: a figure's number as the question writes it: the 6 of "6개", the 3.5 of "3.5%"
_FIGURE = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)")


def other_name_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 and the clause describing the name asked, when the question pairs a name with a
    figure that the sentence writes only in the clause of another name it lists; None when
    the sentence lists no such names or the asked name's clause writes the figure too."""
    asked = {m[1] for m in _NAME.finditer(question)}
    figures = [m for m in _FIGURE.finditer(question) if m[1] not in _names_digits(question)]
    if not asked or not figures:
        return None
    clauses = _described(sentence)
    if len(clauses) < 2:
        return None
    own = [c for name, c in clauses if name in asked]
    others = [c for name, c in clauses if name not in asked]
    if len(own) != 1 or not others:
        return None
    for figure in figures:
        written = re.compile(r"(?<![\d.,])" + re.escape(figure[1]) + r"(?![\d.,]\d)")
        if written.search(own[0]) is None and any(written.search(c) for c in others):
            return False, own[0]
    return None


def _names_digits(question: str) -> set[str]:
    """The numbers a name writes ("GPT-4", "S8"): no figure the question asks."""
    return set(re.findall(r"\d+(?:\.\d+)?", " ".join(m[1] for m in _NAME.finditer(question))))


def _described(sentence: str) -> list[tuple[str, str]]:
    """Each listed name and the clause before it, up to the previous item's joint: two or
    more names joined by 와/과/및/comma, each after a clause of its own; else empty."""
    items: list[tuple[str, str]] = []
    start = 0
    for match in _NAME.finditer(sentence):
        joint = _JOINT.match(sentence, match.end())
        clause = sentence[start : match.end()].strip()
        described = re.search(r"[가-힣]\s*$", sentence[start : match.start()]) is not None
        if joint is None:
            if items and described:  # the last item: "… 하는 HotpotQA[7]이 있다"
                items.append((match[1], clause))
                break
            continue
        if not described:
            return []  # "TriviaQA, HotpotQA": names listed bare, no clause describes each
        items.append((match[1], clause))
        start = joint.end()
    return items if len(items) >= 2 else []
