/**
 * Calls to the server's field API (/api/field/…). Cookies are never sent: the device proves
 * itself with its own bearer token only, so a web session open in the same browser changes
 * nothing.
 */

/** The server answered with an error: `{code, message, fields}` and the HTTP status. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || "error";
    this.fields = body.fields || {};
  }
}

/** No answer came back (offline, connection lost, server down). */
export class NetworkError extends Error {}

let base = "/api/field";

export function apiBaseSet(url) {
  base = url;
}

/**
 * Call the API and return its JSON answer.
 * @param {string} path e.g. "/sync"
 * @param {{method?: string, token?: string, body?: *, headers?: Object, query?: Object}} options
 */
export async function apiCall(path, { method = "GET", token, body, headers = {}, query } = {}) {
  const url = new URL(base + path, location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    url.searchParams.set(name, value);
  }
  const sent = { Accept: "application/json", ...headers };
  if (token) {
    sent.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    sent["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: sent,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  return answerOf(response);
}

async function answerOf(response) {
  if (response.status === 204) {
    return null;
  }
  let body;
  try {
    body = await response.json();
  } catch {
    // A proxy's error page or a cut connection: no JSON to read.
    if (response.ok) {
      throw new NetworkError("the answer was cut off");
    }
    body = {};
  }
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}
