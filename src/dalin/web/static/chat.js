// Questions and streamed answers: POST .../ask with stream:true, read as server-sent events
// (meta, reasoning, answer, citations, done, error). Answer text is put in as text nodes;
// only the [n] markers become buttons. Questions may be kept to some documents (scope.js);
// an answer or the whole conversation exports as Markdown (export.js).

import { ApiError, api, authHeaders, errorFrom, listFrom, seg, session } from "./api.js";
import { $, formatWhen, h, replace } from "./dom.js";
import { exportConversation, turnNumber } from "./export.js";
import { localizeError, t } from "./i18n.js";
import { baseName, closePassage, openPassage } from "./passage.js";
import { scopeText } from "./scope.js";
import { readJsonEvents } from "./sse.js";
import { events, modelSpec, state } from "./state.js";

const MARKER = /\[(\d{1,3})\]/g;

let conversationId = "";
let running = null; // the AbortController of the answer being streamed
let shownTurns = []; // the Turns of the conversation on screen, oldest first

/** One question and its answer in the message list. */
class Turn {
  /** ``scope``: the documents the question was kept to ([] all), null when not known. */
  constructor(question, scope = null) {
    this.question = question;
    this.text = "";
    this.reasoningText = "";
    this.citations = [];
    this.reasoningBody = h("div", { class: "reasoning-text" });
    this.reasoning = h(
      "details",
      { class: "reasoning", dataset: { testid: "reasoning" }, hidden: true },
      h("summary", { dataset: { i18n: "chat.reasoning" } }, t("chat.reasoning")),
      this.reasoningBody,
    );
    this.answer = h("div", { class: "answer-text", dataset: { testid: "answer" } });
    this.notice = h("p", { class: "notice", hidden: true });
    this.sources = h("ol", { class: "sources", hidden: true });
    this.toolCount = h("span", { class: "tool-count" });
    this.toolList = h("ol", { class: "tool-list" });
    this.tools = h(
      "details",
      { class: "tools", dataset: { testid: "tools" }, hidden: true },
      h("summary", {}, h("span", { dataset: { i18n: "chat.tools" } }, t("chat.tools")), this.toolCount),
      this.toolList,
    );
    this.flagList = h("ul", { class: "flag-list" });
    this.flagSummary = h("summary", {});
    this.flags = h(
      "details",
      { class: "flags", dataset: { testid: "flags" }, hidden: true },
      this.flagSummary,
      this.flagList,
    );
    this.flagged = [];
    this.meta = h("p", { class: "answer-meta" }, t("chat.thinking"));
    this.exportButton = h(
      "button",
      {
        type: "button",
        class: "btn btn-small answer-export",
        dataset: { testid: "export-answer" },
        hidden: true,
        onclick: () => this.export(),
      },
      t("chat.exportAnswer"),
    );
    this.exportStatus = h("span", { class: "muted answer-export-status", role: "status" });
    this.scope =
      scope && scope.length
        ? h("p", { class: "answer-scope", dataset: { testid: "answer-scope" } }, t("scope.label", { scope: scopeText(scope) }))
        : null;
    this.bot = h(
      "article",
      { class: "msg msg-bot", "aria-busy": "true" },
      this.scope,
      this.reasoning,
      this.answer,
      this.notice,
      this.sources,
      this.tools,
      this.flags,
      h("div", { class: "answer-foot" }, this.meta, this.exportStatus, this.exportButton),
    );
    this.user = h("article", { class: "msg msg-user" }, h("p", {}, question));
    this.scheduled = false;
  }

  mount(list) {
    shownTurns.push(this);
    list.append(this.user, this.bot);
    this.user.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  addReasoning(delta) {
    this.reasoningText += delta;
    this.reasoning.hidden = false;
    this.reasoningBody.textContent = this.reasoningText;
  }

  addAnswer(delta) {
    this.text += delta;
    this.render();
  }

  setCitations(citations) {
    this.citations = Array.isArray(citations) ? citations : [];
    this.render();
  }

  /** Re-draw the answer at most once a frame, however fast the deltas come. */
  render() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.draw();
    });
  }

  draw() {
    replace(this.answer, withChips(this.text, (n, chip) => this.cite(n, chip)));
    for (const chip of this.answer.querySelectorAll(".chip")) {
      chip.disabled = !this.citation(Number(chip.dataset.number));
    }
    replace(
      this.sources,
      this.citations.map((c) =>
        h(
          "li",
          {},
          h(
            "button",
            { type: "button", class: "source", onclick: (e) => this.cite(c.number, e.currentTarget) },
            h("span", { class: "source-number" }, `[${c.number}]`),
            " ",
            sourceLabel(c),
          ),
          c.flag ? h("span", { class: "flag", dataset: { testid: "citation-flag", flag: c.flag } }, c.reason || "⚠") : "",
        ),
      ),
    );
    this.sources.hidden = this.citations.length === 0;
    this.drawFlags();
  }

  /** The model's flagged sentences as written: why, and what was shown instead. */
  drawFlags() {
    this.flagSummary.textContent = t("chat.flags", { n: this.flagged.length });
    replace(
      this.flagList,
      this.flagged.map((f) =>
        h(
          "li",
          { dataset: { testid: "flag", reason: String(f.reason || "") } },
          h("span", { class: "flag" }, String(f.message || "⚠")),
          " ",
          h("q", { class: "flag-sentence" }, String(f.sentence || "")),
          " ",
          h("span", { class: "muted" }, t(`chat.flag.${f.action}`, { n: f.citation }, "")),
        ),
      ),
    );
    this.flags.hidden = this.flagged.length === 0;
  }

  citation(number) {
    return this.citations.find((c) => Number(c.number) === number);
  }

  cite(number, chip) {
    const citation = this.citation(number);
    if (citation) openPassage(citation, chip);
  }

  finish(answer) {
    if (answer) {
      if (typeof answer.text === "string") this.text = answer.text;
      if (Array.isArray(answer.citations)) this.citations = answer.citations;
      if (Array.isArray(answer.flags)) this.flagged = answer.flags;
      if (answer.reasoning && !this.reasoningText) this.addReasoning(answer.reasoning);
      this.bot.classList.toggle("abstained", Boolean(answer.abstained));
      const notes = [answer.notice];
      if (answer.unsupported && answer.unsupported.length) {
        notes.push(t("chat.unsupported", { n: answer.unsupported.length }));
      }
      this.notice.textContent = notes.filter(Boolean).join(" ");
      this.notice.hidden = !this.notice.textContent;
      this.setTools(answer.tools);
      this.meta.textContent = answerFacts(answer);
      this.exportButton.hidden = false;
    } else {
      this.meta.textContent = "";
    }
    this.bot.removeAttribute("aria-busy");
    this.draw();
  }

  /** The tool calls the model made, collapsed under the answer. */
  setTools(tools) {
    const calls = Array.isArray(tools) ? tools : [];
    this.toolCount.textContent = ` (${calls.length})`;
    replace(
      this.toolList,
      calls.map((call) =>
        h(
          "li",
          { class: call.error ? "tool failed" : "tool" },
          h("code", { class: "tool-name" }, String(call.name || "")),
          " ",
          h("code", { class: "tool-input" }, toolInput(call.arguments)),
          " → ",
          call.error ? `${t("chat.toolFailed")}: ${call.error}` : String(call.summary || ""),
          h("span", { class: "tool-time" }, ` · ${Number(call.seconds || 0).toFixed(2)}s`),
        ),
      ),
    );
    this.tools.hidden = calls.length === 0;
  }

  /** Download this answer as Markdown, under the number the server keeps it by. */
  async export() {
    const cid = conversationId;
    const same = shownTurns.filter((turn) => turn.question === this.question);
    this.exportStatus.textContent = "";
    try {
      const number = await turnNumber(cid, this.question, same.indexOf(this) + 1);
      if (number === null) throw new ApiError(404, "", t("chat.exportNotKept"));
      await exportConversation(cid, number);
    } catch (error) {
      this.exportStatus.textContent = localizeError(error);
    }
  }

  fail(error) {
    this.bot.removeAttribute("aria-busy");
    this.bot.classList.add("failed");
    this.draw();
    this.meta.textContent = "";
    this.notice.hidden = false;
    this.notice.classList.add("error");
    this.notice.textContent = localizeError(error);
  }
}

/** ``text`` as text nodes with each [n] turned into a citation chip. */
function withChips(text, onCite) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    parts.push(text.slice(last, match.index));
    const number = Number(match[1]);
    const chip = h(
      "button",
      {
        type: "button",
        class: "chip",
        dataset: { testid: "citation-chip", number: String(number) },
        "aria-label": t("chat.source", { n: number }),
        "aria-expanded": "false",
      },
      `[${number}]`,
    );
    chip.addEventListener("click", () => onCite(number, chip));
    parts.push(chip);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** A tool call's input for people: the SQL, expression or query rather than its JSON. */
function toolInput(argumentsText) {
  const text = String(argumentsText || "");
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object") {
      return Object.values(parsed).map(String).join(" · ");
    }
  } catch {
    // the model's own text, shown as it wrote it
  }
  return text;
}

function sourceLabel(citation) {
  const name = baseName(citation.document);
  const label = citation.label || name;
  const withName = label.includes(name) ? label : `${name} · ${label}`;
  const page = citation.page;
  const hasPage = page !== null && page !== undefined && !withName.includes(`p.${page}`);
  return hasPage ? `${withName} · p.${page}` : withName;
}

function answerFacts(answer) {
  const facts = [];
  const method = answer.method || "";
  if (answer.model && answer.model !== "extractive") facts.push(answer.model);
  else if (method) facts.push(t(`method.${method}`, {}, method));
  if (Number.isFinite(answer.total_seconds)) {
    facts.push(t("chat.seconds", { s: answer.total_seconds.toFixed(answer.total_seconds < 10 ? 2 : 1) }));
  }
  const tokens = answer.tokens;
  const total =
    typeof tokens === "number"
      ? tokens
      : tokens && typeof tokens === "object"
        ? (tokens.prompt || 0) + (tokens.completion || 0) || tokens.total
        : 0;
  if (total) facts.push(t("chat.tokens", { n: total.toLocaleString() }));
  if (answer.cost_usd) facts.push(`$${Number(answer.cost_usd).toFixed(4)}`);
  return facts.join(" · ");
}

async function ask(question) {
  const turn = new Turn(question, state.scope);
  $("#chat-empty").hidden = true;
  turn.mount($("#messages"));
  const controller = new AbortController();
  running = controller;
  setBusy(true);
  const body = { question, stream: true };
  if (state.scope.length) body.documents = state.scope.map((d) => d.id);
  if (conversationId) body.conversation_id = conversationId;
  const llm = modelSpec();
  if (llm) body.llm = llm;
  let finished = false;
  try {
    const response = await fetch(`/api/v1/workspaces/${seg(state.workspace)}/ask`, {
      method: "POST",
      headers: authHeaders({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401) session.onUnauthorized(error);
      throw error;
    }
    if (!(response.headers.get("content-type") || "").includes("text/event-stream")) {
      const answer = await response.json();
      if (answer.conversation_id) conversationId = answer.conversation_id;
      turn.finish(answer);
      finished = true;
      return;
    }
    for await (const { event, data } of readJsonEvents(response)) {
      if (event === "meta" && data.conversation_id) conversationId = data.conversation_id;
      else if (event === "reasoning") turn.addReasoning(data.text || "");
      else if (event === "answer") turn.addAnswer(data.text || "");
      else if (event === "citations") turn.setCitations(data.citations);
      else if (event === "done") {
        const answer = data.answer && typeof data.answer === "object" ? data.answer : data;
        if (answer.conversation_id) conversationId = answer.conversation_id;
        turn.finish(answer);
        finished = true;
      } else if (event === "error") throw new ApiError(200, data.code, data.message);
    }
    if (!finished) throw new ApiError(0, "incomplete", "");
  } catch (error) {
    if (error.name === "AbortError") {
      turn.finish(null);
      turn.meta.textContent = t("chat.stopped");
    } else turn.fail(error);
  } finally {
    if (running === controller) running = null;
    setBusy(false);
    loadConversations();
  }
}

function setBusy(busy) {
  $("#ask-submit").disabled = busy;
  $("#ask-stop").hidden = !busy;
}

export function newConversation() {
  if (running) running.abort();
  conversationId = "";
  shownTurns = [];
  closePassage();
  replace($("#messages"), $("#chat-empty"));
  $("#chat-empty").hidden = false;
  markCurrentConversation();
}

function markCurrentConversation() {
  $("#export-conversation").hidden = !conversationId;
  for (const item of document.querySelectorAll("#conversation-list button")) {
    item.setAttribute("aria-current", item.dataset.id === conversationId ? "true" : "false");
  }
}

export async function loadConversations() {
  const list = $("#conversation-list");
  if (!state.workspace) {
    replace(list);
    return;
  }
  try {
    const data = await api(`/workspaces/${seg(state.workspace)}/conversations`);
    const items = listFrom(data, "conversations");
    replace(
      list,
      items.length
        ? items.map((c) =>
            h(
              "li",
              {},
              h(
                "button",
                { type: "button", class: "conversation", dataset: { id: String(c.id) }, onclick: () => openConversation(c.id) },
                h("span", { class: "conversation-title" }, c.title || t("chat.untitled")),
                h("span", { class: "conversation-when muted" }, formatWhen(c.last_at)),
              ),
            ),
          )
        : h("li", { class: "muted" }, t("chat.noHistory")),
    );
    markCurrentConversation();
  } catch {
    replace(list, h("li", { class: "muted" }, t("chat.historyFailed")));
  }
}

async function openConversation(id) {
  if (running) return;
  try {
    const data = await api(`/workspaces/${seg(state.workspace)}/conversations/${seg(id)}`);
    const turns = listFrom(data, "turns").slice();
    // the answer log lists newest first; a conversation reads oldest first
    turns.sort((a, b) => String(a.asked_at || a.id).localeCompare(String(b.asked_at || b.id)));
    newConversation();
    conversationId = String(id);
    $("#chat-empty").hidden = turns.length > 0;
    for (const turn of turns) {
      const view = new Turn(turn.question || "");
      shownTurns.push(view);
      $("#messages").append(view.user, view.bot);
      view.finish({ ...turn, text: turn.text ?? turn.answer ?? "" });
    }
    markCurrentConversation();
    $("#question-input").focus();
  } catch (error) {
    $("#app-error").hidden = false;
    $("#app-error").textContent = localizeError(error);
  }
}

function updateModelBadge() {
  const spec = modelSpec();
  $("#model-badge").textContent = t("chat.model", { model: spec || t("settings.modelDefault") });
}

export function initChat() {
  const form = $("#ask-form");
  const input = $("#question-input");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const question = input.value.trim();
    if (!question || running || !state.workspace) return;
    input.value = "";
    ask(question);
  });
  input.addEventListener("keydown", (e) => {
    // Enter sends, but not while a Korean syllable is still being composed by the IME
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  $("#ask-stop").addEventListener("click", () => running && running.abort());
  $("#new-conversation").addEventListener("click", () => {
    newConversation();
    input.focus();
  });
  events.addEventListener("workspace", () => {
    newConversation();
    loadConversations();
  });
  events.addEventListener("model", updateModelBadge);
  $("#export-conversation").addEventListener("click", async () => {
    const status = $("#export-status");
    status.textContent = "";
    try {
      await exportConversation(conversationId);
    } catch (error) {
      status.textContent = localizeError(error);
    }
  });
  // on a phone the conversation list starts folded, leaving the screen to the answers
  if (window.matchMedia("(max-width: 900px)").matches) $("#history").open = false;
  document.addEventListener("langchange", updateModelBadge);
  updateModelBadge();
}
