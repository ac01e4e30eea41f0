// One training step, derived from the compiled plan: each phase minimises the sum of its
// objectives over the variables of the networks those objectives train.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher, TrainingStage } from '../../nodes/types';
import type { TrainingConfig } from '../graph/document';
import type { CompiledGraph } from '../compiler/compile';
import type { Phase } from '../compiler/plan';
import { layerOwners, unfrozenWeights } from '../compiler/frozen-weights';
import { Evaluator } from './evaluator';
import { checkFinite, withGradientCheck } from './guard';
import { applyUpdate } from './optim/apply';

export interface PhaseState {
  phase: Phase;
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
  /** The phase's learning rate before the schedule. */
  baseLearningRate: number;
}

/** Each phase's optimizer over the weights of its networks, leaving out every frozen node's. */
export function makePhaseStates(graph: CompiledGraph): PhaseState[] {
  const owners = layerOwners(graph.checked);
  return graph.phases.map((phase) => {
    const variables = graph.networks
      .filter((n) => phase.networks.includes(n.name))
      .flatMap((n) => unfrozenWeights(n, graph.checked, owners).map((w) => w.read() as tf.Variable));
    const { learningRate, beta1, beta2 } = phase.optimizer;
    return { phase, optimizer: tf.train.adam(learningRate, beta1, beta2), variables, baseLearningRate: learningRate };
  });
}

/**
 * The schedule shapes the base run. The stages after it (a discriminator's calibration, a feedback
 * run's reward model and policy) train where it has decayed to 0, so at their own constant rate.
 */
const CONSTANT_RATE = (t: TrainingConfig): TrainingConfig => ({ ...t, lrSchedule: 'constant', warmupSteps: 0 });

export interface StepContext {
  graph: CompiledGraph;
  data: DataBatcher;
  batchSize: number;
  seed: number;
  step: number;
  /** The step within the run's learning-rate schedule, where it differs from `step` (a run begun from imported weights). */
  scheduleStep?: number;
  /** Fresh samples from the graph's sampler, for objectives that generate inside a step. */
  draw?: (count: number, seed: number) => tf.Tensor;
  /** Which stage's objectives train and are evaluated (default 'base'). */
  stage?: TrainingStage;
}

/**
 * Runs every phase of the stage once (the critic phase `repeat` times) and returns each objective's
 * last loss.
 */
export function trainStep(states: PhaseState[], ctx: StepContext): Record<string, number> {
  const losses: Record<string, number> = {};
  let salt = 0;
  for (const state of states) {
    const { phase, variables } = state;
    if (phase.stage !== (ctx.stage ?? 'base')) continue;
    // Calibration fits the discriminator to the finished generator, which must come out as it went in,
    // batch-norm statistics and all; it draws the generator's samples as sampling does.
    const inference = phase.stage === 'calibrate' ? new Set(ctx.graph.networks.map((n) => n.name).filter((n) => !phase.networks.includes(n))) : undefined;
    for (let r = 0; r < phase.repeat; r++) {
      const parts: tf.Scalar[] = [];
      const evaluator = new Evaluator(ctx.graph, {
        mode: 'train',
        batchSize: ctx.batchSize,
        step: ctx.step,
        data: ctx.data,
        salt: salt++,
        seed: ctx.seed,
        draw: ctx.draw,
        inference,
      });
      const single = phase.objectives.length === 1;
      const { value, grads } = tf.variableGrads(() => {
        const terms = phase.objectives.map((o) => o.def.loss(evaluator.context(o.lossNode)));
        if (single) return terms[0];
        for (const t of terms) parts.push(tf.keep(t));
        return tf.addN(terms) as tf.Scalar;
      }, variables);
      // Losses and the gradient check travel in one read, taken before the update so that a
      // non-finite step is never applied (runtime/train/guard.ts).
      const read = withGradientCheck(single ? [value] : parts, Object.values(grads));
      const values = read.dataSync();
      const keys = phase.objectives.map((o) => o.key);
      try {
        checkFinite(values, keys, ctx.step);
        applyUpdate(state, grads, ctx.scheduleStep ?? ctx.step, phase.stage === 'base' ? ctx.graph.doc.training : CONSTANT_RATE(ctx.graph.doc.training));
      } finally {
        tf.dispose([read, value, ...parts, ...Object.values(grads)]);
      }
      keys.forEach((k, i) => (losses[k] = values[i]));
    }
  }
  return losses;
}

/** The stage's objectives whose held-out value means something (not the adversarial ones). */
export function heldOutObjectives(ctx: StepContext) {
  return ctx.graph.phases
    .filter((p) => p.stage === (ctx.stage ?? 'base'))
    .flatMap((p) => p.objectives)
    .filter((o) => o.def.heldOut !== false);
}

/** Held-out loss of every non-adversarial objective of the stage, averaged over `batches` test batches. */
export function evalLosses(ctx: StepContext, batches: number): Record<string, number> {
  const objectives = heldOutObjectives(ctx);
  if (objectives.length === 0) return {};
  const sums = new Float64Array(objectives.length);
  for (let b = 0; b < batches; b++) {
    const read = tf.tidy(() => {
      const ev = new Evaluator(ctx.graph, { mode: 'eval', batchSize: ctx.batchSize, step: ctx.step, data: ctx.data, salt: 1000 + b, seed: ctx.seed });
      return tf.stack(objectives.map((o) => o.def.loss(ev.context(o.lossNode))));
    });
    const v = read.dataSync();
    read.dispose();
    v.forEach((x, i) => (sums[i] += x));
  }
  const out: Record<string, number> = {};
  objectives.forEach((o, i) => (out[o.key] = sums[i] / batches));
  return out;
}
