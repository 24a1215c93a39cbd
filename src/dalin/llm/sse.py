"""Server-sent events: bytes as they arrive in, the ``data`` of each event out.

Follows the WHATWG event-stream rules that OpenAI-compatible servers rely on: lines end in
CRLF, LF or CR; ``:`` starts a comment (keep-alives); an empty line ends an event; several
``data:`` lines of one event are joined with newlines. Chunks may split anywhere, even
inside a UTF-8 character or between the CR and LF of one line end.
https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
"""

from __future__ import annotations

import re

_LINE_END = re.compile(rb"\r\n|\r|\n")


class SSEDecoder:
    """Feed raw chunks with :meth:`feed`; call :meth:`finish` when the body ends."""

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[str]:
        """The data of every event completed by ``chunk``."""
        self._buffer += chunk
        events: list[str] = []
        start = 0
        for match in _LINE_END.finditer(self._buffer):
            if match.group() == b"\r" and match.end() == len(self._buffer):
                break  # may be the first half of a CRLF split across chunks
            self._line(self._buffer[start : match.start()], events)
            start = match.end()
        self._buffer = self._buffer[start:]
        return events

    def finish(self) -> list[str]:
        """Events the server left unterminated when it closed the stream."""
        events: list[str] = []
        rest, self._buffer = self._buffer.rstrip(b"\r"), b""
        if rest:
            self._line(rest, events)
        self._line(b"", events)
        return events

    def _line(self, raw: bytes, events: list[str]) -> None:
        if not raw:
            if self._data:
                events.append("\n".join(self._data))
                self._data = []
            return
        line = raw.decode("utf-8", errors="replace")
        if line.startswith(":"):
            return
        field, _, value = line.partition(":")
        if field == "data":
            self._data.append(value.removeprefix(" "))
        # event:, id: and retry: do not occur in chat-completion streams; ignoring them is safe
