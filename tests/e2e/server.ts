// Builds the app and serves it with `vite preview` on a free local port, for the browser tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = join(import.meta.dirname, '..', '..');
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** `vite build`, unless E2E_SKIP_BUILD=1 says dist/ is already current. */
export function buildApp(): void {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const r = spawnSync(process.execPath, [VITE, 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
}

export interface Preview {
  url: string;
  stop(): Promise<void>;
}

export async function startPreview(): Promise<Preview> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [VITE, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`vite preview did not answer on ${url} within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Debian's Chromium unless E2E_CHROMIUM names another. */
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Headless and quiet: no GPU, no network chatter of its own, so timings are the app's. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Outside CI a machine without Chromium skips the browser tests, saying so; in CI (CI set) they run and fail. */
export function skipWithoutChromium(): boolean {
  const skip = !existsSync(CHROMIUM) && !process.env.CI;
  if (skip) console.warn(`[e2e] skipped: ${CHROMIUM} is not installed (apt-get install chromium). In CI (CI set) this test runs and fails instead.`);
  return skip;
}

export function launchChromium(args: string[] = CHROMIUM_FLAGS): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args });
}

export interface App {
  preview: Preview;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The page's uncaught errors and console errors, in order; a test ends by expecting none. */
  errors: string[];
  close(): Promise<void>;
}

export interface AppOptions {
  viewport?: { width: number; height: number };
  /** Runs on the context before the page opens, e.g. to add init scripts that must see the first script. */
  prepare?: (context: BrowserContext) => Promise<unknown>;
}

/** Builds and serves the app and opens one Chromium page on a fresh context that accepts downloads. */
export async function openApp({ viewport = { width: 1280, height: 800 }, prepare }: AppOptions = {}): Promise<App> {
  buildApp();
  const preview = await startPreview();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    await prepare?.(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const opened = browser;
    return {
      preview,
      browser: opened,
      context,
      page,
      errors,
      async close() {
        await context.close();
        await opened.close();
        await preview.stop();
      },
    };
  } catch (e) {
    await browser?.close();
    await preview.stop();
    throw e;
  }
}
