// The CLI's side of a feedback run: the judges a scripted rater may need, and the lines it prints.
import type { RaterEnv } from '../../nodes/feedback/raters';
import type { FeedbackReport, RoundReport } from '../feedback/loop';
import { CLASSIFIER_CLASSES, classifierFromRecord, classifierLogits, classifierRecord } from '../metrics/classifier';
import type { Trainer } from '../train/trainer';

/** The fixed MNIST classifier as a rater's digit judge, loaded only when a rule asks for it. */
export async function raterEnvFor(trainer: Trainer): Promise<RaterEnv> {
  const needs = [...trainer.preferencePools.values()].some((p) => p.scripted?.rule === 'digit-probability');
  if (!needs) return {};
  const model = classifierFromRecord(await classifierRecord('mnist'));
  return {
    digitProbability(images, count, _shape, digit) {
      const logits = classifierLogits(model, images, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        const row = logits.subarray(i * CLASSIFIER_CLASSES, (i + 1) * CLASSIFIER_CLASSES);
        const max = Math.max(...row);
        const sum = row.reduce((a, v) => a + Math.exp(v - max), 0);
        out[i] = Math.exp(row[digit] - max) / sum;
      }
      return out;
    },
  };
}

const f = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));

export function roundLine(r: RoundReport): string {
  const losses = [r.rewardLoss !== undefined ? `reward loss ${f(r.rewardLoss)}` : '', r.tuneLoss !== undefined ? `fine-tune loss ${f(r.tuneLoss)}` : '']
    .filter(Boolean)
    .join(', ');
  return `round ${r.round}: ${r.pairs} pairs, true reward of this round's samples ${f(r.trueReward)}${losses ? `; ${losses}` : ''} (${r.seconds.toFixed(1)} s)`;
}

export function feedbackLines(fb: FeedbackReport): string[] {
  const moved = fb.trueRewardStd > 0 ? (fb.trueRewardAfter - fb.trueRewardBefore) / fb.trueRewardStd : Number.NaN;
  return [
    `feedback (${fb.rater}, τ ${fb.tau}): ${fb.pairs} pairs, ${fb.heldOutPairs} held out; held-out pair accuracy ${f(fb.rewardModelHeldOutAccuracy)}, Spearman with the true reward ${f(fb.rewardSpearman)}`,
    `true reward ${f(fb.trueRewardBefore)} → ${f(fb.trueRewardAfter)} (${f(moved, 2)} starting standard deviations of ${f(fb.trueRewardStd)})`,
    `KL to the reference ${f(fb.klToReference, 4)}${fb.klMethod ? ` (${fb.klMethod})` : ''}`,
    `base ${fb.baseLossMeasure ?? 'loss'}: ${f(fb.baseLossBefore, 4)} → ${f(fb.baseLossAfter, 4)}`,
    `reward model ${fb.rewardSeconds.toFixed(1)} s, fine-tuning ${fb.tuneSeconds.toFixed(1)} s`,
  ];
}
