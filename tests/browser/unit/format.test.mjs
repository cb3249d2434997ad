// The page's formatting and state rules (web/assets/format.js, logs.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  duration, healthTone, mebibytes, naturalCompare, parseTime, percent, stateAfterEvent, stateTone,
} from '../../../web/assets/format.js';
import { sortableTime } from '../../../web/assets/logs.js';

test('Docker times with nanoseconds, and its "never"', () => {
  assert.equal(parseTime('2026-12-06T20:55:51.150023805Z'), Date.UTC(2026, 11, 6, 20, 55, 51, 150));
  assert.equal(parseTime('0001-01-01T00:00:00Z'), null);
  assert.equal(parseTime(''), null);
  assert.equal(parseTime('yesterday'), null);
});

test('durations, MiB and percentages', () => {
  assert.equal(duration(0), '0s');
  assert.equal(duration(75), '1m 15s');
  assert.equal(duration(3700), '1h 1m');
  assert.equal(duration(90000), '1d 1h');
  assert.equal(duration(-1), '');
  assert.equal(mebibytes(15724544), '15.0');
  assert.equal(mebibytes(300 * 1024 * 1024), '300');
  assert.equal(mebibytes(null), '');
  assert.equal(percent(0.25), '0.3');
  assert.equal(percent(null), '');
});

test('instance names sort naturally', () => {
  assert.deepEqual(['web10', 'web2', 'web1'].sort(naturalCompare), ['web1', 'web2', 'web10']);
});

test('what an Engine event says of the state', () => {
  assert.equal(stateAfterEvent('die', 'running'), 'exited');
  assert.equal(stateAfterEvent('start', 'exited'), 'running');
  assert.equal(stateAfterEvent('destroy', 'exited'), 'removed');
  assert.equal(stateAfterEvent('kill', 'running'), 'running');
  assert.equal(stateAfterEvent('health_status', 'running'), 'running');
  assert.equal(stateTone('running'), 'ok');
  assert.equal(stateTone('exited'), 'bad');
  assert.equal(healthTone('unhealthy'), 'bad');
  assert.equal(healthTone(''), 'idle');
});

test('log timestamps compare as strings once padded', () => {
  assert.equal(sortableTime('2026-12-06T20:55:51.4941Z'), '2026-12-06T20:55:51.494100000Z');
  assert.equal(sortableTime('2026-12-06T20:55:51Z'), '2026-12-06T20:55:51.000000000Z');
  assert.ok(sortableTime('2026-12-06T20:55:51.4941Z') < sortableTime('2026-12-06T20:55:51.49412Z'));
  assert.equal(sortableTime('hello'), '');
});
