// Identity without a copy: tensors are immutable, so the output can share the input's memory
// under a second reference, as wasm's own Reshape and the cpu backend's Identity do. The
// shipped kernel copies, and a training step runs ~200 of them (clone, variables, tape).
import type * as tf from '@tensorflow/tfjs';
import type { TensorInfo, WasmKernelArgs } from './wasm-util';

export function makeIdentity(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as WasmKernelArgs;
    const { x } = inputs as { x: TensorInfo };
    if (x.dtype === 'string') return shipped(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
