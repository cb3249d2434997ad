// The status page of a dockerops project, served by its agent. One more client of the agent's
// API (docs/decisions.md 30, 37): it reads the token from the URL fragment (#token=..., which
// browsers never send to a server) or asks for it, then follows the event stream, the state and
// the stats through feed.js (one feed for all the tabs of a browser). Plain modules, no build
// step, nothing from another host.
import { Actions } from './actions.js';
import { Api } from './api.js';
import { DetailView } from './detail.js';
import { DnsView } from './dns.js';
import { $, setText } from './dom.js';
import { EventsView } from './events.js';
import { connectFeed } from './feed.js';
import { InstancesView } from './instances.js';
import { Store } from './store.js';

const TOKEN_KEY = 'dockerops.token';

const store = new Store();
let api = null;
let views = null;
let feed = null;
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
  feed?.close();
  feed = null;
  for (const t of timers) clearInterval(t);
  timers = [];
}

let startAttempt = 0; // bumped by every start(): an older start's retry then gives up

// Reads the index and the state, then draws and joins the feed. The agent not answering (not up
// yet, restarting, a read that timed out) is retried with back-off, 1 s doubling up to 30 s, the
// wait shown; a refused token goes back to the login.
async function start(token) {
  stop();
  const attempt = ++startAttempt;
  api = new Api(token);
  setText($('#connection'), 'connecting…');
  for (let failures = 0; ; failures += 1) {
    try {
      const index = await api.get('/api/v1');
      store.routes = index.routes ?? [];
      store.setState(await api.get('/api/v1/state'));
      break;
    } catch (error) {
      if (attempt !== startAttempt) return;
      if (error.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        showLogin(`The agent refused this token (${error.message}). Copy it again from the link "dockerops agent" prints, or from .dockerops/agent.token.`);
        return;
      }
      const wait = Math.min(1000 * 2 ** failures, 30000);
      store.setConnection('down', `cannot reach the agent (${error.message}): trying again in ${wait / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (attempt !== startAttempt) return;
    }
  }
  if (attempt !== startAttempt) return;
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
  feed = connectFeed(token, onFeed);
  timers.push(setInterval(() => views.instances.tick(store.figures ? agentUptime() : null), 1000));
  route();
}

let statsAt = 0;

// What the feed publishes (feed.js).
function onFeed(message) {
  switch (message.kind) {
    case 'state':
      store.setState(message.state);
      break;
    case 'event':
      store.addEvent(message.event);
      break;
    case 'stats':
      statsAt = Date.now();
      store.setStats(message.stats);
      break;
    case 'connection':
      store.setConnection(message.status, message.message);
      break;
    case 'fatal':
      if (message.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        showLogin(`The agent refused the token: ${message.message}`);
      } else {
        store.setConnection('down', message.message);
      }
      break;
    default:
  }
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
  window.addEventListener('pagehide', () => feed?.close());
  const token = tokenFromFragment() || sessionStorage.getItem(TOKEN_KEY);
  if (token) start(token);
  else showLogin();
}

boot();
