// Conv2DBackpropInput for stride s as s·s stride-1 XNNPACK convs, one per output phase
// ("sub-pixel" decomposition), so no multiply is spent on the zeros a stride-spread dy would hold.
//
// With y = oh·s + fh - top, output rows y ≡ r - top (mod s) only meet filter rows fh ≡ r, i.e.
// fh = r + s·t for t < T_r = ceil((fH - r) / s), and oh = Y - t with Y = (y + top - r) / s. So
// phase r is a stride-1 correlation of dy with the sub-filter G_r[u] = W[r + s·(T_r - 1 - u)],
// with in/out channels swapped, whose output row j = Y - Ymin reads dy rows Ymin + j - (T_r - 1) + u.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alloc, as4d, free, heapF32, offsetF32, runWasm, wholeHeapF32, type TensorInfo } from './wasm-util';

interface Axis {
  /** Phase residue r. */
  r: number;
  /** Taps of the sub-filter, T_r. */
  taps: number;
  /** First output index Y of this phase and how many there are. */
  first: number;
  count: number;
  /** Zero padding of dy before and after, for a 'valid' stride-1 conv. */
  before: number;
  after: number;
}

function axisPhase(r: number, s: number, f: number, pad: number, inSize: number, dySize: number): Axis {
  const taps = Math.max(0, Math.ceil((f - r) / s));
  const first = Math.ceil((pad - r) / s);
  const last = Math.floor((inSize - 1 + pad - r) / s);
  const count = Math.max(0, last - first + 1);
  const before = taps - 1 - first;
  // dy rows past the last needed one only lengthen the conv output, and those extra outputs are
  // skipped when scattering; so 'after' never needs to be negative.
  const after = Math.max(0, count + taps - 1 - before - dySize);
  return { r, taps, first, count, before, after };
}

/** Phases along one axis, or null when some needs dy cropped at the front. */
function axisPhases(s: number, f: number, pad: number, inSize: number, dySize: number): Axis[] | null {
  const phases: Axis[] = [];
  for (let r = 0; r < s; r++) {
    const a = axisPhase(r, s, f, pad, inSize, dySize);
    if (a.count > 0 && a.taps > 0 && a.before < 0) return null;
    phases.push(a);
  }
  return phases;
}

function subFilter(backend: BackendWasm, filter: TensorInfo, s: [number, number], ph: Axis, pw: Axis): TensorInfo {
  const [, fW, ci, co] = as4d(filter.shape, 'filter');
  const out = alloc(backend, [ph.taps, pw.taps, co, ci]);
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, out);
  for (let u = 0; u < ph.taps; u++) {
    const fh = ph.r + s[0] * (ph.taps - 1 - u);
    for (let v = 0; v < pw.taps; v++) {
      const fw = pw.r + s[1] * (pw.taps - 1 - v);
      const s0 = (fh * fW + fw) * ci * co;
      const d0 = (u * pw.taps + v) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) dst[d0 + o * ci + i] = src[s0 + i * co + o];
      }
    }
  }
  return out;
}

/** Copies the phase output's first count_h × count_w pixels into dx at rows Y·s + r - top, columns likewise. */
function scatterPhase(
  backend: BackendWasm, phase: TensorInfo, dx: TensorInfo, s: [number, number], top: number, left: number,
  ph: Axis, pw: Axis,
): void {
  const [n, h, w, c] = as4d(dx.shape, 'dx');
  const [, pH, pW] = as4d(phase.shape, 'phase');
  const heap = wholeHeapF32(backend);
  const src = offsetF32(backend, phase);
  const dst = offsetF32(backend, dx);
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < ph.count; j++) {
      const y = (ph.first + j) * s[0] + ph.r - top;
      const row = dst + (b * h + y) * w * c;
      let p = src + (b * pH + j) * pW * c;
      for (let k = 0; k < pw.count; k++) {
        const x = (pw.first + k) * s[1] + pw.r - left;
        if (c === 1) heap[row + x] = heap[p];
        else heap.copyWithin(row + x * c, p, p + c);
        p += c;
      }
    }
  }
}

/** dx, or null when the geometry needs cropping (the caller then uses the spread-dy form). */
export function backpropInputByPhases(
  backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: tf.backend_util.Conv2DInfo,
): TensorInfo | null {
  const s: [number, number] = [info.strideHeight, info.strideWidth];
  const [, dyH, dyW] = as4d(dy.shape, 'dy');
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rows = axisPhases(s[0], info.filterHeight, top, info.inHeight, dyH);
  const cols = axisPhases(s[1], info.filterWidth, left, info.inWidth, dyW);
  if (!rows || !cols) return null;
  const dx = alloc(backend, info.inShape);
  let covered = true;
  for (const ph of rows) for (const pw of cols) covered &&= ph.count === 0 || pw.count === 0 || (ph.taps > 0 && pw.taps > 0);
  // Phases no filter tap reaches (a kernel smaller than the stride) stay zero.
  if (!covered) heapF32(backend, dx).fill(0);
  for (const ph of rows) {
    for (const pw of cols) {
      if (ph.count === 0 || pw.count === 0 || ph.taps === 0 || pw.taps === 0) continue;
      const g = subFilter(backend, filter, s, ph, pw);
      const out = runWasm('Conv2D', backend, { x: dy, filter: g }, {
        strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC',
        pad: [[0, 0], [ph.before, ph.after], [pw.before, pw.after], [0, 0]],
      });
      scatterPhase(backend, out, dx, s, top, left, ph, pw);
      free(backend, g, out);
    }
  }
  return dx;
}
