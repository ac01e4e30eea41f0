// The optimiser settings around Adam: their defaults filled for documents built in code, and their widgets.
import type { ParamSchema } from '../../../nodes/types';
import { LR_SCHEDULES, type TrainingConfig } from '../../graph/document';

export type OptimSettings = Pick<Required<TrainingConfig>, 'steps' | 'lrSchedule' | 'warmupSteps' | 'weightDecay' | 'clipNorm' | 'ema'>;

type Optional = Omit<OptimSettings, 'steps'>;

/** Every one of them off: what an absent setting means. */
export const OPTIM_DEFAULTS: Optional = { lrSchedule: 'constant', warmupSteps: 0, weightDecay: 0, clipNorm: 0, ema: 0 };
const d0 = OPTIM_DEFAULTS;

export function optimSettings(t: TrainingConfig): OptimSettings {
  const d = OPTIM_DEFAULTS;
  return {
    steps: t.steps,
    lrSchedule: t.lrSchedule ?? d.lrSchedule,
    warmupSteps: t.warmupSteps ?? d.warmupSteps,
    weightDecay: t.weightDecay ?? d.weightDecay,
    clipNorm: t.clipNorm ?? d.clipNorm,
    ema: t.ema ?? d.ema,
  };
}

/** The inspector's widgets for these settings, in the form node params use. */
export const OPTIM_SETTING_SPECS = {
  lrSchedule: {
    kind: 'enum', default: d0.lrSchedule, options: LR_SCHEDULES, label: 'LR schedule',
    doc: 'After warm-up the learning rate stays (constant) or falls to 0 at the last step, linearly or along a half cosine.',
  },
  warmupSteps: { kind: 'int', default: d0.warmupSteps, min: 0, max: 1_000_000, label: 'Warm-up steps', doc: 'The learning rate rises linearly from 0 over these steps.' },
  weightDecay: {
    kind: 'float', default: d0.weightDecay, min: 0, max: 1, step: 1e-3, label: 'Weight decay (AdamW)',
    doc: 'Decoupled weight decay λ: each step shrinks weight matrices and filters by lr·λ, apart from Adam. 0 is plain Adam.',
  },
  clipNorm: {
    kind: 'float', default: d0.clipNorm, min: 0, max: 1e6, step: 0.1, label: 'Clip gradient norm',
    doc: "Rescales a phase's gradients when their joint L2 norm exceeds this. 0 turns it off.",
  },
  ema: {
    kind: 'float', default: d0.ema, min: 0, max: 0.99999, step: 1e-3, label: 'Sample with EMA decay',
    doc: "Samples through a moving average of the generator's weights with this decay (0.99 averages about the last 100 steps). It starts from the initial weights, so keep 1/(1 − decay) well below the steps. 0 samples the live weights.",
  },
} satisfies ParamSchema;
