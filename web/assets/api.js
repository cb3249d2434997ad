// The page's only way to the agent: its public API under /api/v1 with the bearer token, the same
// calls a script makes (docs/decisions.md 30).
import { errorOf, openStream } from './sse.js';

// A read that gets no answer in this long is abandoned (the agent answers reads from memory, in
// milliseconds): the connection it waits on may never answer (a proxy, a half-open socket), and the
// next read goes on a new one. Actions (POST) wait as long as the agent takes: a scale drains for up
// to the records' TTL.
const READ_TIMEOUT_MS = 8000;

export class Api {
  constructor(token) {
    this.token = token;
  }

  async request(method, path, body) {
    const headers = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: method === 'GET' ? AbortSignal.timeout(READ_TIMEOUT_MS) : undefined,
    });
    if (!response.ok) throw await errorOf(response);
    const text = await response.text();
    return text ? JSON.parse(text) : {};
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body = {}) {
    return this.request('POST', path, body);
  }

  stream(path, handlers, options) {
    return openStream(path, this.token, handlers, options);
  }
}

// "/api/v1/instances/a%20b/c" from parts, each percent-encoded.
export function apiPath(...parts) {
  return `/api/v1/${parts.map((p) => encodeURIComponent(p)).join('/')}`;
}
