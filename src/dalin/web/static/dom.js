// Small DOM helpers. Everything that comes from the server or a user goes in as text nodes
// or attribute values, never as markup (SECURITY.md row 6): there is no innerHTML here.

/**
 * Create an element: h("button", {class: "chip", dataset: {testid: "x"}, onclick: f}, "text").
 * Children may be strings (added as text nodes), nodes, arrays, null or false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name in el && typeof value !== "string") el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Append children (strings become text nodes). */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace all children of ``el``. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Show ``text`` in the status line ``el`` (as an error when ``error``); "" hides it. */
export function showStatus(el, text, error = false) {
  el.hidden = !text;
  el.className = error ? "error" : "muted";
  el.textContent = text;
}

/** A byte count for people: 1.2 MB. */
export function formatBytes(n) {
  if (!Number.isFinite(n)) return "";
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i += 1;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** A date and time from the server for people, in the page's language ("" when unreadable). */
export function formatWhen(value) {
  const date = value ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(document.documentElement.lang, { dateStyle: "short", timeStyle: "short" });
}

/** Offer ``text`` as a file download named ``name`` (a blob: link, clicked once). */
export function saveText(name, text, type = "text/plain;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // the download has started from the click; the URL is no longer needed after this turn
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
