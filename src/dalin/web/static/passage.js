// The passage panel: the stored text around a citation, the cited quote highlighted.

import { api, seg } from "./api.js";
import { openDocument } from "./docview.js";
import { $, h, replace } from "./dom.js";
import { t } from "./i18n.js";
import { events, state } from "./state.js";

let request = 0;
let activeChip = null;
let shown = null; // the citation in the panel

/** The file name of a path ("/a/b/규정.pdf" → "규정.pdf"). */
export const baseName = (path) => String(path || "").split(/[\\/]/).pop();

export function closePassage() {
  request += 1;
  $("#passage-panel").hidden = true;
  $("#view-chat").classList.remove("with-passage");
  if (activeChip) activeChip.setAttribute("aria-expanded", "false");
  activeChip = null;
}

/** Show ``citation`` ({number, doc_id, document, label, quote, start, end, page}). */
export async function openPassage(citation, chip = null) {
  const mine = ++request;
  const panel = $("#passage-panel");
  if (activeChip) activeChip.setAttribute("aria-expanded", "false");
  activeChip = chip;
  if (chip) chip.setAttribute("aria-expanded", "true");
  panel.hidden = false;
  $("#view-chat").classList.add("with-passage");
  shown = citation;
  $("#passage-whole").hidden = citation.doc_id === undefined || citation.doc_id === null;
  $("#passage-title").textContent = `[${citation.number}] ${baseName(citation.document)}`;
  renderMeta({ label: citation.label, page: citation.page });
  replace($("#passage-text"));
  const status = $("#passage-status");
  const located = citation.doc_id !== undefined && citation.doc_id !== null && citation.end > 0;
  if (!located) {
    // an answer from the log may carry only the quote: show that much
    status.hidden = true;
    renderText(citation.quote || "", [0, (citation.quote || "").length]);
    return;
  }
  status.hidden = false;
  status.textContent = t("passage.loading");
  try {
    const query = new URLSearchParams({ start: citation.start, end: citation.end });
    const passage = await api(
      `/workspaces/${seg(state.workspace)}/documents/${seg(citation.doc_id)}/passage?${query}`,
    );
    if (mine !== request) return;
    status.hidden = true;
    $("#passage-title").textContent =
      `[${citation.number}] ${baseName(passage.name || citation.document)}`;
    renderMeta({
      label: passage.label || citation.label,
      page: passage.page ?? citation.page,
      section: passage.section,
    });
    renderText(passage.text || "", passage.highlight || findQuote(passage.text, citation.quote));
  } catch (error) {
    if (mine !== request) return;
    status.textContent = t("passage.failed", { message: error.message });
    renderText(citation.quote || "", [0, (citation.quote || "").length]);
  }
}

function renderMeta({ label, page, section }) {
  const rows = [];
  if (label) rows.push([t("passage.label"), label]);
  if (page !== null && page !== undefined && page !== "") rows.push([t("passage.page"), String(page)]);
  // a section that the label already names is not repeated
  if (section && !String(label || "").includes(section)) rows.push([t("passage.section"), section]);
  replace($("#passage-meta"), rows.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))));
}

function findQuote(text, quote) {
  const at = text && quote ? text.indexOf(quote) : -1;
  return at >= 0 ? [at, at + quote.length] : null;
}

function renderText(text, highlight) {
  const box = $("#passage-text");
  if (!highlight || highlight.length !== 2) {
    replace(box, text);
    return;
  }
  const [start, end] = highlight.map((n) => Math.max(0, Math.min(text.length, Number(n) || 0)));
  const mark = h("mark", { dataset: { testid: "passage-highlight" } }, text.slice(start, end));
  replace(box, text.slice(0, start), mark, text.slice(end));
  mark.scrollIntoView({ block: "center", behavior: "instant" });
}

/** The cited document as dalin read it, open at the cited label (docview.js). */
function openWhole() {
  if (!shown) return;
  const doc = { id: shown.doc_id, name: baseName(shown.document) };
  openDocument(doc, null, { label: shown.label });
  events.dispatchEvent(new CustomEvent("navigate", { detail: "documents" }));
}

export function initPassage() {
  $("#passage-close").addEventListener("click", closePassage);
  $("#passage-whole").addEventListener("click", openWhole);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("#passage-panel").hidden) closePassage();
  });
}
