// The status page of a dockerops project, served by its agent. One more client of the agent's
// API (docs/decisions.md 30, 36): it reads the token from the URL fragment (#token=..., which
// browsers never send to a server) or asks for it, then follows the event stream and reads the
// state and stats. Plain modules, no build step, nothing from another host.
import { Actions } from './actions.js';
import { Api } from './api.js';
import { DetailView } from './detail.js';
import { DnsView } from './dns.js';
import { $, setText } from './dom.js';
import { EventsView } from './events.js';
import { InstancesView } from './instances.js';
import { Store } from './store.js';

const TOKEN_KEY = 'dockerops.token';
const STATE_SAFETY_MS = 10000; // the agent reconciles every 10 s by default: a missed event costs no more
const STATE_MIN_GAP_MS = 1000; // at most one state read a second, however many events come

const store = new Store();
let api = null;
let views = null;
let stream = null;
let timers = [];

// #token=... (alone or after a route: #/dns&token=...) -> the token, removed from the address bar.
function tokenFromFragment() {
  const hash = location.hash.slice(1);
  const match = /(?:^|[&?])token=([^&]*)/.exec(hash);
  if (!match) return '';
  const route = hash.replace(/(?:^|[&?])token=[^&]*/, '').replace(/^[&?]/, '');
  history.replaceState(null, '', `${location.pathname}${location.search}#${route.startsWith('/') ? route : '/instances'}`);
  return decodeURIComponent(match[1]);
}

function showLogin(message = '') {
  stop();
  showView('login');
  const error = $('#login-error');
  setText(error, message);
  error.hidden = !message;
  $('#token').focus();
}

function stop() {
  stream?.close();
  stream = null;
  for (const t of timers) clearInterval(t);
  timers = [];
  clearTimeout(statsTimer);
  clearTimeout(stateTimer);
  stateTimer = null;
}

async function start(token) {
  stop();
  api = new Api(token);
  setText($('#connection'), 'connecting…');
  try {
    const index = await api.get('/api/v1');
    store.routes = index.routes ?? [];
    store.setState(await api.get('/api/v1/state'));
  } catch (error) {
    if (error.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin(`The agent refused this token (${error.message}). Copy it again from the link "dockerops agent" prints, or from .dockerops/agent.token.`);
    } else {
      showLogin(`Cannot reach the agent: ${error.message}`);
    }
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  document.title = `${store.project} · dockerops`;
  setText($('#project'), store.project);
  if (!views) {
    const actions = new Actions(store, $('#confirm'), $('#toasts'));
    views = {
      actions,
      instances: new InstancesView($('#view-instances'), store, actions),
      detail: new DetailView($('#view-detail'), api, store, actions),
      dns: new DnsView($('#view-dns'), store),
      events: new EventsView($('#view-events'), store),
    };
  }
  views.actions.api = api;
  views.detail.api = api;
  store.setState(store.state); // draw every view once
  follow();
  readStats();
  timers.push(setInterval(() => requestState(0), STATE_SAFETY_MS));
  timers.push(setInterval(() => views.instances.tick(store.figures ? agentUptime() : null), 1000));
  route();
}

// The event stream, replayed from the start of the kept history, then live.
function follow() {
  stream = api.stream('/api/v1/events?since=0', {
    onOpen: () => {
      store.setConnection('live');
      requestState(0);
    },
    onEvent: (event) => {
      if (event.type !== 'message') return;
      let parsed;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      if (store.addEvent(parsed)) requestState(150);
    },
    onDown: () => store.setConnection('down', 'reconnecting…'),
    onFatal: (error) => {
      if (error.status === 401) showLogin(`The agent refused the token: ${error.message}`);
      else store.setConnection('down', error.message);
    },
  });
}

let stateTimer = null;
let stateBusy = false;
let stateAgain = false;
let lastState = 0;

function requestState(delay) {
  if (stateBusy) {
    stateAgain = true;
    return;
  }
  if (stateTimer) return;
  const wait = Math.max(delay, lastState + STATE_MIN_GAP_MS - Date.now());
  stateTimer = setTimeout(readState, wait);
}

async function readState() {
  stateTimer = null;
  stateBusy = true;
  lastState = Date.now();
  try {
    store.setState(await api.get('/api/v1/state'));
  } catch (error) {
    if (error.status === 401) showLogin(`The agent refused the token: ${error.message}`);
  } finally {
    stateBusy = false;
  }
  if (stateAgain) {
    stateAgain = false;
    requestState(0);
  }
}

let statsAt = 0;
let statsTimer = null;

// Stats as often as the agent samples them (interval_seconds), never more than once a second.
async function readStats() {
  clearTimeout(statsTimer);
  let interval = 5;
  try {
    const stats = await api.get('/api/v1/stats');
    statsAt = Date.now();
    store.setStats(stats);
    interval = Math.max(1, stats.interval_seconds || 5);
  } catch (error) {
    if (error.status === 401) return;
  }
  if (api) statsTimer = setTimeout(readStats, interval * 1000);
}

function agentUptime() {
  return store.figures.uptime_seconds + (Date.now() - statsAt) / 1000;
}

function showView(name) {
  for (const section of document.querySelectorAll('main > section')) {
    section.hidden = section.id !== `view-${name}`;
  }
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === name || (name === 'detail' && link.dataset.view === 'instances')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function route() {
  if (!views) return;
  const hash = location.hash.replace(/^#\/?/, '');
  const parts = hash.split('/').map((p) => decodeURIComponent(p));
  if (parts[0] === 'instance' && parts.length === 3) {
    showView('detail');
    views.detail.show(parts[1], parts[2]);
    return;
  }
  views.detail.hide();
  const name = ['dns', 'events'].includes(parts[0]) ? parts[0] : 'instances';
  showView(name);
  if (name === 'events') views.events.shown();
}

function boot() {
  store.addEventListener('connection', (e) => {
    const { status, message } = e.detail;
    const element = $('#connection');
    element.dataset.status = status;
    setText(element, status === 'live' ? 'live' : message || status);
  });
  $('#login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('#token').value.trim();
    if (token) start(token);
  });
  window.addEventListener('hashchange', () => {
    const token = tokenFromFragment();
    if (token) start(token);
    else route();
  });
  // "/" focuses the filter of the view in sight.
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest?.('input, textarea, select')) return;
    const filter = document.querySelector('main > section:not([hidden]) [data-filter]');
    if (filter) {
      e.preventDefault();
      filter.focus();
    }
  });
  const token = tokenFromFragment() || sessionStorage.getItem(TOKEN_KEY);
  if (token) start(token);
  else showLogin();
}

boot();
