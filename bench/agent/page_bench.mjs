// Drives page_bench.sh's measurements. Per round, in one browser: the agent's CPU over WINDOW
// seconds with no tab open, then with 1 tab, then with 5 (tabs are added, never reloaded: each
// new one's load time is measured, navigation start to every instance row drawn, and to the
// load event). The fifth tab shows an instance's detail with its live log, the others the
// instances view. Then, with the 5 tabs open, `docker kill` of one instance (restart: always):
// the time from the kill's return to its row leaving "running" in the first tab, and to its
// coming back (the agent restarts it).
//   node page_bench.mjs URL TOKEN AGENT_PID ROUNDS WINDOW INSTANCES
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { launch } from '../../tests/browser/browser.mjs';

const [url, token, pid, rounds = '3', windowSeconds = '30', instances = '31'] = process.argv.slice(2);
const TICKS = 100; // USER_HZ on Linux
const TABS = [0, 1, 5];

function cpuSeconds() {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
}

function rssMiB() {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function requests() {
  const r = await fetch(`${url}/api/v1/stats`, { headers: { Authorization: `Bearer ${token}` } });
  return (await r.json()).api_requests;
}

// The agent's CPU, % of one core, and API requests per second (this script's two reads of
// /stats excluded), over `seconds`.
async function measure(seconds) {
  const cpu0 = cpuSeconds();
  const req0 = await requests();
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const wall = (performance.now() - t0) / 1000;
  const cpu = ((cpuSeconds() - cpu0) / wall) * 100;
  const rate = ((await requests()) - req0 - 1) / wall;
  return { cpu, rate };
}

// docker kill of svc/i<n>, timed in the page: [ms to a non-running row, ms to running again].
async function killAndWatch(page, n) {
  const state = await (await fetch(`${url}/api/v1/state`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const victim = state.services.flatMap((s) => s.instances).find((i) => i.service === 'svc' && i.instance === `i${n}`);
  const selector = `#instances-table tr[data-key="svc/i${n}"]`;
  await page.waitForSelector(`${selector}[data-state="running"]`, { timeout: 60000 });
  await page.evaluate((sel) => {
    window.seen = [];
    const row = document.querySelector(sel);
    new MutationObserver(() => window.seen.push({ state: row.dataset.state, at: Date.now() }))
      .observe(row, { attributes: true, attributeFilter: ['data-state'] });
  }, selector);
  const killed = Date.now();
  execFileSync('docker', ['kill', victim.container_id]);
  await page.waitForFunction(() => {
    const i = window.seen.findIndex((s) => s.state !== 'running');
    return i >= 0 && window.seen.slice(i + 1).some((s) => s.state === 'running');
  }, null, { timeout: 60000 });
  const seen = await page.evaluate(() => window.seen);
  const down = seen.find((s) => s.state !== 'running');
  const up = seen.find((s) => s.state === 'running' && s.at >= down.at);
  return [down.at - killed, up.at - killed];
}

async function openTab(context, index, results) {
  const page = index === 0 ? (context.pages()[0] ?? (await context.newPage())) : await context.newPage();
  if (index === 4) {
    await page.goto(`${url}/#/instance/svc/i1&token=${token}`);
    await page.waitForSelector('#log-lines .log-line', { timeout: 30000 });
    return;
  }
  await page.goto(`${url}/#token=${token}`);
  // The moment the last row is there, taken in the page (checked once per frame).
  const drawn = await page.waitForFunction(
    (n) => document.querySelectorAll('#instances-table tbody tr:not(.group)').length >= n && performance.now(),
    Number(instances), { timeout: 30000, polling: 'raf' });
  results.rows.push(await drawn.jsonValue());
  results.load.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const spread = (xs, d) => `${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)}`;
const m = (xs, d = 2) => `${median(xs).toFixed(d)} (${spread(xs, d)})`;

const results = { cpu: TABS.map(() => []), rate: TABS.map(() => []), rss: [], rows: [], load: [], down: [], up: [] };
for (let round = 1; round <= Number(rounds); round += 1) {
  const { context, close } = await launch();
  let open = 0;
  for (const [k, tabs] of TABS.entries()) {
    while (open < tabs) await openTab(context, open++, results);
    const { cpu, rate } = await measure(Number(windowSeconds));
    results.cpu[k].push(cpu);
    results.rate[k].push(rate);
  }
  results.rss.push(rssMiB());
  const [down, up] = await killAndWatch(context.pages()[0], round + 1);
  results.down.push(down);
  results.up.push(up);
  await close();
  console.error(`round ${round}: agent CPU ${TABS.map((t, k) => `${results.cpu[k].at(-1).toFixed(2)} % (${t} tabs)`).join(', ')}`);
}

console.log(`| ${instances} instances, ${rounds} rounds of ${windowSeconds} s per figure, median (min-max) | ${TABS.map((t) => `${t} tab${t === 1 ? '' : 's'}`).join(' | ')} |`);
console.log(`|---|${TABS.map(() => '---').join('|')}|`);
console.log(`| agent CPU, % of one core | ${results.cpu.map((xs) => m(xs)).join(' | ')} |`);
console.log(`| ratio to no tab | ${results.cpu.map((xs) => `${(median(xs) / Math.max(median(results.cpu[0]), 0.01)).toFixed(2)}x`).join(' | ')} |`);
console.log(`| API requests/s (the pages' reads) | ${results.rate.map((xs) => m(xs)).join(' | ')} |`);
console.log('');
console.log(`| page load, ms (${results.rows.length} tabs on the instances view) | median (min-max) |`);
console.log('|---|---|');
console.log(`| navigation to every row drawn | ${m(results.rows, 0)} |`);
console.log(`| navigation to the load event | ${m(results.load, 0)} |`);
console.log(`| agent RSS with 5 tabs, MiB | ${m(results.rss, 1)} |`);
console.log(`| docker kill to the row non-running, ms (5 tabs open) | ${m(results.down, 0)} |`);
console.log(`| docker kill to the row running again (the agent restarts it), ms | ${m(results.up, 0)} |`);
