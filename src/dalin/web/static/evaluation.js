// Evaluation runs: start one (questions file + models), list them, follow and cancel them, read
// a run's report. Each workspace has its own queue: a run waits only for its workspace's.
//
// The report is served only with an API key, which a plain link or an iframe cannot send.
// So it is fetched and shown in an iframe's srcdoc with an empty sandbox: no scripts, no
// handlers, no forms, no navigation of this page, and an opaque origin that cannot reach this
// page, its key or the API. No sanitiser to keep up to date: the browser isolates it. The
// frame inherits the page's CSP, which admits the report's one <style> block by its hash.

import { api, authHeaders, errorFrom, listFrom, seg, uploadFile } from "./api.js";
import { $, formatWhen, h, replace } from "./dom.js";
import { localizeError, t } from "./i18n.js";
import { canEdit, events, modelSpec, state } from "./state.js";

const ACTIVE = new Set(["queued", "pending", "running", "started"]);
let pollTimer = 0;
let reportUrl = "";
let progress = new Map();

const runId = (run) => String(run.run_id ?? run.id ?? "");

export async function loadRuns() {
  clearTimeout(pollTimer);
  if (!state.workspace) {
    renderRuns([]);
    return;
  }
  const slug = state.workspace;
  try {
    const [data, jobs] = await Promise.all([
      api(`/workspaces/${seg(slug)}/eval/runs`),
      api(`/workspaces/${seg(slug)}/jobs`),
    ]);
    if (slug !== state.workspace) return;
    const runs = listFrom(data, "runs");
    progress = new Map(listFrom(jobs, "jobs").filter((j) => j.kind === "eval").map((j) => [j.id, j]));
    renderRuns(runs);
    // follow running evaluations while this view is open
    if (runs.some((r) => ACTIVE.has(String(r.status))) && !$("#view-eval").hidden) {
      pollTimer = setTimeout(loadRuns, 3000);
    }
  } catch (error) {
    replace($("#eval-runs"), h("li", { class: "error" }, localizeError(error)));
  }
}

function renderRuns(runs) {
  $("#eval-empty").hidden = runs.length > 0;
  replace(
    $("#eval-runs"),
    runs.map((run) => {
      const id = runId(run);
      const status = String(run.status || "");
      const models = Array.isArray(run.models) ? run.models.join(", ") : run.models || "";
      const when = run.started_at || run.created_at || "";
      // a cancelled run keeps a report of the answers it recorded
      const done = status === "done" || (status === "cancelled" && Number(run.done) > 0);
      return h(
        "li",
        { class: "eval-run", dataset: { runId: id, status } },
        h(
          "div",
          { class: "eval-run-main" },
          h("span", { class: "eval-run-id" }, `#${id}`),
          h("span", { class: `badge badge-${status || "unknown"}` }, t(`status.${status}`, {}, status)),
          run.question_set ? h("span", { class: "eval-run-set" }, run.question_set) : null,
          models ? h("span", { class: "eval-run-models muted" }, models) : null,
          when ? h("span", { class: "muted" }, formatWhen(when)) : null,
          progressLine(id, status),
        ),
        run.error ? h("p", { class: status === "cancelled" ? "muted" : "error" }, String(run.error)) : null,
        summaryLine(run),
        ACTIVE.has(status) && canEdit()
          ? h(
              "button",
              {
                type: "button",
                class: "btn btn-small btn-danger",
                dataset: { testid: "eval-cancel" },
                "aria-label": t("eval.cancelNamed", { id }),
                onclick: () => cancelRun(id),
              },
              t("eval.cancel"),
            )
          : null,
        done
          ? h(
              "button",
              { type: "button", class: "btn btn-small", onclick: () => openReport(id) },
              t("eval.open"),
            )
          : null,
      );
    }),
  );
}

function progressLine(id, status) {
  const job = progress.get(id);
  if (status !== "running" || !job || !job.total) return null;
  return h("span", { class: "muted", dataset: { testid: "eval-progress" } }, t("eval.progress", job));
}

async function cancelRun(id) {
  try {
    await api(`/workspaces/${seg(state.workspace)}/eval/runs/${seg(id)}/cancel`, { method: "POST" });
  } catch (error) {
    window.alert(localizeError(error));
  }
  loadRuns();
}

function summaryLine(run) {
  const summaries = Array.isArray(run.summary) ? run.summary : run.summary?.summaries;
  if (!Array.isArray(summaries) || !summaries.length) return null;
  const text = summaries
    .map((s) => {
      const accuracy = Number(s.accuracy);
      const pct = `${(accuracy * 100).toFixed(0)}%`;
      return Number.isFinite(accuracy) ? `${s.config}: ${t("eval.accuracy", { pct })}` : s.config;
    })
    .join(" · ");
  return h("p", { class: "muted eval-run-summary" }, text);
}

async function openReport(id) {
  const viewer = $("#report-viewer");
  const holder = $("#report-frame");
  viewer.hidden = false;
  const title = t("eval.report", { id });
  $("#report-title").textContent = title;
  replace(holder, h("p", {}, t("eval.loading")));
  try {
    const response = await fetch(
      `/api/v1/workspaces/${seg(state.workspace)}/eval/runs/${seg(id)}/report.html`,
      { headers: authHeaders({ Accept: "text/html" }) },
    );
    if (!response.ok) throw await errorFrom(response);
    const html = await response.text();
    // sandbox="" (no allow-scripts, no allow-same-origin): the report is only displayed
    replace(holder, h("iframe", { class: "report-page", sandbox: "", srcdoc: html, title }));
    if (reportUrl) URL.revokeObjectURL(reportUrl);
    reportUrl = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    $("#report-download").href = reportUrl;
    $("#report-download").download = `report-${id}.html`;
    viewer.scrollIntoView({ block: "start", behavior: "smooth" });
  } catch (error) {
    replace(holder, h("p", { class: "error" }, localizeError(error)));
  }
}

async function startRun(e) {
  e.preventDefault();
  const file = $("#eval-questions").files[0];
  const status = $("#eval-form-status");
  if (!file) return;
  const models = $("#eval-models").value.trim() || modelSpec() || "extractive";
  status.hidden = false;
  status.className = "muted";
  status.textContent = t("eval.starting");
  try {
    const data = await uploadFile(`/workspaces/${seg(state.workspace)}/eval/runs`, "questions", file, {
      extra: { models },
    });
    status.textContent = t("eval.started", { id: runId(data || {}) });
    $("#eval-form").reset();
    loadRuns();
  } catch (error) {
    status.className = "error";
    status.textContent = localizeError(error);
  }
}

export function initEvaluation() {
  $("#eval-form").addEventListener("submit", startRun);
  $("#eval-refresh").addEventListener("click", loadRuns);
  $("#report-close").addEventListener("click", () => {
    $("#report-viewer").hidden = true;
  });
  events.addEventListener("workspace", () => {
    $("#report-viewer").hidden = true;
    loadRuns();
  });
}

export function applyEvalRole() {
  $("#eval-form").hidden = !canEdit();
}
