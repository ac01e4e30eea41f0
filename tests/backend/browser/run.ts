// Runs the backend check page in headless Chromium against the Vite dev server:
//   npx tsx tests/backend/browser/run.ts [auto|wasm|webgl|cpu]
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const pref = process.argv[2] ?? 'auto';
const server = await createServer({ configFile: 'vite.config.ts', server: { port: 5199, strictPort: false }, logLevel: 'warn' });
await server.listen();
const url = server.resolvedUrls!.local[0] + `tests/backend/browser/index.html?backend=${pref}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log('[page]', m.text()));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 180_000 });
  const result = await page.evaluate(() => (window as unknown as { __result: unknown }).__result);
  console.log(JSON.stringify(result, null, 2));
  console.log('crossOriginIsolated:', await page.evaluate(() => self.crossOriginIsolated));
} finally {
  await browser.close();
  await server.close();
}
