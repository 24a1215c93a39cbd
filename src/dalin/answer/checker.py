"""The default sentence check: do the cited passages say what the sentence says?

:class:`MeaningChecker` runs these checks on one answer sentence against its passages, in
this order, and reports the first that fails (:data:`dalin.answer.support.REASONS`):

1. **Arithmetic** (:mod:`dalin.answer.arithmetic`): an expression is recomputed exactly; a
   result stated in words ("100,000원씩 3박이라 모두 300,000원", "6명에서 1명으로 5명
   줄었습니다") is looked for among small combinations of the sentence's numbers. A wrong
   result is ``arithmetic``; an operand that no passage, question or tool gives is
   ``number``.
2. **Numbers** (:mod:`dalin.answer.quantities`): every other number must be stated by a
   passage, the question or a tool, with the same value and unit ("7일" is not "30일" nor
   "7개월"); a number only the question holds may set a condition, not be the answer.
3. **Coverage**: at least ``threshold`` of the sentence's content words (nouns, Latin
   words, codes) and numbers are in the passages; below it the sentence is ``unsupported``
   (it brings content of its own); so is a sentence adding with "도" an item no passage
   names ("출장비에는 접대비도 포함됩니다"). Words of a computed result ("합", "평균") count
   as found in a sentence that computes. A Korean name no passage or question writes
   ("오창석 의원", "울산광역시장") is ``entity``.
4. **Meaning** against the statement it rests on (:mod:`dalin.answer.alignment`,
   :mod:`dalin.answer.verdicts`, :mod:`dalin.answer.cases`): polarity (``contradiction``),
   entities (``entity``), scope (``scope``), conditions (``condition``).

A flag comes with the source statement that says otherwise (``Support.evidence`` and its
span), which the answer shows in place of the sentence.

Limits, measured on the check set (``examples/grounding``, docs/benchmarks.md): it reads
words, not meaning. A new claim made of the source's own words ("교정성적서는 별도 비용을
내야 발급됩니다" over "교정성적서를 함께 발급합니다"), a comparison, or a restriction the
source states in a relative clause ("8세 이하의 자녀를 양육하는 직원에게") can pass; the
model verifier (:mod:`dalin.answer.verifier`) is the second line for those.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dalin.answer import bindings, conditions, equivalents, manner, verdicts
from dalin.answer.alignment import FRAME_WORDS, Alignment, Unit, units_of
from dalin.answer.arithmetic import (
    CUES,
    MAX_OPERANDS,
    Operand,
    combination_for,
    derived_factors,
    explicit_calculations,
    operand_tokens,
    result_tokens,
    term_counts,
)
from dalin.answer.quantities import (
    UNITS,
    Quantity,
    canonical_numbers,
    lead,
    number_terms,
    quantities,
    supports,
)
from dalin.answer.reading import read
from dalin.answer.support import CheckContext, ComputedValue, Reason, Support
from dalin.text.korean import has_korean, kiwi
from dalin.tools.calculator import format_number

#: term kinds whose share found in the passages is the sentence's coverage; predicates are
#: left out because paraphrase changes them most ("준다" → "주어집니다", "부여됩니다")
CLAIM_KINDS = frozenset({"noun", "latin", "code"})
_NO_CONTEXT = CheckContext()
#: where a sentence's clauses meet: a comma, "…이며 ", "…하고 "
_CLAUSES = re.compile(r"[,;]\s|(?<=[고며])\s")
_LEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)?")
#: words that name a computed result ("합은 232점", "평균도 88점"): a passage that gives the
#: operands does not say them, so a sentence that computes may use them
RESULT_WORDS = frozenset(
    {"합", "합계", "총합", "총점", "총액", "총계", "평균", "차이", "합산",
     "sum", "total", "average", "difference"}
)  # fmt: skip


@dataclass(frozen=True)
class MeaningChecker:
    """Support by numbers, arithmetic, coverage, polarity, entities, scope and conditions."""

    #: share of content words and numbers that must be in the passages; a faithful
    #: paraphrase keeps its source's nouns and numbers (0.75-1.0 on the check set) while a
    #: claim the passage does not make brings its own (0.2-0.5)
    threshold: float = 0.6

    def check(
        self, sentence: str, passages: Sequence[str], context: CheckContext = _NO_CONTEXT
    ) -> Support:
        return _Check(sentence, passages, context, self.threshold).run()


class _Check:
    """One sentence against its passages; ``run`` returns the verdict."""

    def __init__(
        self, sentence: str, passages: Sequence[str], context: CheckContext, threshold: float
    ) -> None:
        self.sentence = sentence
        self.context = context
        self.threshold = threshold
        self.passages = passages
        self.al = Alignment(sentence, units_of(passages))
        question = quantities(context.question, evidence=True) if context.question else ()
        self.stated = (
            *(q for p in passages for q in quantities(p, evidence=True)),
            *_computed(context.computed),
        )
        self.given = (*self.stated, *question)
        #: a sign of a computation in the sentence ("합하면", "×", "="), read once
        self.canonical = canonical_numbers(sentence)
        # an expression written out ("25,000원 × 3일 = 75,000원") is a computation too, so a
        # total after it in words ("최대 235,000원") is one of its results
        self.cued = bool(CUES.search(self.canonical))
        self.computes = self.cued or bool(explicit_calculations(sentence))
        #: "한 달에", "1년에 한 번": a rate's period and count, which the passages say with
        #: a rate word (월, 연간)
        self.rates = equivalents.rate_tokens(self.canonical, passages)

    def run(self) -> Support:
        claim = self.al.claim
        best = self.al.best()
        verified, failure = self._arithmetic(claim, best)
        if failure is not None:
            return failure
        missing = [
            q
            for q in claim
            if not supports(q, self.given) and lead(q) not in verified and q.token not in self.rates
        ]
        words = _claim_words(self.sentence)
        evidence = _evidence_words(self.passages)
        # a word Kiwi tags one way here and another way there ("즉시" noun or adverb) is still
        # in the passage when its letters are
        found = sum(1 for w in words if self._found(w, self.sentence, evidence))
        total = len(words) + len(claim)
        score = round((found + len(claim) - len(missing)) / total, 3) if total else 0.0
        if missing:
            rival = self._holder_of_kind(missing[0]) or best
            return self._flag("number", score, ", ".join(q.token for q in missing), rival)
        asked = self._asked_answer(verified)
        if asked is not None:  # "누가 1등인가요?" → "칠득이가 1등입니다": the question's number
            return self._flag("number", score, asked.token, best)
        if not total or score < self.threshold:
            return self._flag("unsupported", score, "", best)
        weak = self._weak_clause(evidence)
        if weak:  # "…표시이며, 건전지를 바꾼 뒤에는 반드시 교정을 다시 받아야 합니다"
            return self._flag("unsupported", score, weak, best)
        added = _added_item(self.sentence, self.passages)
        if added:  # "출장비에는 접대비도 포함됩니다": an item the passages never name
            return self._flag("unsupported", score, f"{added}도", best)
        stranger = _unknown_name(self.sentence, (*self.passages, self.context.question))
        # a name in the sentence's own condition sets a case ("부산에서 자면"), not a fact
        supposed = any(stranger in c.terms for c in self.al.reading.conditions)
        if stranger and not supposed:  # "오창석 의원이 발의했습니다": a name no passage has
            return self._flag("entity", score, stranger, best)
        given = self._given(verified)
        # prose or a title matched best and a table row holds the sentence's numbers: the row
        # is the statement the sentence rests on ("3월 평일 경기 개시 시간은 18:30")
        best = verdicts.number_row(self.al, best) or best
        for finding in (
            verdicts.polarity(self.al, best),
            verdicts.entity(self.al, best, given),
            verdicts.scope(self.al, best, given),
            conditions.condition(self.al, best, given),
            manner.dropped(self.al, best, given),
        ):
            if finding is not None:
                return self._flag(finding.reason, score, finding.detail, finding.unit or best)
        # every word is the source's, but one row's value sits with another row's key, or
        # says another of its header's alternatives ("선택 항목" where the row says 필수)
        bound = bindings.find(self.sentence, self.al.units)
        if bound is not None:
            reason, swap = bound
            return self._flag(reason, score, swap.detail, swap.unit)
        return self._support(score, True, "", "", best)

    def _found(self, word: str, text: str, evidence: frozenset[str]) -> bool:
        return (
            word in evidence
            or _written_in(word, self.passages)
            or _surface_in(word, text, self.passages)
            or (self.computes and word.lower() in RESULT_WORDS)
        )

    def _weak_clause(self, evidence: frozenset[str]) -> str:
        """A clause of a sentence of several whose content words (two or more) are mostly
        not the passages' nor the question's: a claim of its own, however well the rest is
        supported ("E01은 배터리 부족 표시이며, 건전지를 바꾼 뒤에는 교정을 다시 받아야")."""
        clauses = [c for c in _CLAUSES.split(self.sentence) if c.strip()]
        asked = self.context.question
        for clause in clauses if len(clauses) > 1 else ():
            words = _claim_words(clause)
            found = [w for w in words if w in asked or self._found(w, clause, evidence)]
            if len(words) >= 2 and 2 * len(found) < len(words):
                return clause.strip()
        return ""

    def _given(self, verified: set[Decimal]) -> verdicts.Given:
        context = self.context
        totals = verified | {v.value for v in context.computed}  # a tool's total is computed
        operands = {Decimal(t.replace(",", "")) for t in operand_tokens(self.sentence)}
        totals |= operands
        return verdicts.Given(
            totals=frozenset(totals),
            operands=frozenset(operands),
            question_terms=read(context.question).terms if context.question else frozenset(),
            before_terms=read(context.before).terms if context.before else frozenset(),
            text=f"{context.question} {context.before}",
        )

    # --- arithmetic ------------------------------------------------------------------------

    def _arithmetic(
        self, claim: Sequence[Quantity], best: Unit | None
    ) -> tuple[set[Decimal], Support | None]:
        """Results recomputed and found right, or the first failure."""
        verified: set[Decimal] = set()
        factors = derived_factors(self.given) | {lead(q) for q in self.given}
        for calc in explicit_calculations(self.sentence):
            if not calc.correct:
                return verified, self._flag("arithmetic", 0.0, calc.shown(), best)
            verified.add(calc.stated)
        operands = {Decimal(t.replace(",", "")) for t in operand_tokens(self.sentence)}
        # "네 명의 평균은 (… + …) ÷ 4": the count is the expression's own; "세 과목 모두 66점"
        # / "88 × 3": the count of a cited row's values is the row's
        verified |= term_counts(self.sentence)
        # "18:00 … 18:30 … 30분 늦게": a duration between two times given here or nearby
        nearby = sorted(self.al.units, key=self.al.rank, reverse=True)[:2]
        verified |= equivalents.durations(
            self.sentence, claim, (n for u in nearby for n in u.numbers)
        )
        if self.computes:  # "두 과목 점수 차이가 24점": the count of the numbers it shows;
            # a count stands for nothing in a sentence that computes nothing ("총인원은 50명")
            verified |= self._row_counts() | _own_counts(claim)
        unknown = [o for o in operands if o not in factors and o not in verified]
        if unknown:
            return verified, self._flag("number", 0.0, _values(unknown), best)
        verified |= operands & factors  # "× 1.1" from "부가세 10%"
        if not self.computes:
            return verified, None  # no sign of a computation: numbers are read, not computed
        results = set(result_tokens(self.sentence))
        for q in claim:
            value = lead(q)
            if value in results or value in operands or value in verified:
                continue
            if equivalents.compared(q, self.canonical) and supports(q, self.given):
                continue  # "5만 원 이상이라": a threshold the passage states, not a result
            pool = self._operand_pool(q, claim)
            result = Operand(value, q.dimension)
            # operands the sentence shows in the result's unit ("5일과 1일을 합하면") are the
            # ones it computes from: the nearest statements' numbers may not stand in
            shown = {lead(o) for o in claim if o is not q and not o.bare and o.dimension}
            kind = [o for o in claim if o.dimension == q.dimension]
            alone = len({lead(o) for o in kind} - {value}) >= 2
            last = alone and kind[-1] is q  # the result, after its operands
            nearest = [] if alone and shown else self._nearest_operands(q, claim)
            if combination_for(result, pool) is not None or (
                combination_for(result, nearest) is not None
            ):
                verified.add(value)  # computed from the others, even when a passage has it
            # a stated value after an expression ("… = 50,000원이고, 숙박비는 80,000원까지")
            # is a result only where a word says it is computed ("모두", "합하면")
            elif pool and (not supports(q, self.given) or (last and shown and self.cued)):
                return verified, self._flag(
                    "arithmetic", 0.0, f"{_fmt(value)}: {_values(o.value for o in pool)}", best
                )
        return verified, None

    def _row_counts(self) -> set[Decimal]:
        """How many values each cited table row holds beside its key (2 or more)."""
        counts = {len(u.cells()) - 1 for u in self.al.units if u.row}
        return {Decimal(n) for n in counts if n >= 2}

    def _operand_pool(self, result: Quantity, claim: Sequence[Quantity]) -> list[Operand]:
        """The numbers a result stated in words may be computed from: the sentence's other
        numbers, those of the previous sentence and of the question, and, when they are
        fewer than two, the passages' numbers of the same kind (at most ``MAX_OPERANDS``)."""
        before = quantities(self.context.before) if self.context.before else ()
        asked = quantities(self.context.question) if self.context.question else ()
        numbers = (*claim, *before, *asked)
        own = [_operand(q) for q in numbers if q is not result and lead(q) != lead(result)]
        pool = list(dict.fromkeys(own))
        if len({o.value for o in pool}) < 2:  # operands not shown: the passages' may be meant
            # those of the table rows the sentence names ("개똥이의 세 과목 합"), if it names any
            named = [n for u in self._named_rows() for n in u.numbers]
            pool += [
                _operand(q)
                for q in (named or self.stated)
                if (q.dimension == result.dimension and not q.bare) or q.cell
                if lead(q) != lead(result)
            ]
        return list(dict.fromkeys(pool))[:MAX_OPERANDS]

    def _named_rows(self) -> list[Unit]:
        """The table rows whose key (the first cell's value) the sentence names."""
        rows = []
        for unit in self.al.units:
            key = next(iter(unit.cells().values()), "") if unit.row else ""
            if len(key) >= 2 and key in self.sentence:
                rows.append(unit)
        return rows

    def _nearest_operands(self, result: Quantity, claim: Sequence[Quantity]) -> list[Operand]:
        """The sentence's other numbers and those of the result's kind in the two statements
        closest to it: "Ø25는 Ø20보다 14,000원 비쌉니다" compares the two rows it names;
        "M10 너트를 1,000개 사면 70,000원" multiplies by the row's price."""
        nearest = sorted(self.al.units, key=self.al.rank, reverse=True)[:2]
        own = [_operand(q) for q in claim if lead(q) != lead(result)]
        numbers = own + [
            _operand(n)
            for u in nearest
            for n in u.numbers
            if (n.dimension == result.dimension or n.cell) and lead(n) != lead(result)
        ]
        return list(dict.fromkeys(numbers))[:MAX_OPERANDS]

    def _holder_of_kind(self, number: Quantity) -> Unit | None:
        """The statement closest to the sentence that states a number of the same kind: the
        one a wrong number contradicts ("20일" → "…15일의 유급휴가를 준다")."""
        kind = [
            u for u in self.al.units
            if any(n.dimension == number.dimension or n.cell for n in u.numbers)
            and (u.reading.main or u.row)
        ]  # fmt: skip
        if not kind:
            return None
        top = max(kind, key=self.al.rank)
        return top if self.al.score(top) else None

    def _asked_answer(self, verified: set[Decimal]) -> Quantity | None:
        """The number the sentence answers with, when only the question holds it: a number
        the user gave may set a condition or an operand, not be the fact asserted."""
        main = self.al.reading.main[0] if self.al.reading.main else ""
        number = _LEADING_NUMBER.match(main.replace(",", ""))
        if number is None:
            return None  # the sentence asserts something other than a number
        for q in self.al.claim:
            if lead(q) == Decimal(number.group()) and lead(q) not in verified:
                return None if supports(q, self.stated) else q
        return None

    # --- the verdict -----------------------------------------------------------------------

    def _flag(self, reason: Reason | str, score: float, detail: str, unit: Unit | None) -> Support:
        return self._support(score, False, reason, detail, unit)

    def _support(
        self, score: float, supported: bool, reason: str, detail: str, unit: Unit | None
    ) -> Support:
        return Support(
            score,
            supported,
            reason,  # type: ignore[arg-type]  # one of REASONS
            detail,
            evidence=unit.text if unit else "",
            passage=unit.passage if unit else -1,
            span=(unit.start, unit.end) if unit else (0, 0),
        )


def _own_counts(claim: Sequence[Quantity]) -> set[Decimal]:
    """Counts of the sentence's own numbers of another unit, with or without the result
    ("국어 89점, 영어 65점으로 두 과목 점수 차이가 24점": 2 of three 점)."""
    kinds = Counter(q.dimension for q in claim if q.dimension)
    out = set()
    for q in claim:
        shown = [n for kind, n in kinds.items() if kind != q.dimension and n >= 2]
        if any(lead(q) in (n, n - 1) for n in shown):
            out.add(lead(q))
    return out


def _operand(q: Quantity) -> Operand:
    return Operand(lead(q), "" if q.cell else q.dimension)


def _computed(values: Iterable[ComputedValue]) -> list[Quantity]:
    out: list[Quantity] = []
    for v in values:
        written = f"{v.value.normalize():f}"
        if v.unit:
            out.extend(quantities(f"{written}{v.unit}", evidence=True))
        else:  # a tool's number has no unit (its cells' header had it): it stands like a cell
            out.append(Quantity(v.value, "", written, cell=True))
    return out


def _claim_words(sentence: str) -> frozenset[str]:
    return frozenset(
        t.token
        for t in number_terms(sentence)
        if t.kind in CLAIM_KINDS
        and t.token not in FRAME_WORDS
        and t.token.lower() not in UNITS
        and any(ch.isalnum() for ch in t.token)
    )


def _evidence_words(passages: Sequence[str]) -> frozenset[str]:
    """The content words of the passages, label lines included (a passage's label names its
    subject: "제12조(연차휴가)")."""
    return frozenset(t.token for p in passages for t in number_terms(p) if t.kind in CLAIM_KINDS)


def _added_item(sentence: str, passages: Sequence[str]) -> str:
    """A noun the sentence adds with "도" ("접대비도", "창립기념일도") that no passage writes:
    "also X" claims X belongs with what the passage lists."""
    if not has_korean(sentence):
        return ""
    tokens = kiwi().tokenize(sentence)
    for i, tok in enumerate(tokens):
        if tok.form != "도" or tok.tag != "JX" or i == 0:
            continue
        start = i
        while start > 0 and tokens[start - 1].tag in _NOUN_TAGS:
            if tokens[start - 1].start + tokens[start - 1].len != tokens[start].start:
                break
            start -= 1
        if start == i:
            continue
        noun = sentence[tokens[start].start : tok.start]
        last = tokens[i - 1].form
        if noun in RESULT_WORDS:
            continue  # "평균도 88점": a computed result, not an item
        if len(noun) >= 2 and not any(noun in p or last in p for p in passages):
            return noun
    return ""


_NOUN_TAGS = frozenset({"NNG", "NNP", "XSN"})


def _unknown_name(sentence: str, texts: Sequence[str]) -> str:
    """A Korean proper noun of the sentence ("오창석", "울산광역시장") that none of
    ``texts`` writes, spaces aside: a name put in the place of the source's."""
    if not has_korean(sentence):
        return ""
    written = " ".join(texts)
    compact = "".join(written.split())
    for tok in kiwi().tokenize(sentence):
        name = str(tok.form)
        if tok.tag != "NNP" or len(name) < 2 or not has_korean(name) or name in compact:
            continue
        # Kiwi takes a common noun and its particle for a name now and then ("오류로")
        if name[-1] in _PARTICLE_ENDS and _common_noun(name[:-1]):
            continue
        return name
    return ""


_PARTICLE_ENDS = frozenset("로은는이가을를에의도와과")


def _common_noun(word: str) -> bool:
    tokens = kiwi().tokenize(word)
    return len(tokens) == 1 and tokens[0].tag == "NNG"


def _written_in(word: str, passages: Sequence[str]) -> bool:
    return len(word) >= 2 and has_korean(word) and any(word in p for p in passages)


def _surface_in(word: str, sentence: str, passages: Sequence[str]) -> bool:
    """Whether the written word a morpheme starts ("렌치를", which Kiwi splits 렌 + 치) is in a
    passage, from one letter more than the morpheme up to the whole word."""
    for written in sentence.split():
        if not written.startswith(word) or not has_korean(word):
            continue
        for end in range(len(written), len(word), -1):
            if any(written[:end] in p for p in passages):
                return True
    return False


def _values(values: Iterable[Decimal]) -> str:
    return ", ".join(_fmt(v) for v in values)


def _fmt(value: Decimal) -> str:
    return format_number(value, places=6)
