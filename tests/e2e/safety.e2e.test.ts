// The locked-down page in a real Chromium: the Content-Security-Policy is active and the app still
// starts its WebAssembly backend and trains under it; a diverging graph pauses with a banner; share
// links are confirmed before they replace a graph, and an oversized one is refused.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compressToEncodedURIComponent } from 'lz-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serializeGraph } from '../../runtime/graph/load';
import { MAX_GRAPH_CHARS } from '../../app/files/shareLink';
import { vaeDoc } from '../compiler/docs';
import { example } from '../cli/fixtures';
import { ROOT, openApp, type App, type Preview, skipWithoutChromium } from './server';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const skip = skipWithoutChromium();

let app: App;
let preview: Preview;
let page: Page;
let pageErrors: string[] = [];

const link = (text: string) => `#graph=${compressToEncodedURIComponent(text)}`;
const phase = () => page.locator('.gl-training').getAttribute('data-phase');
const violations = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

describe.skipIf(skip)('the locked-down page in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await openApp({
      // Every policy violation on the page, from the first script on.
      prepare: (context) =>
        context.addInitScript(() => {
          const w = window as unknown as { __csp: string[] };
          w.__csp = [];
          document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.effectiveDirective} ${e.blockedURI}`));
        }),
    });
    ({ preview, page } = app);
    pageErrors = app.errors;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves the policy as a header and a meta tag, and starts the wasm backend under it with no violation', async () => {
    const res = await page.goto(preview.url);
    const header = res?.headers()['content-security-policy'] ?? '';
    expect(header).toMatch(/script-src 'self' 'wasm-unsafe-eval' blob:/);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(header);
    await page.locator('.gl-canvas').waitFor();
    await expect.poll(() => page.getByTestId('backend-name').getAttribute('data-backend'), { timeout: 60_000 }).toMatch(/^(wasm|webgl|webgpu|cpu)$/);
    const reason = await page.locator('.gl-backend__pick').getAttribute('title');
    console.log(`[e2e] backend under the CSP: ${await page.getByTestId('backend-name').getAttribute('data-backend')} — ${reason}`);
    expect(await violations()).toEqual([]);
  });

  it('pauses a diverging graph with a banner whose Resume lowers the learning rate', async () => {
    const doc = vaeDoc();
    doc.name = 'Diverging VAE';
    doc.training = { ...doc.training, learningRate: 10, steps: 300, batchSize: 8, sampleEvery: 0 };
    await page.goto(`${preview.url}?diverge${link(serializeGraph(doc))}`);
    await expect.poll(() => page.locator('.gl-topbar__name').textContent(), { timeout: 30_000 }).toBe('Diverging VAE');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const banner = page.getByTestId('divergence-banner');
    await banner.waitFor({ timeout: 90_000 });
    expect(await banner.textContent()).toMatch(/Training diverged at step \d+: the (loss|gradients) of .* became NaN or infinite\. The weights of step \d+ are kept\./);
    expect(await phase()).toBe('paused');
    const stoppedAt = Number(await page.locator('.gl-training').getAttribute('data-step'));
    expect(stoppedAt).toBeLessThan(300);
    await page.screenshot({ path: join(ARTIFACTS, 'safety-divergence.png') });
    await page.getByRole('button', { name: 'Resume at a tenth of the learning rate' }).click();
    // It trains on from there at the lower rate: to the end, or to another divergence, which the banner
    // reports with the rate already lowered (weights this large may diverge again at once).
    await expect
      .poll(async () => (await phase()) === 'done' || /already 0\.1 × the graph's/.test((await banner.textContent().catch(() => '')) ?? ''), { timeout: 90_000 })
      .toBe(true);
    expect(pageErrors).toEqual([]);
    expect(await violations()).toEqual([]);
  });

  it('asks before a share link replaces a graph on the canvas', async () => {
    // The diverging graph is on the canvas (and autosaved); a link to the ring GAN arrives.
    await page.waitForTimeout(800);
    const dialog = page.waitForEvent('dialog');
    await page.goto(`${preview.url}?ring${link(serializeGraph(example('gan-ring')))}`);
    const d = await dialog;
    expect(d.message()).toMatch(/Open the shared graph “GAN on a ring of 8 Gaussians”\? It replaces “Diverging VAE”/);
    await d.dismiss();
    await page.waitForTimeout(300);
    expect(await page.locator('.gl-topbar__name').textContent()).toBe('Diverging VAE');
    // The link is consumed: a reload asks nothing and keeps the graph.
    expect(new URL(page.url()).hash).toBe('');
  });

  it('refuses a link that expands past the limit, after the page has rendered', async () => {
    const bomb = link(JSON.stringify({ format: 'genloom.graph', version: 1, name: 'x'.repeat(MAX_GRAPH_CHARS) }));
    await page.goto(`${preview.url}?bomb${bomb}`);
    await page.locator('.gl-canvas').waitFor();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.textContent()).toMatch(/The shared link could not be opened[\s\S]*expands to 2,000,\d{3} characters/);
    expect(pageErrors).toEqual([]);
  });

  it('blocks inline script and eval', async () => {
    // Playwright's own evaluation is exempt from the policy, so eval is tried in a worker the page
    // starts, which inherits it.
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      const src = "let r = 'blocked'; try { if ((0, eval)('1 + 1') === 2) r = 'ran'; } catch { r = 'blocked'; } postMessage(r);";
      const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
      const evaluated = await new Promise<string>((resolve) => {
        w.onmessage = (e) => resolve(String(e.data));
        w.onerror = () => resolve('worker refused');
      });
      w.terminate();
      return { inline: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, evaluated: evaluated === 'ran' };
    });
    expect(ran).toEqual({ inline: false, evaluated: false });
    expect((await violations()).some((v) => v.startsWith('script-src'))).toBe(true);
  });
});
