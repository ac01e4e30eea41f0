// An exponential moving average of the sampled network's weights (Yazıcı et al. 2019, "The unusual
// effectiveness of averaging in GAN training"; used by ProGAN, StyleGAN, BigGAN): after each step
// w̄ ← β·w̄ + (1 − β)·w, starting from the initial weights. Sampling swaps the averages in and back,
// so training never sees them. Only trainable weights are averaged; batch-norm statistics stay live.
import * as tf from '@tensorflow/tfjs';
import type { CompiledGraph } from '../../compiler/compile';
import { upstreamNodes } from '../../compiler/plan';
import { optimSettings } from './settings';

/**
 * The trainable weights of the networks a sample is drawn through: those upstream of any port the
 * graph's sampler reads (never a discriminator group's own network).
 */
export function sampledVariables(graph: CompiledGraph): tf.Variable[] {
  return trainableVariables(sampledNetworks(graph));
}

const trainableVariables = (networks: CompiledGraph['networks']) => networks.flatMap((n) => n.model.trainableWeights.map((w) => w.read() as tf.Variable));

/** The networks those weights belong to. */
export function sampledNetworks(graph: CompiledGraph): CompiledGraph['networks'] {
  const plan = graph.sampling;
  if (!plan) return [];
  const up = new Set<string>();
  for (const ref of Object.values(plan.refs)) for (const id of upstreamNodes(graph.checked, ref.node)) up.add(id);
  return graph.networks.filter((n) => !n.group && n.nodeIds.some((id) => up.has(id)));
}

export class WeightAverage {
  private readonly shadows: tf.Variable[];

  constructor(
    private readonly variables: tf.Variable[],
    readonly decay: number,
    /** The networks whose trainable weights `variables` are, by name (a weights file stores the average by network). */
    readonly networks: string[] = [],
  ) {
    if (!(decay > 0 && decay < 1)) throw new Error(`the EMA decay must lie in (0, 1), got ${decay}`);
    this.shadows = variables.map((v) => tf.tidy(() => tf.variable(v.clone(), false)));
  }

  /** Restarts the averages from the live weights (after importing weights). */
  reset(): void {
    this.variables.forEach((v, i) => this.shadows[i].assign(v));
  }

  /** Puts saved averages back (a resumed checkpoint's); throws, changing nothing, if they do not fit. */
  load(saved: tf.Tensor[]): void {
    if (saved.length !== this.shadows.length)
      throw new Error(`the checkpoint averages ${saved.length} weights, this graph samples through ${this.shadows.length}`);
    saved.forEach((t, i) => {
      if (t.shape.join() !== this.shadows[i].shape.join())
        throw new Error(`averaged weight ${i + 1} has shape [${t.shape}] in the checkpoint, [${this.shadows[i].shape}] in the graph`);
    });
    saved.forEach((t, i) => this.shadows[i].assign(t));
  }

  /** w̄ ← β·w̄ + (1 − β)·w for every weight; called after each training step. */
  update(): void {
    tf.tidy(() => {
      this.variables.forEach((v, i) => {
        const s = this.shadows[i];
        s.assign(tf.add(tf.mul(s, this.decay), tf.mul(v, 1 - this.decay)));
      });
    });
  }

  /** The averaged weights, as copies the caller disposes. */
  averaged(): tf.Tensor[] {
    return this.shadows.map((s) => s.clone());
  }

  /** Runs `fn` with the averaged weights in place of the live ones, then puts the live ones back. */
  async withAveraged<T>(fn: () => Promise<T>): Promise<T> {
    const live = this.variables.map((v) => v.clone());
    this.variables.forEach((v, i) => v.assign(this.shadows[i]));
    try {
      return await fn();
    } finally {
      this.variables.forEach((v, i) => v.assign(live[i]));
      tf.dispose(live);
    }
  }

  dispose(): void {
    tf.dispose(this.shadows);
  }
}

/** The graph's weight average when its `ema` setting is on and it has something to sample through. */
export function weightAverageFor(graph: CompiledGraph): WeightAverage | null {
  const { ema } = optimSettings(graph.doc.training);
  if (ema <= 0) return null;
  const networks = sampledNetworks(graph);
  const variables = trainableVariables(networks);
  return variables.length > 0 ? new WeightAverage(variables, ema, networks.map((n) => n.name)) : null;
}
