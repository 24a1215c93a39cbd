"""What the user sees of a checked model answer: supported sentences with their citations
(each quote the passage sentence that best matches), a sentence its source contradicts
replaced by the source's own words (or a wrong calculation by the recomputed value), and a
sentence no source speaks to kept with a mark; each change flagged with its reason, in the
user's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from dalin.answer.extractive import refine_label
from dalin.answer.grounding import CheckedAnswer, SentenceCheck, claim_terms
from dalin.answer.prompt import Source
from dalin.answer.support import CONFLICTS, reason_text
from dalin.text.korean import Sentence, split_sentences
from dalin.types import Answer, Citation, Hit, SentenceFlag

#: shown after a sentence the sources do not support
UNSUPPORTED_MARK = {"ko": "⚠ (근거 없음)", "en": "⚠ (not supported by the sources)"}
NOTICES = {
    "unverified": {
        "ko": "모델의 답을 문서에서 확인하지 못해 문서에서 찾은 문장을 보여 드립니다.",
        "en": "The model's answer could not be confirmed in your documents, "
        "so here are the sentences found in them.",
    },
    "no_room": {
        "ko": "자료가 모델의 입력 한도에 들어가지 않아 문서에서 찾은 문장을 보여 드립니다.",
        "en": "The sources do not fit in the model's context window, "
        "so here are the sentences found in your documents.",
    },
    "model_failed": {
        "ko": "모델이 답하지 못해 문서에서 찾은 문장을 보여 드립니다.",
        "en": "The model could not answer, so here are the sentences found in your documents.",
    },
    "partly": {
        "ko": "⚠ 표시한 문장은 문서에서 확인되지 않았습니다.",
        "en": "Sentences marked ⚠ could not be confirmed in your documents.",
    },
    "replaced": {
        "ko": "⚠ 표시한 곳은 모델의 문장이 문서와 달라 문서의 문장(또는 다시 계산한 값)으로 "
        "바꾸었습니다.",
        "en": "Where marked ⚠, the model's sentence disagreed with your documents, so their "
        "own words (or the recomputed value) are shown instead.",
    },
}


def replaceable(sentence: SentenceCheck) -> bool:
    """Whether a source sentence says otherwise, to be shown in place of this one."""
    if sentence.supported or not sentence.evidence:
        return False
    return sentence.reason in CONFLICTS or sentence.reason == "verifier"


def compose(
    question: str,
    language: str,
    checked: CheckedAnswer,
    sources: Mapping[int, Source],
    hits: Sequence[Hit],
) -> Answer:
    """The user-facing text: supported sentences cited, contradicted ones replaced by their
    source's words, unsupported ones marked."""
    shown = _Shown(sources, language)
    for sentence in checked.sentences:
        if sentence.supported:
            shown.add(
                sentence.separator, sentence.text, shown.cite(sentence.citations, sentence.text)
            )
        elif sentence.reason == "arithmetic" and "=" in sentence.detail:
            shown.recomputed(sentence)
        elif replaceable(sentence):
            shown.replaced(sentence)
        else:
            shown.marked(sentence)
    notices = [
        NOTICES[key][language]
        for key, used in (("replaced", shown.replacements), ("partly", shown.unsupported))
        if used
    ]
    return Answer(
        question,
        "".join(shown.parts),
        tuple(shown.citations),
        False,
        language,
        "generative",
        tuple(hits),
        unsupported=tuple(shown.unsupported),
        notice=" ".join(notices),
        flags=tuple(shown.flags),
    )


class _Shown:
    """The answer text as it is built: its parts, citations and flags."""

    def __init__(self, sources: Mapping[int, Source], language: str) -> None:
        self.sources = sources
        self.language = language
        self.parts: list[str] = []
        self.citations: list[Citation] = []
        self.flags: list[SentenceFlag] = []
        self.unsupported: list[str] = []
        self.replacements = 0
        self._numbers: dict[tuple[int, int], int] = {}  # (source, quote offset) → number

    def add(self, separator: str, text: str, marks: Sequence[int], suffix: str = "") -> None:
        cited = "".join(f"[{n}]" for n in dict.fromkeys(marks))
        self.parts.append(f"{separator}{text} {cited}{suffix}".rstrip())

    def cite(
        self, sources: Sequence[int], claim: str, flag: str = "", reason: str = ""
    ) -> list[int]:
        """Citation numbers for ``claim`` in ``sources``, new citations made as needed."""
        marks = []
        for source in (self.sources[n] for n in sources):
            quote = best_quote(source, claim)
            marks.append(self._number(source, quote, flag, reason))
        return marks

    def _number(self, source: Source, quote: Sentence, flag: str, reason: str) -> int:
        key = (source.number, quote.start)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
            citation = _citation(self._numbers[key], source.hit, quote)
            self.citations.append(replace(citation, flag=flag, reason=reason))
        return self._numbers[key]

    def replaced(self, sentence: SentenceCheck) -> None:
        """The source's own sentence in place of the model's, behind the reason."""
        message = reason_text(sentence.reason, self.language)
        source = self.sources[sentence.evidence_source]
        quote = _statement(source, sentence)
        text = " ".join(quote.text.split())
        if (source.number, quote.start) in self._numbers:  # already shown: not twice
            self._flag(sentence, message, "removed", text)
            return
        number = self._number(source, quote, sentence.reason, message)
        self.add(sentence.separator, f"{message}: {text}", [number])
        self.replacements += 1
        self._flag(sentence, message, "replaced", text, number)

    def recomputed(self, sentence: SentenceCheck) -> None:
        """A wrong calculation: the expression with the value recomputed from its operands."""
        message = reason_text("arithmetic", self.language)
        marks = self.cite(sentence.citations, sentence.text, "arithmetic", message)
        self.add(sentence.separator, f"{message}: {sentence.detail}", marks)
        self.replacements += 1
        self._flag(sentence, message, "replaced", sentence.detail, marks[0] if marks else 0)

    def marked(self, sentence: SentenceCheck) -> None:
        """A sentence no source speaks to: kept, uncited, with the reason after it."""
        if sentence.reason in ("", "unsupported"):
            mark = UNSUPPORTED_MARK[self.language]
        else:
            mark = f"⚠ ({reason_text(sentence.reason, self.language).removeprefix('⚠ ')})"
        self.parts.append(f"{sentence.separator}{sentence.text} {mark}")
        self.unsupported.append(sentence.text)
        self._flag(sentence, reason_text(sentence.reason or "unsupported", self.language), "marked")

    def _flag(
        self, sentence: SentenceCheck, message: str, action: str, shown: str = "", number: int = 0
    ) -> None:
        self.flags.append(
            SentenceFlag(
                sentence.text,
                sentence.reason or "unsupported",
                message,
                action,
                shown,
                number,
                sentence.detail,
                sentence.verifier,
            )
        )


def _statement(source: Source, sentence: SentenceCheck) -> Sentence:
    """The source statement a flagged sentence was compared with, as a span of the source's
    text: ``evidence_span`` counts from the start of ``source.evidence`` (its header line,
    then the text)."""
    offset = len(source.evidence) - len(source.text)
    start, end = (position - offset for position in sentence.evidence_span)
    if 0 <= start < end <= len(source.text):
        return Sentence(source.text[start:end], start, end)
    return best_quote(source, sentence.evidence)


def best_quote(source: Source, claim: str) -> Sentence:
    """The sentence of the given passage that shares most claim terms with ``claim``.

    Ties go to the earlier sentence (articles state the rule first); numbers count double,
    since a quoted number is what a reader checks first.
    """
    wanted = claim_terms(claim)
    sentences = split_sentences(source.text) or [Sentence(source.text, 0, len(source.text))]

    def shared(sentence: Sentence) -> int:
        common = wanted & claim_terms(sentence.text)
        return len(common) + sum(1 for t in common if t[:1].isdigit())

    return max(sentences, key=lambda s: (shared(s), -s.start))


def _citation(number: int, hit: Hit, quote: Sentence) -> Citation:
    start = hit.start + quote.start
    return Citation(
        number,
        hit.doc_id,
        hit.document,
        refine_label(hit.label, hit.text, quote.start),
        quote.text,
        start,
        start + len(quote.text),
        hit.page,
    )
