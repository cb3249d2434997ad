// Server-Sent Events over fetch(): EventSource cannot send an Authorization header, and the
// token must not travel in a URL. The parser follows the HTML standard's "Server-sent events"
// interpretation rules (fields id, event, data, retry; comments; CR, LF or CRLF line ends).

// Feeds text chunks, calls onEvent({type, data, id}) per complete event and onRetry(ms).
export class SseParser {
  constructor(onEvent, onRetry = () => {}) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.buffer = '';
    this.data = [];
    this.type = '';
    this.lastId = '';
    this.sawCr = false;
  }

  push(chunk) {
    let text = chunk;
    // A CR at the end of the previous chunk already ended its line: skip the LF of a CRLF.
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.sawCr = text.endsWith('\r');
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop();
    for (const line of lines) this.line(line);
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // a comment: keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
  }

  dispatch() {
    if (this.data.length > 0) {
      this.onEvent({ type: this.type || 'message', data: this.data.join('\n'), id: this.lastId });
    }
    this.data = [];
    this.type = '';
  }
}

// Opens `path` as an event stream with the bearer token and keeps it open: on a drop it waits
// (the server's retry:, doubled per failure up to 30 s) and reconnects with Last-Event-ID.
// handlers: onEvent(event), onOpen(), onDown(error), onFatal(error) for 4xx answers (no retry).
// Returns {close()}.
export function openStream(path, token, handlers, { resume = true } = {}) {
  let closed = false;
  let controller = null;
  let retryMs = 2000;
  let failures = 0;
  let lastId = '';
  let timer = null;

  const connect = async () => {
    controller = new AbortController();
    const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
    if (resume && lastId) headers['Last-Event-ID'] = lastId;
    try {
      const response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store' });
      if (!response.ok) {
        const error = await errorOf(response);
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          closed = true;
          handlers.onFatal?.(error);
          return;
        }
        throw error;
      }
      failures = 0;
      handlers.onOpen?.();
      const parser = new SseParser(
        (event) => {
          if (event.id) lastId = event.id;
          handlers.onEvent(event);
        },
        (ms) => {
          retryMs = ms;
        },
      );
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      if (!closed) handlers.onDown?.(new Error('the stream ended'));
    } catch (error) {
      if (closed) return;
      handlers.onDown?.(error);
    }
    if (closed) return;
    failures += 1;
    const delay = Math.min(retryMs * 2 ** Math.max(0, failures - 1), 30000);
    timer = setTimeout(connect, delay);
  };
  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
}

// An Error carrying the HTTP status and the API's {"error": "..."} message.
export async function errorOf(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') message = `${response.status}: ${body.error}`;
  } catch {
    // not JSON: keep the status line
  }
  const error = new Error(message);
  error.status = response.status;
  return error;
}
