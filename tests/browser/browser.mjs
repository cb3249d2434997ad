// Debian's Chromium driven by playwright-core: never a downloaded browser, nothing but loopback
// (no other name resolves).
// BROWSER_MODULES names the folder where `npm ci` installed this folder's lock file (the build
// tree); without it, ./node_modules.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const modules = process.env.BROWSER_MODULES || path.join(here, 'node_modules');
const require = createRequire(path.join(modules, 'noop.js'));
export const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// A fresh profile per launch, removed by close().
export async function launch() {
  const profile = mkdtempSync(path.join(tmpdir(), 'dockerops-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // As on a machine with no internet: no name but the loopback address resolves.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
  const close = async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context: browser, close };
}
