// BatchMatMul that keeps wasm on XNNPACK's fast path. The shipped kernel runs at ~18 GFLOP/s
// only for plain, unbatched operands; with transposeA or transposeB (every dense layer's
// gradient) or a batched A times a shared B it falls to ~1 GFLOP/s. So operands are transposed
// once with wasm's Transpose, and a batched A against a single B is folded into one 2-D product.
// A dense layer's input gradient dY·Wᵀ would transpose the whole weight matrix on every call (at
// 3136×512, 7 ms against 16 ms for the product itself): when B is far larger than A and the output,
// it computes (W·dYᵀ)ᵀ instead, transposing only the small operands.
import * as tf from '@tensorflow/tfjs';
import { free, runWasm, type TensorInfo, type WasmKernelArgs } from './wasm-util';

const swapLastTwo = (rank: number) => [...Array(rank - 2).keys(), rank - 1, rank - 2];

export function makeBatchMatMul(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return shipped(args);
    if (!transposeA && transposeB && swapPays(a.shape, b.shape)) return swapped(shipped, backend, a, b);
    const temps: TensorInfo[] = [];
    const plain = (t: TensorInfo, transpose: boolean): TensorInfo => {
      if (!transpose) return t;
      const out = runWasm('Transpose', backend, { x: t }, { perm: swapLastTwo(t.shape.length) });
      temps.push(out);
      return out;
    };
    const a2 = plain(a, transposeA);
    const b2 = plain(b, transposeB);
    const call = (x: TensorInfo, y: TensorInfo) =>
      shipped({ inputs: { a: x, b: y }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    try {
      const m = a2.shape[a2.shape.length - 2];
      const k = a2.shape[a2.shape.length - 1];
      const batchA = tf.util.sizeFromShape(a2.shape.slice(0, -2));
      const batchB = tf.util.sizeFromShape(b2.shape.slice(0, -2));
      if (batchA > 1 && batchB === 1 && b2.shape.length <= a2.shape.length) {
        const n = b2.shape[b2.shape.length - 1];
        const folded: TensorInfo = { dataId: a2.dataId, shape: [batchA * m, k], dtype: a2.dtype };
        const out = call(folded, { dataId: b2.dataId, shape: [k, n], dtype: b2.dtype });
        return { dataId: out.dataId, shape: [...a2.shape.slice(0, -2), m, n], dtype: out.dtype };
      }
      return call(a2, b2);
    } finally {
      free(backend, ...temps);
    }
  };
}

/**
 * Whether A·Bᵀ of 2-D operands is cheaper as (B·Aᵀ)ᵀ: Transpose moves m·k + m·n floats that way
 * against k·n this way; the product itself costs the same both ways.
 */
function swapPays(as: number[], bs: number[]): boolean {
  if (as.length !== 2 || bs.length !== 2) return false;
  const [m, k] = as;
  const n = bs[0];
  return 2 * (m * k + m * n) < k * n;
}

/** A·Bᵀ as (B·Aᵀ)ᵀ, for a B [n, k] far larger than A [m, k]. */
function swapped(shipped: tf.KernelFunc, backend: WasmKernelArgs['backend'], a: TensorInfo, b: TensorInfo): TensorInfo {
  const aT = runWasm('Transpose', backend, { x: a }, { perm: [1, 0] });
  const outT = shipped({ inputs: { a: b, b: aT }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
  free(backend, aT);
  const out = runWasm('Transpose', backend, { x: outT }, { perm: [1, 0] });
  free(backend, outT);
  return out;
}
