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
import { classAgreement, classifierScore, classShares, confidentFraction, frechetDistance, logitStats } from './images';
import { modeQuality } from './modes';
import { formatFigure, QUALITY_FIGURES } from './figures';

export { formatFigure, QUALITY_FIGURES } from './figures';

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

/** The figures for one batch, and how its samples spread over the classes or modes. */
export interface QualityReading {
  figures: QualityFigures;
  /**
   * The share of the samples in each class by the fixed classifier (images) or within 3σ of each
   * mode (points); empty when the target has neither. A dropped mode shows as a gap.
   */
  balance: number[];
}

export interface QualityMeter {
  target: QualityTarget;
  /** How many samples to draw so that the figures compare with the published ones and the floor. */
  sampleCount: number;
  /** The same figures for real held-out data: what a perfect model would score. */
  floor: QualityFigures;
  /** The balance of real held-out data, bar for bar with a reading's. */
  floorBalance: number[];
  /** One short name per balance bar: a digit, a garment, a mode's place. */
  balanceLabels: string[];
  /**
   * Figures for a batch of samples; throws if the batch is not what the target holds. `asked`, for a
   * conditional generator, is the class each sample was drawn for: the figures then include how often
   * the classifier agrees.
   */
  measure(batch: SampleBatch, asked?: ArrayLike<number>): QualityFigures;
  /** The figures and the balance of a batch. */
  read(batch: SampleBatch, asked?: ArrayLike<number>): QualityReading;
  /** Frees the classifier of an image meter; a 2-D meter holds no tensors. */
  dispose(): void;
}

/** The classes of the image sets with a fixed classifier, in label order. */
const CLASS_LABELS: Record<string, string[]> = {
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'mnist-full': ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'fashion-mnist': ['T-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot'],
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
  const read = (xy: Float32Array): QualityReading => {
    const figures: QualityFigures = {};
    let balance: number[] = [];
    if (modes) {
      const q = modeQuality(xy, modes.centres, modes.sigma);
      Object.assign(figures, { modes: q.modesHit, modesOver1pct: q.modesCovered, highQuality: q.highQuality, reverseKL: q.reverseKL });
      balance = q.counts.map((c) => (q.samples > 0 ? c / q.samples : 0));
    }
    // The protocol compares equal counts; fewer samples would give a smaller, incomparable sum.
    if (xy.length >= 2 * CHAMFER_POINTS) figures.chamfer = chamferDistance(xy.subarray(0, 2 * CHAMFER_POINTS), reference);
    return { figures, balance };
  };
  const sampleCount = modes ? MODE_SAMPLES : CHAMFER_POINTS;
  const floor = read(generatePoints(target.dataset, sampleCount, PROCEDURAL_SEEDS.test, target.settings).x);
  const meter: QualityMeter = {
    target,
    sampleCount,
    floor: floor.figures,
    floorBalance: floor.balance,
    balanceLabels: modes ? modes.centres.map(([x, y]) => `(${+x.toFixed(2)}, ${+y.toFixed(2)})`) : [],
    read(batch) {
      if (batch.kind !== 'points') throw new Error(`the ${target.dataset} quality meter measures 2-D points, got ${batch.kind}`);
      return read(batch.data);
    },
    measure: (batch) => meter.read(batch).figures,
    dispose() {},
  };
  return meter;
}

async function imagesMeter(target: Extract<QualityTarget, { kind: 'images' }>): Promise<QualityMeter> {
  const record = await classifierRecord(target.dataset);
  const model: tf.LayersModel = classifierFromRecord(record);
  const meter: QualityMeter = {
    target,
    sampleCount: IMAGE_SAMPLES,
    // Real test images agree with their own labels as often as the classifier is accurate.
    floor: { score: record.floor.score, frechet: record.floor.frechet, confident: record.floor.confident, agreement: record.testAccuracy },
    floorBalance: record.floor.balance ?? [],
    balanceLabels: CLASS_LABELS[target.dataset] ?? Array.from({ length: CLASSIFIER_CLASSES }, (_, k) => String(k)),
    read(batch, asked) {
      if (batch.kind !== 'images' || batch.height !== 28 || batch.width !== 28 || batch.channels !== 1)
        throw new Error(`the ${target.dataset} classifier takes 28×28×1 images, got ${batch.kind === 'images' ? `${batch.height}×${batch.width}×${batch.channels}` : batch.kind}`);
      const logits = classifierLogits(model, batch.data, batch.count);
      const figures: QualityFigures = {
        score: classifierScore(logits, CLASSIFIER_CLASSES),
        frechet: batch.count >= 2 ? frechetDistance(logitStats(logits, CLASSIFIER_CLASSES), record.trainStats) : NaN,
        confident: confidentFraction(logits, CLASSIFIER_CLASSES),
      };
      // A conditional model's samples say which class each was asked to be.
      const wanted = asked ?? batch.classes;
      if (wanted) figures.agreement = classAgreement(logits, CLASSIFIER_CLASSES, wanted);
      return { figures, balance: classShares(logits, CLASSIFIER_CLASSES) };
    },
    measure: (batch, asked) => meter.read(batch, asked).figures,
    dispose() {
      model.dispose();
    },
  };
  return meter;
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
