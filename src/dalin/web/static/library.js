// The document library: upload by drag-and-drop or file picker (one request per file, so each
// shows its own progress and result), the list of documents with their status, delete.
// Keyword search works as soon as an upload answers; the vectors for meaning search follow in
// the background: each document shows how many of its passages have theirs, and while the
// workspace is computing them the list follows along. A document's name opens what dalin read
// from it (docview.js).
//
// A server that leaves uploads to `dalin worker` (--queue-uploads) lists the files waiting, but
// not the vectors a worker computes after indexing one: no job of the server's is computing
// them. So while a document lacks vectors there, the list keeps following as long as their count
// moved within the last minute (a worker embeds in batches; one that embeds nothing stops it).

import { api, listFrom, seg, uploadFile } from "./api.js";
import { openDocument } from "./docview.js";
import { $, formatBytes, h, replace } from "./dom.js";
import { currentLang, localizeError, t } from "./i18n.js";
import { baseName } from "./passage.js";
import { canEdit, events, state } from "./state.js";

const ACTIVE = new Set(["queued", "running"]);
let documents = [];
let jobs = [];
// files of this workspace queued for `dalin worker` (a server started with --queue-uploads)
let ingests = [];
let dense = true;
let queue = Promise.resolve();
let pollTimer = 0;
const QUIET_MS = 60_000;
// the workspace whose vectors are counted, their count at the last look and when it last moved
let counted = { slug: "", vectors: -1, movedAt: 0 };

export async function loadDocuments() {
  clearTimeout(pollTimer);
  if (!state.workspace) {
    documents = [];
    jobs = [];
    ingests = [];
    renderDocuments();
    return;
  }
  const slug = state.workspace;
  try {
    const [data, vectors, running] = await Promise.all([
      api(`/workspaces/${seg(slug)}/documents`),
      api(`/workspaces/${seg(slug)}/vectors`),
      api(`/workspaces/${seg(slug)}/jobs`),
    ]);
    if (slug !== state.workspace) return;
    documents = listFrom(data, "documents");
    dense = Boolean(vectors.embedder);
    const all = listFrom(running, "jobs");
    jobs = all.filter((j) => j.kind === "embed");
    ingests = all.filter((j) => j.kind === "ingest");
    renderDocuments();
    // follow the vectors, and the files the workers index, while this view is open
    const active = jobs.concat(ingests).some((j) => ACTIVE.has(j.status));
    if ((active || workerEmbedding(slug)) && !$("#view-documents").hidden) {
      pollTimer = setTimeout(loadDocuments, 2000);
    }
  } catch (error) {
    $("#doc-summary").textContent = localizeError(error);
  }
}

/** Whether vectors a worker computes may still be coming (see the top of this file). */
function workerEmbedding(slug) {
  const now = Date.now();
  const vectors = documents.reduce((n, d) => n + (Number(d.vectors) || 0), 0);
  if (counted.slug !== slug || counted.vectors !== vectors || ingests.some((j) => ACTIVE.has(j.status))) {
    counted = { slug, vectors, movedAt: now };
  }
  const missing = documents.some(
    (d) => d.status === "indexed" && (Number(d.vectors) || 0) < (Number(d.chunks) || 0),
  );
  return dense && ingests.length > 0 && missing && now - counted.movedAt < QUIET_MS;
}

function renderDocuments() {
  const rows = $("#doc-rows");
  $("#doc-table").hidden = documents.length === 0;
  $("#docs-empty").hidden = documents.length > 0;
  const chunks = documents.reduce((n, d) => n + (Number(d.chunks) || 0), 0);
  $("#doc-summary").textContent = documents.length
    ? t("docs.summary", { n: documents.length, chunks })
    : "";
  // a refresh replaces every row: a keyboard user's focus goes back to the same control of
  // the same document, or Enter pressed next would land on the page body
  const focused = rows.contains(document.activeElement) ? document.activeElement : null;
  const docId = focused?.closest("tr")?.dataset.docId;
  const testid = focused?.dataset.testid;
  replace(rows, documents.map(documentRow));
  if (docId && testid) {
    rows.querySelector(`tr[data-doc-id="${CSS.escape(docId)}"] [data-testid="${CSS.escape(testid)}"]`)?.focus();
  }
  renderJobs();
}

/** How many files still wait for a worker (one that fails is listed as a failed document). */
function renderIngests() {
  const line = $("#doc-ingests");
  const waiting = ingests.filter((j) => ACTIVE.has(j.status)).length;
  line.hidden = !waiting;
  line.textContent = waiting ? t("jobs.ingest", { n: waiting }) : "";
}

/** The embedding job now under way (or the last one, if it failed), in one line. */
function renderJobs() {
  renderIngests();
  const line = $("#doc-jobs");
  const job = jobs.find((j) => ACTIVE.has(j.status)) || jobs.find((j) => j.status === "failed");
  line.hidden = !job;
  if (!job) return;
  line.dataset.status = job.status;
  let text;
  if (job.status === "failed") text = t("jobs.embedFailed", { error: job.error || "" });
  else if (job.status === "queued" || !job.total) text = t("jobs.embedQueued");
  else text = t("jobs.embed", { done: job.done, total: job.total });
  const progress = h("progress", { max: job.total || 1, value: job.done || 0 });
  if (job.status === "queued" || !job.total) progress.removeAttribute("value");
  replace(
    line,
    job.status === "failed" ? null : progress,
    h("span", {}, text),
    job.status === "failed" ? null : h("span", { class: "muted" }, t("jobs.keyword")),
  );
}

function vectorCell(doc) {
  const chunks = Number(doc.chunks) || 0;
  const vectors = Number(doc.vectors) || 0;
  if (!dense || doc.status !== "indexed") {
    return h("td", { class: "num muted" }, dense ? "" : t("docs.vectorsOff"));
  }
  const done = chunks > 0 && vectors >= chunks;
  return h(
    "td",
    {
      class: `num vectors ${done ? "vectors-done" : "vectors-pending"}`,
      title: t("docs.vectorsTitle", { vectors, chunks }),
      dataset: { testid: "doc-vectors", vectors: String(vectors), chunks: String(chunks) },
    },
    done ? t("docs.vectorsDone") : `${vectors}/${chunks}`,
  );
}

/** A failure as staff read it: the catalogue's category (dalin.messages, sent by the API as
 * ``help``) in the page's language, then the specifics; the code when there is no help. */
function failureText(doc, error) {
  const category = doc.help?.category?.[currentLang()];
  return [category || doc.code || doc.error_code, error].filter(Boolean).join(": ");
}

function documentRow(doc) {
  const status = String(doc.status || "");
  const error = doc.error || doc.reason || "";
  const name = doc.name || baseName(doc.path);
  const cells = [
    h(
      "td",
      { class: "doc-name" },
      status === "indexed"
        ? h(
            "button",
            {
              type: "button",
              class: "doc-title doc-open",
              dataset: { testid: "doc-open" },
              title: t("docs.open", { name }),
              onclick: (e) => openDocument({ ...doc, name }, e.currentTarget),
            },
            name,
          )
        : h("span", { class: "doc-title" }, name),
      error ? h("span", { class: "doc-error error" }, failureText(doc, error)) : null,
      doc.help ? h("span", { class: "doc-remedy muted", dataset: { testid: "doc-remedy" } }, doc.help.remedy[currentLang()] || "") : null,
    ),
    h("td", {}, h("span", { class: `badge badge-${status || "unknown"}` }, t(`status.${status}`, {}, status))),
    h("td", { class: "num" }, String(doc.chunks ?? "")),
    h("td", { class: "num" }, String(doc.tables ?? "")),
    vectorCell(doc),
    h(
      "td",
      { class: "actions" },
      canEdit()
        ? h(
            "button",
            {
              type: "button",
              class: "btn btn-small btn-danger",
              dataset: { testid: "doc-delete" },
              "aria-label": t("docs.deleteNamed", { name }),
              onclick: () => deleteDocument(doc, name),
            },
            t("docs.delete"),
          )
        : null,
    ),
  ];
  return h("tr", { dataset: { testid: "doc-row", status, docId: String(doc.id) } }, cells);
}

async function deleteDocument(doc, name) {
  if (!window.confirm(t("docs.confirmDelete", { name }))) return;
  try {
    await api(`/workspaces/${seg(state.workspace)}/documents/${seg(doc.id)}`, { method: "DELETE" });
  } catch (error) {
    window.alert(localizeError(error));
  }
  loadDocuments();
}

/** Queue ``files`` for upload, one at a time, each with its own line in the upload list. */
export function uploadFiles(files) {
  if (!state.workspace || !canEdit()) return;
  const slug = state.workspace;
  for (const file of files) {
    const line = uploadLine(file);
    $("#upload-list").prepend(line.item);
    queue = queue.then(() => upload(slug, file, line));
  }
}

function uploadLine(file) {
  const progress = h("progress", { max: 1, value: 0 });
  const status = h("span", { class: "upload-status" }, t("upload.waiting"));
  const item = h(
    "li",
    { class: "upload-item" },
    h("span", { class: "upload-name" }, file.name),
    h("span", { class: "upload-size muted" }, formatBytes(file.size)),
    progress,
    status,
  );
  const set = (key, vars, kind = "") => {
    status.textContent = t(key, vars);
    item.dataset.state = kind;
  };
  return { item, progress, status, set };
}

async function upload(slug, file, line) {
  line.set("upload.sending", { pct: 0 }, "sending");
  try {
    const data = await uploadFile(`/workspaces/${seg(slug)}/documents`, "files", file, {
      onProgress: (fraction) => {
        line.progress.value = fraction;
        line.set("upload.sending", { pct: Math.round(fraction * 100) }, "sending");
      },
      onSent: () => {
        line.progress.removeAttribute("value"); // indeterminate while the server indexes
        line.set("upload.indexing", {}, "indexing");
      },
    });
    const results = listFrom(data, "files", "documents");
    const result = results.find((r) => r.name === file.name) || results[0] || {};
    line.progress.value = 1;
    const status = result.status || "added";
    if (status === "failed") {
      const remedy = result.help?.remedy?.[currentLang()];
      const said = failureText(result, result.reason || "");
      line.set("upload.failed", { reason: [said, remedy].filter(Boolean).join(" — ") }, "failed");
    } else line.set(`upload.${status}`, { chunks: result.chunks ?? "" }, "done");
  } catch (error) {
    line.progress.value = 0;
    line.set("upload.failed", { reason: localizeError(error) }, "failed");
  }
  if (slug === state.workspace) loadDocuments();
}

export function initLibrary() {
  const drop = $("#upload-drop");
  const input = $("#upload-input");
  drop.addEventListener("click", (e) => {
    if (e.target !== input) input.click();
  });
  drop.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      input.click();
    }
  });
  input.addEventListener("change", () => {
    uploadFiles([...input.files]);
    input.value = "";
  });
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (e) => {
      e.preventDefault();
      drop.classList.add("dragging");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    drop.addEventListener(name, () => drop.classList.remove("dragging"));
  }
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    uploadFiles([...(e.dataTransfer?.files || [])]);
  });
  // a file dropped beside the zone would make the browser leave the page to open it
  for (const name of ["dragover", "drop"]) {
    window.addEventListener(name, (e) => e.preventDefault());
  }
  $("#docs-refresh").addEventListener("click", loadDocuments);
  events.addEventListener("workspace", () => {
    replace($("#upload-list"));
    loadDocuments();
  });
  document.addEventListener("langchange", renderDocuments);
}

/** Show or hide what only editors may use. */
export function applyRole() {
  $("#upload-area").hidden = !canEdit();
}
