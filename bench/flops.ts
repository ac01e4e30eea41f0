// Analytic FLOPs of a training step, from the compiled networks' layer shapes.
//
// Counted (a multiply-add is 2 FLOPs): dense layers (every row of every leading axis), conv2d,
// conv2dTranspose, depthwise conv2d, and the multi-head attention layer's four matmuls (QKV
// projection, Q·Kᵀ, attention·V, output projection). Not counted: element-wise work (activations,
// norms, bias adds, softmax, pooling, upsampling, losses, Adam), gathers and data movement, which
// are small beside the matmuls at these sizes but not free.
//
// A step's FLOPs: each phase is run once on its own while every network's apply() is watched, so
// the census sees exactly which networks run on what batch (a GAN's discriminator twice, its
// generator in both phases). An application costs its forward FLOPs, plus 2× forward for the
// backward pass when the phase trains that network or its input is the output of one that
// backpropagates (so gradients flow through it); a network that only feeds a frozen input (the generator during the critic phase)
// costs its forward pass alone. Gradient is traced from network to network by tensor identity,
// so a frozen network fed by a trained one through op nodes would be counted forward-only.
import * as tf from '@tensorflow/tfjs';
import type { CompiledRun } from './compiled';

type Shape = (number | null)[];

const prod = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a * (b ?? 1), 1);

function shapeOf(get: () => tf.Shape | tf.Shape[]): Shape | null {
  try {
    const s = get();
    return (Array.isArray(s[0]) ? s[0] : s) as Shape;
  } catch {
    // A layer applied at several shapes has no single one; such layers are counted as 0.
    return null;
  }
}

/** Multiply-adds of one layer for a batch of `b`. */
function layerMacs(layer: tf.layers.Layer, b: number): number {
  if (layer instanceof tf.LayersModel) return modelMacs(layer, b);
  const kernel = layer.weights[0]?.shape as number[] | undefined;
  const out = shapeOf(() => layer.outputShape);
  const inp = shapeOf(() => {
    const i = layer.input;
    return Array.isArray(i) ? i[0].shape : i.shape;
  });
  switch (layer.getClassName()) {
    case 'Dense':
      return kernel && out ? b * prod(out.slice(1, -1)) * kernel[0] * kernel[1] : 0;
    case 'Conv2D':
    case 'DepthwiseConv2D':
      return kernel && out ? b * prod(out.slice(1, 3)) * prod(kernel) : 0;
    case 'Conv2DTranspose':
      return kernel && inp ? b * prod(inp.slice(1, 3)) * prod(kernel) : 0;
    case 'GenloomMultiHeadAttention': {
      if (!inp) return 0;
      const [, T, C] = inp as number[];
      const { heads, headSize } = layer as unknown as { heads: number; headSize: number };
      const inner = heads * headSize;
      return b * T * C * 3 * inner + 2 * b * heads * T * T * headSize + b * T * inner * C;
    }
    default:
      return 0;
  }
}

function modelMacs(model: tf.LayersModel, b: number): number {
  return model.layers.reduce((s, l) => s + layerMacs(l, b), 0);
}

export interface FlopCensus {
  flopsPerStep: number;
  /** Per network: forward FLOPs of one example. */
  forwardPerExample: Record<string, number>;
}

/** Runs one step phase by phase, watching every network's apply() (the step is a real one). */
export function countStepFlops(run: CompiledRun): FlopCensus {
  const { graph } = run;
  let flops = 0;
  for (const state of run.states) {
    const trained = new Set(state.phase.networks);
    // Tensors that carry gradient in this phase: outputs of applications that backpropagate.
    const graded = new Set<number>();
    for (const net of graph.networks) {
      const original = net.model.apply.bind(net.model);
      net.model.apply = ((inputs: tf.Tensor | tf.Tensor[], kwargs?: tf.serialization.ConfigDict) => {
        const list = Array.isArray(inputs) ? inputs : [inputs];
        const backward = trained.has(net.name) || list.some((t) => graded.has(t.id));
        flops += 2 * modelMacs(net.model, list[0].shape[0] ?? 1) * (backward ? 3 : 1);
        const out = original(inputs, kwargs) as tf.Tensor | tf.Tensor[];
        if (backward) for (const t of Array.isArray(out) ? out : [out]) graded.add(t.id);
        return out;
      }) as typeof net.model.apply;
    }
    try {
      run.stepPhases([state]);
    } finally {
      // Own properties shadow the prototype's method: deleting restores it.
      for (const net of graph.networks) delete (net.model as unknown as Record<string, unknown>).apply;
    }
  }
  const forwardPerExample = Object.fromEntries(graph.networks.map((n) => [n.name, 2 * modelMacs(n.model, 1)]));
  return { flopsPerStep: flops, forwardPerExample };
}
