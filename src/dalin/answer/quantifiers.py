"""Quantifier words of a sentence, read from Kiwi morphemes (:mod:`dalin.answer.reading`).

A scope word is one of :data:`dalin.answer.lexicon.SCOPE_WORDS` ("항상", "모든", "만" as a
particle …), or an interrogative pronoun closed by a concessive ending: "누가 사망하든",
"어디서 묵든지" say "누구든", "어디든" (Kiwi reads "누구든" itself as 누구 + 이 + 든); so does
a concessive and its own denial, "휴일이든 아니든", "있든 없든".
"""

from __future__ import annotations

from dalin.answer.lexicon import LIST_SUMMARY, SCOPE_WORDS

#: interrogative pronouns that a concessive ending makes universal
_WH = frozenset({"누구", "무엇", "어디", "언제", "어느"})
#: concessive endings: "-든", "-든지", "-더라도"
_CONCESSIVE = frozenset({"든", "든지", "던지", "더라도"})
#: how many morphemes after the pronoun its clause's ending may come
_REACH = 5


def scope_words(forms: list[str], tags: list[str]) -> dict[str, frozenset[str]]:
    """The quantifier words present, by group."""
    found: dict[str, set[str]] = {}
    for i, (form, tag) in enumerate(zip(forms, tags, strict=True)):
        if form == "만" and tag != "JX":
            continue
        # Kiwi reads "누구든" / "언제든지" as pronoun + 이 + 든(지): read them joined too
        rest = forms[i + 1 : i + 3]
        if tag == "NP" and rest[:1] == ["이"] and tags[i + 1] == "VCP":
            rest = rest[1:]
        joined = form + rest[0] if tag == "NP" and rest else form
        for group, words in SCOPE_WORDS.items():
            for word in {form, joined} & words:
                found.setdefault(group, set()).add(word)
        if tag == "NP" and form in _WH and _concessive(forms, tags, i):
            found.setdefault("universal", set()).add(f"{form}든")
        if _whether_or_not(forms, tags, i):
            found.setdefault("universal", set()).add("든 아니든")
    return {g: frozenset(w) for g, w in found.items()}


#: the predicates that deny the one before in "휴일이든 아니든", "있든 없든", "오든 말든"
_DENIALS = frozenset({"아니", "없", "말", "않"})


def _whether_or_not(forms: list[str], tags: list[str], i: int) -> bool:
    """Whether a concessive "-든" at ``i`` is followed by its own denial and "-든" again:
    "휴일이든 아니든" says "in either case", a universal."""
    if forms[i] not in _CONCESSIVE or tags[i] != "EC":
        return False
    after = forms[i + 1 : i + 3]
    return len(after) == 2 and after[0] in _DENIALS and after[1] in _CONCESSIVE


def _concessive(forms: list[str], tags: list[str], start: int) -> bool:
    """Whether the clause after the pronoun at ``start`` ends in "-든(지)", "-더라도"."""
    for j in range(start + 1, min(start + 1 + _REACH, len(forms))):
        if tags[j] == "EC":
            return forms[j] in _CONCESSIVE
        if tags[j] in ("EF", "SF"):
            return False
    return False


def listed(forms: list[str], tags: list[str]) -> bool:
    """Whether "모두" sums up a list just before it ("국어, 영어, 수학 모두")."""
    for i, form in enumerate(forms):
        if form in LIST_SUMMARY:
            before = tags[max(0, i - 6) : i]
            return before.count("SP") + before.count("JC") >= 1
    return False
