"""The words the grounding check reads meaning by: negators, scope words, antonyms, roles,
and the endings that make a clause a condition.

Lists, not rules: the rules that use them are in :mod:`dalin.answer.reading` and
:mod:`dalin.answer.verdicts`. A business with its own vocabulary of roles or opposites
extends these sets; every word here was needed by a sentence of the check set
(``examples/grounding``).
"""

from __future__ import annotations

import re

# fmt: off
#: quantifier words by group; a sentence that adds a group its source lacks changes scope
SCOPE_WORDS: dict[str, frozenset[str]] = {
    "universal": frozenset(
        {
            "항상",
            "언제나",
            "늘",
            "언제든",
            "언제든지",
            "모든",
            "모두",
            "전부",
            "누구나",
            "누구든",
            "누구든지",
            "무조건",
            "관계없이",
            "상관없이",
            "예외없이",
            "어떤",
            "아무런",
            "항시",
            "매번",
            "always",
            "all",
            "every",
            "any",
            "regardless",
            "whatever",
            "whenever",
            "never",
        }
    ),
    "restrictive": frozenset(
        {"만", "뿐", "오직", "단지", "한하", "한정", "only", "solely", "exclusively"}
    ),
}
#: words that mean the same within a scope group only alongside a list ("A, B, C 모두")
LIST_SUMMARY = frozenset({"모두", "all", "both"})
#: opposite words: a sentence holding one where its source holds the other contradicts it
ANTONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(pair)
    for pair in (
        ("유급", "무급"),
        ("같", "다르"),
        ("유상", "무상"),
        ("유료", "무료"),
        ("포함", "제외", "별도"),
        ("허용", "불허", "금지"),
        ("가능", "불가", "불가능"),
        ("이상", "미만"),
        ("초과", "이하"),
        ("필요", "불필요"),
        ("시내", "시외"),
        ("평일", "주말", "휴일"),
        ("included", "excluded"),
        ("free", "paid"),
        ("clockwise", "counter"),
    )
)
#: heads that say "cannot" or "must not" about their subject
NEGATIVE_HEADS = frozenset({"어렵", "곤란", "불가", "불가능", "금지", "불허", "불필요", "금하"})
#: heads that say "can" or "must" about their subject (they pass it their polarity too)
MODAL_HEADS = frozenset({"가능", "필요", "허용", "되"}) | NEGATIVE_HEADS
#: heads that say one thing in two words: the claim is the same
HEAD_SYNONYMS = {
    "들": "포함", "담기": "포함", "빠지": "제외", "빼": "제외", "동일": "같", "쓰": "사용",
}
#: modal heads that say nothing without their subject: the subject is the main claim
GENERIC_MODALS = frozenset({"가능", "불가", "불가능", "어렵", "곤란", "필요", "불필요", "되"})
#: verbs too light to be what a clause asserts: the noun before them is ("반품을 하다")
LIGHT = frozenset({"하", "되", "받", "주", "드리", "있", "시키", "이루", "두", "가", "오"})
NEGATING_VX = frozenset({"않", "못", "말", "아니하", "못하"})
#: the morphemes that negate the head before them in a clause, by Kiwi tag
NEGATORS: dict[str, frozenset[str]] = {
    "VX": NEGATING_VX,
    "VCN": frozenset({"아니"}),
    "VA": frozenset({"없", "어렵"}),
    "MAG": frozenset({"안", "못", "아니"}),
}
AUX_AFTER = {"지": NEGATING_VX, "어": None, "아": None, "어야": None, "고": None, "게": None}
CONDITION_EC = frozenset({"면", "으면", "려면", "으려면", "라면", "이면", "거든", "다면"})
CONDITION_NOUNS = frozenset({"경우", "때", "시"})
#: what must happen before a claim holds: "직원과 합의하여", "승인을 받아"
PRIOR_STEPS = frozenset({"합의", "동의", "승인", "허락", "협의"})
TOPIC_MARKS = frozenset({"JX", "JKS"})
#: connective endings that close a claim ("…켜지고, 2초 이상 누르면 꺼집니다")
CLAUSE_END = frozenset({"고", "며", "으며", "지만", "는데", "은데", "나", "으나"})
#: connective endings giving a reason: "…주문이라", "…1일이므로"
REASON_EC = frozenset({"라", "이라", "므로", "으므로", "니까", "으니까", "니", "으니"})
ROLE_MARK = {
    "을": "object",
    "를": "object",
    "에게": "to",
    "께": "to",
    "한테": "to",
    "에": "to",
    "부터": "from",
    "에서": "from",
    "로부터": "from",
    "까지": "until",
    "의": "of",
    "이": "subject",
    "가": "subject",
    "은": "subject",
    "는": "subject",
    "께서": "subject",
}
#: the parties every rule of a work regulation speaks of: "직원이 퇴직한 경우" restricts a claim
#: about 퇴직, not about which party retires
PARTIES = frozenset({"직원", "회사", "근로자"})
#: role classes: two members of one class in the same slot are a swap, not a paraphrase
ROLES = frozenset(
    {
        "임원",
        "부장",
        "차장",
        "과장",
        "대리",
        "주임",
        "사원",
        "대표이사",
        "대표",
        "이사",
        "부서장",
        "팀장",
        "직원",
        "수습직원",
        "경력직원",
        "위원장",
        "사무관",
        "차관",
        "장관",
        "갑",
        "을",
        "본인",
        "배우자",
        "자녀",
        "부모",
        "조부모",
        "외조부모",
        "형제자매",
        "고객",
        "거래처",
        "회사",
        "근로자",
        "신고자",
    }
)

#: English
EN_NEGATORS = frozenset({"not", "no", "never", "cannot", "without", "nor"})
EN_CONDITIONS = frozenset({"if", "unless", "when", "whenever", "provided", "only"})
EN_RELATIVE = frozenset({"that", "which", "who"})
EN_AUX = re.compile(r"\b(\w+)n't\b", re.IGNORECASE)
EN_WORD = re.compile(r"[A-Za-z]+|\d[\d,.]*")
# fmt: on
