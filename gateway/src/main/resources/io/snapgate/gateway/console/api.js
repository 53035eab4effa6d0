// The one place the console talks to the gateway: same-origin fetches of the REST routes with the bearer token of
// this tab (sessionStorage: gone when the tab closes, never sent to another origin).

const TOKEN_KEY = 'snapgate.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An error answer: {code, message} and the whole error object (argument, guestCode, functions...) as detail. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error.message);
    this.status = status;
    this.code = error.code;
    this.detail = error;
  }
}

const refusedListeners = [];

/** fn(error) on every 401 or 403: the token is missing, not accepted or lacks a scope. */
export function onRefused(fn) {
  refusedListeners.push(fn);
}

/**
 * Sends a request; resolves to {status, data (parsed JSON), text, headers, millis} for a 2xx answer, else
 * rejects with an ApiError.
 * options: json (sent as JSON), or body with contentType.
 */
export async function request(method, path, options = {}) {
  const headers = {};
  const bearer = token.get();
  if (bearer) {
    headers.Authorization = 'Bearer ' + bearer;
  }
  let body = options.body;
  if (options.json !== undefined) {
    body = toJson(options.json);
    headers['Content-Type'] = 'application/json';
  } else if (options.contentType) {
    headers['Content-Type'] = options.contentType;
  }
  const started = performance.now();
  let response;
  try {
    response = await fetch(path, {method, headers, body, cache: 'no-store', credentials: 'omit'});
  } catch (e) {
    throw new ApiError(0, {code: 'NO_ANSWER', message: 'the gateway did not answer (' + e.message + ')'});
  }
  const text = await response.text();
  const millis = performance.now() - started;
  const data = parseJson(text);
  if (!response.ok) {
    const error = new ApiError(response.status, data && data.error
      ? data.error : {code: 'HTTP_' + response.status, message: text || response.statusText});
    if (response.status === 401 || response.status === 403) {
      refusedListeners.forEach((fn) => fn(error));
    }
    throw error;
  }
  return {status: response.status, data, text, headers: response.headers, millis};
}

/** JSON with integers beyond 2^53 kept exact, as BigInt (64-bit results are exact JSON integers). */
export function parseJson(text) {
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text, (key, value, context) => typeof value === 'number' && !Number.isSafeInteger(value)
      && context && /^-?\d+$/.test(context.source) ? BigInt(context.source) : value);
  } catch {
    return null;
  }
}

/** JSON text of a value that may hold BigInt or values already made raw JSON (JSON.rawJSON). */
export function toJson(value, indent) {
  return JSON.stringify(value, (key, v) => typeof v === 'bigint' ? JSON.rawJSON(v.toString()) : v, indent);
}

/** A path segment: a tag, digest, session id or function name, escaped. */
export const seg = encodeURIComponent;
