// What the whole page shares: who is signed in, which workspace is open, the model setting.
// Views listen for "change" events on ``events`` instead of calling each other.

const WS_STORAGE = "dalin.workspace";
const LLM_STORAGE = "dalin.llm";

export const events = new EventTarget();

export const state = {
  /** GET /me: {role, workspace, name, ...}; null when signed out */
  me: null,
  /** the open workspace's slug */
  workspace: sessionStorage.getItem(WS_STORAGE) || "",
  /** the workspaces this key may see: [{slug, name, domain, ...}] */
  workspaces: [],
  /** the documents questions are kept to: [{id, name}]; empty: all of them */
  scope: [],
};

export function setWorkspace(slug) {
  if (slug === state.workspace) return;
  state.workspace = slug;
  setScope([]); // document ids belong to one workspace
  if (slug) sessionStorage.setItem(WS_STORAGE, slug);
  else sessionStorage.removeItem(WS_STORAGE);
  events.dispatchEvent(new CustomEvent("workspace", { detail: slug }));
}

/** Keep the next questions to ``documents`` ([{id, name}]; [] for all documents). */
export function setScope(documents) {
  state.scope = documents.map((d) => ({ id: String(d.id), name: String(d.name) }));
  events.dispatchEvent(new CustomEvent("scope"));
}

export const isAdmin = () => Boolean(state.me && state.me.role === "admin");
/** Whether the key may change documents and start evaluation runs. */
export const canEdit = () => Boolean(state.me && ["admin", "editor"].includes(state.me.role));

/** The model spec sent with each question ("" = the workspace's configured model). */
export function modelSpec() {
  return localStorage.getItem(LLM_STORAGE) || "";
}

export function setModelSpec(spec) {
  const value = (spec || "").trim();
  if (value) localStorage.setItem(LLM_STORAGE, value);
  else localStorage.removeItem(LLM_STORAGE);
  events.dispatchEvent(new CustomEvent("model", { detail: value }));
}
