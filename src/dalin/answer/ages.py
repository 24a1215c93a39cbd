"""Someone's age as the press and rosters write it: in brackets after the name, alone or
before an affiliation ("김하성(27·샌디에이고 파드리스)", "홍길동(45) 팀장"). A question for
"김하성 나이는 몇 살" finds no 나이 in such a sentence, yet the sentence states it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.evidence import Unit
from dalin.answer.reader_question import Candidate, Reading, unit_evidence

__all__ = ["age_candidate"]

#: a question for someone's age: "나이는 몇 살", "몇 살이에요", "how old"
_ASKS_AGE = re.compile(r"나이|몇\s*살|연세|\bhow old\b|\bage\b", re.IGNORECASE)
#: an age in brackets after a name: "김하성(27·샌디에이고", "홍길동(45)", "Kim (27, "
_BRACKETED = r"{name}\s*[(（]\s*(\d{{1,2}})\s*(?:세|살)?\s*(?:[·ㆍ,，/][^()（）]{{0,30}})?[)）]"


def age_candidate(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The name and the brackets that give its age ("김하성(27·샌디에이고 파드리스)"), from the
    best-ranked unit that writes them; None unless the question asks an age."""
    if not _ASKS_AGE.search(reading.question):
        return None
    names = [w for w in reading.words if len(w) >= 2 and w in reading.question]
    for unit, relevance, _ in units:
        for name in names:
            found = re.search(_BRACKETED.format(name=re.escape(name)), unit.display)
            if found is not None and 10 <= int(found.group(1)) <= 110:
                # the brackets as written: the reader writes no word the document does not
                return Candidate(1.0, found.group(), unit_evidence(unit), relevance=relevance)
    return None
