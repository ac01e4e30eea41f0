// A graph's training settings, defined once with the same ParamSpec machinery as node params:
// defaults, bounds, labels and docs live in TRAINING_SETTINGS below, and everything else reads it —
// the TrainingConfig type and DEFAULT_TRAINING (document.ts), the loader's checks (checkTraining),
// saving (serialize.ts writes its keys in this order) and the graph inspector (one field per entry).
//
// To add a setting, add ONE entry here: a kind, a default, bounds, a label and a one-line doc.
// Documents saved before it existed load with its default, the inspector shows it and saving writes
// it; only the code that uses the value (e.g. the trainer) changes besides. Bounds are required in
// practice: a value the machine cannot honour (a batch of 1e300) must be refused here, by name.
import { checkValues } from '../../nodes/params';
import type { ParamSchema, ParamsOf } from '../../nodes/types';
import { closeMatches } from './names';

export const TRAINING_SETTINGS = {
  batchSize: { kind: 'int', default: 64, min: 1, max: 4096, label: 'Batch size', doc: 'Examples per training step.' },
  steps: { kind: 'int', default: 1000, min: 0, max: 10_000_000, label: 'Steps', doc: 'Training steps to run.' },
  seed: {
    kind: 'int',
    default: 1,
    min: 0,
    max: 2 ** 32 - 1,
    label: 'Seed',
    doc: 'Seeds weight initialisation, batches and noise (a 32-bit whole number), so a run repeats.',
  },
  learningRate: {
    kind: 'float',
    default: 1e-3,
    exclusiveMin: 0,
    max: 10,
    label: 'Learning rate',
    doc: 'Adam step size for objectives whose loss node sets none of its own.',
  },
  beta1: { kind: 'float', default: 0.9, min: 0, exclusiveMax: 1, label: 'Adam β1', doc: 'Decay of the running mean of gradients.' },
  beta2: { kind: 'float', default: 0.999, min: 0, exclusiveMax: 1, label: 'Adam β2', doc: 'Decay of the running mean of squared gradients.' },
  sampleEvery: {
    kind: 'int',
    default: 100,
    min: 0,
    max: 10_000_000,
    label: 'Sample every',
    doc: 'Draw a sample batch every this many steps (0: never while training).',
  },
  evalEvery: {
    kind: 'int',
    default: 100,
    min: 0,
    max: 10_000_000,
    label: 'Evaluate every',
    doc: 'Measure the held-out loss every this many steps (0: never).',
  },
  // The optimiser around Adam (runtime/train/optim/); each is off at its default.
  lrSchedule: {
    kind: 'enum',
    default: 'constant',
    options: ['constant', 'linear', 'cosine'] as const,
    label: 'LR schedule',
    doc: 'After warm-up the learning rate stays (constant) or falls to 0 at the last step, linearly or along a half cosine.',
  },
  warmupSteps: { kind: 'int', default: 0, min: 0, max: 10_000_000, label: 'Warm-up steps', doc: 'The learning rate rises linearly from 0 over these steps.' },
  weightDecay: {
    kind: 'float',
    default: 0,
    min: 0,
    max: 1,
    label: 'Weight decay (AdamW)',
    doc: 'Decoupled weight decay λ: each step shrinks weight matrices and filters by lr·λ, apart from Adam. 0 is plain Adam.',
  },
  clipNorm: {
    kind: 'float',
    default: 0,
    min: 0,
    max: 1e6,
    label: 'Clip gradient norm',
    doc: "Rescales a phase's gradients when their joint L2 norm exceeds this. 0 turns it off.",
  },
  ema: {
    kind: 'float',
    default: 0,
    min: 0,
    exclusiveMax: 1,
    label: 'Sample with EMA decay',
    doc: "Samples through a moving average of the sampled network's weights, a generator's or a denoiser's (0.99 averages about the last 100 steps; it starts from the initial weights). 0 samples the live weights.",
  },
} satisfies ParamSchema;

export type TrainingSettingsSchema = typeof TRAINING_SETTINGS;
export type TrainingSettingKey = keyof TrainingSettingsSchema & string;
export const TRAINING_SETTING_KEYS = Object.keys(TRAINING_SETTINGS) as TrainingSettingKey[];

export interface TrainingProblem {
  /** The setting at fault, e.g. "batchSize". */
  field: string;
  message: string;
}

/**
 * The settings in `raw` with defaults for the missing ones, and every problem: a value out of its
 * bounds, or a setting that does not exist (reported, never dropped).
 */
export function checkTraining(raw: Record<string, unknown>): { config: ParamsOf<TrainingSettingsSchema>; problems: TrainingProblem[] } {
  const { values, invalid, unknown } = checkValues(TRAINING_SETTINGS, raw);
  const problems: TrainingProblem[] = unknown.map((k) => {
    const near = closeMatches(k, TRAINING_SETTING_KEYS, 1);
    const hint = near.length ? `; did you mean "${near[0]}"?` : ` (settings: ${TRAINING_SETTING_KEYS.join(', ')})`;
    return { field: k, message: `unknown training setting "${k}"${hint}` };
  });
  for (const p of invalid) problems.push({ field: p.field, message: `training setting "${p.field}": ${p.message}` });
  return { config: values as ParamsOf<TrainingSettingsSchema>, problems };
}

export const LR_SCHEDULES = TRAINING_SETTINGS.lrSchedule.options;
export type LrSchedule = (typeof LR_SCHEDULES)[number];
