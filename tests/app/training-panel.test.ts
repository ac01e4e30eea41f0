// The training panel's pure parts: loss history rows, the model signature that decides when to
// recompile, and the weights file format.
import { describe, expect, it } from 'vitest';
import { appendRow, emptyHistory, EVAL_PREFIX } from '../../app/training/history';
import type { GraphDocument } from '../../runtime/graph/document';
import { modelSignature, samplingSignature } from '../../app/training/signature';
import { weightsFromText, weightsToText } from '../../app/training/weightsFile';
import { EXAMPLES } from '../../app/examples';
import { WEIGHTS_FORMAT, type WeightsBundle } from '../../runtime/train/weights';

describe('loss history', () => {
  it('aligns series that start late and eval rows with nulls', () => {
    let h = emptyHistory();
    h = appendRow(h, 1, { 'loss.d': 0.7 });
    h = appendRow(h, 2, { 'loss.d': 0.6, 'loss.g': 1.1 });
    h = appendRow(h, 2, { 'loss.d': 0.65 }, EVAL_PREFIX);
    expect(h.steps).toEqual([1, 2, 2]);
    expect(h.series.get('loss.d')).toEqual([0.7, 0.6, null]);
    expect(h.series.get('loss.g')).toEqual([null, 1.1, null]);
    expect(h.series.get(`${EVAL_PREFIX}loss.d`)).toEqual([null, null, 0.65]);
    expect(h.version).toBe(3);
  });

  it('drops non-finite losses instead of breaking the chart', () => {
    const h = appendRow(emptyHistory(), 1, { a: Number.NaN, b: Infinity, c: 2 });
    expect([...h.series.values()].map((c) => c[0])).toEqual([null, null, 2]);
  });

  it('thins the older half once the history is long, keeping the newest rows and the order', () => {
    let h = emptyHistory();
    for (let s = 1; s <= 4001; s++) h = appendRow(h, s, { l: s });
    expect(h.steps.length).toBeLessThan(4001);
    expect(h.steps[h.steps.length - 1]).toBe(4001);
    expect(h.steps.slice(-2000)).toEqual(Array.from({ length: 2000 }, (_, i) => 2002 + i));
    expect(h.series.get('l')).toEqual(h.steps);
    expect(h.steps.every((s, i) => i === 0 || s > h.steps[i - 1])).toBe(true);
  });
});

describe('model signature', () => {
  const doc = EXAMPLES.find((e) => e.id === 'gan-ring')!.doc!;

  it('ignores layout, names and the viewport', () => {
    const moved = { ...doc, name: 'renamed', viewport: { x: 5, y: 6, zoom: 2 }, nodes: doc.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: 0 }, label: 'x' })) };
    expect(modelSignature(moved)).toBe(modelSignature(doc));
  });

  it('changes with a param, a wire or the training settings', () => {
    const sig = modelSignature(doc);
    const param = { ...doc, nodes: doc.nodes.map((n, i) => (i === 1 ? { ...n, params: { ...n.params, units: 7 } } : n)) };
    const wire = { ...doc, edges: doc.edges.slice(1) };
    const steps = { ...doc, training: { ...doc.training, steps: doc.training.steps + 1 } };
    for (const d of [param, wire, steps]) expect(modelSignature(d)).not.toBe(sig);
  });

  it('keeps the model when only how it is sampled changes, and tells that change apart', () => {
    const cond = EXAMPLES.find((e) => e.id === 'ddpm-mnist-cond')!.doc!;
    const edit = (d: GraphDocument, type: string, params: Record<string, unknown>): GraphDocument => ({
      ...d, nodes: d.nodes.map((n) => (n.type === type ? { ...n, params: { ...n.params, ...params } } : n)),
    });
    for (const [d, changed] of [
      [cond, edit(cond, 'noiseSchedule', { guidance: 7 })],
      [cond, edit(cond, 'noiseSchedule', { sampleSteps: 10, sampler: 'ddpm' })],
      [doc, edit(doc, 'discriminator', { rejectPercentile: 90 })],
    ] as const) {
      expect(modelSignature(changed)).toBe(modelSignature(d));
      expect(samplingSignature(changed)).not.toBe(samplingSignature(d));
    }
    // The schedule's T shapes training: a new model, not a resample.
    const longer = edit(cond, 'noiseSchedule', { T: 500 });
    expect(modelSignature(longer)).not.toBe(modelSignature(cond));
    expect(samplingSignature(longer)).toBe(samplingSignature(cond));
  });
});

describe('weights file', () => {
  const bytes = new Float32Array([1.5, -2, 3.25, 0]);
  const bundle: WeightsBundle = {
    format: WEIGHTS_FORMAT,
    graphName: 'g',
    step: 42,
    networks: { generator: { modelTopology: { a: 1 }, weightSpecs: [{ name: 'w', shape: [4], dtype: 'float32' }], weightData: bytes.buffer.slice(0) } },
  };

  it('round-trips the binary weights through base64 text', () => {
    const back = weightsFromText(weightsToText(bundle), 'w.json');
    expect(back.step).toBe(42);
    expect(back.networks.generator.weightSpecs).toEqual(bundle.networks.generator.weightSpecs);
    expect(Array.from(new Float32Array(back.networks.generator.weightData))).toEqual(Array.from(bytes));
  });

  it("also reads the CLI's weights.json, which an exported PyTorch project writes too", async () => {
    const { bundleToJSON } = await import('../../runtime/cli/model-files');
    const back = weightsFromText(bundleToJSON(bundle), 'weights.json');
    expect(back.networks.generator.weightSpecs).toEqual(bundle.networks.generator.weightSpecs);
    expect(Array.from(new Float32Array(back.networks.generator.weightData))).toEqual(Array.from(bytes));
  });

  it('refuses other files, naming them', () => {
    expect(() => weightsFromText('{"format":"genloom.graph","nodes":[]}', 'graph.json')).toThrow(/graph\.json.*not a genloom\.weights file/);
    expect(() => weightsFromText('nope', 'x.txt')).toThrow(/x\.txt.*not JSON/);
  });
});
