"""Tokenisation and sentence splitting: the one place lexical tokens come from.

Every store indexes, and every query is searched with, the tokens made here, so a change
here changes retrieval everywhere (and needs a re-index).

Korean goes through Kiwi (kiwipiepy): content morphemes are kept (nouns, roots, verb and
adjective stems, Hanja) and particles, endings and affixes dropped, so that
``연차휴가는 며칠인가요`` and ``연차휴가 15일`` share ``연차``/``휴가``. Latin script and
numbers are read by one regular expression whatever the surrounding language, so an
English query and a Korean document agree on ``hb200`` or ``3000``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

#: Kiwi tags kept as Korean content morphemes (Sejong tag set as used by Kiwi).
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "XR", "SH", "VV", "VA", "NNB"})
#: What kind of word a Kiwi tag makes: nouns carry the topic of a question, predicates
#: (verb and adjective stems) are the words paraphrase changes most.
_KIND = {
    "NNG": "noun",
    "NNP": "noun",
    "NR": "number",
    "XR": "noun",
    "SH": "noun",
    "VV": "predicate",
    "VA": "predicate",
    "NNB": "unit",
}
#: Dependent nouns so frequent that they only add noise.
_NNB_STOP = frozenset({"것", "수", "등", "때", "바", "데", "중", "뿐", "따름", "듯", "측", "지"})
#: Units that make a number more specific when written right after it ("15일", "3개월").
_UNIT_TAGS = frozenset({"NNB", "NNG"})

_HANGUL_OR_HANJA = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\u4e00-\u9fff]")
_LATIN_OR_NUMBER = re.compile(r"[A-Za-z\u00c0-\u024f0-9]+(?:[.,\-][A-Za-z\u00c0-\u024f0-9]+)*")
_FOUR_SYLLABLES = re.compile(r"^[\uac00-\ud7a3]{4}$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f]+|\d+(?:[.,]\d+)*")

ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


class Term(NamedTuple):
    token: str
    kind: str  # "noun" | "predicate" | "unit" | "number" | "latin" | "code"


_kiwi: Any = None
_kiwi_lock = threading.Lock()


def kiwi() -> Any:
    """The shared Kiwi instance, loaded on first use (about a second)."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def normalize(text: str) -> str:
    """NFC so that decomposed jamo (PDFs, macOS names) match typed syllables."""
    return unicodedata.normalize("NFC", text)


def has_korean(text: str) -> bool:
    return _HANGUL_OR_HANJA.search(text) is not None


def _number_token(raw: str) -> str:
    # "3,000" and "3000" must meet; decimals keep their point.
    return raw.replace(",", "")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """English Snowball stem, so that "zeroing" meets "zero" and "batteries" "battery"."""
    return str(_stemmer().stemWord(word))


#: one Snowball stemmer per thread: a stemmer keeps the word it is working on in itself, so
#: two server threads stemming at once corrupted each other's word (IndexError, a 500)
_STEMMERS = threading.local()


def _stemmer() -> Any:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer


def latin_terms(text: str) -> list[Term]:
    """Words (lower-cased, stemmed), numbers and alphanumeric codes, in any script's text.

    ``HB-200`` gives ``hb``, ``200`` and the code ``hb200``; ``3,000`` gives ``3000``.
    """
    terms: list[Term] = []
    for match in _LATIN_OR_NUMBER.finditer(text):
        raw = match.group()
        if _NUMBER.match(raw):
            terms.append(Term(_number_token(raw), "number"))
            continue
        parts = [_number_token(p.lower()) for p in _LETTERS.findall(raw)]
        for part in parts:
            if part[0].isdigit():
                terms.append(Term(part, "number"))
            elif part not in ENGLISH_STOPWORDS:
                terms.append(Term(_stem(part), "latin"))
        has_digit = any(p[0].isdigit() for p in parts)
        if len(parts) > 1 and has_digit and any(p.isalpha() for p in parts):
            terms.append(Term("".join(parts), "code"))
    return terms


def latin_tokens(text: str) -> list[str]:
    return [t.token for t in latin_terms(text)]


def _korean_terms(morphs: Iterable[Any]) -> list[Term]:
    terms: list[Term] = []
    previous: Any = None
    morphs = list(morphs)
    suffix = -1  # the 되/하 after a misread noun: a suffix, as after any noun
    for i, m in enumerate(morphs):
        tag = m.tag.split("-")[0]  # Kiwi marks irregular conjugations as "VV-I"
        noun = _misread_noun(morphs, i)
        if noun:
            terms.append(Term(noun, "noun"))
            suffix = i + 2
        elif i != suffix and tag in CONTENT_TAGS and _HANGUL_OR_HANJA.search(m.form):
            form = _unglued(m.form) if tag in ("NNG", "NNP") else m.form
            if not (tag == "NNB" and form in _NNB_STOP):
                terms.append(Term(form, _KIND[tag]))
            if tag in ("NNG", "NNP") and _FOUR_SYLLABLES.match(m.form):
                # Kiwi keeps a compound whole in one sentence ("영업시간이") and splits it in
                # another ("영업시간은" → 영업 + 시간); most four-syllable compounds are two
                # two-syllable words, so index the halves as well and both spellings meet.
                terms.extend((Term(m.form[:2], "noun"), Term(m.form[2:], "noun")))
            if (
                previous is not None
                and previous.tag == "SN"
                and tag in _UNIT_TAGS
                and previous.start + previous.len == m.start
            ):
                terms.append(Term(_number_token(previous.form) + m.form, "number"))
        previous = m
    return terms


#: particles Kiwi leaves on an unknown noun after a version or a serial number ("v0.5.0
#: 릴리스부터" → 릴리스부터/NNP): no noun it knows ends in them
_GLUED = re.compile(r"(?<=[가-힣]{2})(?:부터|까지|에서|에게|한테|처럼|마다)$")


def _unglued(form: str) -> str:
    """A noun without the particle Kiwi glued to it: "릴리스부터" → 릴리스."""
    return _GLUED.sub("", form)


#: the jamo Kiwi splits off a noun it misreads as a verb: "보임됐나요" → 보이 + ᆷ + 되
_FINAL_M = "ᆷ"
_HANGUL_BASE, _JONG_M = 0xAC00, 16


def _misread_noun(morphs: Sequence[Any], i: int) -> str:
    """A noun Kiwi read as a verb's stem, an ending ᆷ and 되다/하다 ("보임됐나요" as 보이 + ᆷ
    + 되): no verb takes ᆷ then 되다, so the stem with ᆷ is the noun (보임, 補任). "" else."""
    if i + 2 >= len(morphs) or not morphs[i].tag.startswith("VV"):
        return ""
    ending, verb = morphs[i + 1], morphs[i + 2]
    if ending.form != _FINAL_M or verb.form not in ("되", "하"):
        return ""
    last = ord(morphs[i].form[-1]) - _HANGUL_BASE
    if not 0 <= last < 11172 or last % 28:
        return ""  # the stem's last syllable already has a final consonant
    stem: str = morphs[i].form
    return stem[:-1] + chr(_HANGUL_BASE + last + _JONG_M)


def terms(text: str) -> list[Term]:
    """Lexical tokens of ``text`` with what kind of word each is."""
    return list(_cached_terms(text))


#: Answers re-read the same passages question after question (a business has one handbook),
#: and Kiwi's analysis is most of an extractive answer's time; a bounded cache of the last
#: few thousand texts makes a repeated passage free. Bulk indexing goes through
#: ``tokenize_many`` and does not fill it.
_TERMS_CACHE_SIZE = 4096


@lru_cache(maxsize=_TERMS_CACHE_SIZE)
def _cached_terms(text: str) -> tuple[Term, ...]:
    text = normalize(text)
    found = latin_terms(text)
    if has_korean(text):
        found.extend(_korean_terms(kiwi().tokenize(text)))
    return tuple(found)


def tokenize(text: str) -> list[str]:
    """Lexical tokens of ``text`` for BM25: Korean morphemes plus Latin words and numbers."""
    return [t.token for t in terms(text)]


def tokenize_many(texts: Sequence[str]) -> list[list[str]]:
    """``tokenize`` over many texts, letting Kiwi use its worker threads."""
    texts = [normalize(t) for t in texts]
    result = [latin_tokens(t) for t in texts]
    korean = [i for i, t in enumerate(texts) if has_korean(t)]
    if korean:
        analysed = kiwi().tokenize([texts[i] for i in korean])
        for i, morphs in zip(korean, analysed, strict=True):
            result[i].extend(t.token for t in _korean_terms(morphs))
    return result


# --- sentences -------------------------------------------------------------------------------

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# A sentence ends at . ? ! 。 followed by space, unless the "sentence" so far is only a
# list marker such as "1." or "가." (those open an item, they do not end one).
_END = re.compile(r"(?<=[.?!。])\s+|\n+|(?=[" + _CIRCLED + r"])")
_MARKER_ONLY = re.compile(r"^\s*(?:\d{1,3}|[가-하]|[A-Za-z]|\(\d{1,3}\))[.)]\s*$")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with offsets such that ``text[s.start:s.end] == s.text``."""
    sentences: list[Sentence] = []
    pending_start: int | None = None
    position = 0
    for match in [*_END.finditer(text), None]:
        cut = match.start() if match else len(text)
        nxt = match.end() if match else len(text)
        start = pending_start if pending_start is not None else position
        piece = text[start:cut]
        if _MARKER_ONLY.match(piece):
            pending_start = start  # glue "1." to the item it opens
        else:
            pending_start = None
            _append_trimmed(sentences, text, start, cut)
        position = nxt
    if pending_start is not None:
        _append_trimmed(sentences, text, pending_start, len(text))
    return _close_brackets(text, sentences)


def _close_brackets(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """Rejoin a line cut inside parentheses: "(220 N·m 초과," + "110%)" is one sentence."""
    merged: list[Sentence] = []
    for s in sentences:
        if merged and _open_brackets(merged[-1].text) > 0:
            first = merged.pop()
            s = Sentence(text[first.start : s.end], first.start, s.end)
        merged.append(s)
    return merged


def _open_brackets(sentence: str) -> int:
    return sentence.count("(") - sentence.count(")")


def _append_trimmed(out: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    start += len(piece) - len(piece.lstrip())
    out.append(Sentence(stripped, start, start + len(stripped)))
