// Learning from feedback in a real Chromium, against the built app: open the ring feedback example,
// rate it yourself, pretrain the GAN, rate 20 quartets by clicking the sample furthest right, learn
// from the pairs (reward model, then fine-tune), and check that the reward model's heatmap rises to
// the right and more of the gallery's samples now lie right of the ring's centre, measured from the
// gallery's own pixels before and after.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ROOT, openApp, type App, type Preview, skipWithoutChromium } from './server';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e-feedback');
const skip = skipWithoutChromium();

const EXAMPLE = 'Ring GAN steered by feedback';
/** Base-model steps before rating: enough for the generator to reach the ring's scale. */
const PRETRAIN_STEPS = 150;
const QUARTETS = 20;

let app: App;
let preview: Preview;
let page: Page;
let pageErrors: string[] = [];
const measured: Record<string, number> = {};

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
const trainStep = async () => Number(await page.locator('.gl-training').getAttribute('data-step'));
const phase = () => page.locator('.gl-training').getAttribute('data-phase');
const feedbackAttr = async (name: string) => Number(await page.getByTestId('feedback').getAttribute(name));

/**
 * The share of generated points right of the frame's centre, from the gallery's scatter: the real
 * ring fixes the frame symmetrically about x = 0, and generated points are the blue pixels.
 */
async function shareRight(): Promise<{ share: number; pixels: number }> {
  return page.locator('canvas.gl-samples__scatter').evaluate((c: HTMLCanvasElement) => {
    const { width, height } = c;
    const px = c.getContext('2d')!.getImageData(0, 0, width, height).data;
    let right = 0;
    let all = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        // Generated points are drawn in rgb(59, 111, 216); the real ones in grey.
        if (px[i + 3] > 100 && px[i + 2] - px[i] > 90) {
          all++;
          if (x >= width / 2) right++;
        }
      }
    }
    return { share: all ? right / all : NaN, pixels: all };
  });
}

/** The x coordinate each rating card shows, read from its accessible label. */
async function cardXs(): Promise<number[]> {
  const labels = await page.getByTestId('rate-card').locator('canvas').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return labels.map((l) => Number(/\(([-\d.e]+),/.exec(l)?.[1] ?? NaN));
}

describe.skipIf(skip)('learning from feedback in the app', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await openApp();
    ({ preview, page } = app);
    pageErrors = app.errors;
  });

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'measured.json'), JSON.stringify(measured, null, 2));
    await app?.close();
  });

  it('opens the feedback example and hands its preferences to you', async () => {
    await page.goto(preview.url);
    await page.locator('.gl-canvas').waitFor();
    await page.getByRole('button', { name: 'Examples', exact: true }).click();
    await page.locator('.gl-card').filter({ has: page.getByText(EXAMPLE, { exact: true }) }).first().click();
    await expect.poll(() => page.locator('.gl-topbar__name').textContent()).toBe(EXAMPLE);
    // The example rates with a scripted rule for the CLI; here the rater is you.
    await page.locator('.react-flow__node[data-id="prefs"]').click();
    await page.locator('#param-rater').selectOption('you');
    // Short rounds keep the test quick on a loaded machine: the node's params set them, as a user would.
    for (const [param, value] of [['rewardSteps', '200'], ['tuneSteps', '100']]) {
      await page.locator(`#param-${param}`).fill(value);
      await page.locator(`#param-${param}`).press('Enter');
    }
    await page.getByRole('tab', { name: 'Feedback' }).click();
    await page.getByTestId('feedback').waitFor();
    // Opening the view names the graph's pair set on the node, so the graph compiles before any rating.
    await expect.poll(() => page.locator('#param-pairsName').inputValue()).not.toBe('');
    await shot('01-feedback-before-training');
  });

  it('pretrains the base model, then rates 20 quartets by clicking the sample furthest right', { timeout: 900_000 }, async () => {
    await page.getByRole('tab', { name: 'Samples' }).click();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect
      .poll(trainStep, { timeout: 600_000, interval: 500 })
      .toBeGreaterThanOrEqual(PRETRAIN_STEPS)
      .catch(async (err: unknown) => {
        await shot('02-pretraining-stalled');
        throw err;
      });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(phase, { timeout: 30_000 }).toBe('paused');
    // The gallery's batch at the pause, drawn with the panel's fixed seed.
    const paused = await trainStep();
    await expect.poll(async () => Number(await page.getByTestId('samples').getAttribute('data-sample-step')), { timeout: 30_000 }).toBeGreaterThan(0);
    const before = await shareRight();
    expect(before.pixels).toBeGreaterThan(50);
    measured.pretrainSteps = paused;
    measured.shareRightBefore = before.share;
    await shot('02-pretrained');

    await page.getByRole('tab', { name: 'Feedback' }).click();
    for (let q = 0; q < QUARTETS; q++) {
      await page.getByTestId('rate-card').first().waitFor({ timeout: 60_000 });
      await expect.poll(async () => page.getByTestId('rate-card').count()).toBe(4);
      const xs = await cardXs();
      expect(xs.every(Number.isFinite)).toBe(true);
      const best = xs.indexOf(Math.max(...xs));
      if (q === 0) await shot('03-rating');
      const rated = await feedbackAttr('data-rated');
      await page.getByTestId('rate-card').nth(best).click();
      await expect.poll(() => feedbackAttr('data-rated')).toBe(rated + 1);
    }
    // Best of four gives three pairs a choice.
    expect(await feedbackAttr('data-pairs')).toBe(3 * QUARTETS);
    measured.pairs = await feedbackAttr('data-pairs');
  });

  it('lists the pairs with thumbnails, and refuses a malformed file without losing any', async () => {
    await page.getByTestId('feedback-pairs').click();
    await page.getByTestId('pairs-dialog').waitFor();
    expect(await page.getByTestId('pair-row').count()).toBe(3 * QUARTETS);
    const broken = join(ARTIFACTS, 'broken.preferences.json');
    writeFileSync(broken, JSON.stringify({ format: 'genloom-preferences', version: 1, kind: 'points', pairs: [{ chosen: [0, 0], rejected: [1] , rater: 'you' }] }));
    await page.getByTestId('pairs-import').setInputFiles(broken);
    await expect.poll(() => page.getByTestId('pairs-dialog').getByRole('alert').textContent()).toMatch(/broken\.preferences\.json: pairs\[0\]\.rejected/);
    expect(await page.getByTestId('pair-row').count()).toBe(3 * QUARTETS);
    await shot('04-pairs');
    await page.getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('fits the reward model and fine-tunes; more samples then lie on the side you chose', { timeout: 900_000 }, async () => {
    const from = await trainStep();
    await page.getByTestId('learn-from-pairs').click();
    await expect.poll(async () => (await page.getByTestId('feedback').locator('[role=status]').textContent()) ?? '', { timeout: 800_000, interval: 1000 }).toMatch(/^Learned from \d+ pairs/);
    measured.roundSteps = (await trainStep()) - from;
    expect(measured.roundSteps).toBeGreaterThan(0);
    // The next quartets come ordered by the fitted reward model.
    await page.getByText('least sure first').waitFor({ timeout: 60_000 });
    // Under the cards, the fitted reward model's score over the plane: higher on the right, where the
    // clicks went (the probe's first cell is the top-left corner, its third the bottom-right).
    const surface = page.getByTestId('reward-surface');
    await expect.poll(async () => (await surface.getAttribute('data-surface')) ?? '', { timeout: 60_000 }).not.toBe('');
    const probe = JSON.parse((await surface.getAttribute('data-surface'))!) as { cells: [number, number, number][] };
    measured.rewardLeftCorner = probe.cells[0][2];
    measured.rewardRightCorner = probe.cells[2][2];
    expect(measured.rewardRightCorner).toBeGreaterThan(measured.rewardLeftCorner);
    await shot('05-after-round');
    await page.getByRole('tab', { name: 'Samples' }).click();
    await expect.poll(async () => Number(await page.getByTestId('samples').getAttribute('data-sample-step')), { timeout: 30_000 }).toBe(await trainStep());
    const after = await shareRight();
    measured.shareRightAfter = after.share;
    console.log(`[e2e feedback] share of samples right of centre: ${measured.shareRightBefore.toFixed(3)} → ${after.share.toFixed(3)} (${measured.pairs} pairs, ${measured.roundSteps} steps)`);
    await shot('06-samples-after');
    expect(after.share).toBeGreaterThan(measured.shareRightBefore + 0.1);
    expect(pageErrors).toEqual([]);
  });
});
