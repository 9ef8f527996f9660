// Calls to the seqserve HTTP API. Every failure becomes an ApiError carrying the RFC 9457 problem the
// server sent (or one describing the network failure), so views can show it instead of swallowing it.

const TOKEN_KEY = 'seqserve.writeToken';

/** The write token (Authorization: Bearer) entered in any token field, kept for this browser tab. */
export const writeToken = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: value => value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || 'Request failed');
    this.problem = problem;
  }
}

/** Reads a failed response as a problem: problem+json as sent, anything else wrapped. */
export async function problemOf(response) {
  const text = await response.text().catch(() => '');
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (body && typeof body === 'object' && (body.title || body.detail)) {
    return new ApiError({ status: response.status, ...body });
  }
  return new ApiError({
    status: response.status,
    title: response.statusText || `HTTP ${response.status}`,
    detail: text.trim().slice(0, 300) || `${response.url} answered ${response.status}`,
  });
}

function networkError(error, path) {
  return new ApiError({ status: 0, title: 'No answer from the server', detail: `${path}: ${error.message}` });
}

/**
 * fetch() with JSON in and out. Options: method, json (a body to send as JSON), body (FormData or text),
 * contentType, write (adds the bearer token when one is set), signal.
 * Resolves to the parsed JSON (or text); rejects with an ApiError.
 */
export async function request(path, { method = 'GET', json, body, contentType, write = false, signal, accept } = {}) {
  const response = await open(path, { method, json, body, contentType, write, signal, accept });
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 204) {
    return null;
  }
  return type.includes('json') ? response.json() : response.text();
}

/** Like request(), but resolves to the successful Response itself (for streams). */
export async function open(path, { method = 'GET', json, body, contentType, write = false, signal, accept } = {}) {
  const headers = { Accept: accept || 'application/json' };
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (contentType) {
    headers['Content-Type'] = contentType;
  }
  if (write && writeToken.get()) {
    headers.Authorization = `Bearer ${writeToken.get()}`;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, signal });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw networkError(error, path);
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response;
}

/**
 * The events of a text/event-stream response body, read with a ReadableStream (EventSource cannot POST).
 * Yields {event, data} per event; comments (keep-alives) are skipped.
 */
export async function* serverSentEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseFrame(frame);
        if (event) {
          yield event;
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function parseFrame(frame) {
  let event = 'message';
  const data = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':') || !line) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      event = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  return data.length ? { event, data: data.join('\n') } : null;
}

/** A copy-pasteable curl command for a JSON POST to this server. */
export function curlFor(path, json, extra = '') {
  const body = JSON.stringify(json).replace(/'/g, `'\\''`);
  return `curl -s ${location.origin}${path}${extra} \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'`;
}
