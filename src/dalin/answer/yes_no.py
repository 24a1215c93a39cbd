"""Yes/no candidates: the sentence most about the question, and the ruling it makes.

A sentence that rules (permits, forbids) beats one that only names the topic, a heading
never rules; :mod:`dalin.answer.polarity` reads which way it rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.candidates import is_title
from dalin.answer.evidence import Unit
from dalin.answer.polarity import (
    NO,
    YES,
    exception_after,
    has_ruling,
    is_exception,
    other_case,
    rule,
)
from dalin.answer.reader_question import Candidate, Reading, share_of, unit_evidence
from dalin.answer.tables import squash
from dalin.text.korean import tokenize

#: words a question quotes: "'가능하다'라고 쓰면", "“재위탁”"
_QUOTED = re.compile(r"['‘\"“「｢『]([^'’\"”」｣』]{2,30})['’\"”」｣』]")


def ruling_lead(reading: Reading, sentence: str) -> str:
    """예 or 아니요, with the clause that decided it when the sentence has more than one."""
    ruling = rule(sentence, lambda clause: share_of(reading, set(tokenize(clause))))
    word = (YES if ruling.yes else NO)[reading.language]
    clause = re.sub(r"^\s*(?:[-–•·ㅇ○□■※*]|\d{1,2}[.)])\s*", "", ruling.clause).strip()
    return f"{word} — {clause}" if ruling.clause != sentence else word


def yes_no_candidate(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> Candidate | None:
    """The ruling of the sentence most about the question; a sentence that rules (permits,
    forbids) beats one that only names the topic, a heading never rules."""
    scored = []
    # what is asked about the subject: a sentence that neither rules on anything nor names
    # any of it ("Kraxi Systems, Inc." for "Kraxi는 젖은 제품의 반품을 받아 주나요?") is no answer
    predicate = [w for w in reading.words if w not in reading.subject]
    quoted = [squash(q) for q in _QUOTED.findall(reading.question) if len(squash(q)) >= 2]
    for i, (unit, relevance, rank) in enumerate(units):
        if unit.demoted:
            continue
        own = set(tokenize(unit.display))
        share = share_of(reading, own)
        asked = share_of(reading, own, predicate) if predicate else share
        if share == 0 or (asked == 0 and not has_ruling(unit.display)):
            continue
        if other_case(reading.question, unit.display):
            continue
        context = share_of(reading, set(tokenize(f"{unit.context} {unit.hit.section}")) - own)
        rules = 0.2 if has_ruling(unit.display) else -0.3 if is_title(unit) else 0.0
        score = share + 0.5 * context + rules + 0.3 * relevance - 0.02 * rank
        if quoted and any(q in squash(unit.display) for q in quoted):
            score += 0.5  # it writes the words the question quotes ('가능하다')
        if reading.subject:
            # who it is about, and what is asked about them, count alike: "사업자는
            # 공용계정을 …" is about the subject, "공유 폴더는 …" about what is asked
            # (a one-syllable stem, 받 or 하, says too little to count)
            about = [w for w in predicate if len(w) >= 2]
            score += 0.5 * share_of(reading, own, reading.subject)
            score += 0.5 * share_of(reading, own, about) if about else 0.0
        scored.append((score, i))
    if not scored:
        return None
    _, best = max(scored)
    unit = units[best][0]
    candidate = Candidate(max(scored)[0], ruling_lead(reading, unit.display), unit_evidence(unit))
    same_passage = [u for u, _, _ in units if u.hit.chunk_id == unit.hit.chunk_id and not u.demoted]
    index = next(i for i, u in enumerate(same_passage) if u is unit)
    following = exception_after([u.display for u in same_passage], index)
    if following is not None:
        candidate.extra.append(unit_evidence(same_passage[following]))
    elif is_exception(unit.display):
        pass  # the quoted sentence states its own condition
    return candidate
