// One batch of samples from the model, cut into the single samples a person compares. A sample is
// stored the way the preference format keeps it: a text as a string, an image or a point as its values.
import type { SampleBatch } from '../../runtime/train/events';

export type CandidateKind = 'text' | 'image' | 'points';

/** A text, or an image's values (row-major, [-1, 1]) or a point's two coordinates. */
export type Sample = string | number[];

export interface Candidates {
  kind: CandidateKind;
  /** The shape of one image ([height, width, channels]); absent for texts and points. */
  shape?: number[];
  items: Sample[];
  /** Real 2-D points to draw a point against, so its place in the data shows. */
  real?: Float32Array;
}

/** Enough digits that a thumbnail cannot tell the stored sample from the drawn one, and a file stays small. */
const round = (v: number) => Math.round(v * 1e4) / 1e4;

export function candidatesOf(batch: SampleBatch): Candidates {
  if (batch.kind === 'text') return { kind: 'text', items: [...batch.texts] };
  if (batch.kind === 'points') {
    const items: number[][] = [];
    for (let i = 0; i < batch.count; i++) items.push([round(batch.data[2 * i]), round(batch.data[2 * i + 1])]);
    return { kind: 'points', items, real: batch.real };
  }
  const size = batch.height * batch.width * batch.channels;
  const items: number[][] = [];
  // The preference format keeps pixels in the data range; a generator without a tanh may overshoot it.
  const pixel = (v: number) => round(Math.max(-1, Math.min(1, v)));
  for (let i = 0; i < batch.count; i++) items.push(Array.from(batch.data.subarray(i * size, (i + 1) * size), pixel));
  return { kind: 'image', shape: [batch.height, batch.width, batch.channels], items };
}

/** The candidates picked by `indices`, in that order (one quartet, or one A-vs-B pair). */
export function pick(c: Candidates, indices: readonly number[]): Candidates {
  return { ...c, items: indices.map((i) => c.items[i]) };
}

/** The batch the worker scores, or a gallery draws, for some samples of one kind. */
export function batchOf(kind: CandidateKind, samples: readonly Sample[], shape?: readonly number[]): SampleBatch {
  if (kind === 'text') return { kind: 'text', texts: samples.map(String) };
  const flat = Float32Array.from(samples.flatMap((s) => (typeof s === 'string' ? [] : s)));
  if (kind === 'points') return { kind: 'points', count: samples.length, data: flat, real: new Float32Array() };
  const [height, width, channels] = shape ?? [];
  if (!height || !width || !channels) throw new Error(`image samples need a shape [height, width, channels], got ${JSON.stringify(shape ?? null)}`);
  return { kind: 'images', count: samples.length, height, width, channels, data: flat };
}
