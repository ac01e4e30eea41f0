// The views that explain a model, in a real Chromium at 1400×900 against the built app. Each view's
// figures are read off the page and checked against a direct computation in this process: the
// exported weights loaded as plain tfjs models on the CPU backend, or counts taken from the file.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, buildApp, startPreview, type Preview } from './server';
import { weightsFromText } from '../../app/training/weightsFile';
import type { WeightsBundle } from '../../runtime/train/weights';

const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e-insight');
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`[e2e] skipped: ${CHROMIUM} is not installed (apt-get install chromium).`);

const RING_GAN = 'GAN on a ring of 8 Gaussians';

let preview: Preview;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
const phase = () => page.locator('.gl-training').getAttribute('data-phase');
const trainStep = async () => Number(await page.locator('.gl-training').getAttribute('data-step'));
const sampleStep = async () => Number((await page.getByTestId('samples').getAttribute('data-sample-step')) || -1);

async function openExample(name: string): Promise<void> {
  await page.getByRole('button', { name: 'Examples', exact: true }).click();
  await page.locator('.gl-card').filter({ has: page.getByText(name, { exact: true }) }).first().click();
  await expect.poll(() => page.locator('.gl-topbar__name').textContent()).toBe(name);
  await page.waitForTimeout(300);
}

/** Trains until `minStep`, then pauses. */
async function trainTo(minStep: number, timeout = 60_000): Promise<void> {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(trainStep, { timeout, interval: 200 }).toBeGreaterThanOrEqual(minStep);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(phase, { timeout: 30_000 }).toBe('paused');
}

/** The weights as the training panel exports them. */
async function exportedWeights(): Promise<WeightsBundle> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export weights' }).click()]);
  const file = join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(file);
  return weightsFromText(readFileSync(file, 'utf8'), file);
}

/** One network of an exported bundle as a plain tfjs model. */
function networkModel(bundle: WeightsBundle, name: string): Promise<tf.LayersModel> {
  const a = bundle.networks[name];
  if (!a) throw new Error(`the exported weights have no network "${name}" (they have ${Object.keys(bundle.networks).join(', ')})`);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData }));
}

interface SurfaceProbe {
  step: number;
  n: number;
  lo: number;
  hi: number;
  cells: [number, number, number][];
  arrows: [number, number, number, number][];
}

describe.skipIf(skip)('insight views in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await tf.setBackend('cpu');
    buildApp();
    preview = await startPreview();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(preview.url);
    await page.locator('.gl-canvas').waitFor();
    await page.locator('.gl-backend [data-testid="backend-name"][data-backend]').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await preview?.stop();
  });

  it('draws the ring GAN’s decision surface and gradient arrows as its discriminator computes them', async () => {
    await openExample(RING_GAN);
    await trainTo(40);
    // One more step: its samples come after it, so the surface is scored with the weights that are exported next.
    const paused = await trainStep();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(trainStep, { timeout: 20_000 }).toBe(paused + 1);
    const at = paused + 1;
    await expect.poll(sampleStep, { timeout: 20_000 }).toBe(at);
    const surface = page.getByTestId('decision-surface');
    await expect.poll(async () => ((JSON.parse((await surface.getAttribute('data-surface')) || '{}') as Partial<SurfaceProbe>).step ?? -1), { timeout: 20_000 }).toBe(at);
    const probe = JSON.parse((await surface.getAttribute('data-surface'))!) as SurfaceProbe;
    await shot('ring-decision-surface');
    const D = await networkModel(await exportedWeights(), 'discriminator');
    const centre = (i: number) => probe.lo + ((i + 0.5) * (probe.hi - probe.lo)) / probe.n;
    const pts = probe.cells.map(([row, col]) => [centre(col), centre(probe.n - 1 - row)]);
    const want = tf.tidy(() => Array.from((D.predict(tf.tensor2d(pts)) as tf.Tensor).dataSync()));
    const shown = probe.cells.map((c) => c[2]);
    console.log(`[e2e] ring GAN at step ${at}: D on the page ${shown.map((v) => v.toFixed(4)).join(', ')}; from the exported weights ${want.map((v) => v.toFixed(4)).join(', ')}`);
    shown.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(want[i]))));
    expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(1e-3);
    const grads = tf.tidy(() => {
      const x = tf.tensor2d(probe.arrows.map(([px, py]) => [px, py]));
      return Array.from(tf.grad((v: tf.Tensor) => tf.sum(D.predict(v) as tf.Tensor))(x).dataSync());
    });
    probe.arrows.forEach(([, , dx, dy], i) => {
      const [gx, gy] = [grads[2 * i], grads[2 * i + 1]];
      const scale = Math.max(1e-3, Math.hypot(gx, gy));
      expect(Math.hypot(dx - gx, dy - gy) / scale, `arrow ${i}`).toBeLessThan(1e-2);
    });
    D.dispose();
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
