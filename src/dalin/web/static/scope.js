// The scope of the next questions: all documents, or the ones picked here (sent as
// "documents" in the ask body, by id). The picker is a <details> above the question box; the
// picked documents stay in sight as chips, each with a button that takes it out.

import { api, listFrom, seg } from "./api.js";
import { $, h, replace } from "./dom.js";
import { localizeError, t } from "./i18n.js";
import { baseName } from "./passage.js";
import { events, setScope, state } from "./state.js";

let documents = []; // the workspace's indexed documents: [{id, name}]

/** The scope in a few words: "모든 문서", "취업규칙.txt", "취업규칙.txt 외 2개". */
export function scopeText(scope = state.scope) {
  if (!scope.length) return t("scope.all");
  if (scope.length === 1) return scope[0].name;
  return t("scope.several", { first: scope[0].name, n: scope.length - 1 });
}

async function loadChoices() {
  const slug = state.workspace;
  const box = $("#scope-options");
  if (!slug) return;
  try {
    const data = await api(`/workspaces/${seg(slug)}/documents`);
    if (slug !== state.workspace) return;
    documents = listFrom(data, "documents")
      .filter((d) => d.status === "indexed")
      .map((d) => ({ id: String(d.id), name: d.name || baseName(d.path) }));
    renderChoices();
  } catch (error) {
    replace(box, h("p", { class: "error" }, localizeError(error)));
  }
}

function renderChoices() {
  const box = $("#scope-options");
  const filter = $("#scope-filter").value.trim().toLowerCase();
  const picked = new Set(state.scope.map((d) => d.id));
  const shown = documents.filter((d) => !filter || d.name.toLowerCase().includes(filter));
  replace(
    box,
    shown.length
      ? shown.map((d) =>
          h(
            "label",
            { class: "scope-option", dataset: { testid: "scope-option" } },
            h("input", {
              type: "checkbox",
              value: d.id,
              checked: picked.has(d.id),
              onchange: (e) => toggle(d, e.currentTarget.checked),
            }),
            h("span", {}, d.name),
          ),
        )
      : h("p", { class: "muted" }, t(documents.length ? "scope.noMatch" : "scope.noDocuments")),
  );
}

function toggle(doc, on) {
  const rest = state.scope.filter((d) => d.id !== doc.id);
  setScope(on ? [...rest, doc] : rest);
}

function renderScope() {
  // picked documents show as chips beside it: the summary only counts them
  const summary = state.scope.length ? t("scope.count", { n: state.scope.length }) : scopeText();
  $("#scope-summary-text").textContent = t("scope.label", { scope: summary });
  $("#scope").classList.toggle("scoped", state.scope.length > 0);
  $("#scope-clear").hidden = state.scope.length === 0;
  replace(
    $("#scope-chips"),
    state.scope.map((d) =>
      h(
        "li",
        { class: "scope-chip", dataset: { testid: "scope-chip", docId: d.id } },
        h("span", {}, d.name),
        h(
          "button",
          {
            type: "button",
            class: "scope-chip-remove",
            "aria-label": t("scope.remove", { name: d.name }),
            onclick: () => toggle(d, false),
          },
          "×",
        ),
      ),
    ),
  );
  // keep the boxes in step when the scope changes elsewhere (a chip, the document view)
  for (const box of document.querySelectorAll('#scope-options input[type="checkbox"]')) {
    box.checked = state.scope.some((d) => d.id === box.value);
  }
}

export function initScope() {
  const picker = $("#scope");
  picker.addEventListener("toggle", () => {
    if (picker.open) loadChoices();
  });
  picker.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && picker.open) {
      picker.open = false;
      picker.querySelector("summary").focus();
    }
  });
  $("#scope-filter").addEventListener("input", renderChoices);
  $("#scope-clear").addEventListener("click", () => setScope([]));
  events.addEventListener("scope", renderScope);
  events.addEventListener("workspace", () => {
    documents = [];
    $("#scope").open = false;
    replace($("#scope-options"));
  });
  document.addEventListener("langchange", () => {
    renderScope();
    if ($("#scope").open) renderChoices();
  });
  renderScope();
}
