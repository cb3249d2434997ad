// The DNS view: the project zone and its reverse zone as the project's DNS serves them (the
// agent reads them by zone transfer on each reconcile), updated as instances come and go.
import { h, setText } from './dom.js';
import { naturalCompare } from './format.js';

const TYPE_ORDER = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'SRV', 'TXT', 'PTR'];

export class DnsView {
  constructor(root, store) {
    this.store = store;
    this.rows = new Map(); // "name type data" -> tr
    this.info = h('p', { class: 'muted', role: 'status' });
    this.filterInput = h('input', {
      type: 'search', id: 'dns-filter', placeholder: 'Filter names and data', 'aria-label': 'Filter records',
      autocomplete: 'off', spellcheck: 'false', 'data-filter': true, oninput: () => this.applyFilter(),
    });
    this.tbody = h('tbody');
    root.append(
      h('div', { class: 'view-head' }, h('h1', {}, 'DNS'), this.filterInput),
      this.info,
      h('div', { class: 'table-wrap' }, h('table', { class: 'records', id: 'dns-table' },
        h('caption', { class: 'sr-only' }, 'Records of the project zone'),
        h('colgroup', {}, h('col', { class: 'col-name' }), h('col', { class: 'col-type' }), h('col', { class: 'col-ttl' }), h('col', { class: 'col-data' })),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Type'),
          h('th', { scope: 'col', class: 'num' }, 'TTL'), h('th', { scope: 'col' }, 'Data'))),
        this.tbody)));
    store.addEventListener('state', () => this.render());
  }

  render() {
    const dns = this.store.state?.dns;
    if (!dns) return;
    if (dns.error) setText(this.info, `The DNS could not be read: ${dns.error}`);
    else if (!dns.server) setText(this.info, 'This project runs no DNS (no dockerops-dns instance is running).');
    else setText(this.info, `Zone ${this.store.state.zone} served by ${dns.server}, ${dns.records.length} records.`);
    const records = [...dns.records].sort((a, b) =>
      isReverse(a.name) - isReverse(b.name) || naturalCompare(reversed(a.name), reversed(b.name))
      || TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || naturalCompare(a.data, b.data));
    const initial = this.rows.size === 0; // the first drawing highlights nothing
    const seen = new Set();
    let previous = null;
    for (const record of records) {
      const key = `${record.name} ${record.type} ${record.data}`;
      seen.add(key);
      let tr = this.rows.get(key);
      if (!tr) {
        tr = h('tr', { dataset: { name: record.name, type: record.type } },
          h('td', { class: 'name' }, h('code', {}, record.name)), h('td', {}, record.type),
          h('td', { class: 'num' }, String(record.ttl)), h('td', { class: 'data' }, h('code', {}, record.data)));
        if (!initial) tr.classList.add('fresh');
        this.rows.set(key, tr);
      }
      setText(tr.cells[2], record.ttl);
      const wanted = previous ? previous.nextElementSibling : this.tbody.firstElementChild;
      if (wanted !== tr) (previous ? previous.after(tr) : this.tbody.prepend(tr));
      previous = tr;
    }
    for (const [key, tr] of this.rows) {
      if (!seen.has(key)) {
        tr.remove();
        this.rows.delete(key);
      }
    }
    this.applyFilter();
  }

  applyFilter() {
    const needle = this.filterInput.value.toLowerCase();
    for (const tr of this.rows.values()) {
      const hide = needle !== '' && !tr.textContent.toLowerCase().includes(needle);
      if (tr.hidden !== hide) tr.hidden = hide;
    }
  }
}

// The project zone first, then its reverse zone.
function isReverse(name) {
  return name.endsWith('.in-addr.arpa.') || name.endsWith('.ip6.arpa.') ? 1 : 0;
}

// "demo-one.local.zone." -> "zone.local.demo-one": records sort by zone, then name.
function reversed(name) {
  return name.split('.').reverse().join('.');
}
