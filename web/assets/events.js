// The event timeline: newest first, filtered by service; the agent's own actions stand out with
// their reasons. Fed by the event stream (which replays the kept history first).
import { h, setText } from './dom.js';
import { clock, naturalCompare } from './format.js';

const SHOWN = 500;

export class EventsView {
  constructor(root, store) {
    this.store = store;
    this.services = new Set();
    this.select = h('select', { id: 'events-service', 'aria-label': 'Service', onchange: () => this.render() },
      h('option', { value: '' }, 'All services'), h('option', { value: '-' }, 'Project (no service)'));
    this.textInput = h('input', {
      type: 'search', id: 'events-filter', placeholder: 'Filter actions and reasons', 'aria-label': 'Filter events',
      autocomplete: 'off', spellcheck: 'false', 'data-filter': true, oninput: () => this.render(),
    });
    this.count = h('p', { class: 'muted', role: 'status' });
    this.list = h('ol', { class: 'timeline', id: 'events-list', reversed: true });
    root.append(h('div', { class: 'view-head' }, h('h1', {}, 'Events'), h('div', { class: 'toolbar' }, this.select, this.textInput)),
      this.count, this.list);
    this.pending = false;
    this.items = new Map(); // event id -> li, drawn once
    store.addEventListener('event', (e) => this.onEvent(e.detail.event));
    store.addEventListener('state', () => this.addServices(this.store.instances.values()));
  }

  addServices(items) {
    let added = false;
    for (const item of items) {
      if (item.service && !this.services.has(item.service)) {
        this.services.add(item.service);
        added = true;
      }
    }
    if (!added) return;
    const chosen = this.select.value;
    const options = [...this.services].sort(naturalCompare).map((s) => h('option', { value: s }, s));
    this.select.replaceChildren(this.select.options[0], this.select.options[1], ...options);
    this.select.value = chosen;
  }

  onEvent(event) {
    this.addServices([event]);
    // A replay arrives as a burst: draw once per frame, not once per event.
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  matches(event) {
    const service = this.select.value;
    if (service === '-' && event.service) return false;
    if (service && service !== '-' && event.service !== service) return false;
    const needle = this.textInput.value.toLowerCase();
    if (!needle) return true;
    return `${event.service}/${event.instance} ${event.action} ${event.outcome} ${event.source} ${event.reason}`.toLowerCase().includes(needle);
  }

  render() {
    if (this.list.closest('[hidden]')) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const shown = [];
    const events = this.store.events;
    for (let i = events.length - 1; i >= 0 && shown.length < SHOWN; i -= 1) {
      if (this.matches(events[i])) shown.push(events[i]);
    }
    // Keep the reader's place when new events arrive above it.
    const anchor = window.scrollY > 0 ? this.list.firstElementChild : null;
    const before = anchor?.getBoundingClientRect().top;
    const items = new Map();
    for (const event of shown) items.set(event.id, this.items.get(event.id) ?? item(event));
    this.items = items;
    this.list.replaceChildren(...items.values());
    if (anchor && this.list.contains(anchor)) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
    setText(this.count, `${shown.length} of ${events.length} events${shown.length === SHOWN ? ` (the newest ${SHOWN})` : ''}`);
  }

  shown() {
    if (this.stale) this.render();
  }
}

function item(event) {
  const who = event.service ? `${event.service}${event.instance ? `/${event.instance}` : ''}` : 'project';
  return h('li', { class: `event source-${event.source || 'none'}`, dataset: { outcome: event.outcome, id: event.id } },
    h('time', { datetime: event.time, title: event.time }, clock(event.time)),
    h('span', { class: 'who' }, who),
    h('span', { class: 'action' }, event.action),
    event.outcome ? h('span', { class: 'badge', dataset: { tone: tone(event.outcome) } }, event.outcome) : null,
    h('span', { class: 'source' }, event.source),
    event.reason ? h('span', { class: 'reason' }, event.reason) : null);
}

function tone(outcome) {
  if (outcome === 'ok') return 'ok';
  if (outcome === 'failed') return 'bad';
  if (outcome === 'scheduled' || outcome === 'suppressed') return 'warn';
  return 'idle';
}
