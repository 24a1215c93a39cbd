// The answer model: which of the workspace's allowed models answers (kept in this browser),
// and, for an admin, which models the workspace allows at all (kept on the server, for
// everyone). A model the workspace does not allow cannot be picked: the server refuses it.

import { api, seg } from "./api.js";
import { $, h, replace, showStatus } from "./dom.js";
import { localizeError, t } from "./i18n.js";
import { events, isAdmin, modelSpec, setModelSpec, state } from "./state.js";

let allowed = [];
let configured = "";
let latest = 0; // only the newest request may draw: an older answer can arrive after it
let editing = false; // the admin is typing the allowed models: a late load must not undo it

const LABELS = { extractive: "settings.modelExtractive", local: "settings.modelLocal" };
const label = (spec) => (LABELS[spec] ? t(LABELS[spec]) : spec);

export async function loadModels() {
  if (!state.workspace) return;
  const slug = state.workspace;
  const mine = ++latest;
  try {
    const data = await api(`/workspaces/${seg(slug)}/models`);
    if (slug !== state.workspace || mine !== latest) return;
    allowed = Array.isArray(data.models) ? data.models : [];
    configured = String(data.default || "");
    if (modelSpec() && !allowed.includes(modelSpec())) setModelSpec(""); // no longer allowed
    render();
  } catch (error) {
    showStatus($("#model-saved"), localizeError(error), true);
  }
}

function render() {
  const select = $("#model-select");
  const fallback = configured ? `${t("settings.modelDefault")}: ${label(configured)}` : t("settings.modelDefault");
  replace(select, [
    h("option", { value: "" }, fallback),
    ...allowed.map((spec) => h("option", { value: spec }, label(spec))),
  ]);
  select.value = modelSpec();
  $("#models-form").hidden = !isAdmin();
  if (!editing) $("#models-allowed").value = allowed.filter((s) => s !== "extractive").join(", ");
}

async function saveAllowed(e) {
  e.preventDefault();
  const status = $("#models-status");
  const models = $("#models-allowed")
    .value.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    await api(`/workspaces/${seg(state.workspace)}/models`, { method: "PUT", json: { models } });
    editing = false;
    showStatus(status, t("saved"));
    loadModels();
  } catch (error) {
    showStatus(status, localizeError(error), true);
  }
}

export function initModelSetting() {
  const select = $("#model-select");
  const saved = $("#model-saved");
  select.addEventListener("change", () => {
    setModelSpec(select.value);
    showStatus(saved, t("saved"));
  });
  $("#model-form").addEventListener("submit", (e) => {
    e.preventDefault();
    setModelSpec(select.value);
    showStatus(saved, t("saved"));
  });
  $("#models-form").addEventListener("submit", saveAllowed);
  $("#models-allowed").addEventListener("input", () => {
    editing = true;
  });
  events.addEventListener("workspace", () => {
    saved.hidden = true;
    $("#models-status").hidden = true;
    editing = false;
    loadModels();
  });
  document.addEventListener("langchange", render);
}
