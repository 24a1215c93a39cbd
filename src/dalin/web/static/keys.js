// API keys, for admins: make a key for a workspace (its secret is shown once, with a copy
// button), list the keys without their secrets, revoke one after a confirmation.
// REST: GET /keys, POST /workspaces/{ws}/keys, DELETE /keys/{id}.

import { api, listFrom, seg } from "./api.js";
import { loadAudit } from "./audit.js";
import { $, formatWhen, h, replace, showStatus } from "./dom.js";
import { localizeError, t } from "./i18n.js";
import { events, isAdmin, state } from "./state.js";

let keys = [];

export async function loadKeys() {
  if (!isAdmin()) return;
  try {
    keys = listFrom(await api("/keys"), "keys");
    const status = $("#keys-status");
    if (status.className === "error") showStatus(status, ""); // a revocation's note stays
    renderKeys();
  } catch (error) {
    showStatus($("#keys-status"), localizeError(error), true);
  }
}

function renderKeys() {
  const withRevoked = $("#keys-revoked").checked;
  const shown = keys.filter((k) => withRevoked || !k.revoked_at);
  replace($("#key-rows"), shown.length ? shown.map(keyRow) : emptyRow());
}

function emptyRow() {
  return h("tr", {}, h("td", { colspan: "7", class: "muted" }, t("keys.none")));
}

function keyRow(key) {
  const mine = state.me && Number(state.me.key_id) === Number(key.id);
  const revoked = Boolean(key.revoked_at);
  const name = String(key.name || "");
  return h(
    "tr",
    { class: revoked ? "revoked" : "", dataset: { testid: "key-row", keyId: String(key.id) } },
    h(
      "td",
      { class: "doc-name" },
      h("span", { class: "doc-title" }, name),
      mine ? h("span", { class: "muted key-note" }, t("keys.mine")) : null,
      revoked
        ? h("span", { class: "muted key-note" }, t("keys.revokedAt", { when: formatWhen(key.revoked_at) }))
        : null,
    ),
    h("td", {}, h("span", { class: `badge badge-role-${key.role}` }, t(`role.${key.role}`, {}, key.role))),
    h("td", {}, key.workspace ? String(key.workspace) : t("keys.allWorkspaces")),
    h("td", {}, h("code", {}, `${key.prefix}…`)),
    h("td", { class: "when" }, formatWhen(key.created_at)),
    h("td", { class: "when" }, formatWhen(key.last_used_at) || t("keys.neverUsed")),
    h(
      "td",
      { class: "actions" },
      revoked
        ? h("span", { class: "badge badge-cancelled" }, t("keys.revoked"))
        : h(
            "button",
            {
              type: "button",
              class: "btn btn-small btn-danger",
              dataset: { testid: "key-revoke" },
              "aria-label": t("keys.revokeNamed", { name }),
              onclick: () => revokeKey(key, name, mine),
            },
            t("keys.revoke"),
          ),
    ),
  );
}

async function revokeKey(key, name, mine) {
  const question = t(mine ? "keys.confirmRevokeMine" : "keys.confirmRevoke", { name });
  if (!window.confirm(question)) return;
  try {
    await api(`/keys/${seg(key.id)}`, { method: "DELETE" });
    showStatus($("#keys-status"), t("keys.revokedNamed", { name }));
  } catch (error) {
    showStatus($("#keys-status"), localizeError(error), true);
    return;
  }
  loadKeys(); // with its own key revoked, this request gets a 401 and the page signs out
  loadAudit();
}

function renderWorkspaceChoice() {
  const select = $("#key-workspace");
  const before = select.value || state.workspace;
  replace(
    select,
    state.workspaces.map((w) => h("option", { value: w.slug }, w.name && w.name !== w.slug ? `${w.name} (${w.slug})` : w.slug)),
  );
  if (state.workspaces.some((w) => w.slug === before)) select.value = before;
  $("#key-create").disabled = state.workspaces.length === 0;
}

async function createKey(e) {
  e.preventDefault();
  const status = $("#key-form-status");
  const ws = $("#key-workspace").value;
  const body = { name: $("#key-name").value.trim(), role: $("#key-role").value };
  if (!ws || !body.name) return;
  try {
    const created = await api(`/workspaces/${seg(ws)}/keys`, { method: "POST", json: body });
    showStatus(status, "");
    $("#key-name").value = "";
    showSecret(created.key);
    loadKeys();
    loadAudit();
  } catch (error) {
    showStatus(status, localizeError(error), true);
  }
}

function showSecret(secret) {
  const box = $("#key-secret");
  const value = $("#key-secret-value");
  value.value = secret;
  $("#key-copy-status").textContent = "";
  box.hidden = false;
  value.focus();
  value.select();
}

function hideSecret({ focus = true } = {}) {
  $("#key-secret-value").value = ""; // the secret leaves the page with the box
  $("#key-secret").hidden = true;
  if (focus) $("#key-name").focus();
}

async function copySecret() {
  const value = $("#key-secret-value");
  const status = $("#key-copy-status");
  try {
    await navigator.clipboard.writeText(value.value);
    status.textContent = t("keys.copied");
  } catch {
    // no clipboard access (an http:// page that is not localhost): leave it selected
    value.focus();
    value.select();
    status.textContent = t("keys.copyByHand");
  }
}

export function initKeys() {
  $("#key-form").addEventListener("submit", createKey);
  $("#key-copy").addEventListener("click", copySecret);
  $("#key-secret-done").addEventListener("click", () => hideSecret());
  $("#keys-revoked").addEventListener("change", renderKeys);
  $("#keys-refresh").addEventListener("click", loadKeys);
  events.addEventListener("workspaces", renderWorkspaceChoice);
  document.addEventListener("langchange", () => {
    if (isAdmin()) renderKeys();
  });
}

/** Forget what an earlier admin saw (on sign-out), and fill the workspace choice. */
export function resetKeys() {
  keys = [];
  hideSecret({ focus: false });
  replace($("#key-rows"));
  renderWorkspaceChoice();
}
