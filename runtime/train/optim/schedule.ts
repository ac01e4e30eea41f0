// Learning-rate schedules as pure functions of the step: the factor the base learning rate is
// multiplied by. Warm-up (Goyal et al. 2017) ramps linearly from 0; the decays run from the end of
// warm-up to 0 at the last step: linear, or cosine as in SGDR (Loshchilov & Hutter 2017) without restarts.
import { LR_SCHEDULES, type LrSchedule } from '../../graph/training-settings';

export interface ScheduleSettings {
  lrSchedule: LrSchedule;
  warmupSteps: number;
  /** The run's length: decays reach 0 here. */
  steps: number;
}

/** The learning-rate factor at 0-based `step` (the step about to be applied). */
export function learningRateFactor(step: number, s: ScheduleSettings): number {
  if (s.warmupSteps > 0 && step < s.warmupSteps) return (step + 1) / s.warmupSteps;
  if (s.lrSchedule === 'constant') return 1;
  const span = s.steps - s.warmupSteps;
  if (span <= 0) return 1;
  const progress = Math.min(1, Math.max(0, (step - s.warmupSteps) / span));
  switch (s.lrSchedule) {
    case 'linear':
      return 1 - progress;
    case 'cosine':
      return 0.5 * (1 + Math.cos(Math.PI * progress));
    default:
      throw new Error(`unknown learning-rate schedule "${String(s.lrSchedule)}": expected one of ${LR_SCHEDULES.join(', ')}`);
  }
}
