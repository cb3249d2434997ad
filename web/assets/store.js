// What the page knows of the project, fed by the API (state, stats, the event stream), and the
// notifications the views listen to: "state", "stats", "event", "connection".
import { parseTime, stateAfterEvent } from './format.js';

const KEPT_EVENTS = 1000;

export const keyOf = (service, instance) => `${service}/${instance}`;

export class Store extends EventTarget {
  constructor() {
    super();
    this.project = '';
    this.state = null; // the last GET /api/v1/state
    this.observedAt = 0; // its observed_at, ms
    this.instances = new Map(); // "service/instance" -> the state's instance, updated by events
    this.stats = new Map(); // "service/instance" -> {cpu_percent, memory_bytes}
    this.figures = null; // the last GET /api/v1/stats without the per-instance part
    this.events = []; // oldest first, at most KEPT_EVENTS
    this.routes = []; // GET /api/v1: what this agent offers
    this.connection = 'connecting';
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  offers(route) {
    return this.routes.includes(route);
  }

  setState(state) {
    this.state = state;
    this.project = state.project;
    this.observedAt = parseTime(state.observed_at) ?? 0;
    const fresh = new Map();
    for (const service of state.services) {
      for (const instance of service.instances) {
        fresh.set(keyOf(instance.service, instance.instance), { ...instance, stateFrom: 'snapshot' });
      }
    }
    this.instances = fresh;
    this.emit('state', state);
  }

  setStats(stats) {
    const fresh = new Map();
    for (const s of stats.instances ?? []) fresh.set(keyOf(s.service, s.instance), s);
    this.stats = fresh;
    const { instances, ...figures } = stats;
    this.figures = figures;
    this.emit('stats', stats);
  }

  // An event from the stream. Returns true when it is newer than the last snapshot and names an
  // instance, i.e. when the snapshot is worth reading again.
  addEvent(event) {
    const last = this.events[this.events.length - 1];
    if (last && event.id <= last.id) return false;
    this.events.push(event);
    if (this.events.length > KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
    let changed = false;
    const time = parseTime(event.time) ?? 0;
    if (event.service && time >= this.observedAt) {
      changed = true;
      const current = this.instances.get(keyOf(event.service, event.instance));
      if (current && event.source === 'engine') {
        const state = stateAfterEvent(event.action, current.state);
        if (state !== current.state) {
          current.state = state;
          current.stateFrom = `event ${event.id}`; // what turned it: shown on the row (data-state-from)
        }
        if (event.action === 'start') current.started_at = event.time;
        if (event.action === 'health_status') current.health = event.reason;
      }
    }
    this.emit('event', { event, live: changed });
    return changed;
  }

  setConnection(status, message = '') {
    this.connection = status;
    this.emit('connection', { status, message });
  }
}
