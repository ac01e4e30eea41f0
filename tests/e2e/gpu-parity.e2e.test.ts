// The GPU path in Chromium's software renderer: the ring GAN (shrunk) trained a few steps on WebGL
// gives the losses WebAssembly gives, within float32 tolerance, so users with a GPU run a tested path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { smallRingGan } from '../cli/fixtures';
import { ROOT, freePort, launchChromium, skipWithoutChromium } from './server';

const skip = skipWithoutChromium();
const STEPS = 4;

interface Report {
  ok: boolean;
  backend?: string;
  reason?: string;
  losses?: Record<string, number>[];
  ms?: number;
  error?: string;
}

let server: ViteDevServer;
let browser: Browser;
let base: string;

/**
 * The small ring GAN at Adam 5e-4, not the example's 8e-3: Adam's first step moves every weight by about
 * the rate whatever its gradient's size, so weights whose gradients are float32 noise move ±lr with the
 * noise's sign, and at 8e-3 that alone set the generator's loss 0.0016 apart after one step (the
 * discriminator's agreed to 1e-7). The tolerance is for summation order, so the rate is one it was set at.
 */
function parityGraph() {
  const doc = smallRingGan(16, 32);
  const loss = doc.nodes.find((n) => n.type === 'adversarial')!;
  loss.params = { ...loss.params, lrD: 5e-4, lrG: 5e-4 };
  return doc;
}

async function trainOn(backend: string): Promise<Report> {
  const page = await browser.newPage();
  try {
    await page.goto(`${base}tests/backend/browser/parity.html?backend=${backend}`);
    await page.waitForFunction(() => typeof (window as unknown as { __train?: unknown }).__train === 'function');
    await page.evaluate(([doc, steps]) => (window as unknown as { __train: (d: unknown, s: number) => void }).__train(doc, steps), [parityGraph(), STEPS] as const);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 240_000 });
    return (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as Report;
  } finally {
    await page.close();
  }
}

describe.skipIf(skip)('GPU backends against WebAssembly', () => {
  beforeAll(async () => {
    const port = await freePort();
    server = await createServer({ root: ROOT, configFile: `${ROOT}/vite.config.ts`, server: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
    await server.listen();
    base = `http://127.0.0.1:${port}/`;
    browser = await launchChromium(['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader']);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('trains the ring GAN on WebGL (SwiftShader) to the losses of WebAssembly', async () => {
    const wasm = await trainOn('wasm');
    const webgl = await trainOn('webgl');
    console.log(`[e2e] wasm ${JSON.stringify(wasm)}\n[e2e] webgl ${JSON.stringify(webgl)}`);
    expect(wasm).toMatchObject({ ok: true, backend: 'wasm' });
    expect(webgl).toMatchObject({ ok: true, backend: 'webgl' });
    expect(webgl.losses).toHaveLength(STEPS);
    for (let i = 0; i < STEPS; i++) {
      for (const [key, v] of Object.entries(wasm.losses![i])) {
        const g = webgl.losses![i][key];
        // Same seeds, same data; float32 kernels differ in summation order only.
        expect(Math.abs(g - v), `step ${i + 1} ${key}: webgl ${g}, wasm ${v}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(v)));
      }
    }
  });
});
