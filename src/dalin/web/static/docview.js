// One document as dalin read it: its text in document order under the labels citations use
// (article, page, slide, sheet range), then its tables as tables. Opened from the library;
// GET /workspaces/{ws}/documents/{id}/content. Everything goes in as text nodes.

import { api, seg } from "./api.js";
import { $, $$, formatBytes, formatWhen, h, replace } from "./dom.js";
import { localizeError, t } from "./i18n.js";
import { events, setScope, state } from "./state.js";

const MAX_ROWS = 500; // a sheet of ten thousand rows would freeze the page; the rest is said
let opened = null; // {doc, content, from, label}: the open document, the button that opened it
// and the label of the block to show first (a citation's)
let request = 0;

/**
 * Open ``doc`` ({id, name}); ``from`` gets the focus back on close; ``label`` names the block
 * to scroll to and mark (a citation's label).
 */
export async function openDocument(doc, from = null, { label = "" } = {}) {
  const mine = ++request;
  opened = { doc, content: null, from, label };
  $("#doc-library").hidden = true;
  $("#doc-view").hidden = false;
  $("#doc-view-title").textContent = doc.name;
  $("#doc-view-title").focus();
  replace($("#doc-view-facts"));
  replace($("#doc-view-body"), h("p", { class: "muted" }, t("view.loading")));
  try {
    const content = await api(`/workspaces/${seg(state.workspace)}/documents/${seg(doc.id)}/content`);
    if (mine !== request) return;
    opened.content = content;
    render();
    showCited();
  } catch (error) {
    if (mine !== request) return;
    replace($("#doc-view-body"), h("p", { class: "error", role: "alert" }, localizeError(error)));
  }
}

export function closeDocument({ focus = true } = {}) {
  request += 1;
  const doc = opened && opened.doc;
  // the list may have been drawn again meanwhile: then its new button for the same document
  const from = opened && (opened.from?.isConnected ? opened.from : rowButton(doc));
  opened = null;
  $("#doc-view").hidden = true;
  $("#doc-library").hidden = false;
  replace($("#doc-view-body"));
  if (focus && from) from.focus();
}

const rowButton = (doc) =>
  doc ? $(`[data-testid="doc-row"][data-doc-id="${CSS.escape(String(doc.id))}"] .doc-open`) : null;

function render() {
  if (!opened || !opened.content) return;
  const { content } = opened;
  const doc = content.document || opened.doc;
  const blocks = Array.isArray(content.blocks) ? content.blocks : [];
  const tables = Array.isArray(content.tables) ? content.tables : [];
  $("#doc-view-title").textContent = doc.name;
  const facts = [
    [t("view.format"), String(doc.format || "").toUpperCase()],
    [t("view.pages"), doc.pages ? String(doc.pages) : ""],
    [t("view.size"), formatBytes(Number(doc.size))],
    [t("docs.chunks"), String(doc.chunks ?? "")],
    [t("docs.tables"), String(tables.length)],
    [t("view.updated"), formatWhen(doc.updated_at)],
  ];
  replace(
    $("#doc-view-facts"),
    facts.filter(([, v]) => v).map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))),
  );
  replace(
    $("#doc-view-body"),
    // with tables after a long text, a way to them (and back) without scrolling past it
    tables.length
      ? h(
          "nav",
          { class: "doc-view-jump", "aria-label": t("view.jump") },
          h("a", { href: "#doc-view-text", class: "btn btn-small", onclick: jump }, t("view.text", { n: blocks.length })),
          h("a", { href: "#doc-view-tables", class: "btn btn-small", onclick: jump }, t("view.tables", { n: tables.length })),
        )
      : null,
    h("h3", { id: "doc-view-text", tabindex: "-1" }, t("view.textTitle")),
    blocks.length ? blocks.map(blockView) : h("p", { class: "muted" }, t("view.noText")),
    tables.length ? h("h3", { id: "doc-view-tables", tabindex: "-1" }, t("view.tablesTitle")) : null,
    tables.map(tableView),
  );
  citedBlock();
}

/** In-page links without changing the hash (which names the open tab). */
function jump(e) {
  e.preventDefault();
  const target = $(e.currentTarget.getAttribute("href"));
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
}

/**
 * The block a citation's label names, marked; null when none. A citation's label starts with
 * the document's name ("규정.pdf · p.13 · 제21조"), a block's does not; else the block whose
 * label the citation's holds, the longest such (the article rather than the page).
 */
function citedBlock() {
  const label = String((opened && opened.label) || "");
  if (!label) return null;
  const prefix = `${opened.doc.name} · `;
  const wanted = label.startsWith(prefix) ? label.slice(prefix.length) : label;
  const blocks = $$("#doc-view-body .doc-block").filter((el) => el.dataset.label);
  const block =
    blocks.find((el) => el.dataset.label === wanted) ||
    blocks
      .filter((el) => wanted.includes(el.dataset.label))
      .sort((a, b) => b.dataset.label.length - a.dataset.label.length)[0];
  if (block) {
    block.classList.add("doc-block-cited");
    block.tabIndex = -1;
  }
  return block;
}

/** Bring the cited block into sight, with the focus. */
function showCited() {
  const block = citedBlock();
  if (!block) return;
  block.scrollIntoView({ block: "start" });
  block.focus({ preventScroll: true });
}

function blockView(block) {
  const kind = String(block.kind || "text");
  const label = String(block.label || "");
  return h(
    "section",
    { class: `doc-block doc-block-${kind}`, dataset: { testid: "doc-block", kind, label } },
    h(
      "p",
      { class: "doc-block-label" },
      h("span", { class: "doc-label" }, label),
      kind !== "text" ? h("span", { class: "muted" }, t(`view.kind.${kind}`, {}, kind)) : null,
    ),
    h("div", { class: "doc-block-text" }, String(block.text || "")),
  );
}

function tableView(table) {
  const header = Array.isArray(table.header) ? table.header : [];
  const rows = Array.isArray(table.rows) ? table.rows : [];
  const shown = rows.slice(0, MAX_ROWS);
  return h(
    "figure",
    { class: "doc-tablebox", dataset: { testid: "doc-table" } },
    h(
      "figcaption",
      {},
      h("span", { class: "doc-table-name" }, String(table.name || "")),
      table.label && table.label !== table.name ? h("span", { class: "doc-label" }, String(table.label)) : null,
    ),
    h(
      "div",
      { class: "table-wrap", tabindex: "0" },
      h(
        "table",
        { class: "data-table" },
        header.length ? h("thead", {}, h("tr", {}, header.map((c) => h("th", { scope: "col" }, String(c))))) : null,
        h("tbody", {}, shown.map((row) => h("tr", {}, row.map((c) => h("td", {}, String(c)))))),
      ),
    ),
    rows.length > shown.length
      ? h("p", { class: "muted" }, t("view.moreRows", { shown: shown.length, total: rows.length }))
      : null,
  );
}

function askAboutIt() {
  if (!opened) return;
  setScope([{ id: String(opened.doc.id), name: opened.doc.name }]);
  events.dispatchEvent(new CustomEvent("navigate", { detail: "chat" }));
}

export function initDocumentView() {
  $("#doc-view-close").addEventListener("click", () => closeDocument());
  $("#doc-view-ask").addEventListener("click", askAboutIt);
  $("#doc-view").addEventListener("keydown", (e) => {
    if (e.key === "Escape") closeDocument();
  });
  events.addEventListener("workspace", () => closeDocument({ focus: false }));
  document.addEventListener("langchange", render);
}
