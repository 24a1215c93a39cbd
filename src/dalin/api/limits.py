"""The limits `dalin serve` holds every caller to, in one place (``dalin serve --help``).

They keep one client, one key or one workspace from taking the server from everyone else
(issue 15): slow or silent connections are closed, the number of connections stays below
the file descriptors the process may open, questions run on their own threads under
per-key and per-workspace limits with a deadline, parsing shares one memory budget, and
failed authentication is throttled per address.
"""

from __future__ import annotations

from dataclasses import dataclass

GIB = 2**30


@dataclass(frozen=True)
class ServeLimits:
    #: seconds a new connection has to send its request line and headers
    header_seconds: float = 10.0
    #: seconds a client may stay silent while sending a request body
    idle_seconds: float = 30.0
    #: seconds an idle keep-alive connection is kept open between requests
    keep_alive_seconds: float = 5.0
    #: open connections at most (0: from the file descriptor limit, see dalin.api.wire)
    max_connections: int = 0
    #: questions one key may have in progress at once (REST, /v1 and MCP together)
    asks_per_key: int = 4
    #: questions one workspace may have in progress at once
    asks_per_workspace: int = 4
    #: threads answering questions for all workspaces (never the ones other routes use)
    ask_threads: int = 16
    #: seconds a question may wait for a free place before 429
    ask_queue_seconds: float = 10.0
    #: the longest a model may take over one answer
    answer_seconds: float = 120.0
    #: failed authentications per minute from one address before 429
    failed_auth_per_minute: int = 10
    #: parses at once over all workspaces (0: one per CPU core)
    parse_workers: int = 0
    #: what the memory caps of the parses in flight may add up to (None: half the memory)
    parse_memory_bytes: int | None = None
    #: stored uploads per workspace, in bytes (0: no quota)
    workspace_quota_bytes: int = 10 * GIB
