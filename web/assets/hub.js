// The SharedWorker every tab of the page joins (feed.js: connectFeed), one per token: it runs the
// one Feed of this browser and passes what it publishes to every tab, so that five tabs hold one
// event stream, not five. A tab that joins late first gets the state and the kept events.
import { Feed } from './feed.js';

const ports = new Set();
let feed = null;

function publish(message) {
  for (const port of ports) port.postMessage(message);
  if (message.kind === 'fatal') feed = null; // the next tab to join starts again
}

self.onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => {
    const message = m.data;
    if (message.kind === 'join') {
      ports.add(port);
      if (!feed) feed = new Feed(message.token, publish);
      else feed.replay((reply) => port.postMessage(reply));
    } else if (message.kind === 'leave') {
      ports.delete(port);
      if (ports.size === 0 && feed) {
        feed.stop();
        feed = null;
      }
    } else if (message.kind === 'refresh') {
      feed?.requestState(0);
    }
  };
  port.start();
};
