// The detail of one instance: what GET /api/v1/instances/{service}/{instance} says (environment
// with secrets masked by the agent, links, ports, persistent folders, DNS names), and its live log.
import { apiPath } from './api.js';
import { h, replaceChildren, setData, setText } from './dom.js';
import { clock, duration, healthTone, mebibytes, parseTime, percent, stateTone } from './format.js';
import { LogPanel } from './logs.js';
import { keyOf } from './store.js';

export class DetailView {
  constructor(root, api, store, actions) {
    this.root = root;
    this.api = api;
    this.store = store;
    this.actions = actions;
    this.current = null; // {service, instance, key, seen: "container/state/started"}
    this.logs = null;
    this.loading = false;
    store.addEventListener('state', () => this.refreshIfChanged());
    store.addEventListener('event', (e) => e.detail.live && this.refreshIfChanged());
  }

  show(service, instance) {
    const key = keyOf(service, instance);
    if (this.current?.key === key) return;
    this.hide();
    this.current = { service, instance, key, seen: '' };
    this.title = h('h1', {}, h('span', { class: 'muted' }, `${service} / `), instance);
    this.badge = h('span', { class: 'badge' });
    this.body = h('div', { class: 'detail-grid' }, h('p', { class: 'muted' }, 'Loading…'));
    this.logs = new LogPanel(this.api, service, instance);
    replaceChildren(this.root,
      h('div', { class: 'detail-head' },
        h('a', { href: '#/instances', class: 'back' }, '← Instances'),
        this.title, this.badge,
        h('button', { type: 'button', onclick: () => this.actions.restart(service, instance) }, 'Restart…')),
      this.body, this.logs.element);
    this.logs.open();
    this.load();
  }

  hide() {
    this.logs?.close();
    this.logs = null;
    this.current = null;
  }

  fingerprint() {
    const i = this.store.instances.get(this.current.key);
    return i ? `${i.container_id}/${i.state}/${i.started_at}/${i.health}/${i.ip}` : 'gone';
  }

  refreshIfChanged() {
    if (!this.current || this.loading) return;
    const seen = this.fingerprint();
    if (seen === this.current.seen) return;
    const wasRunning = this.current.seen.includes('/running/');
    this.load();
    if (seen.includes('/running/') && !wasRunning && this.current.seen !== '') this.logs?.reopen();
  }

  async load() {
    const current = this.current;
    this.loading = true;
    current.seen = this.fingerprint();
    try {
      const detail = await this.api.get(apiPath('instances', current.service, current.instance));
      if (this.current === current) this.render(detail);
    } catch (error) {
      if (this.current !== current) return;
      replaceChildren(this.body, h('p', { class: 'error', role: 'alert' },
        error.status === 404 ? `${current.key} does not exist (any more): ${error.message}` : error.message));
      setText(this.badge, error.status === 404 ? 'removed' : '');
      setData(this.badge, 'tone', 'bad');
    } finally {
      this.loading = false;
    }
    if (this.current === current && this.fingerprint() !== current.seen) this.refreshIfChanged();
  }

  render(d) {
    setText(this.badge, d.state);
    setData(this.badge, 'tone', stateTone(d.state));
    const started = parseTime(d.started_at);
    const overview = definitions([
      ['Type', d.type],
      ['State', d.state + (d.state !== 'running' && d.exit_code ? ` (exit code ${d.exit_code})` : '')],
      ['Health', h('span', { class: 'badge', dataset: { tone: healthTone(d.health) } }, d.health || 'none')],
      ['IP', d.ip || '–'],
      ['Hostname', d.hostname || '–'],
      ['Started', started ? `${clock(d.started_at)} (${duration((Date.now() - started) / 1000)} ago)` : '–'],
      ['Restart policy', d.restart],
      ['Restarts by the agent', String(d.restarts)],
      ['Image', d.image],
      ['Container', `${d.container_name} (${d.container_id.slice(0, 12)})`],
      ['Run conf', d.conf || '–'],
      ['Config hash', d.config_hash || '–'],
    ]);
    // Declared limits (run.conf's resources) next to the last stats pass's figures.
    const r = d.resources ?? {};
    const u = d.usage ?? {};
    const resources = definitions([
      ['CPU', `${u.cpu_percent != null ? `${percent(u.cpu_percent)} % of one core` : '–'}; limit ${r.cpus ? `${r.cpus} CPU` : 'none'}`],
      ['Memory', `${u.memory_bytes != null ? `${mebibytes(u.memory_bytes)} MiB` : '–'}; limit ${r.memory ? `${mebibytes(r.memory)} MiB` : 'none'}` +
        (r.memory_reservation ? `, reservation ${mebibytes(r.memory_reservation)} MiB` : '')],
      ['Processes', `limit ${r.pids ?? 'none'}`],
    ]);
    const env = Object.entries(d.env ?? {}).sort(([a], [b]) => a.localeCompare(b));
    replaceChildren(this.body,
      card('Overview', overview),
      card('Resources', resources),
      card('DNS names', list(d.dns_names, (n) => [h('code', {}, n.name), h('span', { class: 'muted' }, ` ${n.type}`)],
        'No name in the project zone points here.')),
      card('Links', list(d.links, (l) => [
        h('code', {}, l.alias), ' → ',
        l.service ? h('a', { href: `#/instance/${encodeURIComponent(l.service)}/${encodeURIComponent(l.instance)}` }, `${l.service}/${l.instance}`)
          : h('code', {}, l.container),
      ], 'No links.')),
      card('Ports', list(d.ports, (p) => h('code', {},
        p.host_port ? `${p.host_ip ? `${p.host_ip}:` : ''}${p.host_port} → ${p.container_port}/${p.protocol}` : `${p.container_port}/${p.protocol} (not published)`),
      'No ports.')),
      card('Persistent folders', list(d.persistent, (p) => [h('code', {}, p.path), ' on the host at ', h('code', {}, p.host)],
        'Nothing persistent.'),
        d.mounts?.length ? h('details', {}, h('summary', {}, `All mounts (${d.mounts.length})`),
          list(d.mounts, (m) => h('code', {}, `${m.source} → ${m.destination}${m.read_only ? ' (read-only)' : ''}`), ''))
          : null),
      card('Environment', env.length
        ? h('table', { class: 'env' }, h('tbody', {}, env.map(([name, value]) =>
          h('tr', {}, h('th', { scope: 'row' }, name), h('td', { class: value === '********' ? 'masked' : '' }, value)))))
        : h('p', { class: 'muted' }, 'No variables.'), null, 'wide'),
    );
  }
}

function card(title, content, extra = null, kind = '') {
  return h('section', { class: `card ${kind}` }, h('h2', {}, title), content, extra);
}

function definitions(pairs) {
  return h('dl', { class: 'pairs' }, pairs.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

function list(items, render, emptyText) {
  if (!items || items.length === 0) return emptyText ? h('p', { class: 'muted' }, emptyText) : null;
  return h('ul', { class: 'plain' }, items.map((item) => h('li', {}, render(item))));
}
