// The page's SSE parser (web/assets/sse.js) against the framing the agent sends (src/http/sse.cpp).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser } from '../../../web/assets/sse.js';

function parse(chunks) {
  const events = [];
  const retries = [];
  const parser = new SseParser((e) => events.push(e), (ms) => retries.push(ms));
  for (const chunk of chunks) parser.push(chunk);
  return { events, retries };
}

test('events with id, type and multi-line data; comments and retry', () => {
  const { events, retries } = parse(['retry: 2000\n\n: keep-alive\n\nid: 7\ndata: {"a":1}\n\nevent: stdout\ndata: one\ndata: two\n\n']);
  assert.deepEqual(retries, [2000]);
  assert.deepEqual(events, [
    { type: 'message', data: '{"a":1}', id: '7' },
    { type: 'stdout', data: 'one\ntwo', id: '7' },
  ]);
});

test('chunks split anywhere, CRLF and CR line ends', () => {
  const text = 'id: 1\r\ndata: x\r\n\r\nid: 2\rdata: y\r\r';
  for (let cut = 0; cut <= text.length; cut += 1) {
    const { events } = parse([text.slice(0, cut), text.slice(cut)]);
    assert.deepEqual(events.map((e) => [e.id, e.data]), [['1', 'x'], ['2', 'y']], `cut at ${cut}`);
  }
});

test('an event without data is not dispatched; an unfinished one waits', () => {
  const { events } = parse(['event: end\n\n', 'data: half']);
  assert.deepEqual(events, []);
});

test('a field without a colon and a value without a space', () => {
  const { events } = parse(['data\n\ndata:x\n\n']);
  assert.deepEqual(events.map((e) => e.data), ['', 'x']);
});
