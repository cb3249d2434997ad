// The live log of one instance: the API's log stream (SSE), with a text filter and a pause.
// Lines carry the Docker timestamp, which also lets a reopened stream skip what was shown.
import { apiPath } from './api.js';
import { h, setText } from './dom.js';

const KEPT_LINES = 5000;

// Docker's RFC 3339 times drop trailing zeros of the nanoseconds: padded to nine digits, they
// compare as strings. "" when the text is not such a time.
export function sortableTime(text) {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z` : '';
}

export class LogPanel {
  constructor(api, service, instance) {
    this.api = api;
    this.service = service;
    this.instance = instance;
    this.paused = false;
    this.pending = []; // lines that came while paused
    this.lastTime = ''; // the newest timestamp shown
    this.stream = null;
    this.filter = '';
    this.lines = h('div', { class: 'log-lines', id: 'log-lines', role: 'log', 'aria-live': 'off', tabindex: '0' });
    this.status = h('span', { class: 'log-status', role: 'status' }, 'connecting…');
    this.filterInput = h('input', {
      type: 'search', id: 'log-filter', placeholder: 'Filter lines', 'aria-label': 'Filter log lines',
      autocomplete: 'off', spellcheck: 'false', 'data-filter': true,
      oninput: () => this.setFilter(this.filterInput.value),
    });
    this.pauseButton = h('button', {
      type: 'button', id: 'log-pause', 'aria-pressed': 'false', onclick: () => this.togglePause(),
    }, 'Pause');
    this.element = h('section', { class: 'card logs', 'aria-labelledby': 'logs-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'logs-title' }, 'Logs'),
        h('div', { class: 'toolbar' }, this.filterInput, this.pauseButton, this.status)),
      this.lines);
  }

  open() {
    const query = `?follow=1&timestamps=1&tail=${this.lastTime ? 500 : 200}`;
    this.stream = this.api.stream(apiPath('instances', this.service, this.instance, 'logs') + query, {
      onOpen: () => setText(this.status, this.paused ? 'paused' : 'live'),
      onEvent: (event) => this.onEvent(event),
      onDown: () => setText(this.status, 'reconnecting…'),
      onFatal: (error) => setText(this.status, error.message),
    }, { resume: false });
  }

  close() {
    this.stream?.close();
    this.stream = null;
  }

  // The container started again: follow its new output.
  reopen() {
    this.close();
    this.open();
  }

  onEvent(event) {
    if (event.type === 'end') {
      let reason = '';
      try {
        reason = JSON.parse(event.data).reason;
      } catch {
        reason = event.data;
      }
      this.close();
      setText(this.status, `ended: ${reason}`);
      return;
    }
    if (event.type !== 'stdout' && event.type !== 'stderr') return;
    const space = event.data.indexOf(' ');
    const time = space > 0 ? sortableTime(event.data.slice(0, space)) : '';
    const text = time ? event.data.slice(space + 1) : event.data;
    if (time && this.lastTime && time <= this.lastTime) return; // shown before the stream reopened
    if (time) this.lastTime = time;
    const line = { time, text, stream: event.type };
    if (this.paused) {
      this.pending.push(line);
      if (this.pending.length > KEPT_LINES) this.pending.shift();
      this.pauseButton.textContent = `Resume (${this.pending.length} new)`;
    } else {
      this.append([line]);
    }
  }

  append(lines) {
    const follow = this.lines.scrollTop + this.lines.clientHeight >= this.lines.scrollHeight - 8;
    const fragment = document.createDocumentFragment();
    const needle = this.filter.toLowerCase();
    for (const line of lines) {
      const div = h('div', { class: `log-line ${line.stream}` },
        h('time', { datetime: line.time, title: line.time }, line.time.slice(11, 23)), h('span', {}, line.text));
      div.hidden = needle !== '' && !line.text.toLowerCase().includes(needle);
      fragment.append(div);
    }
    this.lines.append(fragment);
    while (this.lines.childElementCount > KEPT_LINES) this.lines.firstElementChild.remove();
    if (follow) this.lines.scrollTop = this.lines.scrollHeight;
  }

  setFilter(text) {
    this.filter = text;
    const needle = text.toLowerCase();
    for (const div of this.lines.children) {
      const hide = needle !== '' && !div.lastChild.textContent.toLowerCase().includes(needle);
      if (div.hidden !== hide) div.hidden = hide;
    }
  }

  togglePause() {
    this.paused = !this.paused;
    this.pauseButton.setAttribute('aria-pressed', String(this.paused));
    if (this.paused) {
      this.pauseButton.textContent = 'Resume';
      setText(this.status, 'paused');
    } else {
      this.pauseButton.textContent = 'Pause';
      setText(this.status, this.stream ? 'live' : this.status.textContent);
      const lines = this.pending;
      this.pending = [];
      this.append(lines);
    }
  }
}
