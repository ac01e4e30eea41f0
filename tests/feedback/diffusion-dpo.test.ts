// Diffusion-DPO on a tiny 2-D denoiser: ln 2 at the start, one t and one ε per pair, the winner's
// denoising error falling against the reference's, a reference that never moves, and clear errors.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairNoise } from '../../nodes/feedback/diffusion-dpo';
import type { PreferencePair } from '../../nodes/feedback/preferences';
import { makeSchedule } from '../../nodes/diffusion/schedules';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { compile } from '../../runtime/compiler/compile';
import { nodeAssets } from '../../runtime/data/assets-node';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { n } from '../compiler/docs';
import { diffusionDpoDoc } from './graphs';
import { loadTrainer } from '../learning/helpers-learning';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** Points spread over the plane, paired so the one further right is chosen (the x-coordinate rule). */
function rightwardPairs(count: number): PreferencePair[] {
  return Array.from({ length: count }, (_, i) => {
    const a = [Math.cos(2.1 * i) * 1.5, Math.sin(1.3 * i)];
    const b = [Math.cos(2.1 * i + 1.7) * 1.5, Math.sin(1.3 * i + 0.9)];
    return a[0] > b[0] ? { chosen: a, rejected: b, rater: 'x-coordinate' } : { chosen: b, rejected: a, rater: 'x-coordinate' };
  });
}

describe('pairNoise', () => {
  it('noises a pair’s winner and loser with one t and one ε', () => {
    const sched = makeSchedule('cosine', 50);
    const w = tf.tensor2d([[1, 2], [-3, 0.5], [0, 0]]);
    const l = tf.tensor2d([[0, -1], [2, 2], [4, -2]]);
    const before = tf.memory().numTensors;
    const { xt, t, eps } = pairNoise(w, l, sched, 11, 12);
    expect(tf.memory().numTensors).toBe(before + 3);
    const [xs, ts, es] = [xt.arraySync() as number[][], t.arraySync() as number[][], eps.arraySync() as number[][]];
    const [ws, ls] = [w.arraySync(), l.arraySync()];
    for (let i = 0; i < 3; i++) {
      expect(ts[3 + i][0]).toBe(ts[i][0]);
      expect(es[3 + i]).toEqual(es[i]);
      // x_t^w − x_t^l = √ᾱ_t (w − l) exactly when both saw the same t and ε; a different ε would add noise.
      const ab = sched.alphaBars[ts[i][0]];
      for (let d = 0; d < 2; d++) {
        expect(xs[i][d] - xs[3 + i][d]).toBeCloseTo(Math.sqrt(ab) * (ws[i][d] - ls[i][d]), 5);
        expect(xs[i][d]).toBeCloseTo(Math.sqrt(ab) * ws[i][d] + Math.sqrt(1 - ab) * es[i][d], 5);
      }
    }
    // Different seeds, different draws: the pairs do not all share one t.
    expect(new Set(ts.slice(0, 3).map((r) => r[0])).size + new Set(pairNoise(w, l, sched, 13, 14).t.dataSync()).size).toBeGreaterThan(2);
    tf.dispose([w, l, xt, t, eps]);
  });
});

describe('Diffusion-DPO on a 2-D denoiser', () => {
  it('starts at ln 2, lowers the winners’ denoising error against the reference, leaks nothing and leaves the reference bit-identical', async () => {
    const trainer = await loadTrainer(diffusionDpoDoc({ beta: 5 }));
    const pool = trainer.preferencePools.get('prefs')!;
    const pairs = rightwardPairs(24);
    pool.set = { ...pool.set, pairs };
    trainer.setStage('policy');
    const graph = trainer.compiled!;
    expect([...graph.references.copies.keys()]).toEqual(['denoiser']);
    const policy = graph.networks.find((x) => x.name === 'denoiser')!.model;
    const reference = graph.references.copies.get('denoiser')!.model;
    const ref0 = weightsOf(reference);
    const policy0 = weightsOf(policy);

    const first = await trainer.step(1);
    expect(Math.abs(first['ddpo.dpo'] - Math.LN2)).toBeLessThan(1e-5);
    const before = tf.memory().numTensors;
    await trainer.step(30);
    expect(tf.memory().numTensors).toBe(before);

    // The implicit reward −β(‖ε − ε_θ‖² − ‖ε − ε_ref‖²), averaged over draws of t and ε: positive
    // where the denoiser now fits better than the reference, which DPO should do for the winners.
    const chosen = trainer.preferenceScores('prefs', pairs.map((p) => p.chosen))!.score;
    const rejected = trainer.preferenceScores('prefs', pairs.map((p) => p.rejected))!.score;
    const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
    expect(mean(chosen)).toBeGreaterThan(0);
    expect(mean(chosen)).toBeGreaterThan(mean(rejected));
    expect(chosen.filter((s, i) => s > rejected[i]).length).toBeGreaterThan(pairs.length / 2);

    expect(weightsOf(reference)).toEqual(ref0);
    expect(weightsOf(policy)).not.toEqual(policy0);
    trainer.dispose();
  });

  it('names the node when the pairs are not shaped like the data', () => {
    const d = diffusionDpoDoc();
    d.nodes = d.nodes.map((x) => (x.id === 'prefs' ? n('prefs', 'preferences', { kind: 'image', rater: 'you', pairsName: 'mine' }) : x));
    const { compiled, diagnostics } = compile(d);
    compiled?.dispose();
    const errs = diagnostics.filter((x) => x.severity === 'error' && x.nodeId === 'ddpo');
    expect(errs).toHaveLength(1);
    expect(errs[0].message).toMatch(/diffusionDpo.*ddpo.*chosen samples shaped like the data \[batch, 2\].*got \[batch, 28, 28, 1\]/);
  });

  it('exports to PyTorch: train.py writes out its objective against the frozen reference', async () => {
    const { files, diagnostics } = await exportPytorch(diffusionDpoDoc(), nodeAssets);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const train = files?.get('train.py') ?? '';
    expect(train).toMatch(/ddpo/);
    expect(train).toMatch(/reference/i);
  });
});
