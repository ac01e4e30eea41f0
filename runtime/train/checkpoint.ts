// Checkpoints: everything a run needs to go on exactly where it stopped — every network's weights,
// the optimizers' slots and step counts, the data pipeline's random state, the step — plus what it
// was trained on (the graph's hash) and where it came from (the checkpoint it started from). One
// JSON file, binary parts in base64, readable by the browser and the CLI alike.
import * as tf from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compiler/compile';
import type { ResumableBatcher } from '../data/batcher';
import type { CharTokenizer } from '../data/text';
import type { PhaseState } from './step';
import type { WeightAverage } from './optim/ema';
import { fromBase64, toBase64 } from '../data/base64';
import { checkpointFits, graphHash } from './graph-hash';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type SavedTensor } from './checkpoint-file';
import { exportWeights, importWeights, networkArtifacts, WEIGHTS_FORMAT, type WeightsBundle } from './weights';

export { parseCheckpoint, type Checkpoint } from './checkpoint-file';
export { graphHash } from './graph-hash';

/** What tfjs optimizers' getWeights and setWeights speak. */
type NamedTensor = { name: string; tensor: tf.Tensor };

export async function saveTensors(named: NamedTensor[]): Promise<SavedTensor[]> {
  const out: SavedTensor[] = [];
  for (const { name, tensor } of named) {
    const values = Float32Array.from(await tensor.data());
    out.push({ name, shape: tensor.shape, data: toBase64(new Uint8Array(values.buffer)) });
  }
  return out;
}

/** Tensors back from a checkpoint; the caller disposes them. Throws naming the tensor on a bad size. */
export function loadTensors(saved: SavedTensor[], what: string): NamedTensor[] {
  const out: NamedTensor[] = [];
  try {
    for (const s of saved) {
      const bytes = fromBase64(s.data, `${what} "${s.name}"`);
      const size = s.shape.reduce((a, b) => a * b, 1);
      if (bytes.length !== size * 4) throw new Error(`${what} "${s.name}" holds ${bytes.length / 4} values, its shape [${s.shape}] needs ${size}`);
      out.push({ name: s.name, tensor: tf.tensor(new Float32Array(bytes.buffer, bytes.byteOffset, size), s.shape, 'float32') });
    }
  } catch (err) {
    tf.dispose(out.map((n) => n.tensor));
    throw err;
  }
  return out;
}

export function bundleOf(ck: Checkpoint): WeightsBundle {
  const networks: WeightsBundle['networks'] = {};
  for (const [name, a] of Object.entries(ck.networks)) {
    const bytes = fromBase64(a.weightData, `network "${name}"`);
    networks[name] = { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: bytes.slice().buffer };
  }
  return { format: WEIGHTS_FORMAT, graphName: ck.graphName, step: ck.step, networks, tokenizer: ck.tokenizer };
}

export function networksOf(bundle: WeightsBundle): Checkpoint['networks'] {
  const out: Checkpoint['networks'] = {};
  for (const [name, a] of Object.entries(bundle.networks)) out[name] = { ...a, weightData: toBase64(new Uint8Array(a.weightData)) };
  return out;
}

/** What a trainer holds that a checkpoint saves. */
export interface RunState {
  graph: CompiledGraph;
  phases: PhaseState[];
  batcher: ResumableBatcher;
  step: number;
  /** The step the run's schedule counts from (0 unless it began from imported weights). */
  origin: number;
  losses: Record<string, number>;
  parent: string | null;
  tokenizer?: CharTokenizer;
  /** The sampled networks' weight average, when training keeps one. */
  average?: WeightAverage | null;
}

export async function captureCheckpoint(run: RunState): Promise<Checkpoint> {
  const bundle = await exportWeights(run.graph, run.step, run.tokenizer);
  const references: Checkpoint['networks'] = {};
  for (const [name, copy] of run.graph.references.copies) {
    const a = await networkArtifacts(copy.model);
    references[name] = { ...a, weightData: toBase64(new Uint8Array(a.weightData)) };
  }
  const optimizers: SavedTensor[][] = [];
  for (const p of run.phases) {
    const own = await p.optimizer.getWeights();
    optimizers.push(await saveTensors([...own, ...powers(p.optimizer)]));
    // getWeights makes a new tensor of the iteration count each call; the slots are the optimizer's own.
    tf.dispose(own.filter((n) => n.name === ITERATIONS).map((n) => n.tensor));
  }
  const averaged = run.average?.averaged();
  const average = averaged && (await saveTensors(averaged.map((tensor, i) => ({ name: `average/${i}`, tensor }))));
  tf.dispose(averaged ?? []);
  const hash = graphHash(run.graph.doc);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    id: `${hash}-${run.step}-${Date.now().toString(36)}`,
    parent: run.parent,
    graphName: run.graph.doc.name,
    graphHash: hash,
    step: run.step,
    ...(run.origin ? { origin: run.origin } : {}),
    losses: run.losses,
    networks: networksOf(bundle),
    references,
    tokenizer: bundle.tokenizer,
    ...(average ? { average } : {}),
    optimizers,
    data: run.batcher.snapshot(),
  };
}

/**
 * Adam keeps β₁ᵗ and β₂ᵗ as running products; its setWeights recomputes them with pow, which differs in
 * the last float32 bits. Saved beside its slots, they come back exactly.
 */
const POWERS = ['accBeta1', 'accBeta2'] as const;
const POWER_PREFIX = 'genloom:';

function powers(opt: tf.Optimizer): NamedTensor[] {
  const o = opt as unknown as Partial<Record<(typeof POWERS)[number], tf.Variable>>;
  return POWERS.filter((k) => o[k]).map((k) => ({ name: POWER_PREFIX + k, tensor: o[k]! }));
}

/** The name tfjs gives the iteration count among an optimizer's weights. */
const ITERATIONS = 'iter';

async function setOptimizerState(opt: tf.Optimizer, saved: NamedTensor[]): Promise<void> {
  const own = saved.filter((n) => !n.name.startsWith(POWER_PREFIX));
  const before = await opt.getWeights();
  await opt.setWeights(own);
  // setWeights makes new slot variables without freeing the old ones; free those it did not keep.
  const after = await opt.getWeights();
  const kept = new Set(after.filter((n) => n.name !== ITERATIONS).map((n) => n.tensor));
  tf.dispose([...before.filter((n) => !kept.has(n.tensor)), ...after.filter((n) => n.name === ITERATIONS)].map((n) => n.tensor));
  const o = opt as unknown as Partial<Record<string, tf.Variable>>;
  for (const n of saved) if (n.name.startsWith(POWER_PREFIX)) o[n.name.slice(POWER_PREFIX.length)]?.assign(n.tensor);
}

/**
 * Puts a run back where the checkpoint left it. Everything is checked before anything changes, so
 * a checkpoint of another graph, or a damaged one, leaves the run as it was.
 */
export async function restoreCheckpoint(run: RunState, ck: Checkpoint): Promise<void> {
  if (!checkpointFits(ck.graphHash, run.graph.doc))
    throw new Error(`the checkpoint was trained on another graph (hash ${ck.graphHash}; this graph's is ${graphHash(run.graph.doc)}): import its weights to fine-tune instead`);
  // A run trained without calibration can be calibrated now: that phase's optimizer starts fresh.
  const phases = ck.optimizers.length === run.phases.length ? run.phases : run.phases.filter((p) => p.phase.stage !== 'calibrate');
  if (ck.optimizers.length !== phases.length)
    throw new Error(`the checkpoint has ${ck.optimizers.length} optimizer states, this graph trains in ${run.phases.length} phases`);
  const slots = ck.optimizers.map((s, i) => loadTensors(s, `optimizer state ${i + 1}`));
  const average = run.average && ck.average ? loadTensors(ck.average, 'averaged weight') : [];
  try {
    slots.forEach((s, i) => {
      const vars = phases[i].variables.length;
      // The iteration count, then (for Adam) a first and a second moment per variable, or none before
      // the first step; and the running powers of the betas.
      const own = s.filter((n) => !n.name.startsWith(POWER_PREFIX)).length;
      if (own !== 1 && own !== 1 + 2 * vars)
        throw new Error(`optimizer state ${i + 1} holds ${s.length} tensors, this graph's phase trains ${vars} variables`);
    });
    const references = Object.entries(ck.references ?? {}).map(([name, a]) => {
      const copy = run.graph.references.copies.get(name);
      if (!copy) throw new Error(`the checkpoint has a reference copy of "${name}", which this graph does not`);
      return { copy, named: tf.io.decodeWeights(fromBase64(a.weightData, `reference "${name}"`).slice().buffer, a.weightSpecs) };
    });
    try {
      // Checked first (it throws on a mismatch); a checkpoint without an average restarts it from the weights.
      if (average.length) run.average!.load(average.map((n) => n.tensor));
      run.batcher.restore(ck.data);
      await importWeights(run.graph, bundleOf(ck));
      for (const { copy, named } of references) copy.model.weights.forEach((w) => w.write(named[w.originalName] ?? named[w.name]));
      for (let i = 0; i < phases.length; i++) await setOptimizerState(phases[i].optimizer, slots[i]);
    } finally {
      for (const r of references) tf.dispose(Object.values(r.named));
    }
  } finally {
    tf.dispose(slots.flat().map((n) => n.tensor));
    tf.dispose(average.map((n) => n.tensor));
  }
}
