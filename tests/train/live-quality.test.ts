// Quality measured while training: the trainer sends the graph's figures with its progress on a
// wall-clock schedule, the figures are those of a direct measurement of the same samples, and the
// schedule keeps measuring to its share of the time.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { PUBLISHED_POINTS, RING_CENTRES } from '../../runtime/data/procedural';
import { createQualityMeter } from '../../runtime/metrics/quality';
import type { ProgressEvent, TrainerEvent } from '../../runtime/train/events';
import { LIVE_REVERSE_STEPS, LiveQuality, QUALITY_SEED, qualityRequest, type QualityInfo } from '../../runtime/train/live-quality';
import { compile } from '../../runtime/compiler/compile';
import { example } from '../cli/fixtures';
import { Trainer } from '../../runtime/train/trainer';
import { doc, e, n } from '../compiler/docs';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function tinyRingGan() {
  return doc(
    [
      n('z', 'noise', { shape: [4] }),
      n('g1', 'dense', { units: 8, activation: 'leakyRelu' }),
      n('g2', 'dense', { units: 2 }),
      n('data', 'dataset', { dataset: 'ring' }),
      n('D', 'discriminator'),
      n('d1', 'dense', { units: 8, activation: 'leakyRelu' }, { parentId: 'D' }),
      n('d2', 'dense', { units: 1 }, { parentId: 'D' }),
      n('loss', 'adversarial', { lrD: 0.05, lrG: 0.05 }),
    ],
    [
      e('z.z', 'g1.in'), e('g1.out', 'g2.in'), e('g2.out', 'D.fake'), e('data.x', 'D.real'),
      e('D.innerIn', 'd1.in'), e('d1.out', 'd2.in'), e('d2.out', 'D.innerOut'),
      e('D.realScore', 'loss.real'), e('D.fakeScore', 'loss.fake'),
    ],
    { batchSize: 8, seed: 5, steps: 100, ema: 0.8 },
  );
}

describe('live quality figures', () => {
  it('come with the progress events, the last at the step training stopped, equal to a direct measurement', async () => {
    const trainer = new Trainer({ reader: nodeAssets, liveQuality: { share: 1, minIntervalMs: 0 } });
    const events: TrainerEvent[] = [];
    trainer.subscribe((ev) => events.push(ev));
    expect((await trainer.load(tinyRingGan())).ok).toBe(true);
    const compiled = events.find((ev) => ev.type === 'compiled');
    const info = (compiled as { quality: QualityInfo | null }).quality!;
    expect(info).toMatchObject({ dataset: 'ring', kind: 'points', samples: 2500 });
    expect(info.floor.modes).toBe(8);
    expect(info.floorBalance).toHaveLength(8);
    // A generator is sampled as the graph samples it: nothing to say about the sampler.
    expect(info.sampledWith).toBeUndefined();

    await trainer.train(6);
    const readings = events.filter((ev): ev is ProgressEvent => ev.type === 'progress' && ev.quality !== undefined);
    expect(readings.length).toBeGreaterThanOrEqual(2);
    expect(readings[0].step).toBe(1);
    const last = readings[readings.length - 1];
    expect(last.step).toBe(6);

    const before = tf.memory().numTensors;
    const meter = await createQualityMeter({ kind: 'points', dataset: 'ring', settings: PUBLISHED_POINTS });
    const { batch } = await trainer.sample({ count: meter.sampleCount, seed: QUALITY_SEED });
    const direct = meter.read(batch);
    expect(last.quality!.figures).toEqual(direct.figures);
    expect(last.quality!.balance).toEqual(direct.balance);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('say when a GAN is sampled without the Langevin steps its discriminator group asks for, and draw so', async () => {
    const graph = example('gan-ring');
    for (const node of graph.nodes) if (node.type === 'discriminator') node.params = { ...node.params, rejection: 'off', langevinSteps: 50 };
    const compiled = compile(graph).compiled!;
    const live = await LiveQuality.of(compiled);
    expect(live!.info.sampledWith).toBe('the generator alone, without its Langevin steps');
    const asked: { plain?: boolean }[] = [];
    const meter = live!.meter;
    await live!.measure(1, async (req) => {
      asked.push(req);
      return { batch: { kind: 'points', count: meter.sampleCount, data: new Float32Array(2 * meter.sampleCount), real: new Float32Array(0) } };
    });
    expect(asked.map((r) => r.plain)).toEqual([true]);
    live!.dispose();
    compiled.dispose();
  });

  it('say when a reverse process is sampled by fewer DDIM steps than the graph asks for', async () => {
    const compiled = compile(example('ddpm-swissroll')).compiled!;
    const live = await LiveQuality.of(compiled);
    expect(live!.info.sampledWith).toBe(`DDIM in ${LIVE_REVERSE_STEPS} steps`);
    live!.dispose();
    compiled.dispose();
  });

  it('are not measured unless asked for', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    const events: TrainerEvent[] = [];
    trainer.subscribe((ev) => events.push(ev));
    await trainer.load(tinyRingGan());
    await trainer.train(3);
    expect(events.some((ev) => ev.type === 'progress' && ev.quality)).toBe(false);
    expect(events.find((ev) => ev.type === 'compiled')).toMatchObject({ quality: null });
    trainer.dispose();
  });
});

describe('the quality clock', () => {
  it('waits long enough after a measurement that measuring takes at most its share of the time', async () => {
    const meter = await createQualityMeter({ kind: 'points', dataset: 'ring', settings: PUBLISHED_POINTS });
    const live = new LiveQuality(meter, undefined, { share: 0.1, minIntervalMs: 0 });
    expect(live.due(1, performance.now())).toBe(true);
    const onCentres = Float32Array.from({ length: 2 * meter.sampleCount }, (_, i) => RING_CENTRES[(i >> 1) % 8][i % 2]);
    // A sampler that takes 40 ms: the next measurement waits ten times as long.
    const slow = async () => {
      await new Promise((r) => setTimeout(r, 40));
      return { batch: { kind: 'points' as const, count: meter.sampleCount, data: onCentres, real: new Float32Array(0) } };
    };
    const reading = await live.measure(1, slow);
    const at = performance.now();
    expect(reading.figures).toMatchObject({ modes: 8, highQuality: 1 });
    expect(live.intervalMs).toBeGreaterThanOrEqual(400 - 10);
    expect(live.due(2, at + 0.5 * live.intervalMs)).toBe(false);
    expect(live.due(2, at + live.intervalMs)).toBe(true);
    // A step is measured once, however long ago.
    expect(live.due(1, at + 10 * live.intervalMs)).toBe(false);
  });

  it('asks a conditional generator for each class equally often', async () => {
    const meter = await createQualityMeter({ kind: 'points', dataset: 'ring', settings: PUBLISHED_POINTS });
    const req = qualityRequest(meter, 10, 7);
    const counts = new Array<number>(10).fill(0);
    for (const c of req.classes!) counts[c]++;
    expect(counts).toEqual(new Array<number>(10).fill(meter.sampleCount / 10));
    expect(qualityRequest(meter, undefined, 7).classes).toBeUndefined();
  });
});
