// The README's picture: the ring GAN example after a few hundred training steps, with the canvas,
// the loss chart and the sample scatter, saved at 1280×800. Builds nothing: give it a running app,
// or it serves the existing dist/ with `vite preview` (or the sources with `vite` when there is no dist/).
//
//   npx tsx scripts/screenshot.ts [--url http://127.0.0.1:5173/] [--steps 600] [--out docs/screenshot.png]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..');
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const EXAMPLE = 'GAN on a ring of 8 Gaussians';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    steps: { type: 'string', default: '600' },
    out: { type: 'string', default: join(ROOT, 'docs', 'screenshot.png') },
  },
});

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => ok(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** `vite preview` of dist/ when it exists, else the dev server; resolves once it answers. */
async function serve(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const mode = existsSync(join(ROOT, 'dist', 'index.html')) ? ['preview'] : [];
  const child = spawn(process.execPath, [VITE, ...mode, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d) => (log += String(d)));
  child.stderr?.on('data', (d) => (log += String(d)));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite ${mode[0] ?? 'dev'} exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(url)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`vite did not answer on ${url} within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const attr = (page: Page, selector: string, name: string) => page.locator(selector).first().getAttribute(name);

async function capture(page: Page, url: string, steps: number, out: string): Promise<void> {
  await page.goto(url);
  await page.locator('.gl-canvas').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-name"]')?.getAttribute('data-backend'), null, { timeout: 90_000 });
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.locator('.gl-card', { hasText: EXAMPLE }).click();
  await page.locator('.react-flow__node[data-id="loss"]').waitFor();

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const started = Date.now();
  for (;;) {
    const step = Number(await attr(page, '.gl-training', 'data-step'));
    if (step >= steps) break;
    if (Date.now() - started > 600_000) throw new Error(`training reached only step ${step} of ${steps} in 10 minutes`);
    await page.waitForTimeout(250);
  }
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => document.querySelector('.gl-training')?.getAttribute('data-phase') === 'paused', null, { timeout: 30_000 });
  // One more step samples the model as it stands, so the scatter shows the last step, not the last 250th.
  const before = Number(await attr(page, '.gl-training', 'data-step'));
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction((s) => Number(document.querySelector('[data-testid="samples"]')?.getAttribute('data-sample-step')) > s, before, { timeout: 60_000 });

  // A clean frame: nothing selected or hovered, the whole graph in view.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.locator('.react-flow__controls-fitview').click();
  await page.mouse.move(1, 799);
  await page.waitForTimeout(600);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
}

async function main(): Promise<void> {
  const steps = Number(args.steps);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps: expected a positive whole number, got "${args.steps}"`);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM`);
  const out = resolve(args.out!);
  const server = args.url ? null : await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await capture(page, args.url ?? server!.url, steps, out);
    console.log(`saved ${out}`);
  } finally {
    await browser.close();
    server?.child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
