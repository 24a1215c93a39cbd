// The REST API of the same origin (/api/v1), with the signed-in key as a Bearer token.
// The key lives in sessionStorage: it is gone when the tab closes and never leaves this origin.

const KEY_STORAGE = "dalin.key";
export const API = "/api/v1";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || "";
  }
}

export const session = {
  get key() {
    return sessionStorage.getItem(KEY_STORAGE) || "";
  },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  },
  /** Called on a 401 from any request: the app signs out. */
  onUnauthorized: () => {},
};

export function authHeaders(extra = {}) {
  return { Authorization: `Bearer ${session.key}`, ...extra };
}

/** The error a failed response carries: {"error": {"code", "message"}} or plain text. */
export async function errorFrom(response) {
  let code = "";
  let message = "";
  try {
    const body = await response.json();
    const err = body && (body.error || body.detail);
    if (err && typeof err === "object") {
      code = String(err.code || err.type || "");
      message = String(err.message || err.msg || "");
    } else if (typeof err === "string") message = err;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, message || `${response.status} ${response.statusText}`);
}

/** Call the API; JSON in (``json``) and out. Throws ApiError for a status >= 400. */
export async function api(path, { method = "GET", json, body, signal, quiet401 = false } = {}) {
  const headers = authHeaders({ Accept: "application/json" });
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  const response = await fetch(API + path, { method, headers, body, signal });
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && !quiet401) session.onUnauthorized(error);
    throw error;
  }
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : response.text();
}

/** The list inside a response that is either a list or {items|<name>: [...]}. */
export function listFrom(data, ...names) {
  if (Array.isArray(data)) return data;
  if (data && typeof data === "object") {
    for (const name of [...names, "items", "data", "results"]) {
      if (Array.isArray(data[name])) return data[name];
    }
  }
  return [];
}

/** Path segment for a workspace slug or an id. */
export const seg = (value) => encodeURIComponent(String(value));

/**
 * Upload one file with XMLHttpRequest, the one browser API that reports upload progress.
 * ``onProgress(fraction)`` runs while the bytes go out, ``onSent()`` once they are all sent
 * (the server is then parsing and indexing). Resolves with the parsed JSON body.
 */
export function uploadFile(path, field, file, { onProgress, onSent, extra = {} } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", API + path);
    xhr.setRequestHeader("Authorization", `Bearer ${session.key}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    });
    xhr.upload.addEventListener("load", () => onSent && onSent());
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
        return;
      }
      const err = (body && body.error) || {};
      const error = new ApiError(xhr.status, err.code, err.message || `HTTP ${xhr.status}`);
      if (xhr.status === 401) session.onUnauthorized(error);
      reject(error);
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network", "")));
    xhr.addEventListener("abort", () => reject(new ApiError(0, "aborted", "")));
    const form = new FormData();
    form.append(field, file, file.name);
    for (const [name, value] of Object.entries(extra)) form.append(name, value);
    xhr.send(form);
  });
}
