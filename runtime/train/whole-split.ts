// The held-out losses measured on every example of the test split once, in stored order: the
// exact figure a paper reports, where the live curve and the draws of evalLosses estimate it.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import { datasetsUpstream } from '../compiler/plan';
import { Evaluator } from './evaluator';
import { heldOutObjectives, type StepContext } from './step';
import { WHOLE_SPLIT_MAX } from './whole-split-max';

export { WHOLE_SPLIT_MAX };

export interface WholeSplitReading {
  losses: Record<string, number>;
  /** Held-out examples measured, each once. */
  examples: number;
  /** Whether those were all the split lists. */
  whole: boolean;
}

/**
 * Held-out losses over the whole test split (or its `first` examples), or null where it does not
 * apply: the losses read more than one dataset, its data keeps no fixed list of held-out examples (a
 * running text, points drawn afresh), or the list is longer than `max`. A loss averages over its
 * terms (a line's real targets, not its padding), so each chunk counts by its terms and the figure
 * does not depend on `chunk`.
 */
export function wholeSplitLosses(ctx: StepContext, chunk = ctx.batchSize, max = WHOLE_SPLIT_MAX, first = Infinity): WholeSplitReading | null {
  const objectives = heldOutObjectives(ctx);
  const { checked } = ctx.graph;
  // The datasets the measured losses read; a preferences node feeding only a feedback loss is not one.
  const sources = datasetsUpstream(checked, objectives.map((o) => o.lossNode));
  const data = ctx.data;
  if (objectives.length === 0 || sources.length !== 1 || !data.heldOut) return null;
  const nodeId = sources[0];
  const listed = data.heldOutCount?.(nodeId) ?? null;
  if (!listed || listed > max) return null;
  const count = Math.min(listed, first);
  const sums = new Float64Array(objectives.length);
  const terms = new Float64Array(objectives.length);
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const view: DataBatcher = {
      batch: (id, size, split) => (id === nodeId && split === 'test' ? data.heldOut!(id, start, size)! : data.batch(id, size, split)),
    };
    const read = tf.tidy(() => {
      const ev = new Evaluator(ctx.graph, { mode: 'eval', batchSize: n, step: ctx.step, data: view, salt: 2000 + start / chunk, seed: ctx.seed });
      return tf.stack(
        objectives.flatMap((o) => {
          const c = ev.context(o.lossNode);
          return [o.def.loss(c), o.def.terms?.(c) ?? tf.scalar(n)];
        }),
      );
    });
    const v = read.dataSync();
    read.dispose();
    objectives.forEach((_, i) => {
      sums[i] += v[2 * i] * v[2 * i + 1];
      terms[i] += v[2 * i + 1];
    });
  }
  const losses: Record<string, number> = {};
  objectives.forEach((o, i) => (losses[o.key] = sums[i] / terms[i]));
  return { losses, examples: count, whole: count === listed };
}
