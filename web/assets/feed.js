// What keeps the page live: the agent's event stream (replayed from the start of the kept history,
// then live), GET /api/v1/state again shortly after an event that names an instance (at most once
// a second, and every 10 s anyway), and GET /api/v1/stats as often as the agent samples them.
// One Feed serves every tab of a browser through hub.js (a SharedWorker): a browser keeps at most
// six HTTP/1.1 connections to one host, so one event stream per tab would starve the reads of the
// sixth tab and beyond. Where SharedWorker is missing the tab runs its own Feed (connectFeed).
import { Api } from './api.js';
import { parseTime } from './format.js';

const STATE_SAFETY_MS = 10000; // the agent reconciles every 10 s by default: a missed event costs no more
const STATE_MIN_GAP_MS = 1000; // at most one state read a second, however many events come
const KEPT_EVENTS = 1000;

// publish(message): {kind: 'event'|'state'|'stats'|'connection'|'fatal', ...}
export class Feed {
  constructor(token, publish) {
    this.api = new Api(token);
    this.publish = publish;
    this.events = []; // the last KEPT_EVENTS, replayed to a tab that joins later
    this.state = null;
    this.stats = null;
    this.connection = { status: 'connecting', message: '' };
    this.observedAt = 0;
    this.stateTimer = null;
    this.stateBusy = false;
    this.stateAgain = false;
    this.lastState = 0;
    this.statsTimer = null;
    this.stopped = false;
    this.stream = this.api.stream('/api/v1/events?since=0', {
      onOpen: () => {
        this.setConnection('live');
        this.requestState(0);
      },
      onEvent: (event) => this.onEvent(event),
      onDown: () => this.setConnection('down', 'reconnecting…'),
      onFatal: (error) => this.fatal(error),
    });
    this.safety = setInterval(() => this.requestState(0), STATE_SAFETY_MS);
    this.readStats();
  }

  // Everything a tab that joins now needs, in the order it would have seen it.
  replay(send) {
    if (this.state) send({ kind: 'state', state: this.state });
    for (const event of this.events) send({ kind: 'event', event });
    if (this.stats) send({ kind: 'stats', stats: this.stats });
    send({ kind: 'connection', ...this.connection });
  }

  stop() {
    this.stopped = true;
    this.stream.close();
    clearInterval(this.safety);
    clearTimeout(this.stateTimer);
    clearTimeout(this.statsTimer);
  }

  setConnection(status, message = '') {
    this.connection = { status, message };
    this.publish({ kind: 'connection', status, message });
  }

  fatal(error) {
    this.stop();
    this.publish({ kind: 'fatal', status: error.status ?? 0, message: error.message });
  }

  onEvent(raw) {
    if (raw.type !== 'message') return;
    let event;
    try {
      event = JSON.parse(raw.data);
    } catch {
      return;
    }
    const last = this.events[this.events.length - 1];
    if (last && event.id <= last.id) return;
    this.events.push(event);
    if (this.events.length > KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
    this.publish({ kind: 'event', event });
    // Newer than the last snapshot and about an instance: the snapshot is worth reading again.
    if (event.service && (parseTime(event.time) ?? 0) >= this.observedAt) this.requestState(150);
  }

  requestState(delay) {
    if (this.stopped) return;
    if (this.stateBusy) {
      this.stateAgain = true;
      return;
    }
    if (this.stateTimer) return;
    const wait = Math.max(delay, this.lastState + STATE_MIN_GAP_MS - Date.now());
    this.stateTimer = setTimeout(() => this.readState(), wait);
  }

  async readState() {
    this.stateTimer = null;
    this.stateBusy = true;
    this.lastState = Date.now();
    try {
      this.state = await this.api.get('/api/v1/state');
      this.observedAt = parseTime(this.state.observed_at) ?? 0;
      this.publish({ kind: 'state', state: this.state });
    } catch (error) {
      if (error.status === 401) this.fatal(error);
    } finally {
      this.stateBusy = false;
    }
    if (this.stateAgain) {
      this.stateAgain = false;
      this.requestState(0);
    }
  }

  // As often as the agent samples (interval_seconds), never more than once a second.
  async readStats() {
    clearTimeout(this.statsTimer);
    let interval = 5;
    try {
      this.stats = await this.api.get('/api/v1/stats');
      this.publish({ kind: 'stats', stats: this.stats });
      interval = Math.max(1, this.stats.interval_seconds || 5);
    } catch (error) {
      if (error.status === 401) {
        this.fatal(error);
        return;
      }
    }
    if (!this.stopped) this.statsTimer = setTimeout(() => this.readStats(), interval * 1000);
  }
}

// The feed for this tab: the browser's shared one (one per token) when it can, else its own.
// onMessage gets the messages Feed publishes; returns {close(), refresh()}.
export function connectFeed(token, onMessage) {
  if (typeof SharedWorker === 'function') {
    try {
      const worker = new SharedWorker(new URL('./hub.js', import.meta.url), { type: 'module', name: `dockerops ${token}` });
      worker.port.onmessage = (e) => onMessage(e.data);
      worker.port.start();
      worker.port.postMessage({ kind: 'join', token });
      return {
        close: () => {
          worker.port.postMessage({ kind: 'leave' });
          worker.port.close();
        },
        refresh: () => worker.port.postMessage({ kind: 'refresh' }),
      };
    } catch {
      // fall through: this browser refuses a module SharedWorker
    }
  }
  const feed = new Feed(token, onMessage);
  feed.replay(onMessage);
  return { close: () => feed.stop(), refresh: () => feed.requestState(0) };
}
