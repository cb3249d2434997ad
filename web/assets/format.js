// Formatting of figures for people. Pure functions (unit-tested under node).

const MiB = 1024 * 1024;

// Docker's times carry nanoseconds; Date.parse wants at most milliseconds. "0001-..." is Docker's
// "never". Returns milliseconds since the epoch, or null.
export function parseTime(text) {
  if (!text || text.startsWith('0001-')) return null;
  const trimmed = text.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : ms;
}

// 0 -> "0s", 75 -> "1m 15s", 3700 -> "1h 1m", 90000 -> "1d 1h".
export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

// Bytes -> "12.3" (MiB, one decimal); null -> "".
export function mebibytes(bytes) {
  if (bytes == null || !Number.isFinite(bytes)) return '';
  const value = bytes / MiB;
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

// A CPU percentage -> "0.3"; null -> "".
export function percent(value) {
  if (value == null || !Number.isFinite(value)) return '';
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

// "2026-05-01T12:00:00.123Z" -> "12:00:00" in local time (with the date when not today).
export function clock(text, now = Date.now()) {
  const ms = parseTime(text);
  if (ms == null) return '';
  const date = new Date(ms);
  const time = date.toLocaleTimeString([], { hour12: false });
  const today = new Date(now).toDateString() === date.toDateString();
  return today ? time : `${date.toLocaleDateString()} ${time}`;
}

// Compares instance names so that "web2" sorts before "web10".
export function naturalCompare(a, b) {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

// The row state shown for an instance: Docker's state, or "removed" when the container is gone.
// What an Engine event says of the state before the next snapshot confirms it.
export function stateAfterEvent(action, current) {
  switch (action) {
    case 'start':
    case 'unpause':
      return 'running';
    case 'die':
    case 'stop':
      return 'exited';
    case 'pause':
      return 'paused';
    case 'restart':
      return current === 'running' ? 'running' : 'restarting';
    case 'destroy':
      return 'removed';
    default:
      return current;
  }
}

// A state's tone for colour: ok, warn, bad or idle.
export function stateTone(state) {
  switch (state) {
    case 'running':
      return 'ok';
    case 'restarting':
    case 'created':
    case 'paused':
      return 'warn';
    case 'exited':
    case 'dead':
    case 'removed':
      return 'bad';
    default:
      return 'idle';
  }
}

export function healthTone(health) {
  if (health === 'healthy') return 'ok';
  if (health === 'starting') return 'warn';
  if (health === 'unhealthy') return 'bad';
  return 'idle';
}
