// The instances view: one row per instance, grouped by service, updated in place (rows are
// created once and only their changed cells are written, so nothing jumps).
import { h, setData, setText } from './dom.js';
import { duration, healthTone, mebibytes, naturalCompare, parseTime, percent, stateTone } from './format.js';
import { keyOf } from './store.js';

const COLUMNS = [
  ['service', 'Service'],
  ['instance', 'Instance'],
  ['type', 'Type'],
  ['state', 'State'],
  ['health', 'Health'],
  ['ip', 'IP'],
  ['restarts', 'Restarts', 'num'],
  ['cpu', 'CPU %', 'num'],
  ['memory', 'Memory MiB', 'num'],
  ['uptime', 'Uptime', 'num'],
  ['actions', 'Actions', 'actions'],
];

export class InstancesView {
  constructor(root, store, actions) {
    this.store = store;
    this.actions = actions;
    this.groups = new Map(); // service -> {tbody, header, count, scale}
    this.rows = new Map(); // key -> {tr, cells}
    this.figures = {
      running: h('strong', {}, '–'),
      failures: h('strong', {}, '–'),
      replacements: h('strong', {}, '–'),
      uptime: h('strong', {}, '–'),
    };
    this.empty = h('p', { class: 'empty', hidden: true }, 'No instance of this project exists. Start some with ',
      h('code', {}, 'dockerops run:all'), '.');
    this.table = h('table', { class: 'instances', id: 'instances-table' },
      h('caption', { class: 'sr-only' }, 'Instances by service'),
      h('colgroup', {}, COLUMNS.map(([name]) => h('col', { class: `col-${name}` }))),
      h('thead', {}, h('tr', {}, COLUMNS.map(([name, label, kind]) =>
        h('th', { scope: 'col', class: kind ?? '' }, name === 'actions' ? h('span', { class: 'sr-only' }, label) : label)))));
    root.append(
      h('div', { class: 'summary', role: 'group', 'aria-label': 'Project figures' },
        h('div', { class: 'figure' }, h('span', {}, 'Running'), this.figures.running),
        h('div', { class: 'figure' }, h('span', {}, 'Failures'), this.figures.failures),
        h('div', { class: 'figure' }, h('span', {}, 'Replacements'), this.figures.replacements),
        h('div', { class: 'figure' }, h('span', {}, 'Agent up'), this.figures.uptime)),
      h('div', { class: 'table-wrap' }, this.table),
      this.empty);
    store.addEventListener('state', () => this.render());
    store.addEventListener('event', (e) => e.detail.live && this.render());
    store.addEventListener('stats', () => this.renderStats());
  }

  render() {
    const byService = new Map();
    for (const instance of this.store.instances.values()) {
      if (!byService.has(instance.service)) byService.set(instance.service, []);
      byService.get(instance.service).push(instance);
    }
    const services = [...byService.keys()].sort(naturalCompare);
    let previous = this.table.tHead;
    for (const service of services) {
      const group = this.group(service);
      if (previous.nextElementSibling !== group.tbody) previous.after(group.tbody);
      previous = group.tbody;
      const instances = byService.get(service).sort((a, b) => naturalCompare(a.instance, b.instance));
      let previousRow = group.header;
      for (const instance of instances) {
        const row = this.row(instance);
        if (previousRow.nextElementSibling !== row.tr) previousRow.after(row.tr);
        previousRow = row.tr;
        this.update(row, instance);
      }
      const running = instances.filter((i) => i.state === 'running').length;
      setText(group.count, `${running}/${instances.length} running`);
      group.scale.hidden = !this.store.offers('POST /api/v1/services/{service}/scale');
      group.size = instances.length;
    }
    for (const [key, row] of this.rows) {
      if (!this.store.instances.has(key)) {
        row.tr.remove();
        this.rows.delete(key);
      }
    }
    for (const [service, group] of this.groups) {
      if (!byService.has(service)) {
        group.tbody.remove();
        this.groups.delete(service);
      }
    }
    this.empty.hidden = this.store.instances.size > 0 || !this.store.state;
    const running = [...this.store.instances.values()].filter((i) => i.state === 'running').length;
    setText(this.figures.running, `${running}/${this.store.instances.size}`);
    this.renderStats();
  }

  group(service) {
    let group = this.groups.get(service);
    if (group) return group;
    const count = h('span', { class: 'count' });
    const scale = h('button', {
      type: 'button', class: 'small', hidden: true,
      onclick: () => this.actions.scale(service, this.groups.get(service)?.size ?? 0),
    }, 'Scale…');
    const header = h('tr', { class: 'group' },
      h('th', { scope: 'rowgroup', colspan: COLUMNS.length },
        h('span', { class: 'service-name' }, service), count, scale));
    group = { tbody: h('tbody', { dataset: { service } }, header), header, count, scale, size: 0 };
    this.groups.set(service, group);
    return group;
  }

  row(instance) {
    const key = keyOf(instance.service, instance.instance);
    let row = this.rows.get(key);
    if (row) return row;
    const cells = {};
    const tr = h('tr', { dataset: { key } });
    for (const [name, label, kind] of COLUMNS) {
      const td = h('td', { class: [name, kind].filter(Boolean).join(' '), dataset: { label } });
      cells[name] = td;
      tr.append(td);
    }
    cells.service.textContent = instance.service;
    cells.instance.append(h('a', { href: `#/instance/${encodeURIComponent(instance.service)}/${encodeURIComponent(instance.instance)}` }, instance.instance));
    cells.state.append(h('span', { class: 'badge' }));
    cells.health.append(h('span', { class: 'badge' }));
    cells.actions.append(h('button', {
      type: 'button', class: 'small',
      'aria-label': `Restart ${key}`,
      onclick: () => this.actions.restart(instance.service, instance.instance),
    }, 'Restart'));
    row = { tr, cells };
    this.rows.set(key, row);
    return row;
  }

  update(row, instance) {
    const { cells, tr } = row;
    setData(tr, 'stateFrom', instance.stateFrom ?? 'snapshot');
    setData(tr, 'state', instance.state);
    setText(cells.type, instance.type);
    const state = cells.state.firstChild;
    setText(state, instance.desired === 'stopped' && instance.state !== 'running' ? `${instance.state} (stopped)` : instance.state);
    setData(state, 'tone', stateTone(instance.state));
    const health = cells.health.firstChild;
    setText(health, instance.health || '–');
    setData(health, 'tone', instance.health ? healthTone(instance.health) : 'none');
    setText(cells.ip, instance.ip || '–');
    setText(cells.restarts, instance.restarts);
    cells.restarts.title = instance.restart === 'no' ? 'restart policy: no' : `restart policy: ${instance.restart}`;
    this.updateUptime(row, instance);
  }

  updateUptime(row, instance) {
    const started = parseTime(instance.started_at);
    const text = instance.state === 'running' && started ? duration((Date.now() - started) / 1000) : '–';
    setText(row.cells.uptime, text);
  }

  renderStats() {
    for (const [key, row] of this.rows) {
      const s = this.store.stats.get(key);
      const running = this.store.instances.get(key)?.state === 'running';
      setText(row.cells.cpu, running && s ? percent(s.cpu_percent) || '–' : '–');
      setText(row.cells.memory, running && s ? mebibytes(s.memory_bytes) || '–' : '–');
    }
    const f = this.store.figures;
    if (f) {
      setText(this.figures.failures, f.failures);
      setText(this.figures.replacements, f.replacements);
      setText(this.figures.uptime, duration(f.uptime_seconds)); // then tick() moves it on
    }
  }

  // Once a second: uptimes move on without asking the agent anything.
  tick(agentUptime) {
    for (const [key, row] of this.rows) {
      const instance = this.store.instances.get(key);
      if (instance) this.updateUptime(row, instance);
    }
    if (agentUptime != null) setText(this.figures.uptime, duration(agentUptime));
  }
}

export const instancesTable = () => $('#instances-table');
