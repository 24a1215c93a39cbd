// The audit log, for admins: who did what to what, newest first. The server filters by
// workspace and action and pages with a cursor (GET /audit?before=<oldest id shown>), so an
// old key change is found however many questions were asked since.

import { api, listFrom } from "./api.js";
import { $, formatWhen, h, replace } from "./dom.js";
import { localizeError, t } from "./i18n.js";
import { events, isAdmin, state } from "./state.js";

/** The actions the server records (server.AUDIT_ACTIONS; a test keeps the two equal). */
export const ACTIONS = [
  "sign_in",
  "auth_failed",
  "denied",
  "ask",
  "upload",
  "delete",
  "reindex",
  "eval_run",
  "eval_cancel",
  "job_cancel",
  "key_create",
  "key_revoke",
  "keys_import",
  "workspace_create",
  "workspace_delete",
  "models_set",
  "model_refused",
  "conversation_review",
];
const PAGE = 50;

let entries = [];
let hasMore = false;
let latest = 0;

/** The first page for the chosen filters, or (``more``) the page after the last row shown. */
export async function loadAudit({ more = false } = {}) {
  if (!isAdmin()) return;
  const query = new URLSearchParams({ limit: String(PAGE + 1) }); // one more: is there a next page?
  const workspace = $("#audit-workspace").value;
  const action = $("#audit-action").value;
  if (workspace) query.set("workspace", workspace);
  if (action) query.set("action", action);
  if (more && entries.length) query.set("before", String(entries[entries.length - 1].id));
  const mine = ++latest;
  try {
    const page = listFrom(await api(`/audit?${query}`), "entries");
    if (mine !== latest) return; // a newer filter was chosen meanwhile
    hasMore = page.length > PAGE;
    entries = [...(more ? entries : []), ...page.slice(0, PAGE)];
    renderAudit();
  } catch (error) {
    if (mine !== latest) return;
    if (!more) entries = [];
    hasMore = false;
    renderAudit();
    $("#audit-summary").textContent = localizeError(error);
  }
}

function renderAudit() {
  replace(
    $("#audit-rows"),
    entries.length
      ? entries.map(auditRow)
      : h("tr", {}, h("td", { colspan: "5", class: "muted" }, t("audit.none"))),
  );
  $("#audit-summary").textContent = t(hasMore ? "audit.summaryMore" : "audit.summary", {
    shown: entries.length,
  });
  const more = $("#audit-more");
  more.hidden = !hasMore;
  more.textContent = t("audit.more", { n: PAGE });
}

function auditRow(entry) {
  const refusal = ["auth_failed", "denied", "model_refused"].includes(entry.action);
  const who = entry.key_name
    ? [entry.key_name, t(`role.${entry.role}`, {}, entry.role)].filter(Boolean).join(" · ")
    : t("audit.unknownKey");
  return h(
    "tr",
    { class: refusal ? "refusal" : "", dataset: { testid: "audit-row", action: String(entry.action) } },
    h("td", { class: "when" }, formatWhen(entry.at)),
    h("td", {}, who),
    h("td", {}, h("span", { class: `badge ${refusal ? "badge-failed" : ""}` }, actionLabel(entry.action))),
    h("td", {}, h("code", { class: "audit-target" }, String(entry.target || entry.workspace || ""))),
    h("td", { class: "audit-detail" }, detailText(entry.detail)),
  );
}

const actionLabel = (action) => t(`audit.action.${action}`, {}, String(action));

/** The entry's details as "name=value" pairs (numbers, ids and short names only). */
function detailText(detail) {
  if (!detail || typeof detail !== "object") return "";
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

function renderFilters() {
  const action = $("#audit-action");
  const chosen = action.value;
  replace(action, h("option", { value: "" }, t("audit.allActions")), ACTIONS.map((a) => h("option", { value: a }, actionLabel(a))));
  action.value = chosen;
  const workspace = $("#audit-workspace");
  const before = workspace.value;
  replace(
    workspace,
    h("option", { value: "" }, t("audit.allWorkspaces")),
    state.workspaces.map((w) => h("option", { value: w.slug }, w.slug)),
  );
  workspace.value = state.workspaces.some((w) => w.slug === before) ? before : "";
}

export function initAudit() {
  renderFilters();
  $("#audit-action").addEventListener("change", () => loadAudit());
  $("#audit-workspace").addEventListener("change", () => loadAudit());
  $("#audit-refresh").addEventListener("click", () => loadAudit());
  $("#audit-more").addEventListener("click", () => loadAudit({ more: true }));
  events.addEventListener("workspaces", renderFilters);
  document.addEventListener("langchange", () => {
    renderFilters();
    if (isAdmin()) renderAudit();
  });
}

/** Forget what an earlier admin saw (on sign-out). */
export function resetAudit() {
  entries = [];
  replace($("#audit-rows"));
  $("#audit-summary").textContent = "";
  $("#audit-more").hidden = true;
}
