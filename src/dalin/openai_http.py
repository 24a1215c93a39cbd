"""The HTTP layer every OpenAI-compatible client of dalin shares (chat models, embeddings).

One place for what the two clients used to write twice, and let drift:

* :class:`Endpoint` — an ``httpx.Client`` for one server, with the API key as a bearer token
  and retries (tenacity) of what may pass: connections that could not be made, and 408, 429
  and 5xx refusals, with exponential backoff and full jitter, honouring ``Retry-After`` up
  to a ceiling. A read timeout is never retried: the server got the request and is still
  working on it, and a second copy would only queue behind the first.
* :func:`classify` — what a refusal means (:class:`Refusal`), whichever of the servers'
  error shapes it came in; each client words it as its own error class.
* :func:`api_key` — which environment variable's key may go to which host.
* :func:`public_url` — a URL without ``user:password@``, for names and messages.
* :func:`sse_data` — the ``data`` of each server-sent event of a streamed reply (httpx-sse).
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import re
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
import tenacity
from httpx_sse import EventSource

#: statuses worth another try: rate limits and the server's own (often passing) failures
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: failures before the server saw the request (or answered it), so a retry repeats nothing
RETRY_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError)

Purpose = Literal["chat", "embeddings"]
#: the key for any server, per purpose
_DALIN_KEYS: dict[Purpose, str] = {"chat": "DALIN_API_KEY", "embeddings": "DALIN_EMBED_API_KEY"}
#: providers' own keys, sent only to the provider's own host
_PROVIDER_KEYS = {"api.openai.com": "OPENAI_API_KEY", "api.deepseek.com": "DEEPSEEK_API_KEY"}


def api_key(
    base_url: str,
    purpose: Purpose,
    env: Mapping[str, str] | None = None,
    *,
    dalin_key_hosts: Collection[str] | None = None,
) -> str | None:
    """The API key for a server: dalin's own variable, else the provider's for its own host.

    ``DALIN_API_KEY`` (chat) or ``DALIN_EMBED_API_KEY`` (embeddings) go to any host, unless
    ``dalin_key_hosts`` names the ones they are for. ``OPENAI_API_KEY`` goes only to
    api.openai.com and ``DEEPSEEK_API_KEY`` only to api.deepseek.com, so a provider's key is
    never sent to a third-party or self-hosted server that merely speaks the same API.
    ``env`` defaults to the process environment.
    """
    env = os.environ if env is None else env
    host = (urlsplit(base_url).hostname or "").lower()
    names = [_DALIN_KEYS[purpose]] if dalin_key_hosts is None or host in dalin_key_hosts else []
    if host in _PROVIDER_KEYS:
        names.append(_PROVIDER_KEYS[host])
    return next((env[name] for name in names if env.get(name)), None)


def public_url(url: str) -> str:
    """``url`` without ``user:password@``: names and messages are shown, passwords are not."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def host_of(url: str) -> str:
    """The lower-cased host name of ``url`` ("" when it has none)."""
    return (urlsplit(url).hostname or "").lower()


# --- refusals ------------------------------------------------------------------------------

RefusalKind = Literal[
    "auth", "payment", "not_found", "context", "tools", "rate_limited", "server", "too_large",
    "other",
]  # fmt: skip

_CONTEXT_WORDING = re.compile(
    r"context[_ ]length|context window|maximum context|too many tokens|prompt is too long"
    r"|exceeds? (?:the )?(?:model'?s? )?(?:context|max(?:imum)? (?:sequence|model) length)",
    re.IGNORECASE,
)
#: Ollama: "… does not support tools"; vLLM: '"auto" tool choice requires
#: --enable-auto-tool-choice and --tool-call-parser to be set'
_TOOLS_REFUSED = re.compile(
    r"does not support tools|tools? (?:are |is )?not supported|tool[_ ]choice"
    r"|tool-call-parser|enable-auto-tool-choice|function calling is not",
    re.IGNORECASE,
)
_MODEL_MISSING = re.compile(
    r"model.*(?:not (?:be )?found|does not exist|not exist|unknown|no such)"
    r"|(?:unknown|invalid) model|model_not_found",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Refusal:
    """A non-200 reply, read: what kind of refusal, and what the server said."""

    status: int
    kind: RefusalKind
    #: the server's own message ("" when it sent none)
    message: str
    #: the server's error code or type ("" when it sent none)
    code: str
    #: seconds the server asked us to wait (``Retry-After``), if it did
    retry_after: float | None
    #: requests made, this one included
    attempts: int

    @property
    def said(self) -> str:
        """``HTTP 429: Rate limit reached`` — the refusal as quoted in messages."""
        return f"HTTP {self.status}: {self.message}" if self.message else f"HTTP {self.status}"

    @property
    def tries(self) -> str:
        """`` after 3 tries`` when the request was retried, else ""."""
        return f" after {self.attempts} tries" if self.attempts > 1 else ""

    @property
    def passing(self) -> bool:
        """Whether another try may succeed (a rate limit or the server's own failure)."""
        return self.status in RETRY_STATUSES and self.kind in ("rate_limited", "server")


def classify(response: httpx.Response, attempts: int = 1) -> Refusal:
    """What a non-200 response (its body read) means.

    Servers word their errors differently: OpenAI and DeepSeek send
    ``{"error": {"message", "type", "code"}}``, Ollama ``{"error": "text"}``, FastAPI-based
    servers ``{"detail": …}``, vLLM ``{"message": …}``. We read the message and code from any
    of them and classify by status first, then by wording, since a context overflow is a
    plain 400 everywhere.
    """
    status = response.status_code
    message, code = message_and_code(response.content)

    def refusal(kind: RefusalKind) -> Refusal:
        wait = retry_after_seconds(response.headers)
        return Refusal(status, kind, message, code, wait, attempts)

    if status in (401, 403):
        return refusal("auth")
    if status == 402 or code == "insufficient_quota":  # OpenAI sends the latter with a 429
        return refusal("payment")
    if code == "model_not_found" or status == 404:
        return refusal("not_found")
    # before the model wording: "This model's maximum context length is …" names the model
    if code == "context_length_exceeded" or _CONTEXT_WORDING.search(message):
        return refusal("context")
    if status in (400, 422, 501) and _TOOLS_REFUSED.search(message):
        return refusal("tools")
    if status < 500 and _MODEL_MISSING.search(message):
        return refusal("not_found")
    if status == 429:
        return refusal("rate_limited")
    if status >= 500 or status == 408:
        return refusal("server")
    if status == 413:
        return refusal("too_large")
    return refusal("other")


def is_context_overflow(message: str, code: str = "") -> bool:
    """Whether an error message says the prompt did not fit the model's context window."""
    return code == "context_length_exceeded" or bool(_CONTEXT_WORDING.search(message))


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``: seconds or an HTTP date)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def message_and_code(body: bytes) -> tuple[str, str]:
    """The error message and code of a refusal body, in whichever shape the server sent."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace").strip()[:300], ""
    if isinstance(data, Mapping):
        for key in ("error", "detail", "message"):
            if data.get(key):
                return error_object(data[key])
    return str(data)[:300], ""


def error_object(error: Any) -> tuple[str, str]:
    """Message and code of an ``error`` value: an object, a list of them, or text."""
    if isinstance(error, Mapping):
        message = error.get("message") or error.get("msg") or json.dumps(error)[:300]
        return str(message), str(error.get("code") or error.get("type") or "")
    if isinstance(error, list) and error:  # FastAPI validation errors: a list of objects
        return error_object(error[0])
    return str(error)[:300], ""


# --- the endpoint --------------------------------------------------------------------------


class TransportFailure(Exception):
    """No usable reply: ``error`` is what httpx raised, after ``attempts`` requests."""

    def __init__(self, error: httpx.HTTPError, attempts: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.attempts = attempts

    @property
    def no_reply(self) -> bool:
        """The server took the request but did not answer in time (never retried)."""
        return isinstance(self.error, httpx.TimeoutException) and not isinstance(
            self.error, httpx.ConnectTimeout
        )

    @property
    def tried(self) -> str:
        """`` (tried 3 times)`` when the request was retried, else ""."""
        return f" (tried {self.attempts} times)" if self.attempts > 1 else ""


@dataclass(frozen=True)
class Retries:
    """How refusals that may pass are tried again.

    Args:
        retries: further attempts after the first.
        backoff_seconds: the first backoff; it doubles per retry, with jitter.
        max_wait_seconds: longest wait for one retry; a longer ``Retry-After`` is not waited
            for (the refusal is returned at once).
        sleep: how to wait (tests pass a recorder).
    """

    retries: int = 3
    backoff_seconds: float = 0.5
    max_wait_seconds: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    def backoff(self, attempt: int) -> float:
        """Seconds before retry ``attempt`` (0-based) without a ``Retry-After``."""
        # "Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015):
        # spreads the retries of many clients that failed at the same moment.
        ceiling = min(self.max_wait_seconds, self.backoff_seconds * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class Reply:
    """The last response of a request (status 200, or a refusal not worth retrying)."""

    response: httpx.Response
    attempts: int

    def refusal(self) -> Refusal:
        """The response as a :class:`Refusal` (call only when it is not a 200)."""
        return classify(self.response, self.attempts)


class Endpoint:
    """One OpenAI-compatible server: its URL, key, timeouts and retries."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None,
        timeout: httpx.Timeout,
        retries: Retries,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        #: ``base_url`` without credentials, for names and messages
        self.public_url = public_url(self.base_url)
        self.has_key = bool(api_key)
        self.retries = retries
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def url(self, path: str) -> str:
        """The public URL of ``path`` on this server, for messages."""
        return f"{self.public_url}/{path.lstrip('/')}"

    def post(self, path: str, payload: Mapping[str, Any], *, stream: bool = False) -> Reply:
        """POST ``payload`` as JSON, retrying what may pass.

        Returns the first 200 (left open when ``stream``: the caller reads and closes it)
        or the last refusal, its body read; raises :class:`TransportFailure` when no reply
        came.
        """
        attempts = 0

        def attempt() -> httpx.Response:
            nonlocal attempts
            attempts += 1
            request = self.client.build_request("POST", path, json=payload)
            try:
                response = self.client.send(request, stream=stream)
            except httpx.HTTPError as exc:
                raise TransportFailure(exc, attempts) from exc
            if response.status_code != 200:
                response.read()
                response.close()
            return response

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.retries.retries + 1),
            retry=tenacity.retry_if_exception(_connection_failed)
            | tenacity.retry_if_result(self._worth_retrying),
            wait=self._wait,
            sleep=self.retries.sleep,
            retry_error_callback=_last_outcome,
            reraise=True,
        )
        response: httpx.Response = retrying(attempt)
        return Reply(response, attempts)

    def _worth_retrying(self, response: httpx.Response) -> bool:
        if response.status_code == 200:
            return False
        refusal = classify(response)
        wait = refusal.retry_after
        return refusal.passing and (wait is None or wait <= self.retries.max_wait_seconds)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            wait = retry_after_seconds(outcome.result().headers)
            if wait is not None:
                return wait
        return self.retries.backoff(state.attempt_number - 1)


def _connection_failed(exc: BaseException) -> bool:
    return isinstance(exc, TransportFailure) and isinstance(exc.error, RETRY_ERRORS)


def _last_outcome(state: tenacity.RetryCallState) -> httpx.Response:
    """After the last attempt: its response, or its exception raised again."""
    assert state.outcome is not None
    response: httpx.Response = state.outcome.result()
    return response


# --- streamed replies ----------------------------------------------------------------------


def sse_data(response: httpx.Response) -> Iterator[str]:
    """The ``data`` of each server-sent event of ``response``, as it arrives.

    httpx-sse follows the WHATWG event-stream rules: CRLF, LF or CR line ends, ``:``
    comments (keep-alives), several ``data:`` lines of one event joined by newlines, and an
    event the server never finished with a blank line is dropped.
    """
    for event in EventSource(response).iter_sse():
        if event.data:
            yield event.data


def is_event_stream(response: httpx.Response) -> bool:
    """Whether ``response`` says it is a stream of server-sent events."""
    return "text/event-stream" in response.headers.get("content-type", "").partition(";")[0]
