// Fine-tuning in a real Chromium, as Teachable Machine does it: a classifier trained on MNIST is
// saved, a graph with its feature layer locked and a new head takes the user's labelled images, the
// weights move in through the dialog's node mapping, the report names every node, and the head trains.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ROOT, openApp, type App, type Preview, skipWithoutChromium } from './server';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const skip = skipWithoutChromium();

const PRETRAIN = 'MLP classifier on MNIST';
const OWN = 'Your own images: a new head on frozen MNIST features';

let app: App;
let preview: Preview;
let page: Page;

const trainStep = async () => Number(await page.locator('.gl-training').getAttribute('data-step'));

async function openExample(name: string): Promise<void> {
  await page.getByRole('button', { name: 'Examples', exact: true }).click();
  await page.locator('.gl-card').filter({ has: page.getByText(name, { exact: true }) }).first().click();
  await expect.poll(() => page.locator('.gl-topbar__name').textContent()).toBe(name);
}

async function setParam(node: string, param: string, value: string): Promise<void> {
  await page.locator(`.react-flow__node[data-id="${node}"]`).click();
  await page.locator(`#param-${param}`).fill(value);
  await page.locator(`#param-${param}`).press('Enter');
}

/** 32×32 pictures of two classes, named class_k.png: a bar across (`bar`) or down (`post`) at a moving place. */
function barsAndPosts(count: number): { name: string; mimeType: string; buffer: Buffer }[] {
  return Array.from({ length: count }, (_, k) => {
    const across = k % 2 === 0;
    const at = 4 + 2 * (k >> 1);
    const png = new PNG({ width: 32, height: 32 });
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const on = across ? y >= at && y < at + 5 : x >= at && x < at + 5;
        png.data.set([on ? 255 : 0, on ? 255 : 0, on ? 255 : 0, 255], 4 * (32 * y + x));
      }
    return { name: `${across ? 'bar' : 'post'}_${k}.png`, mimeType: 'image/png', buffer: PNG.sync.write(png) };
  });
}

describe.skipIf(skip)('fine-tuning a new head on your own images', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await openApp({ viewport: { width: 1280, height: 860 } });
    ({ preview, page } = app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('loads frozen MNIST features through the node mapping, names every node, and trains the head on uploads', async () => {
    await page.goto(preview.url);
    await page.locator('.gl-canvas').waitFor();

    // A short pre-training: enough to have a checkpoint of the classifier.
    await openExample(PRETRAIN);
    for (let k = 1; k <= 2; k++) {
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await expect.poll(trainStep, { timeout: 60_000 }).toBe(k);
      await expect.poll(() => page.locator('.gl-training').getAttribute('data-phase'), { timeout: 30_000 }).toBe('paused');
    }
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save checkpoint' }).click()]);

    // The user's images: two classes told apart by file name, sixteen pictures.
    await openExample(OWN);
    await page.locator('.react-flow__node[data-id="data"]').click();
    await page.locator('#param-dataset').selectOption('upload');
    await page.locator('#upload-images-data').setInputFiles(barsAndPosts(16));
    await expect.poll(() => page.locator('.gl-inspector').textContent(), { timeout: 30_000 }).toMatch(/16 images in classes bar, post, 28×28×1/);
    await setParam('head', 'units', '2');
    await expect.poll(() => page.locator('.gl-problems').textContent()).toMatch(/No problems/);

    // Fine-tune from the classifier: hidden comes by id; head is mapped to the old 10-way output
    // layer on purpose, which the report refuses by name (another width), so head starts fresh.
    await page.getByRole('button', { name: 'Runs & checkpoints' }).click();
    const row = page.getByTestId('checkpoint-list').locator('tbody tr', { hasText: PRETRAIN }).first();
    await row.getByRole('button', { name: 'Fine-tune from' }).click();
    const mapping = page.getByTestId('fine-tune-mapping');
    await expect.poll(() => mapping.getByRole('combobox', { name: 'weights for hidden' }).inputValue(), { timeout: 30_000 }).toBe('hidden');
    expect(await mapping.getByRole('combobox', { name: 'weights for head' }).inputValue()).toBe('');
    await mapping.getByRole('combobox', { name: 'weights for head' }).selectOption('logits');
    await page.screenshot({ path: join(ARTIFACTS, 'finetune-01-mapping.png') });
    await mapping.getByRole('button', { name: 'Load weights' }).click();
    const report = page.getByTestId('transfer-report');
    await report.waitFor({ timeout: 60_000 });
    const text = await report.innerText();
    expect(text).toMatch(/Loaded hidden\b/);
    expect(text).toMatch(/head: weight logits\/kernel is \[128,10\] in the file, \[128,2\] here/);
    expect(text).not.toMatch(/Skipped/);
    await page.screenshot({ path: join(ARTIFACTS, 'finetune-02-report.png') });
    await page.getByRole('button', { name: 'Close' }).click();

    // The head trains on the uploads; the locked features do not move (the node says so).
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(() => page.locator('.gl-training').getAttribute('data-phase'), { timeout: 180_000 }).toBe('done');
    expect(await trainStep()).toBe(300);
    expect(await page.locator('.react-flow__node[data-id="hidden"]').textContent()).toMatch(/frozen/i);
    await page.screenshot({ path: join(ARTIFACTS, 'finetune-03-trained.png') });

    // The run lists the checkpoint it came from.
    await page.getByRole('button', { name: 'Runs & checkpoints' }).click();
    const runs = page.getByTestId('run-list');
    await expect.poll(() => runs.locator('tbody tr').first().textContent(), { timeout: 30_000 }).toMatch(new RegExp(`fine-tuned from ${PRETRAIN} at step 2`));
    // The pre-training run keeps its own figures after another graph was opened and compiled.
    const pretrained = runs.locator('tbody tr', { hasText: `${PRETRAIN} ·` });
    expect(await pretrained.locator('td').nth(1).textContent()).toBe('2');
    await page.screenshot({ path: join(ARTIFACTS, 'finetune-04-runs.png') });
  });
});
