// One entry point for the trainer, the panel and the CLI: given what a graph generates, a meter
// that turns a batch of its samples into quality figures (flat name → number, ready to plot as
// curves over steps), beside the same figures for real data (the floor a perfect model reaches).
import type * as tf from '@tensorflow/tfjs';
import { DATASETS } from '../../nodes/datasets';
import type { CompiledGraph } from '../compiler/compile';
import { generatePoints, isProcedural, modesOf, pointSettingsOf, PROCEDURAL_SEEDS, type PointSettings } from '../data/procedural';
import type { SampleBatch } from '../train/events';
import { chamferDistance, CHAMFER_POINTS } from './chamfer';
import { CLASSIFIER_CLASSES, classifierFromRecord, classifierLogits, classifierRecord, hasClassifier } from './classifier';
import { classAgreement, classifierScore, confidentFraction, frechetDistance, logitStats } from './images';
import { modeQuality } from './modes';

/** What samples are judged against: a 2-D procedural set at its settings, or an image set with a fixed classifier. */
export type QualityTarget =
  | { kind: 'points'; dataset: string; settings: PointSettings }
  | { kind: 'images'; dataset: string };

/** Samples the published 2-D tables score (PacGAN: 2,500 points). */
export const MODE_SAMPLES = 2500;
/** Images scored per measurement; the floor is measured on as many held-out test images. */
export const IMAGE_SAMPLES = 1000;
/** A third draw of each procedural set, independent of its train and test splits. */
const REFERENCE_SEED = 3;

export type QualityFigures = Record<string, number>;

export interface QualityMeter {
  target: QualityTarget;
  /** How many samples to draw so that the figures compare with the published ones and the floor. */
  sampleCount: number;
  /** The same figures for real held-out data: what a perfect model would score. */
  floor: QualityFigures;
  /** Figures for a batch of samples; throws if the batch is not what the target holds. */
  measure(batch: SampleBatch): QualityFigures;
  /** Frees the classifier of an image meter; a 2-D meter holds no tensors. */
  dispose(): void;
}

/** How to show each figure: its label, unit and which way is better. */
export const QUALITY_FIGURES: Record<string, { label: string; better: 'higher' | 'lower'; percent?: boolean }> = {
  modes: { label: 'modes with ≥ 1 high-quality sample', better: 'higher' },
  modesOver1pct: { label: 'modes with ≥ 1% of samples', better: 'higher' },
  highQuality: { label: 'high-quality samples (within 3σ of a centre)', better: 'higher', percent: true },
  reverseKL: { label: 'reverse KL of the mode histogram to uniform (nats)', better: 'lower' },
  chamfer: { label: `Chamfer distance (${CHAMFER_POINTS} vs ${CHAMFER_POINTS} points)`, better: 'lower' },
  score: { label: 'classifier score (MNIST score)', better: 'higher' },
  frechet: { label: 'Fréchet distance on classifier logits', better: 'lower' },
  confident: { label: 'samples classified with p ≥ 0.9', better: 'higher', percent: true },
  agreement: { label: 'samples the classifier puts in the asked-for class', better: 'higher', percent: true },
};

/**
 * The target for a built-in dataset, sized by its data node's params (ring and grid), or null when
 * no metric applies (text, uploads, image sets with no fixed classifier).
 */
export function qualityTargetFor(dataset: string, params: Record<string, unknown> = {}): QualityTarget | null {
  const info = DATASETS[dataset];
  if (!info) return null;
  if (info.kind === 'points' && isProcedural(dataset)) return { kind: 'points', dataset, settings: pointSettingsOf(params) };
  if (info.kind === 'image' && hasClassifier(dataset)) return { kind: 'images', dataset };
  return null;
}

/** What a compiled graph's samples are judged against: the built-in examples its first data node reads, if it samples images or points. */
export function qualityTargetOf(graph: CompiledGraph): QualityTarget | null {
  const output = graph.sampling?.output;
  if (output !== 'images' && output !== 'points') return null;
  for (const { def, params } of graph.checked.nodes.values()) {
    const need = def.data?.(params);
    if (need?.kind === 'examples') return need.uploaded ? null : qualityTargetFor(need.name, params);
  }
  return null;
}

function pointsMeter(target: Extract<QualityTarget, { kind: 'points' }>): QualityMeter {
  if (!isProcedural(target.dataset)) throw new Error(`no generator for the points dataset "${target.dataset}"`);
  const modes = modesOf(target.dataset, target.settings);
  const reference = generatePoints(target.dataset, CHAMFER_POINTS, REFERENCE_SEED, target.settings).x;
  const figures = (xy: Float32Array): QualityFigures => {
    const out: QualityFigures = {};
    if (modes) {
      const q = modeQuality(xy, modes.centres, modes.sigma);
      Object.assign(out, { modes: q.modesHit, modesOver1pct: q.modesCovered, highQuality: q.highQuality, reverseKL: q.reverseKL });
    }
    // The protocol compares equal counts; fewer samples would give a smaller, incomparable sum.
    if (xy.length >= 2 * CHAMFER_POINTS) out.chamfer = chamferDistance(xy.subarray(0, 2 * CHAMFER_POINTS), reference);
    return out;
  };
  const sampleCount = modes ? MODE_SAMPLES : CHAMFER_POINTS;
  return {
    target,
    sampleCount,
    floor: figures(generatePoints(target.dataset, sampleCount, PROCEDURAL_SEEDS.test, target.settings).x),
    measure(batch) {
      if (batch.kind !== 'points') throw new Error(`the ${target.dataset} quality meter measures 2-D points, got ${batch.kind}`);
      return figures(batch.data);
    },
    dispose() {},
  };
}

async function imagesMeter(target: Extract<QualityTarget, { kind: 'images' }>): Promise<QualityMeter> {
  const record = await classifierRecord(target.dataset);
  const model: tf.LayersModel = classifierFromRecord(record);
  return {
    target,
    sampleCount: IMAGE_SAMPLES,
    // Real digits agree with their own labels as often as the classifier is right.
    floor: { score: record.floor.score, frechet: record.floor.frechet, confident: record.floor.confident, agreement: record.testAccuracy },
    measure(batch) {
      if (batch.kind !== 'images' || batch.height !== 28 || batch.width !== 28 || batch.channels !== 1)
        throw new Error(`the ${target.dataset} classifier takes 28×28×1 images, got ${batch.kind === 'images' ? `${batch.height}×${batch.width}×${batch.channels}` : batch.kind}`);
      const logits = classifierLogits(model, batch.data, batch.count);
      const figures: QualityFigures = {
        score: classifierScore(logits, CLASSIFIER_CLASSES),
        frechet: batch.count >= 2 ? frechetDistance(logitStats(logits, CLASSIFIER_CLASSES), record.trainStats) : NaN,
        confident: confidentFraction(logits, CLASSIFIER_CLASSES),
      };
      // A conditional model's samples say which class each was asked to be.
      if (batch.classes) figures.agreement = classAgreement(logits, CLASSIFIER_CLASSES, batch.classes);
      return figures;
    },
    dispose() {
      model.dispose();
    },
  };
}

/** A meter for a target; an image meter loads its classifier (a few hundred kB) on the current tfjs backend. */
export function createQualityMeter(target: QualityTarget): Promise<QualityMeter> {
  return target.kind === 'points' ? Promise.resolve(pointsMeter(target)) : imagesMeter(target);
}

/** The meter for a compiled graph's samples, or null when none of the metrics applies. */
export async function qualityMeterFor(graph: CompiledGraph): Promise<QualityMeter | null> {
  const target = qualityTargetOf(graph);
  return target ? createQualityMeter(target) : null;
}

function formatFigure(name: string, v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (QUALITY_FIGURES[name]?.percent) return `${(100 * v).toFixed(1)}%`;
  if (name === 'modes' || name === 'modesOver1pct') return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
}

/** One line per figure, the real-data floor beside it: "modes with ≥ 1 high-quality sample: 8/8 (real data 8/8)". */
export function qualityLines(meter: QualityMeter, figures: QualityFigures, samples: number): string[] {
  const modes = meter.target.kind === 'points' ? modesOf(meter.target.dataset, meter.target.settings)?.centres.length : undefined;
  const lines = [`quality of ${samples} samples against ${meter.target.dataset} (beside each, the same figure for held-out real data):`];
  for (const [name, v] of Object.entries(figures)) {
    const of = modes && (name === 'modes' || name === 'modesOver1pct') ? `/${modes}` : '';
    const floor = meter.floor[name];
    const beside = floor === undefined ? '' : ` (real data ${formatFigure(name, floor)}${of})`;
    lines.push(`  ${QUALITY_FIGURES[name]?.label ?? name}: ${formatFigure(name, v)}${of}${beside}`);
  }
  return lines;
}
