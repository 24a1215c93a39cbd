"""The act a yes/no question asks about, and the acts a sentence rules on.

"Test set을 내려받을 수 있나요?" asks whether one may download; "Test set에서 실행할 수
있도록" rules on running, another act, and its 예 would answer a question nobody asked. A
sentence that says what one can or cannot do (``…할 수 있/없``) about other acts only, and
never names the act asked, does not answer. Acts written in one syllable (쓰, 보, 받) are
too common to tell apart and are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from dalin.answer.tables import squash
from dalin.text.korean import kiwi

__all__ = ["SAYING", "asked_act", "asks_said", "rules_other_act"]

#: verbs that carry an act named by the noun before them, or only say can/may
_LIGHT = frozenset(("하", "되", "있", "없", "않", "받", "주", "보"))


#: acts of saying: a question asking whether someone said a thing is ruled by what the
#: sentence says, whatever acts it rules on ("… 체크할 수 있게 …" said by the 위원)
#: (urging is said too: "… 최선을 다해 달라고 당부했나요?")
SAYING = frozenset(
    ("언급", "말하", "얘기", "이야기", "거론", "지적", "강조", "발언", "주장", "설명", "당부",
     "촉구", "부탁")
)  # fmt: skip


def asks_said(question: str) -> bool:
    """Whether a yes/no question asks whether someone said a thing: "… 국민 불안을
    언급했나요?" (not "README에 설명되어 있나요?", which asks what a document holds)."""
    act = asked_act(question)
    return act in SAYING and re.search(rf"{act}\s*(?:되|돼|됐|된)", question) is None


def _is_verb(tag: str) -> bool:
    # "VV-R", "VV-I": a verb whose stem Kiwi restored from a regular or irregular form
    return tag.startswith("VV") or tag == "XSV"


def _act_at(tokens: Sequence[Any], i: int) -> str:
    """The act of the verb at ``i``: the verb itself, or the noun a light verb carries
    ("실행(NNG) 하(XSV)" → 실행)."""
    form = str(tokens[i].form)
    if tokens[i].tag == "XSV" or form in _LIGHT:
        j = i - 1
        if j >= 0 and tokens[j].tag.startswith("JK"):
            j -= 1  # "식사를 하나요"
        return str(tokens[j].form) if j >= 0 and tokens[j].tag in ("NNG", "NNP") else ""
    return form


def asked_act(question: str) -> str:
    """The act a yes/no question asks about: its last verb that is no auxiliary, or the
    noun its light verb carries ("내려받을 수 있나요" → 내려받, "제출할 수 있나요" → 제출).
    Empty when it is shorter than two syllables or there is none, or when the question
    ends on a copula: "회의록에 따르면 진성준 위원이 정책위의장이에요?" asks what someone is,
    and 따르 frames it."""
    tokens = kiwi().tokenize(question)
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].tag in ("VCP", "VCN"):
            return ""
        if _is_verb(tokens[i].tag):
            act = _act_at(tokens, i)
            if act:
                return act if len(act) >= 2 else ""
    return ""


def ruled_acts(sentence: str) -> set[str]:
    """The acts a sentence says one can or cannot do: the verb before ``ㄹ 수 있/없``."""
    tokens = kiwi().tokenize(sentence)
    acts = set()
    for i, token in enumerate(tokens):
        if token.form == "수" and token.tag == "NNB" and i >= 2 and tokens[i - 1].tag == "ETM":
            act = _act_at(tokens, i - 2) if _is_verb(tokens[i - 2].tag) else ""
            if act:
                acts.add(act)
    return acts


def rules_other_act(
    question: str, sentence: str, same: Mapping[str, frozenset[str]] | None = None
) -> bool:
    """Whether ``sentence`` rules on what one can do, only about acts other than the one
    the question asks about, and never names that act. ``same`` maps a word of the sentence
    to the question words it stands for ("반환" for "돌려받", :mod:`dalin.answer.plain_words`)."""
    act = asked_act(question)
    if not act or squash(act) in squash(sentence) or asks_said(question):
        return False  # "… 불안을 언급했나요?" asks what was said: the sentence is the saying
    ruled = ruled_acts(sentence)
    stems = {str(t.form) for t in kiwi().tokenize(sentence)}  # "들어갈" is 들어가
    named = stems.union(*(same.get(s, frozenset()) for s in stems)) if same else stems
    return act not in named and bool(ruled) and all(len(a) >= 2 for a in ruled)
