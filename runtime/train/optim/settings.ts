// The optimiser settings around Adam as the update reads them (their table entries are in
// runtime/graph/training-settings.ts). Documents built in code may leave them out: defaults fill them.
import type { TrainingConfig } from '../../graph/document';
import { TRAINING_SETTINGS, type LrSchedule } from '../../graph/training-settings';

export interface OptimSettings {
  steps: number;
  lrSchedule: LrSchedule;
  warmupSteps: number;
  weightDecay: number;
  clipNorm: number;
  ema: number;
}

export function optimSettings(t: Partial<TrainingConfig> & { steps: number }): OptimSettings {
  const d = TRAINING_SETTINGS;
  return {
    steps: t.steps,
    lrSchedule: t.lrSchedule ?? (d.lrSchedule.default as LrSchedule),
    warmupSteps: t.warmupSteps ?? d.warmupSteps.default,
    weightDecay: t.weightDecay ?? d.weightDecay.default,
    clipNorm: t.clipNorm ?? d.clipNorm.default,
    ema: t.ema ?? d.ema.default,
  };
}
