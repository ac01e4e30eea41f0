// Frozen layers: a locked node's weights (and a locked batch norm's running statistics) come out of 50
// training steps byte for byte as they went in, while the unlocked ones change; a locked group locks
// its inner nodes; the optimizers never see a frozen weight.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { compile } from '../../runtime/compiler/compile';
import { paramSplit } from '../../runtime/compiler/frozen-weights';
import type { GraphDocument } from '../../runtime/graph/document';
import { frozenNodeIds } from '../../runtime/graph/frozen';
import { graphHash } from '../../runtime/train/checkpoint';
import type { Trainer } from '../../runtime/train/trainer';
import { doc, e, ganDoc, n } from '../compiler/docs';
import { loadTrainer } from '../learning/helpers-learning';

const SETTINGS = { batchSize: 16, seed: 5, steps: 1000, sampleEvery: 0, evalEvery: 0, learningRate: 1e-2 };

/** A VAE on 2-D points whose encoder holds a batch norm: data → enc → bn → (mean, logvar) → z → dec. */
function vaeWithNorm(locked: string[]): GraphDocument {
  const lock = (id: string) => (locked.includes(id) ? { frozen: true } : {});
  return doc(
    [
      n('data', 'dataset', { dataset: 'ring' }),
      n('enc', 'dense', { units: 8, activation: 'relu' }, lock('enc')),
      n('bn', 'batchNorm', { momentum: 0.5 }, lock('bn')),
      n('mean', 'dense', { units: 2 }, lock('mean')),
      n('logvar', 'dense', { units: 2 }),
      n('z', 'reparameterize'),
      n('dec', 'dense', { units: 2 }),
      n('recon', 'reconstruction'),
      n('kl', 'klDivergence'),
    ],
    [
      e('data.x', 'enc.in'),
      e('enc.out', 'bn.in'),
      e('bn.out', 'mean.in'),
      e('bn.out', 'logvar.in'),
      e('mean.out', 'z.mean'),
      e('logvar.out', 'z.logvar'),
      e('z.z', 'dec.in'),
      e('dec.out', 'recon.pred'),
      e('data.x', 'recon.target'),
      e('mean.out', 'kl.mean'),
      e('logvar.out', 'kl.logvar'),
    ],
    SETTINGS,
  );
}

/** Every weight of the trainer's networks (trainable or not) by name, as raw bytes. */
function bytesByWeight(t: Trainer): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const net of t.compiled!.networks)
    for (const w of net.model.weights) out.set(w.originalName, new Uint8Array(Float32Array.from(w.read().dataSync()).buffer));
  return out;
}

const ofNode = (names: Iterable<string>, node: string) => [...names].filter((w) => w.startsWith(`${node}/`) || w.startsWith(`${node}__`));

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('frozen layers', () => {
  it('keeps frozen weights and batch-norm statistics byte-identical over 50 steps while the rest train', async () => {
    const trainer = await loadTrainer(vaeWithNorm(['enc', 'bn']));
    const before = bytesByWeight(trainer);
    await trainer.step(50);
    const after = bytesByWeight(trainer);
    const frozen = [...ofNode(before.keys(), 'enc'), ...ofNode(before.keys(), 'bn')];
    // kernel and bias; gamma, beta, moving mean and moving variance
    expect(frozen.length).toBe(6);
    for (const name of frozen) expect(Buffer.from(after.get(name)!).equals(Buffer.from(before.get(name)!)), name).toBe(true);
    for (const node of ['mean', 'logvar', 'dec'])
      for (const name of ofNode(before.keys(), node)) expect(Buffer.from(after.get(name)!).equals(Buffer.from(before.get(name)!)), name).toBe(false);
    trainer.dispose();
  });

  it('an unlocked batch norm moves its statistics, so the check above can fail', async () => {
    const trainer = await loadTrainer(vaeWithNorm(['enc']));
    const before = bytesByWeight(trainer);
    await trainer.step(5);
    const after = bytesByWeight(trainer);
    const moving = ofNode(before.keys(), 'bn').filter((w) => w.includes('moving'));
    expect(moving.length).toBe(2);
    for (const name of moving) expect(Buffer.from(after.get(name)!).equals(Buffer.from(before.get(name)!)), name).toBe(false);
    trainer.dispose();
  });

  it('leaves frozen weights out of the variable lists and counts them apart', async () => {
    const { compiled } = compile(vaeWithNorm(['enc', 'bn']));
    const all = compile(vaeWithNorm([])).compiled!;
    const split = paramSplit(compiled!.networks, compiled!.checked);
    // enc: 2·8 + 8; bn: gamma and beta of 8 (its running statistics are never trained)
    expect(split.frozenParams).toBe(24 + 16);
    expect(split.trainableParams + split.frozenParams).toBe(paramSplit(all.networks, all.checked).trainableParams);
    const trainer = await loadTrainer(vaeWithNorm(['enc', 'bn']));
    const names = (trainer as unknown as { phases: { variables: tf.Variable[] }[] }).phases.flatMap((p) => p.variables.map((v) => v.name));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((v) => /(^|\/)(enc|bn)[/_]/.test(v))).toEqual([]);
    compiled!.dispose();
    all.dispose();
    trainer.dispose();
  });

  it('a locked group locks its inner nodes: a frozen discriminator leaves its loss nothing to train', () => {
    const gan = ganDoc();
    gan.nodes.find((x) => x.id === 'D')!.frozen = true;
    expect([...frozenNodeIds(gan.nodes)].sort()).toEqual(['D', 'd1', 'd2']);
    const { compiled, diagnostics } = compile(gan);
    expect(compiled).toBeNull();
    const problem = diagnostics.find((d) => d.code === 'nothing-trainable');
    expect(problem?.nodeId).toBe('loss');
    expect(problem?.message).toMatch(/frozen/);
  });

  it('a frozen generator layer stays put in a GAN while the other layers train', async () => {
    const gan = ganDoc();
    gan.training = { ...gan.training, ...SETTINGS };
    gan.nodes.find((x) => x.id === 'g1')!.frozen = true;
    const trainer = await loadTrainer(gan);
    const before = bytesByWeight(trainer);
    await trainer.step(50);
    const after = bytesByWeight(trainer);
    const same = (name: string) => Buffer.from(after.get(name)!).equals(Buffer.from(before.get(name)!));
    expect(ofNode(before.keys(), 'g1').every(same)).toBe(true);
    expect(ofNode(before.keys(), 'g2').some(same)).toBe(false);
    expect(ofNode(before.keys(), 'd1').some(same)).toBe(false);
    const tensors = tf.memory().numTensors;
    await trainer.step(1);
    expect(tf.memory().numTensors).toBe(tensors);
    trainer.dispose();
  });

  it('a lock changes the graph hash, so a checkpoint of the unlocked run is not resumed with other variables', () => {
    const open = vaeWithNorm([]);
    expect(graphHash(vaeWithNorm([]))).toBe(graphHash(open));
    expect(graphHash(vaeWithNorm(['enc']))).not.toBe(graphHash(open));
  });
});
