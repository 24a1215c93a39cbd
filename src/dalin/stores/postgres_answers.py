"""What deleting a document does to a PostgreSQL workspace's answer log (issue 15 item 4).

The rules are :mod:`dalin.stores.redaction`'s, as in the SQLite store; these functions run
inside the caller's transaction, so the log changes with the delete or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from dalin.stores.redaction import documents_of, redact_entry, tool_mention


def redact_document(conn: Any, workspace: str, path: str, name: str) -> None:
    """Take a deleted document out of the answer log and note it for the files outside the
    database (``pending_redactions``)."""
    cites = json.dumps({"citations": [{"document": path}]}, ensure_ascii=False)
    given = json.dumps({"sources": [{"document": path}]}, ensure_ascii=False)
    # entries citing or given the document, or whose tools read it (a tool's summary names
    # the file, ``tool_mention``); redact_entry decides what goes
    rows = conn.execute(
        "SELECT id, entry FROM answer_log WHERE entry @> %s::jsonb OR entry @> %s::jsonb"
        " OR (jsonb_typeof(entry->'tools') = 'array' AND EXISTS ("
        " SELECT 1 FROM jsonb_array_elements(entry->'tools') t"
        " WHERE jsonb_typeof(t) = 'object' AND strpos(t->>'summary', %s) > 0))",
        (cites, given, tool_mention(name)),
    ).fetchall()
    for answer_id, entry in rows:
        redacted = redact_entry(entry, path, name)
        if redacted is not None:
            conn.execute(
                "UPDATE answer_log SET entry = %s WHERE id = %s",
                (json.dumps(redacted, ensure_ascii=False), answer_id),
            )
    conn.execute(
        "INSERT INTO pending_redactions (workspace, path, name, deleted_at) VALUES (%s,%s,%s,%s)",
        (workspace, path, name, datetime.now(UTC)),
    )


def without_deleted(conn: Any, entry: Mapping[str, object]) -> Mapping[str, object]:
    """An answer being logged while one of its documents was deleted (it was answered from
    the document before the delete) is redacted as if it had been logged before. Call it
    holding the workspace's lock, so that no delete runs between this look and the insert."""
    for path in documents_of(entry):
        found = conn.execute("SELECT 1 FROM documents WHERE path = %s", (path,)).fetchone()
        if found is None:
            entry = redact_entry(entry, path) or entry
    return entry
