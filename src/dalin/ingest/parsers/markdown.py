"""Markdown files (CommonMark plus GFM tables), read from markdown-it-py's token stream."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from dalin.errors import EmptyDocument
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.html import html_fragment_text
from dalin.ingest.parsers.text import decode_text, strip_front_matter
from dalin.types import Document

_HIDDEN_TAG = re.compile(r"<(/?)(?:script|style)\b", re.I)
_LITERAL = frozenset({"text", "code_inline", "image"})  # an image's content is its alt text


def inline_text(token: Token) -> str:
    """Plain text of an inline token: markup dropped, line breaks kept, images as alt text."""
    parts: list[str] = []
    hidden = False  # inside an inline <script> or <style>, whose text is not content
    for child in token.children or ():
        if child.type == "html_inline":
            tag = _HIDDEN_TAG.match(child.content)
            hidden = bool(tag and not tag.group(1)) if tag else hidden
        elif hidden:
            continue
        elif child.type in _LITERAL:
            parts.append(child.content)
        elif child.type == "softbreak":
            # A wrapped source line renders as a space; keeping "\n" would cut sentences.
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)


class _TableCollector:
    """Rows of one GFM table; GFM tables always open with their header row."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def on(self, token: Token) -> None:
        if token.type == "tr_open":
            self.rows.append([])
        elif token.type == "inline" and self.rows:
            self.rows[-1].append(inline_text(token))

    def emit(self, builder: DocumentBuilder) -> None:
        if self.rows:
            builder.table(self.rows[0], self.rows[1:])


class _MarkdownWalker:
    """Turns the flat token stream into blocks, tracking lists, headings and tables."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.list_depth = 0
        self.heading_level = 0
        self.table: _TableCollector | None = None

    def walk(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            if self.table is not None:
                self._in_table(token)
            else:
                self._on(token)

    def _in_table(self, token: Token) -> None:
        assert self.table is not None
        if token.type == "table_close":
            self.table.emit(self.builder)
            self.table = None
        else:
            self.table.on(token)

    def _on(self, token: Token) -> None:
        kind = token.type
        if kind == "heading_open":
            self.heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            self.heading_level = 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.list_depth -= 1
        elif kind == "table_open":
            self.table = _TableCollector()
        elif kind == "inline":
            self._text(inline_text(token))
        elif kind in ("fence", "code_block"):
            self.builder.paragraph(token.content)
        elif kind == "html_block":
            self._text(html_fragment_text(token.content))

    def _text(self, text: str) -> None:
        if self.heading_level:
            self.builder.heading(text, self.heading_level)
        elif self.list_depth:
            self.builder.list_item(text)
        else:
            self.builder.paragraph(text)


class MarkdownParser:
    """Markdown: headings with levels, paragraphs, list items, GFM tables, code blocks."""

    suffixes: tuple[str, ...] = (".md", ".markdown")
    format: str = "markdown"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        text = strip_front_matter(decode_text(data, name))
        # "commonmark" caps block nesting (maxNesting), which bounds the work on hostile input.
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
        builder = DocumentBuilder(name, format=self.format)
        _MarkdownWalker(builder).walk(tokens)
        if builder.char_count == 0:
            raise EmptyDocument("the Markdown file holds no text")
        return builder.build()
