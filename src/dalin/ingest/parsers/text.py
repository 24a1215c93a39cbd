"""Plain text files, and the decoding helpers the other text-based parsers share."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from dalin.errors import EmptyDocument, UndecodableText
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.types import Document

# UTF-32 BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0/C1 controls other than tab, newline, form feed, carriage return: text never holds
# many of them, binary data and wrongly decoded text do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_CONTROL_SHARE = 0.01
# Real CP949 text is almost entirely KS X 1001 (the EUC-KR subset); a high share of the
# rarely used UHC extension syllables means some other encoding happened to decode.
_MAX_UHC_EXTENSION_SHARE = 0.05
# A CP949 double-byte character; group 1 is set only for the KS X 1001 (EUC-KR) subset.
_CP949_PAIR = re.compile(rb"([\xa1-\xfe][\xa1-\xfe])|[\x81-\xfe][\x41-\xfe]")
# Without a byte-order mark these "decode" almost any short byte string (UTF-7 is also an
# XSS vector), so the detector may not pick them.
_UNTRUSTED_WITHOUT_BOM = [
    "utf_7",
    "utf_16",
    "utf_16_be",
    "utf_16_le",
    "utf_32",
    "utf_32_be",
    "utf_32_le",
]
_MAX_BAD_UTF8_SHARE = 0.001
_COMPARE_CHARS = 65_536
_MAX_READING_DIFFERENCE = 0.1
# Front matter opens with "---" and a "key:" line; without that key line a leading "---"
# is a Markdown thematic break and the text after it is content.
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?:[A-Za-z_][\w.-]*[ \t]*:.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n\s*")


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROL.findall(text))
    return controls > _MAX_CONTROL_SHARE * max(len(text), 1)


def _plausible_cp949(data: bytes) -> bool:
    """Few of the double-byte characters are UHC extensions (a byte below 0xA1)."""
    pairs = _CP949_PAIR.findall(data)  # aligned: data decoded as CP949, ASCII is never a lead
    extension = pairs.count(b"")
    return extension <= _MAX_UHC_EXTENSION_SHARE * len(pairs)


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 cut inside its last character, or with a rare stray byte, bad bytes dropped.

    Refusing a whole document for one broken byte would lose it for nothing; a few dropped
    bytes are not mojibake, whereas a detector's guess at "almost UTF-8" would be.
    """
    for cut in (1, 2, 3):
        text = _strict(data[:-cut], "utf-8")
        # other multi-byte characters show it is UTF-8; "caf\xe9" is more likely Latin-1
        if text is not None and not text.isascii():
            return text
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return text.replace("\ufffd", "") if bad <= _MAX_BAD_UTF8_SHARE * len(text) else None


_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")
_KANA_OR_KANJI = re.compile(r"[\u3041-\u30ff\u4e00-\u9fff\uf900-\ufaff]")
# What other bytes turn into under CP932 but Japanese text hardly holds: Cyrillic and box
# drawing (lead bytes 0x84, 0x87) and the private use area (lead bytes 0xF0-0xF9).
_UNLIKELY_IN_JAPANESE = re.compile(r"[\u0400-\u04ff\u2500-\u257f\ue000-\uf8ff]")
# An ideograph between two Latin letters ("na鑛e") is how Latin-1 text misread looks.
_LATIN_SANDWICH = re.compile(r"[A-Za-z][\u4e00-\u9fff][A-Za-z]")
_MAX_HALFWIDTH_KANA_SHARE = 0.3


def _plausible_shift_jis(text: str) -> bool:
    """Japanese as CP932 decodes it, rather than Korean, Chinese or Latin-1 bytes misread.

    Korean and Chinese double-byte text misread as CP932 turns mostly into half-width
    katakana, which real Japanese text uses sparingly.
    """
    if not _KANA_OR_KANJI.search(text):
        return False
    if _UNLIKELY_IN_JAPANESE.search(text) or _LATIN_SANDWICH.search(text):
        return False
    wide = sum(1 for c in text if c > "\x7f")
    return len(_HALFWIDTH_KANA.findall(text)) <= _MAX_HALFWIDTH_KANA_SHARE * wide


def _shift_jis(data: bytes) -> str | None:
    """The bytes as Shift-JIS (CP932) when they read as plausible Japanese.

    Tried before the statistical detector, which reads short Shift-JIS text (a CSV
    exported on Japanese Windows) as Korean mojibake or not at all.
    """
    text = _strict(data, "cp932")
    if text is None or _looks_binary(text) or not _plausible_shift_jis(text):
        return None
    return text


def _disagree(text: str, other: str) -> bool:
    """True when two readings differ in more than a few of their non-ASCII characters."""
    if len(text) != len(other):
        return True
    sample, rival = text[:_COMPARE_CHARS], other[:_COMPARE_CHARS]
    non_ascii = sum(1 for c in sample if c > "\x7f")
    differing = sum(1 for a, b in zip(sample, rival, strict=True) if a != b)
    return differing > _MAX_READING_DIFFERENCE * non_ascii


def _detect(data: bytes) -> str | None:
    """The detector's pick, unless it is a guess among equally good, different readings."""
    matches = list(charset_normalizer.from_bytes(data, cp_exclusion=_UNTRUSTED_WITHOUT_BOM))
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    text = str(best)
    if best.coherence == 0:
        # No language recognised: on short text every single-byte code page scores alike
        # ("café" reads as cafщ, cafй, café …), and picking one would index mojibake.
        # Variants of one encoding (cp932 and shift_jis_2004 differ in a few kanji) agree.
        rivals = (m for m in matches if m is not best and m.chaos <= best.chaos)
        if any(_disagree(text, str(m)) for m in rivals):
            return None
    return text


def _guess(data: bytes) -> str | None:
    """Strict UTF-8, then Korean legacy encodings, Shift-JIS, then a statistical detector."""
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    # Detectors often misread short Korean text, so the common Korean case goes first.
    text = _strict(data, "euc_kr")
    if text is not None:
        return text
    text = _strict(data, "cp949")
    if text is not None and _plausible_cp949(data):
        return text
    return _nearly_utf8(data) or _shift_jis(data) or _detect(data)


def _decode_with_bom(data: bytes, name: str) -> str | None:
    matching = [encoding for bom, encoding in _BOMS if data.startswith(bom)]
    for encoding in matching:
        text = _strict(data, encoding)
        if text is not None:
            return text
    if matching:
        raise UndecodableText(
            f"{name} starts with a {matching[-1]} byte-order mark but is not valid "
            f"{matching[-1]}; re-save the file as UTF-8"
        )
    return None


def decode_text(data: bytes, name: str) -> str:
    """Decode the bytes of a text file, or raise UndecodableText rather than return mojibake."""
    text = _decode_with_bom(data, name)
    if text is None:
        text = _guess(data)
    if text is None or _looks_binary(text):
        raise UndecodableText(
            f"cannot tell the text encoding of {name}: it is not UTF-8 or CP949/EUC-KR, no "
            "detector recognises it, or it is binary data; re-save the file as UTF-8"
        )
    return text


def strip_front_matter(text: str) -> str:
    """Drop a YAML front matter block (``---`` … ``---``) at the very top, as Jekyll uses."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    return text.lstrip("\ufeff")[match.end() :] if match else text


def split_paragraphs(text: str) -> list[str]:
    """Split on blank lines; single line breaks stay inside their paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


class TextParser:
    """Plain text: paragraphs separated by blank lines."""

    suffixes: tuple[str, ...] = (".txt", ".text")
    format: str = "text"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        text = decode_text(data, name)
        builder = DocumentBuilder(name, format=self.format)
        for paragraph in split_paragraphs(text):
            builder.paragraph(paragraph)
        if builder.char_count == 0:
            raise EmptyDocument("the file is empty or holds only whitespace")
        return builder.build()
