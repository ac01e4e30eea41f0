// Checkpoints and runs kept in the browser, in a real Chromium: a saved checkpoint is still listed
// after a reload, resuming it continues the step count, and the resumed run names its parent.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ROOT, openApp, type App, type Preview, skipWithoutChromium } from './server';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const skip = skipWithoutChromium();

const RING_GAN = 'GAN on a ring of 8 Gaussians';
const SAVED = join(ARTIFACTS, 'runs-ring.checkpoint.json');

let app: App;
let preview: Preview;
let browser: Browser;
let page: Page;

const trainStep = async () => Number(await page.locator('.gl-training').getAttribute('data-step'));

async function openRuns(): Promise<void> {
  await page.getByRole('button', { name: 'Runs & checkpoints' }).click();
  await page.getByTestId('runs-dialog').waitFor();
}

async function step(to: number): Promise<void> {
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(trainStep, { timeout: 60_000 }).toBe(to);
  await expect.poll(() => page.locator('.gl-training').getAttribute('data-phase'), { timeout: 30_000 }).toBe('paused');
}

describe.skipIf(skip)('runs and checkpoints in the browser', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await openApp();
    ({ preview, browser, page } = app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps a saved checkpoint through a reload, resumes it, and the step count goes on', async () => {
    await page.goto(preview.url);
    await page.locator('.gl-canvas').waitFor();
    await page.getByRole('button', { name: 'Examples', exact: true }).click();
    await page.locator('.gl-card', { hasText: RING_GAN }).click();
    await page.locator('.react-flow__node[data-id="loss"]').waitFor();
    await step(1);
    await step(2);
    await step(3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save checkpoint' }).click()]);
    await download.saveAs(SAVED);
    await openRuns();
    const row = page.getByTestId('checkpoint-list').locator('tbody tr').first();
    await expect.poll(() => row.locator('td').nth(1).textContent(), { timeout: 30_000 }).toBe('3');
    await page.getByRole('button', { name: 'Close' }).click();

    await page.reload();
    await page.locator('.react-flow__node[data-id="loss"]').waitFor();
    expect(await trainStep()).toBe(0);
    await openRuns();
    await page.getByTestId('run-list').waitFor();
    await page.getByTestId('checkpoint-list').locator('tbody tr').first().getByRole('button', { name: 'Resume' }).click();
    try {
      await expect.poll(trainStep, { timeout: 60_000 }).toBe(3);
    } catch (err) {
      throw new Error(`${(err as Error).message}; the panel says: ${await page.locator('.gl-training').innerText()}`);
    }
    await step(4);
    await page.screenshot({ path: join(ARTIFACTS, 'runs-01-resumed.png') });

    // The resumed run lists the checkpoint it came from and links to the run that saved it.
    await openRuns();
    const runs = page.getByTestId('run-list');
    await expect.poll(() => runs.locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
    const resumed = runs.locator('tbody tr').first();
    expect(await resumed.textContent()).toMatch(/resumed from GAN on a ring of 8 Gaussians at step 3/);
    await resumed.getByRole('button', { name: 'parent run' }).click();
    const parent = runs.locator('tbody tr.is-focus');
    expect(await parent.textContent()).toMatch(/scratch/);
    expect(await parent.getByRole('button', { name: /^child:/ }).count()).toBe(1);
    // Its curve goes on the chart beside the current one.
    await parent.getByRole('button', { name: 'Compare' }).click();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('compare-chart').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'runs-02-compared.png') });
  });

  it('resumes a downloaded checkpoint file in another browser profile, and the run names it as its parent', async () => {
    // A fresh context holds nothing in IndexedDB: the file is all there is.
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const saved = page;
    try {
      page = await other.newPage();
      await page.goto(preview.url);
      await page.locator('.gl-canvas').waitFor();
      await page.getByRole('button', { name: 'Examples', exact: true }).click();
      await page.locator('.gl-card', { hasText: RING_GAN }).click();
      await page.locator('.react-flow__node[data-id="loss"]').waitFor();
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Resume checkpoint' }).click()]);
      await chooser.setFiles(SAVED);
      await expect.poll(trainStep, { timeout: 60_000 }).toBe(3);
      await step(4);
      await openRuns();
      const runs = page.getByTestId('run-list');
      await expect.poll(() => runs.locator('tbody tr').first().textContent(), { timeout: 30_000 }).toMatch(/resumed from GAN on a ring of 8 Gaussians at step 3/);
      await expect.poll(() => page.getByTestId('checkpoint-list').locator('tbody tr').count()).toBe(1);
    } finally {
      await other.close();
      page = saved;
    }
  });
});
