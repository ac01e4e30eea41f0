// The headless feedback loop for a graph whose preferences node has a scripted rater: each round
// samples the model, rates pairs of samples with the rule, fits the reward model on every pair so far
// and fine-tunes the model against it (or against the pairs directly, with DPO). Before the first
// round the current weights become the frozen reference; the figures compare the end with it.
import type { PreferenceSample } from '../../nodes/feedback/preferences';
import { raterRule, ratePairs, type RaterEnv } from '../../nodes/feedback/raters';
import type { PreferencePool } from '../data/preference-batches';
import { splitIndices } from '../data/preference-batches';
import { qualityMeterFor } from '../metrics/quality';
import type { Trainer } from '../train/trainer';
import { batchSamples, histogramKL, meanStd, spearman } from './measure';

/** Samples judged before and after, drawn with one fixed seed so both see the same noise. */
export const EVAL_SAMPLES = 256;
const EVAL_SEED = 9_001;
/** Points for the histogram KL: more than the reward figures need, as a 2-D histogram is noisy. */
const KL_POINTS = 4096;

export interface FeedbackOptions {
  rounds: number;
  seed: number;
  /** Judges the runtime supplies (the fixed MNIST classifier). */
  env?: RaterEnv;
  /** Text: longest sample in characters (a name must fit the model's context). */
  maxTokens?: number;
  onRound?(round: RoundReport): void;
  /** True when the run should stop after the current round. */
  stop?(): boolean;
}

export interface RoundReport {
  round: number;
  pairs: number;
  trueReward: number;
  rewardLoss?: number;
  tuneLoss?: number;
  seconds: number;
}

export interface FeedbackReport {
  rater: string;
  tau: number;
  rounds: number;
  pairs: number;
  heldOutPairs: number;
  /** Share of held-out pairs (ties left out) whose chosen sample the model scores higher. */
  rewardModelHeldOutAccuracy: number | null;
  /** Rank correlation of the model's score with the rater's true reward on the evaluation samples. */
  rewardSpearman: number | null;
  trueRewardBefore: number;
  trueRewardAfter: number;
  /** The spread of the starting model's true reward: how far "after" moved, in its units. */
  trueRewardStd: number;
  klToReference: number | null;
  klMethod: string | null;
  baseLossBefore: number | null;
  baseLossAfter: number | null;
  baseLossMeasure: string | null;
  rewardSeconds: number;
  tuneSeconds: number;
  history: RoundReport[];
}

function scriptedPool(trainer: Trainer): { nodeId: string; pool: PreferencePool } {
  const found = [...trainer.preferencePools].filter(([, p]) => p.scripted);
  if (found.length === 0) throw new Error('the feedback loop needs a preferences node with a scripted rater (any rater but "you")');
  if (found.length > 1) throw new Error(`the feedback loop drives one scripted preferences node, found ${found.length}: ${found.map(([id]) => id).join(', ')}`);
  return { nodeId: found[0][0], pool: found[0][1] };
}

async function draw(trainer: Trainer, count: number, seed: number, maxTokens?: number): Promise<PreferenceSample[]> {
  const { batch } = await trainer.sample({ count, seed, ...(maxTokens ? { maxTokens } : {}) });
  return batchSamples(batch);
}

/** How good the base model still is: its held-out loss, else its samples' quality figure. */
async function baseMeasure(trainer: Trainer): Promise<{ value: number | null; what: string | null }> {
  const losses = Object.values(trainer.evaluate(8, 'base'));
  if (losses.length > 0) return { value: losses.reduce((a, b) => a + b, 0), what: 'held-out loss of the base objectives' };
  const meter = await qualityMeterFor(trainer.compiled!);
  if (!meter) return { value: null, what: null };
  try {
    const { batch } = await trainer.sample({ count: meter.sampleCount, seed: EVAL_SEED });
    const q = meter.measure(batch);
    if ('highQuality' in q) return { value: 1 - q.highQuality, what: 'share of samples more than 3σ from every real mode (1 − high quality)' };
    if ('frechet' in q) return { value: q.frechet, what: 'Fréchet distance on the fixed classifier\'s logits' };
    return { value: null, what: null };
  } finally {
    meter.dispose();
  }
}

async function trainStage(trainer: Trainer, stage: 'reward' | 'policy', steps: number): Promise<{ loss?: number; seconds: number }> {
  if (steps <= 0 || !trainer.stages.includes(stage)) return { seconds: 0 };
  trainer.setStage(stage);
  const t0 = performance.now();
  await trainer.train(trainer.status.step + steps);
  const losses = Object.values(trainer.status.losses);
  return { loss: losses.length ? losses.reduce((a, b) => a + b, 0) : undefined, seconds: (performance.now() - t0) / 1000 };
}

export async function runFeedbackLoop(trainer: Trainer, opts: FeedbackOptions): Promise<FeedbackReport> {
  const { nodeId, pool } = scriptedPool(trainer);
  const rater = pool.scripted!;
  const rule = raterRule(rater.rule);
  const shape = pool.set.kind === 'image' ? pool.exampleShape : undefined;
  const trueReward = (s: readonly PreferenceSample[]) => rule.reward(s, rater.settings, opts.env ?? {}, shape);

  trainer.syncReferences();
  const evalSamples = () => draw(trainer, EVAL_SAMPLES, EVAL_SEED, opts.maxTokens);
  const before = await evalSamples();
  const rBefore = meanStd(trueReward(before));
  const klBefore = pool.set.kind === 'points' ? await draw(trainer, KL_POINTS, EVAL_SEED + 1) : null;
  const baseBefore = await baseMeasure(trainer);

  const history: RoundReport[] = [];
  let rewardSeconds = 0;
  let tuneSeconds = 0;
  for (let round = 1; round <= opts.rounds && !opts.stop?.(); round++) {
    const t0 = performance.now();
    const fresh = await draw(trainer, 2 * rater.roundPairs, opts.seed * 1000 + round, opts.maxTokens);
    const pairs = ratePairs(fresh, { rule: rater.rule, tau: rater.tau, settings: rater.settings, env: opts.env, shape, seed: opts.seed * 7919 + round });
    pool.set = { ...pool.set, pairs: [...pool.set.pairs, ...pairs] };
    const fit = await trainStage(trainer, 'reward', rater.rewardSteps);
    const tune = await trainStage(trainer, 'policy', rater.tuneSteps);
    rewardSeconds += fit.seconds;
    tuneSeconds += tune.seconds;
    const report: RoundReport = {
      round,
      pairs: pool.set.pairs.length,
      trueReward: meanStd(trueReward(fresh)).mean,
      ...(fit.loss !== undefined ? { rewardLoss: fit.loss } : {}),
      ...(tune.loss !== undefined ? { tuneLoss: tune.loss } : {}),
      seconds: (performance.now() - t0) / 1000,
    };
    history.push(report);
    opts.onRound?.(report);
  }

  const after = await evalSamples();
  const rAfter = meanStd(trueReward(after));
  const baseAfter = await baseMeasure(trainer);

  // Agreement on held-out pairs the model never trained on; ties say nothing about order.
  const held = splitIndices(pool, 'test').map((i) => pool.set.pairs[i]).filter((p) => !p.tie);
  const chosen = trainer.preferenceScores(nodeId, held.map((p) => p.chosen));
  const rejected = trainer.preferenceScores(nodeId, held.map((p) => p.rejected));
  const accuracy = chosen && rejected && held.length > 0 ? held.filter((_, i) => chosen.score[i] > rejected.score[i]).length / held.length : null;
  const judged = [...before, ...after];
  const scored = trainer.preferenceScores(nodeId, judged);
  const rho = scored ? spearman(scored.score, trueReward(judged)) : null;

  let kl: number | null = null;
  let klMethod: string | null = null;
  const onPolicy = trainer.preferenceScores(nodeId, after);
  if (onPolicy?.logRatio) {
    kl = meanStd(Array.from(onPolicy.logRatio)).mean;
    klMethod = `mean of log π(x) − log π_ref(x) over ${EVAL_SAMPLES} samples of the fine-tuned model (nats per sample)`;
  } else if (klBefore) {
    kl = histogramKL(await draw(trainer, KL_POINTS, EVAL_SEED + 1), klBefore);
    klMethod = `KL(fine-tuned ‖ reference) of ${KL_POINTS} samples each on a 20×20 histogram (nats)`;
  }

  return {
    rater: rater.rule,
    tau: rater.tau,
    rounds: history.length,
    pairs: pool.set.pairs.length,
    heldOutPairs: held.length,
    rewardModelHeldOutAccuracy: accuracy,
    rewardSpearman: rho !== null && Number.isFinite(rho) ? rho : null,
    trueRewardBefore: rBefore.mean,
    trueRewardAfter: rAfter.mean,
    trueRewardStd: rBefore.std,
    klToReference: kl,
    klMethod,
    baseLossBefore: baseBefore.value,
    baseLossAfter: baseAfter.value,
    baseLossMeasure: baseBefore.what,
    rewardSeconds,
    tuneSeconds,
    history,
  };
}
