// A reusable check for any layer-role node, after the way tfjs-layers tests its own layers:
// symbolic shapes with a null batch, real values, parameter counts, a save/load round trip, and
// no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { resolveParams } from '../../nodes/params';
import type { AnyNodeDefinition, BuildContext, Shape, ShapeMap } from '../../nodes/types';

const TEST_BATCH = 3;

/** A build context like the compiler's: unique layer names per node, a fixed seed. */
export function testContext(nodeId: string, seed = 7): BuildContext {
  return {
    nodeId,
    seed,
    layerName: (suffix?: string) => (suffix ? `${nodeId}_${suffix}` : nodeId),
  };
}

/** Builds `def` alone into a tf.LayersModel with one tf.input per connected input port. */
export function buildAlone(def: AnyNodeDefinition, params: Record<string, unknown>, inputShapes: ShapeMap, nodeId = 'n') {
  const build = def.build;
  if (!build) throw new Error(`${def.type} has no build`);
  const ports = def.inputs.filter((p) => inputShapes[p.id]);
  const inputs = Object.fromEntries(
    ports.map((p) => [p.id, tf.input({ shape: inputShapes[p.id].slice(1) as number[], name: `${nodeId}_in_${p.id}` })]),
  );
  const outputs = build(params, inputShapes, testContext(nodeId))(inputs);
  const outList = def.outputs.map((p) => {
    const o = outputs[p.id];
    if (!o) throw new Error(`${def.type} build gave no "${p.id}" output`);
    return o;
  });
  const model = tf.model({ inputs: ports.map((p) => inputs[p.id]), outputs: outList });
  return { model, ports, outList };
}

/**
 * Replaces every weight with seeded random values in [-1, 1], variances (batch norm's moving
 * variance) in [0.5, 1.5] so that they stay valid. Returns nothing to dispose.
 */
export function setRandomWeights(model: tf.LayersModel, seed: number): void {
  const values = model.weights.map((w, i) =>
    /variance/.test(w.name)
      ? tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', seed + i)
      : tf.randomUniform(w.shape as number[], -1, 1, 'float32', seed + i),
  );
  model.setWeights(values);
  tf.dispose(values);
}

function asList(t: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(t) ? t : [t];
}

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('model.save produced no artifacts');
  return tf.loadLayersModel(tf.io.fromMemory(saved));
}

export function countWeights(weights: tf.LayerVariable[]): number {
  return weights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

export interface HarnessOptions {
  /** Ports that take whole numbers (token ids, steps): random ints in [0, n) instead of N(0, 1). */
  intInputs?: Record<string, number>;
}

/**
 * Checks a layer node end to end for the given (partial) params and input shapes (batch `null`).
 * Returns the inferred output shapes.
 */
export async function checkLayerNode(
  def: AnyNodeDefinition,
  rawParams: Record<string, unknown>,
  inputShapes: ShapeMap,
  options: HarnessOptions = {},
): Promise<ShapeMap> {
  const { params, problems } = resolveParams(def, rawParams);
  expect(problems, `${def.type} params`).toEqual([]);
  const before = tf.memory().numTensors;

  // (a) shape inference with a symbolic batch
  for (const s of Object.values(inputShapes)) expect(s[0], 'input shapes must have a null batch').toBeNull();
  const inferred = def.inferShapes(inputShapes, params);
  for (const port of def.outputs) {
    expect(inferred[port.id], `${def.type} infers output "${port.id}"`).toBeDefined();
    expect(inferred[port.id][0], `${def.type} keeps the batch symbolic`).toBeNull();
  }

  // (b) symbolic shapes of the real layers
  const { model, ports, outList } = buildAlone(def, params, inputShapes);
  def.outputs.forEach((port, i) => {
    expect(outList[i].shape, `${def.type} symbolic "${port.id}"`).toEqual(inferred[port.id]);
  });

  // Random weights, so the round trip compares something other than initial ones and zeros.
  setRandomWeights(model, 11);

  // (c) values on a real batch
  const xs = ports.map((p, i) => {
    const shape = [TEST_BATCH, ...(inputShapes[p.id].slice(1) as number[])];
    const n = options.intInputs?.[p.id];
    return n === undefined
      ? tf.randomNormal(shape, 0, 1, 'float32', 100 + i)
      : tf.tidy(() => tf.randomUniform(shape, 0, n, 'float32', 100 + i).floor());
  });
  const ys = asList(model.predict(xs) as tf.Tensor | tf.Tensor[]);
  def.outputs.forEach((port, i) => {
    expect(ys[i].shape, `${def.type} predicted "${port.id}"`).toEqual(withBatch(inferred[port.id], TEST_BATCH));
    const finite = tf.tidy(() => ys[i].isFinite().all().dataSync()[0]);
    expect(finite, `${def.type} output is finite`).toBe(1);
  });

  // (d) parameter counts: the node's trainable count is tf's; weightless nodes must have none
  const trainable = countWeights(model.trainableWeights);
  if (def.countParams) expect(def.countParams(inputShapes, params), `${def.type} countParams`).toBe(trainable);
  else expect(model.countParams(), `${def.type} has weights but no countParams`).toBe(0);
  if (model.nonTrainableWeights.length === 0 && def.countParams)
    expect(def.countParams(inputShapes, params)).toBe(model.countParams());

  // (e) save and load back, including any custom layer class
  const loaded = await roundTrip(model);
  const ys2 = asList(loaded.predict(xs) as tf.Tensor | tf.Tensor[]);
  ys.forEach((y, i) => expect(Array.from(ys2[i].dataSync())).toEqual(Array.from(y.dataSync())));

  // (f) nothing leaks once everything is disposed
  tf.dispose([...xs, ...ys, ...ys2]);
  model.dispose();
  loaded.dispose();
  expect(tf.memory().numTensors, `${def.type} leaked tensors`).toBe(before);
  return inferred;
}

function withBatch(shape: Shape, batch: number): number[] {
  return [batch, ...(shape.slice(1) as number[])];
}
