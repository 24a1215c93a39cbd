// Export a conversation, or one answer of it, as Markdown with its sources:
// GET /workspaces/{ws}/conversations/{cid}/export[?turn=N]. The file is fetched with the API
// key (a plain link cannot send it) and handed to the browser as a download.

import { api, authHeaders, errorFrom, listFrom, seg, session } from "./api.js";
import { saveText } from "./dom.js";
import { state } from "./state.js";

const base = (cid) => `/api/v1/workspaces/${seg(state.workspace)}/conversations/${seg(cid)}`;

/** Download conversation ``cid`` (only its answer number ``turn``, 1-based, when given). */
export async function exportConversation(cid, turn = null) {
  const query = turn ? `?turn=${encodeURIComponent(turn)}` : "";
  const response = await fetch(`${base(cid)}/export${query}`, {
    headers: authHeaders({ Accept: "text/markdown" }),
  });
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401) session.onUnauthorized(error);
    throw error;
  }
  const text = await response.text();
  saveText(fileName(response, cid, turn), text, "text/markdown;charset=utf-8");
}

function fileName(response, cid, turn) {
  const disposition = response.headers.get("content-disposition") || "";
  const named = disposition.match(/filename="([^"/\\]+)"/);
  return named ? named[1] : `dalin-${cid}${turn ? `-${turn}` : ""}.md`;
}

/**
 * The number (1-based) under which the server keeps the answer to ``question``: the
 * ``ordinal``-th turn asking it (the page counts the turns it shows; the server's log is the
 * authority, since a stopped answer may or may not have been kept). null when it is not kept.
 */
export async function turnNumber(cid, question, ordinal) {
  const data = await api(`/workspaces/${seg(state.workspace)}/conversations/${seg(cid)}`);
  const turns = listFrom(data, "turns").slice();
  turns.sort((a, b) => String(a.asked_at || a.id).localeCompare(String(b.asked_at || b.id)));
  const asked = turns.flatMap((turn, i) => (turn.question === question ? [i + 1] : []));
  if (!asked.length) return null;
  return asked[Math.min(ordinal, asked.length) - 1];
}
