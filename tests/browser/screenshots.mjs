// Screenshots of the status page's views, for the README and for looking at changes:
//   node tests/browser/screenshots.mjs URL TOKEN OUT_DIR
// (docs/images/make_screenshots.sh runs the demo and the agent around it).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launch } from './browser.mjs';

const [url, token, out = 'screenshots'] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: node screenshots.mjs URL TOKEN [OUT_DIR]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const { context, close } = await launch();
const page = context.pages()[0] ?? (await context.newPage());
const shot = async (name, options = {}) => {
  await page.waitForTimeout(300); // let the last update paint
  await page.screenshot({ path: path.join(out, `${name}.png`), ...options });
  console.log(path.join(out, `${name}.png`));
};
for (const scheme of ['light', 'dark']) {
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`${url}/#token=${token}`);
  await page.waitForSelector('#instances-table tr[data-key="demo/one"][data-state="running"]');
  await page.waitForFunction(() => /\d/.test(document.querySelector('#instances-table tr[data-key="demo/one"] td.memory')?.textContent ?? ''), null, { timeout: 20000 });
  await shot(`instances-${scheme}`);
  await page.goto(`${url}/#/instance/demo/one`);
  await page.locator('#log-lines .log-line', { hasText: '[dockerops] ready' }).first().waitFor();
  await shot(`detail-${scheme}`, { fullPage: true });
  await page.goto(`${url}/#/dns`);
  await page.waitForSelector('#dns-table tbody tr');
  await shot(`dns-${scheme}`);
  await page.goto(`${url}/#/events`);
  await page.waitForSelector('#events-list li');
  await shot(`events-${scheme}`);
}
await page.emulateMedia({ colorScheme: 'light' });
await page.setViewportSize({ width: 390, height: 844 });
await page.goto(`${url}/#/instances`);
await page.waitForSelector('#instances-table tr[data-key="demo/one"]');
await shot('instances-phone', { fullPage: true });
await page.goto(`${url}/#/events`);
await page.waitForSelector('#events-list li');
await shot('events-phone');
await close();
