"""What an English sentence asserts, read from its words (not, never, always, only, if,
unless …): the same :class:`~dalin.answer.reading.Reading` as for Korean, coarser."""

from __future__ import annotations

import re

from dalin.answer.lexicon import EN_AUX, EN_NEGATORS, EN_WORD, SCOPE_WORDS
from dalin.answer.reading import Condition, Reading
from dalin.text.korean import latin_terms

_PASSIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|being)(?:\s+not|n't)?\s+(\w+ed|\w+en)\b", re.IGNORECASE
)


def read_english(text: str) -> Reading:
    words = [w.lower() for w in EN_WORD.findall(EN_AUX.sub(r"\1 not", text))]
    content = frozenset(t.token for t in latin_terms(text))
    negated = sum(1 for w in words if w in EN_NEGATORS) % 2 == 1
    scope: dict[str, frozenset[str]] = {}
    for group, members in SCOPE_WORDS.items():
        present = frozenset(w for w in words if w in members)
        if present:
            scope[group] = present
    # "X is (not) covered by the warranty": the participle is the claim, not the last noun
    passive = _PASSIVE.search(text)
    heads = [t for t in latin_terms(passive.group(1)) if t.kind == "latin"] if passive else []
    main_word = heads[0] if heads else None
    if main_word is None:
        main_word = next((t for t in reversed(latin_terms(text)) if t.kind == "latin"), None)
    conditions = _english_conditions(text)
    return Reading(
        text=text,
        terms=content,
        heads={main_word.token: negated} if main_word else {},
        main=(main_word.token, negated) if main_word else None,
        scope=scope,
        conditions=conditions,
        question=text.rstrip().endswith("?"),
        listed="both" in words,
    )


def _english_conditions(text: str) -> tuple[Condition, ...]:
    """ "if …", "unless …", "when …" clauses and a "that …" clause narrowing the subject."""
    out = []
    lowered = text.lower()
    for match in re.finditer(r"\b(if|unless|when|provided|only)\b([^,.;:]*)", lowered):
        terms = frozenset(t.token for t in latin_terms(match.group(2)))
        before = frozenset(t.token for t in latin_terms(lowered[: match.start()]))
        if terms:
            out.append(Condition(terms, before))
    relative = re.match(
        r"^\s*\w+(?:\s+\w+)?\s+(?:that|which|who)\b(.*?)\b(?:are|is|were|was)\b", lowered
    )
    if relative is not None:
        terms = frozenset(t.token for t in latin_terms(relative.group(1)))
        rest = frozenset(t.token for t in latin_terms(lowered[relative.end() :]))
        if terms:
            out.append(Condition(terms, rest))
    return tuple(out)
