"""The exception tree of dalin.

Every error a user can see derives from :class:`DalinError`::

    DalinError
    ├── WorkspaceError
    │   ├── WorkspaceNotFound        no workspace at the given path
    │   ├── WorkspaceExists          create() on a folder that already holds one
    │   └── SettingsError            dalin.toml has an unknown key or a bad value
    ├── StoreError
    │   └── SchemaTooNew             the database was written by a newer dalin
    ├── DocumentNotFound             remove()/lookup of a document the store does not hold
    ├── ParseError                   one file could not be read; the batch goes on
    │   ├── UnsupportedFormat        no parser for this file type
    │   │   └── ReaderMissing        a supported format whose reader program is not installed
    │   ├── EmptyDocument            the file is empty or holds no text
    │   ├── NoTextLayer              a PDF of page images (needs OCR)
    │   ├── EncryptedDocument        password or DRM protected
    │   ├── CorruptDocument          damaged, truncated, or not what its name says
    │   ├── UndecodableText          text in an encoding we cannot determine
    │   └── LimitExceeded            larger, deeper or slower than the configured limits
    ├── LLMError                     a language model could not answer
    │   ├── LLMSpecError             a model spec ("deepseek:deepseek-chat") we cannot read
    │   ├── LLMUnavailable           the backend cannot run here (library or model file missing)
    │   │   └── LocalModelMissing    the optional local model (dalin[local]) is not installed
    │   ├── LLMUnreachable           no connection to the server, or it stopped answering
    │   ├── LLMAuthError             the server refused the API key (401/403)
    │   ├── LLMModelNotFound         the server does not serve the requested model
    │   ├── LLMContextOverflow       prompt plus max_tokens exceed the model's context window
    │   ├── LLMRateLimited           still 429 Too Many Requests after the retries
    │   ├── LLMServerError           5xx after the retries, or a stream we cannot read
    │   └── LLMToolsUnsupported      the server or model refused the tools it was offered
    ├── EmbedderError                texts could not be embedded; an unknown embedder spec
    │   ├── EmbedderUnreachable      no connection or reply, or still 429/5xx after the retries
    │   ├── EmbedderAuthError        the server refused the API key (401/403)
    │   └── EmbedderResponseError    a reply of the wrong shape: not JSON, wrong count or dim
    ├── EvalError                    a question set or benchmark file we cannot read
    │   └── EvalCancelled            a run stopped on request; its answers so far are kept
    ├── ServeError                   `dalin serve` refused a request it cannot do safely
    │   ├── LastAdminKey             revoking the last admin key (nobody could manage it)
    │   ├── ModelNotAllowed          a model the workspace's admin did not allow
    │   ├── Busy                     over a concurrency limit; try again in a moment
    │   └── QuotaExceeded            the workspace's storage quota is used up
    └── ToolError                    a tool refused its input or could not finish
        ├── CalculationError         an expression the calculator will not or cannot compute
        ├── ToolArgumentError        arguments that do not match the tool's schema
        └── QueryRefused             SQL the table tool will not run (writes, ATTACH, too slow)

Every class carries a stable ``code``: the key of the Korean/English catalogue in
:mod:`dalin.messages` (a category and what to do), stored beside a failed document and sent
by the APIs. The exception's own text is the English detail (which file, which limit).
"""

from __future__ import annotations


class DalinError(Exception):
    """Base class of every error dalin raises on purpose."""

    code = "error"


class WorkspaceError(DalinError):
    """A workspace could not be created or opened."""

    code = "workspace_error"


class WorkspaceNotFound(WorkspaceError):
    """No dalin workspace exists at the given path."""

    code = "workspace_not_found"


class WorkspaceExists(WorkspaceError):
    """A workspace already exists at the given path."""

    code = "workspace_exists"


class SettingsError(WorkspaceError):
    """A settings file (``dalin.toml``) we will not run with: the message names the file,
    the line and the key, and for an unknown key the closest valid one."""

    code = "bad_settings"

    def __init__(self, detail: str, *, file: str = "", line: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.file = file
        self.line = line


class StoreError(DalinError):
    """The store failed or is in a state this version cannot use."""

    code = "store_error"


class SchemaTooNew(StoreError):
    """The database schema is newer than this version of dalin understands."""

    code = "schema_too_new"


class DocumentNotFound(DalinError):
    """The workspace holds no document matching the given path or id."""

    code = "document_not_found"


class ConversationNotFound(DalinError):
    """No logged conversation has this id (or none of its turns is the caller's)."""

    code = "conversation_not_found"


class ParseError(DalinError):
    """A file could not be turned into a Document."""

    code = "parse_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnsupportedFormat(ParseError):
    code = "unsupported"


class ReaderMissing(UnsupportedFormat):
    """A format dalin reads through a program that is not installed here (LibreOffice)."""

    code = "reader_missing"


class EmptyDocument(ParseError):
    code = "empty"


class NoTextLayer(ParseError):
    code = "no_text_layer"


class EncryptedDocument(ParseError):
    code = "encrypted"


class CorruptDocument(ParseError):
    code = "corrupt"


class UndecodableText(ParseError):
    code = "undecodable"


class LimitExceeded(ParseError):
    code = "limit_exceeded"


class LLMError(DalinError):
    """A language model backend could not produce an answer."""

    code = "llm_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class LLMSpecError(LLMError):
    code = "llm_bad_spec"


class LLMUnavailable(LLMError):
    code = "llm_unavailable"


class LocalModelMissing(LLMUnavailable):
    """``--llm local`` without the optional extra: llama.cpp or the bundled model file."""

    code = "local_model_missing"


class LLMUnreachable(LLMError):
    code = "llm_unreachable"


class LLMAuthError(LLMError):
    code = "llm_auth"


class LLMModelNotFound(LLMError):
    code = "llm_model_not_found"

    def __init__(self, detail: str, *, available: tuple[str, ...] = ()) -> None:
        super().__init__(detail)
        #: the models the server says it serves (empty when it would not say)
        self.available = available


class LLMContextOverflow(LLMError):
    code = "llm_context_overflow"


class LLMRateLimited(LLMError):
    code = "llm_rate_limited"


class LLMServerError(LLMError):
    code = "llm_server_error"


class LLMToolsUnsupported(LLMError):
    """The server or model refused function calling (vLLM without a tool parser, an Ollama
    model without tool support); the answer is asked again without tools."""

    code = "llm_tools_unsupported"


class EmbedderError(DalinError):
    """Texts could not be turned into vectors; the message names the embedder or server."""

    code = "embedder_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class EmbedderUnreachable(EmbedderError):
    code = "embedder_unreachable"


class EmbedderAuthError(EmbedderError):
    code = "embedder_auth"


class EmbedderResponseError(EmbedderError):
    code = "embedder_bad_response"


class EvalError(DalinError):
    """A question set or benchmark file could not be read; the message names file and line."""

    code = "eval_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class EvalCancelled(EvalError):
    """An evaluation run was cancelled; the answers recorded so far stay in its folder."""

    code = "eval_cancelled"


class ServeError(DalinError):
    """`dalin serve` refused a request it cannot do safely; the message says what to do."""

    code = "serve_error"


class LastAdminKey(ServeError):
    code = "last_admin_key"


class ModelNotAllowed(ServeError):
    code = "model_not_allowed"


class Busy(ServeError):
    code = "busy"

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class QuotaExceeded(ServeError):
    code = "quota_exceeded"


class ToolError(DalinError):
    """A tool (calculator, table query, search) refused its input or could not finish."""

    code = "tool_error"


class CalculationError(ToolError):
    """An expression the calculator does not allow (names, huge powers) or cannot compute."""

    code = "calculation_error"


class ToolArgumentError(ToolError):
    """A tool was called with arguments its schema does not allow (unknown, missing, wrong
    type); the message names them, so a model can correct its call."""

    code = "tool_argument_error"


class QueryRefused(ToolError):
    """SQL the table tool will not run: not a single read-only SELECT, a refused action
    (ATTACH, PRAGMA, extensions), a syntax error, or a query stopped at its time limit."""

    code = "query_refused"
