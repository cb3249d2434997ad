// The actions: restart an instance, and set a service's instance count when this agent offers
// it. Each asks for confirmation in a dialog, calls the API, and shows the outcome as it comes:
// the API's answer and the events of the instance or service that follow.
import { apiPath } from './api.js';
import { h, replaceChildren, setData, setText } from './dom.js';

const FOLLOW_MS = 60000; // how long a notice keeps listening to the event stream

export class Actions {
  constructor(store, dialog, toasts) {
    this.store = store;
    this.dialog = dialog;
    this.toasts = toasts;
    this.api = null;
    this.followers = new Set();
    store.addEventListener('event', (e) => {
      if (e.detail.live) for (const follow of this.followers) follow(e.detail.event);
    });
  }

  restart(service, instance) {
    const who = `${service}/${instance}`;
    this.confirm({
      title: `Restart ${who}?`,
      text: 'The agent restarts its container through the same code as "dockerops restart". Its DNS name stays.',
      action: 'Restart',
      run: () => this.follow(`Restart of ${who}`,
        (event) => event.service === service && event.instance === instance,
        () => this.api.post(apiPath('instances', service, instance, 'restart'))),
    });
  }

  scale(service, count) {
    const input = h('input', { type: 'number', min: 0, max: 100, value: count, id: 'scale-count', required: true, 'aria-label': 'Instances' });
    this.confirm({
      title: `Scale ${service}`,
      text: `How many instances of ${service} should run? It has ${count} now.`,
      field: h('label', { class: 'field' }, 'Instances ', input),
      action: 'Scale',
      run: () => {
        const wanted = Number(input.value);
        return this.follow(`Scale of ${service} to ${wanted}`, (event) => event.service === service,
          () => this.api.post(apiPath('services', service, 'scale'), { instances: wanted }));
      },
    });
  }

  confirm({ title, text, field = null, action, run }) {
    const go = h('button', { type: 'submit', class: 'primary', value: 'go' }, action);
    const form = h('form', { method: 'dialog' },
      h('h2', { id: 'confirm-title' }, title), h('p', {}, text), field,
      h('div', { class: 'buttons' }, h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, 'Cancel'), go));
    replaceChildren(this.dialog, form);
    this.dialog.returnValue = '';
    this.dialog.onclose = () => {
      if (this.dialog.returnValue === 'go') run();
    };
    this.dialog.showModal();
    (field?.querySelector('input') ?? go).focus();
  }

  // A notice that shows the API's answer and the matching events until the action is over.
  async follow(title, matches, call) {
    const status = h('strong', { class: 'badge', dataset: { tone: 'warn' } }, 'in progress');
    const lines = h('ul', { class: 'plain' });
    const close = h('button', { type: 'button', class: 'small', 'aria-label': 'Dismiss', onclick: () => done() }, '×');
    const toast = h('div', { class: 'toast', role: 'status' }, h('div', { class: 'toast-head' }, h('span', {}, title), status, close), lines);
    this.toasts.append(toast);
    const listener = (event) => {
      if (!matches(event)) return;
      lines.append(h('li', {}, `${event.action} (${event.outcome})${event.reason ? `: ${event.reason}` : ''}`));
      while (lines.childElementCount > 6) lines.firstElementChild.remove();
      if (event.source !== 'engine' && (event.outcome === 'ok' || event.outcome === 'failed')) finish(event.outcome);
    };
    const finish = (outcome, message = '') => {
      setText(status, outcome === 'ok' ? 'done' : 'failed');
      setData(status, 'tone', outcome === 'ok' ? 'ok' : 'bad');
      if (message) lines.append(h('li', { class: 'error' }, message));
      setTimeout(() => this.followers.delete(listener), 3000);
    };
    const done = () => {
      this.followers.delete(listener);
      toast.remove();
    };
    this.followers.add(listener);
    setTimeout(() => this.followers.delete(listener), FOLLOW_MS);
    try {
      await call();
      if (status.dataset.tone === 'warn') finish('ok');
    } catch (error) {
      finish('failed', error.message);
    }
  }
}
