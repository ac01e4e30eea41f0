// Runs the backend check page in headless Chromium, cross-origin isolated as the app is:
//   npx tsx tests/backend/browser/run.ts [auto|wasm|webgl|cpu] [--build]
// --build checks the minified production build (vite build + preview) instead of the dev server.
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build, createServer, preview } from 'vite';

const pref = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'auto';
const production = process.argv.includes('--build');
const page = 'tests/backend/browser/index.html';
const outDir = '/tmp/genloom-backend-check';

async function start(): Promise<{ url: string; close: () => Promise<void> }> {
  if (!production) {
    const server = await createServer({ configFile: 'vite.config.ts', server: { port: 5199 }, logLevel: 'warn' });
    await server.listen();
    return { url: server.resolvedUrls!.local[0] + page, close: () => server.close() };
  }
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: resolve(page) } } });
  const server = await preview({ configFile: 'vite.config.ts', build: { outDir }, preview: { port: 4199 }, logLevel: 'warn' });
  return { url: server.resolvedUrls!.local[0] + page, close: () => server.close() };
}

const server = await start();
const url = `${server.url}?backend=${pref}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const tab = await browser.newPage();
  tab.on('console', (m) => console.log('[page]', m.text()));
  tab.on('pageerror', (e) => console.log('[pageerror]', e.message));
  tab.on('response', (r) => { if (r.status() >= 400) console.log('[http]', r.status(), r.url()); });
  tab.on('worker', (w) => w.on('console', (m) => console.log('[worker]', m.text())));
  await tab.goto(url);
  await tab.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 180_000 });
  const result = await tab.evaluate(() => (window as unknown as { __result: unknown }).__result);
  console.log(JSON.stringify(result, null, 2));
  console.log('crossOriginIsolated:', await tab.evaluate(() => self.crossOriginIsolated));
} finally {
  await browser.close();
  await server.close();
}
