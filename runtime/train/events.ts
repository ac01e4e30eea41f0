// What the trainer reports. Plain data (plus typed arrays, sent as transferables from the worker).
import type { Diagnostic } from '../graph/diagnostics';
import type { Divergence } from './guard';
import type { QualityReading } from '../metrics/quality';
import type { QualityInfo } from './live-quality';

export type TrainerState = 'empty' | 'ready' | 'running' | 'paused' | 'done' | 'error';

export interface NetworkSummary {
  name: string;
  role: string;
  nodeIds: string[];
  params: number;
  inputShapes: (number | null)[][];
  outputShapes: (number | null)[][];
}

export type { SampleBatch } from '../../nodes/sampling';
import type { Checkpoint } from './checkpoint-file';
import type { SampleBatch, SamplingFeature } from '../../nodes/sampling';

export interface ProgressEvent {
  type: 'progress';
  step: number;
  totalSteps: number;
  /** The latest loss of each objective, keyed `<lossNodeId>.<objectiveId>`. */
  losses: Record<string, number>;
  stepsPerSecond: number;
  elapsedMs: number;
  /** The quality figures of the model at this step, when they were measured for it (runtime/train/live-quality.ts). */
  quality?: QualityReading;
}

export type TrainerEvent =
  | {
      type: 'compiled';
      networks: NetworkSummary[];
      objectives: string[];
      sampleKind: SampleBatch['kind'] | 'none';
      /** What the graph's sampler offers beyond samples (frames, a latent map, prompts). */
      sampleFeatures: SamplingFeature[];
      backend: string;
      /** What progress events' quality readings are measured against, or null when the trainer measures none. */
      quality: QualityInfo | null;
      /** The step a discriminator's calibration begins at, when the run ends with one (its own steps before it). */
      calibrationFrom?: number;
      /** A conditional model's number of classes, which a sample request may ask for one by one. */
      classes?: number;
    }
  | ProgressEvent
  | { type: 'eval'; step: number; losses: Record<string, number> }
  | { type: 'samples'; step: number; batch: SampleBatch }
  /** Frames of a reverse diffusion run or tokens as they stream; `done` closes the stream. */
  | { type: 'sample-stream'; id: number; step: number; batch: SampleBatch; done: boolean }
  | { type: 'state'; state: TrainerState }
  /** Written between two steps every `checkpointEvery` steps (Trainer.setCheckpointEvery), for the page to keep. */
  | { type: 'checkpoint'; checkpoint: Checkpoint }
  /** `divergence` is set when the guard stopped training: the state is then 'paused', weights intact. */
  | { type: 'error'; message: string; diagnostics: Diagnostic[]; divergence?: Divergence };

export type TrainerListener = (event: TrainerEvent) => void;
