// Quality figures while a graph trains: the trainer measures its own samples with the graph's
// quality meter on a wall-clock schedule, so the panel can draw each figure as a curve over steps.
// Measuring takes the time of a sampling run and a classifier pass (a second or so for 1,000
// MNIST digits on wasm), so it runs no more often than keeps it to a small share of training time.
import type { CompiledGraph } from '../compiler/compile';
import { qualityMeterFor, type QualityFigures, type QualityMeter, type QualityReading } from '../metrics/quality';
import type { SampleBatch, SampleRequest } from '../../nodes/sampling';

/** The seed of the live figures' samples: the same noise each time, so a curve follows the model, not the draw. */
export const QUALITY_SEED = 4242;

/** What the panel needs to know once per compiled graph to draw the figures beside the real data's. */
export interface QualityInfo {
  dataset: string;
  /** Points are judged by mode, images by class. */
  kind: 'points' | 'images';
  samples: number;
  /** The figures of held-out real data: what a perfect model reaches. */
  floor: QualityFigures;
  floorBalance: number[];
  balanceLabels: string[];
  /** How the live samples are drawn, where not as the graph samples (a reverse process's few DDIM steps). */
  sampledWith?: string;
}

export interface QualityClockOptions {
  /** The most of the wall-clock time measuring may take. */
  share: number;
  /** Never more often than this, however cheap a measurement is. */
  minIntervalMs: number;
}

export const DEFAULT_QUALITY_CLOCK: QualityClockOptions = { share: 0.1, minIntervalMs: 2000 };

/**
 * A reverse process samples in a thousand network passes: live figures use DDIM with this many steps,
 * so one measurement of a U-Net costs seconds, not minutes (the CLI's final figures use the graph's sampler).
 */
export const LIVE_REVERSE_STEPS = 10;

/**
 * The samples a meter scores: a conditional generator is asked for each class in turn, equally
 * often, so its figures include how often the classifier agrees with the class asked for.
 */
export function qualityRequest(
  meter: QualityMeter,
  classes: number | undefined,
  seed: number,
  sampler: Partial<SampleRequest> = {},
): SampleRequest & { classes?: number[] } {
  const count = meter.sampleCount;
  const req = { ...sampler, count, seed };
  return classes ? { ...req, classes: Array.from({ length: count }, (_, i) => i % classes) } : req;
}

/** Draws the meter's samples with `sample` and reads them. */
export async function measureQuality(
  meter: QualityMeter,
  sample: (req: SampleRequest) => Promise<{ batch: SampleBatch }>,
  classes: number | undefined,
  seed = QUALITY_SEED,
  sampler: Partial<SampleRequest> = {},
): Promise<QualityReading> {
  const req = qualityRequest(meter, classes, seed, sampler);
  const { batch } = await sample(req);
  return meter.read(batch, req.classes);
}

/** A graph's meter on a clock: due when the last measurement is old enough to keep measuring within its share. */
export class LiveQuality {
  private lastAt = -Infinity;
  private costMs = 0;
  private lastStep = -1;

  constructor(
    readonly meter: QualityMeter,
    /** The classes of a conditional generator, if it is one. */
    private readonly classes: number | undefined,
    private readonly clock: QualityClockOptions = DEFAULT_QUALITY_CLOCK,
    /** Overrides for the sampler of the live figures (a reverse process's step count). */
    private readonly sampler: Partial<SampleRequest> = {},
  ) {}

  /** The live meter of a compiled graph, or null when no quality metric applies to what it generates. */
  static async of(graph: CompiledGraph, clock?: QualityClockOptions): Promise<LiveQuality | null> {
    const meter = await qualityMeterFor(graph);
    const reverse = graph.sampling?.features.includes('frames') ?? false;
    // Cheaper samplers on the clock: a reverse process in fewer steps, a GAN without its Langevin steps.
    const refined = Boolean(graph.sampling?.settings.langevinSteps);
    const sampler: Partial<SampleRequest> = reverse ? { sampler: 'ddim', steps: LIVE_REVERSE_STEPS } : refined ? { plain: true } : {};
    return meter && new LiveQuality(meter, graph.sampling?.settings.classes, clock, sampler);
  }

  get info(): QualityInfo {
    const m = this.meter;
    const { sampler, steps } = this.sampler;
    return {
      dataset: m.target.dataset,
      kind: m.target.kind,
      samples: m.sampleCount,
      floor: m.floor,
      floorBalance: m.floorBalance,
      balanceLabels: m.balanceLabels,
      ...(sampler ? { sampledWith: `${sampler.toUpperCase()} in ${steps ?? 'all'} steps` } : {}),
      ...(this.sampler.plain ? { sampledWith: 'the generator alone, without its Langevin steps' } : {}),
    };
  }

  /** The interval that keeps measuring at `share` of the time, given what the last measurement cost. */
  get intervalMs(): number {
    return Math.max(this.clock.minIntervalMs, this.costMs / this.clock.share);
  }

  /** Whether to measure at `step` now (`now` in ms, as performance.now()); a step is measured once. */
  due(step: number, now: number): boolean {
    return step !== this.lastStep && now - this.lastAt >= this.intervalMs;
  }

  /** Whether `step` was measured already (the last reading is of it). */
  measured(step: number): boolean {
    return step === this.lastStep;
  }

  /** Measures the samples `sample` draws, with any figures `more` adds (a VAE's likelihood bounds), on the clock. */
  async measure(step: number, sample: (req: SampleRequest) => Promise<{ batch: SampleBatch }>, more?: () => QualityFigures): Promise<QualityReading> {
    const t0 = performance.now();
    const measured = await measureQuality(this.meter, sample, this.classes, QUALITY_SEED, this.sampler);
    const extra = more?.() ?? {};
    const reading = Object.keys(extra).length ? { ...measured, figures: { ...measured.figures, ...extra } } : measured;
    const t1 = performance.now();
    this.lastAt = t1;
    this.costMs = t1 - t0;
    this.lastStep = step;
    return reading;
  }

  /** Forget the last measurement: the model changed under it (weights imported, a checkpoint resumed). */
  restart(): void {
    this.lastAt = -Infinity;
    this.lastStep = -1;
  }

  dispose(): void {
    this.meter.dispose();
  }
}
