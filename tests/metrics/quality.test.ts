// The meter the trainer, panel and CLI share: which graphs get which figures, and the 2-D figures
// on known inputs. The image meter is tested with the committed classifiers (classifier.test.ts).
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../runtime/compiler/compile';
import { generatePoints, PUBLISHED_POINTS, RING_CENTRES } from '../../runtime/data/procedural';
import { parseGraph } from '../../runtime/graph/load';
import { CHAMFER_POINTS } from '../../runtime/metrics/chamfer';
import { createQualityMeter, MODE_SAMPLES, qualityLines, qualityTargetFor, qualityTargetOf } from '../../runtime/metrics/quality';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function targetOfExample(file: string) {
  const { doc } = parseGraph(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
  const { compiled } = compile(doc!);
  try {
    return qualityTargetOf(compiled!);
  } finally {
    compiled!.dispose();
  }
}

const points = (xy: Float32Array) => ({ kind: 'points' as const, count: xy.length / 2, data: xy, real: new Float32Array(0) });

describe('quality targets', () => {
  it('judge each example against its own data, at the settings its dataset node holds', () => {
    // Both 2-D GAN examples train on PacGAN's published sets, where their goals are set.
    expect(targetOfExample('gan-ring.json')).toEqual({ kind: 'points', dataset: 'ring', settings: PUBLISHED_POINTS });
    expect(targetOfExample('wgan-grid.json')).toEqual({ kind: 'points', dataset: 'grid', settings: PUBLISHED_POINTS });
    expect(targetOfExample('ddpm-2d.json')).toMatchObject({ kind: 'points', dataset: 'spiral' });
    expect(targetOfExample('dcgan-mnist.json')).toEqual({ kind: 'images', dataset: 'mnist' });
    expect(targetOfExample('vae-mnist-conv.json')).toEqual({ kind: 'images', dataset: 'mnist-full' });
    // A classifier samples nothing, and text has no metric here.
    expect(targetOfExample('classifier-mnist.json')).toBeNull();
    expect(targetOfExample('gpt-names.json')).toBeNull();
    expect(targetOfExample('gpt-names-32k.json')).toBeNull();
  });

  it('follow a dataset node’s sizes and skip sets with nothing to measure against', () => {
    expect(qualityTargetFor('ring', { dataset: 'ring', ringRadius: 2, ringSigma: 0.04 })).toEqual({
      kind: 'points', dataset: 'ring', settings: { ...PUBLISHED_POINTS, ringRadius: 2, ringSigma: 0.04 },
    });
    expect(qualityTargetFor('my-photos')).toBeNull();
    expect(qualityTargetFor('names')).toBeNull();
  });
});

describe('the 2-D meter', () => {
  it('scores samples on the centres at full coverage, and real data at the floor', async () => {
    const meter = await createQualityMeter({ kind: 'points', dataset: 'ring', settings: PUBLISHED_POINTS });
    expect(meter.sampleCount).toBe(MODE_SAMPLES);
    const exact = Float32Array.from({ length: 2 * MODE_SAMPLES }, (_, i) => RING_CENTRES[(i >> 1) % 8][i % 2]);
    const t0 = performance.now();
    const f = meter.measure(points(exact));
    const ms = performance.now() - t0;
    expect(f).toMatchObject({ modes: 8, modesOver1pct: 8, highQuality: 1 });
    // 2,500 is not a multiple of 8: four modes get 313 samples, four get 312.
    const kl = [313, 312].reduce((a, c) => a + 4 * (c / 2500) * Math.log((c / 2500) * 8), 0);
    expect(f.reverseKL).toBeCloseTo(kl, 12);
    // Every data point is within σ-sized noise of a centre: each way, n·E‖ε‖² = n·2σ².
    expect(f.chamfer).toBeCloseTo(CHAMFER_POINTS * 2 * 0.01 ** 2, 1);
    expect(meter.floor.modes).toBe(8);
    expect(meter.floor.highQuality).toBeGreaterThan(0.98);
    // Two independent draws of 2,048 points are close but not identical.
    expect(meter.floor.chamfer).toBeGreaterThan(0);
    expect(meter.floor.chamfer).toBeLessThan(f.chamfer);
    console.log(`ring meter: ${ms.toFixed(1)} ms for ${MODE_SAMPLES} points; floor ${JSON.stringify(meter.floor)}`);
    expect(qualityLines(meter, f, MODE_SAMPLES).join('\n')).toMatch(/modes with ≥ 1 high-quality sample: 8\/8 \(real data 8\/8\)/);
  });

  it('scores a collapsed generator at 1 of 8 modes', async () => {
    const meter = await createQualityMeter({ kind: 'points', dataset: 'ring', settings: PUBLISHED_POINTS });
    const one = Float32Array.from({ length: 2 * MODE_SAMPLES }, (_, i) => RING_CENTRES[5][i % 2]);
    const f = meter.measure(points(one));
    expect(f.modes).toBe(1);
    expect(f.reverseKL).toBeCloseTo(Math.log(8), 10);
  });

  it('measures the swiss roll by Chamfer only, and only on 2,048 samples or more', async () => {
    const meter = await createQualityMeter({ kind: 'points', dataset: 'swissroll', settings: PUBLISHED_POINTS });
    expect(meter.sampleCount).toBe(CHAMFER_POINTS);
    expect(Object.keys(meter.floor)).toEqual(['chamfer']);
    // Far from the published model's 18.7: two draws of the data itself.
    expect(meter.floor.chamfer).toBeLessThan(5);
    expect(meter.measure(points(generatePoints('swissroll', 100, 9).x))).toEqual({});
    // Noise scores far worse than data.
    const noise = generatePoints('swissroll', CHAMFER_POINTS, 9).x.map((v, i) => v + (i % 2 ? 0.5 : -0.5));
    expect(meter.measure(points(noise)).chamfer).toBeGreaterThan(10 * meter.floor.chamfer);
    expect(() => meter.measure({ kind: 'text', texts: ['a'] })).toThrow(/measures 2-D points, got text/);
  });
});
