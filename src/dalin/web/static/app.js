// dalin's browser UI: sign-in, workspace picker, tabs, settings. The views live in their own
// modules (chat, library, evaluation, passage); they talk through ``state`` events.
// Served as plain ES modules by `dalin serve`: no build step, nothing from other origins.

import { api, listFrom, seg, session } from "./api.js";
import { initAudit, loadAudit, resetAudit } from "./audit.js";
import { initChat, loadConversations, newConversation } from "./chat.js";
import { initDocumentView } from "./docview.js";
import { $, $$, h, replace } from "./dom.js";
import { applyEvalRole, initEvaluation, loadRuns } from "./evaluation.js";
import { applyLang, currentLang, localizeError, setLang, t } from "./i18n.js";
import { initKeys, loadKeys, resetKeys } from "./keys.js";
import { applyRole, initLibrary, loadDocuments } from "./library.js";
import { closePassage, initPassage } from "./passage.js";
import { initModelSetting, loadModels } from "./models.js";
import { initScope } from "./scope.js";
import { events, isAdmin, setScope, setWorkspace, state } from "./state.js";

const VIEWS = ["chat", "documents", "eval", "settings", "admin"];

// --- views -----------------------------------------------------------------------------------

function showView(name) {
  const allowed = VIEWS.includes(name) && (name !== "admin" || isAdmin());
  const view = allowed ? name : "chat";
  for (const tab of $$(".tab")) {
    const selected = tab.dataset.view === view;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  for (const other of VIEWS) $(`#view-${other}`).hidden = other !== view;
  if (location.hash !== `#${view}`) history.replaceState(null, "", `#${view}`);
  $("#app-error").hidden = true;
  if (view === "documents") loadDocuments();
  else if (view === "eval") loadRuns();
  else if (view === "settings") {
    loadWorkspaceInfo();
    loadModels();
  } else if (view === "admin") {
    loadKeys();
    loadAudit();
  }
  else closePassage();
}

function currentView() {
  return VIEWS.find((v) => !$(`#view-${v}`).hidden) || "chat";
}

function initTabs() {
  const tabs = $$(".tab");
  for (const tab of tabs) {
    tab.addEventListener("click", () => showView(tab.dataset.view));
    tab.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      const shown = tabs.filter((other) => !other.hidden); // the admin tab only for admins
      const next = shown[(shown.indexOf(tab) + step + shown.length) % shown.length];
      next.focus();
      showView(next.dataset.view);
    });
  }
}

// --- sign-in ---------------------------------------------------------------------------------

async function signIn(key, { audit = false } = {}) {
  session.key = key;
  try {
    state.me = await api(`/me${audit ? "?sign_in=1" : ""}`, { quiet401: true });
  } catch (error) {
    session.key = "";
    throw error;
  }
  await loadWorkspaces();
  $("#signin").hidden = true;
  $("#app").hidden = false;
  $("#signout").hidden = false;
  renderWhoami();
  applyRole();
  applyEvalRole();
  $("#workspace-form").hidden = !isAdmin();
  $("#tab-admin").hidden = !isAdmin();
  showView(state.workspace ? location.hash.slice(1) : "settings");
  loadConversations();
}

function signOut(message = "") {
  session.key = "";
  state.me = null;
  newConversation();
  setScope([]); // the next key may not see these documents
  resetKeys();
  resetAudit();
  $("#tab-admin").hidden = true;
  $("#app").hidden = true;
  $("#signout").hidden = true;
  $("#whoami").hidden = true;
  $("#workspace-bar").hidden = true;
  $("#signin").hidden = false;
  const error = $("#signin-error");
  error.hidden = !message;
  error.textContent = message;
  $("#signin-key").focus();
}

function renderWhoami() {
  const me = state.me;
  const who = $("#whoami");
  who.hidden = !me;
  if (me) who.textContent = [me.name, t(`role.${me.role}`, {}, me.role)].filter(Boolean).join(" · ");
}

function initSignIn() {
  $("#signin-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const key = $("#signin-key").value.trim();
    const error = $("#signin-error");
    const button = $('[data-testid="signin-submit"]');
    if (!key) return;
    button.disabled = true;
    error.hidden = false;
    error.classList.remove("error");
    error.textContent = t("signin.checking");
    try {
      await signIn(key, { audit: true });
      $("#signin-key").value = "";
      error.hidden = true;
    } catch (err) {
      error.classList.add("error");
      error.textContent = err.status === 401 ? t("signin.invalid") : localizeError(err);
    } finally {
      button.disabled = false;
    }
  });
  $("#signout").addEventListener("click", () => signOut());
  session.onUnauthorized = () => signOut(t("error.unauthorized"));
}

// --- workspaces ------------------------------------------------------------------------------

const slugOf = (w) => String(w.slug ?? w.id ?? "");

async function loadWorkspaces(select = "") {
  const data = await api("/workspaces");
  state.workspaces = listFrom(data, "workspaces");
  events.dispatchEvent(new CustomEvent("workspaces"));
  const slugs = state.workspaces.map(slugOf);
  const wanted = [select, state.workspace, state.me?.workspace || "", slugs[0] || ""];
  const slug = wanted.find((s) => s && slugs.includes(s)) || "";
  renderPicker(slug);
  if (slug !== state.workspace) setWorkspace(slug);
  $("#no-workspace").hidden = Boolean(slug);
}

function renderPicker(selected) {
  const select = $("#workspace-select");
  const fixed = $("#workspace-fixed");
  const named = (w) => (w.name && w.name !== slugOf(w) ? `${w.name} (${slugOf(w)})` : slugOf(w));
  replace(
    select,
    state.workspaces.map((w) => h("option", { value: slugOf(w), selected: slugOf(w) === selected }, named(w))),
  );
  select.value = selected;
  const choose = isAdmin() || state.workspaces.length > 1;
  select.hidden = !choose;
  fixed.hidden = choose;
  const current = state.workspaces.find((w) => slugOf(w) === selected);
  fixed.textContent = current ? named(current) : "";
  $("#workspace-bar").hidden = state.workspaces.length === 0;
}

async function loadWorkspaceInfo() {
  const box = $("#workspace-info");
  const me = state.me;
  const facts = [[t("info.role"), t(`role.${me?.role}`, {}, me?.role || "")]];
  if (state.workspace) {
    try {
      const info = await api(`/workspaces/${seg(state.workspace)}`);
      const domain = info.domain ? t(`domain.${info.domain}`, {}, info.domain) : "";
      facts.unshift(
        [t("info.slug"), slugOf(info) || state.workspace],
        [t("info.name"), info.name || ""],
        [t("info.domain"), domain],
        [t("info.documents"), String(info.documents ?? "")],
        [t("info.chunks"), String(info.chunks ?? "")],
        [t("info.model"), info.model || ""],
      );
    } catch (error) {
      facts.push(["", localizeError(error)]);
    }
  }
  replace(
    box,
    facts.filter(([, v]) => v !== "").map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))),
  );
}

function initWorkspaces() {
  $("#workspace-select").addEventListener("change", (e) => setWorkspace(e.target.value));
  events.addEventListener("workspace", () => {
    renderPicker(state.workspace);
    $("#no-workspace").hidden = Boolean(state.workspace);
    if (currentView() === "settings") loadWorkspaceInfo();
  });
  $("#workspace-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const status = $("#workspace-form-status");
    const slug = $("#new-ws-slug").value.trim();
    const body = {
      slug,
      name: $("#new-ws-name").value.trim() || slug,
      domain: $("#new-ws-domain").value,
    };
    status.hidden = false;
    status.className = "muted";
    try {
      await api("/workspaces", { method: "POST", json: body });
      status.textContent = t("settings.created", { slug });
      $("#workspace-form").reset();
      await loadWorkspaces(slug);
      setWorkspace(slug);
      loadWorkspaceInfo();
    } catch (error) {
      status.className = "error";
      status.textContent = localizeError(error);
    }
  });
}

// --- language --------------------------------------------------------------------------------

function initLanguage() {
  const button = $("#lang-switch");
  const label = () => {
    button.textContent = t("lang.switch");
    button.setAttribute("lang", currentLang() === "ko" ? "en" : "ko");
    renderWhoami();
  };
  button.addEventListener("click", () => setLang(currentLang() === "ko" ? "en" : "ko"));
  document.addEventListener("langchange", () => {
    label();
    if (state.me && currentView() === "settings") loadWorkspaceInfo();
  });
  applyLang();
  label();
}

// --- start -----------------------------------------------------------------------------------

async function start() {
  initLanguage();
  initTabs();
  initSignIn();
  initWorkspaces();
  initModelSetting();
  initPassage();
  initScope();
  initChat();
  initLibrary();
  initDocumentView();
  events.addEventListener("navigate", (e) => showView(e.detail));
  initEvaluation();
  initKeys();
  initAudit();
  if (session.key) {
    try {
      await signIn(session.key);
      return;
    } catch (error) {
      signOut(error.status === 401 ? t("signin.invalid") : localizeError(error));
      return;
    }
  }
  signOut();
}

start();
