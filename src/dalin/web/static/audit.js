// The audit log, for admins: who did what to what, newest first. GET /audit answers at most
// WINDOW entries (one workspace's when asked); the page filters them by action and shows them
// PAGE at a time.

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
  "workspace_create",
  "workspace_delete",
  "models_set",
  "model_refused",
  "conversation_review",
];
const WINDOW = 1000; // the most GET /audit answers at once
const PAGE = 50;

let entries = [];
let shown = PAGE;
let latest = 0;

export async function loadAudit() {
  if (!isAdmin()) return;
  const workspace = $("#audit-workspace").value;
  const query = new URLSearchParams({ limit: String(WINDOW) });
  if (workspace) query.set("workspace", workspace);
  const mine = ++latest;
  try {
    const data = await api(`/audit?${query}`);
    if (mine !== latest) return; // a newer filter was chosen meanwhile
    entries = listFrom(data, "entries");
    shown = PAGE;
    renderAudit();
  } catch (error) {
    if (mine !== latest) return;
    entries = [];
    renderAudit();
    $("#audit-summary").textContent = localizeError(error);
  }
}

function renderAudit() {
  const action = $("#audit-action").value;
  const matching = action ? entries.filter((e) => e.action === action) : entries;
  const page = matching.slice(0, shown);
  replace(
    $("#audit-rows"),
    page.length
      ? page.map(auditRow)
      : h("tr", {}, h("td", { colspan: "5", class: "muted" }, t("audit.none"))),
  );
  $("#audit-summary").textContent = t(entries.length >= WINDOW ? "audit.summaryWindow" : "audit.summary", {
    shown: page.length,
    matching: matching.length,
    total: entries.length,
  });
  const more = $("#audit-more");
  const rest = matching.length - page.length;
  more.hidden = rest <= 0;
  more.textContent = t("audit.more", { n: Math.min(PAGE, rest) });
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
  $("#audit-action").addEventListener("change", () => {
    shown = PAGE;
    renderAudit();
  });
  $("#audit-workspace").addEventListener("change", loadAudit);
  $("#audit-refresh").addEventListener("click", loadAudit);
  $("#audit-more").addEventListener("click", () => {
    shown += PAGE;
    renderAudit();
  });
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
