// Spectral normalisation (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial
// Networks"): a layer computes with W / σ(W), where σ is W's largest singular value, estimated by
// power iteration with a persistent vector u (one iteration per training call, as in the paper).
// The kernel is viewed as a matrix [fan-in, out] (a conv kernel [k·k·c_in, c_out]); u lives on the
// out side and is saved with the layer as the non-trainable weight `sn_u`.
//
// As in the paper, u and v are constants for the gradient: σ = vᵀ·W·u is differentiated through W
// only. They are computed from a detached view of the kernel (a new tensor on the same data, which
// the gradient tape cannot trace back to the variable), so no backward pass runs through the power
// iteration. The layer keeps its own call (fused kernels, or the plain ops of lazy-grad.ts while a
// gradient is taken) and only sees W / σ where it reads its kernel.
import * as tf from '@tensorflow/tfjs';

interface KernelReader {
  read(): tf.Tensor;
}

/** The parts of tfjs's Dense and Conv layers spectral normalisation touches. */
interface KernelLayer {
  kernel: KernelReader;
  build(inputShape: tf.Shape | tf.Shape[]): void;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[];
  getConfig(): tf.serialization.ConfigDict;
  getClassName(): string;
  addWeight(name: string, shape: tf.Shape, dtype: 'float32', initializer: ReturnType<typeof tf.initializers.randomNormal>, regularizer: undefined, trainable: boolean): tf.LayerVariable;
}

/** The param dense and conv nodes share. */
export const SPECTRAL_NORM_PARAM = {
  kind: 'bool',
  default: false,
  label: 'spectral norm',
  doc: 'Divides the weights by their largest singular value (power iteration, Miyato et al. 2018): keeps a discriminator 1-Lipschitz per layer.',
} as const;

const EPS = 1e-12;
const unit = (x: tf.Tensor) => tf.div(x, tf.add(tf.norm(x), EPS));

/**
 * A tensor on `t`'s data that the gradient tape does not connect to `t`: tf.stop_gradient. It holds
 * its own reference to the data, as the backends' Identity kernels do, so disposing either is safe.
 */
function detached(t: tf.Tensor): tf.Tensor {
  const engine = tf.engine();
  engine.backend.incRef(t.dataId);
  return engine.makeTensorFromDataId(t.dataId, t.shape, t.dtype);
}

/**
 * Power iteration on m ([fan-in, out]) from u ([out, 1], normalised first): `iterations` rounds of v ← m·u/‖m·u‖,
 * u ← mᵀ·v/‖mᵀ·v‖, then v once more for the returned u, so σ ≈ vᵀ·m·u.
 */
export function powerIteration(m: tf.Tensor2D, u: tf.Tensor2D, iterations: number): { u: tf.Tensor2D; v: tf.Tensor2D } {
  let uu = unit(u) as tf.Tensor2D;
  for (let i = 0; i < iterations; i++) {
    const v = unit(tf.matMul(m, uu)) as tf.Tensor2D;
    uu = unit(tf.matMul(m, v, true, false)) as tf.Tensor2D;
  }
  return { u: uu, v: unit(tf.matMul(m, uu)) as tf.Tensor2D };
}

/** W / σ(W) for kernel `w`, with the power iteration's u read from and (if `update`) written to `uVar`. */
export function spectrallyNormalised(w: tf.Tensor, uVar: tf.LayerVariable, iterations: number, update: boolean): tf.Tensor {
  const cols = w.shape[w.rank - 1];
  const m = tf.reshape(w, [-1, cols]) as tf.Tensor2D;
  const { u, v } = powerIteration(detached(m) as tf.Tensor2D, tf.transpose(uVar.read()) as tf.Tensor2D, update ? iterations : 0);
  if (update) uVar.write(tf.transpose(u));
  const sigma = tf.sum(tf.mul(v, tf.matMul(m, u)));
  return tf.div(w, tf.add(sigma, EPS));
}

const CLASS_NAMES = { Dense: 'SpectralNormDense', Conv2D: 'SpectralNormConv2D', Conv2DTranspose: 'SpectralNormConv2DTranspose' } as const;
type StockClass = keyof typeof CLASS_NAMES;

/**
 * Makes `layer` (a tfjs Dense, Conv2D or Conv2DTranspose, possibly with lazy gradients) compute with
 * its spectrally normalised kernel. It saves under its own class name, which loads back through
 * the classes registered below.
 */
export function withSpectralNorm<L extends tf.layers.Layer>(layer: L, iterations = 1, seed?: number): L {
  const self = layer as unknown as KernelLayer;
  const stock = self.getClassName() as StockClass;
  if (!(stock in CLASS_NAMES)) throw new Error(`spectral normalisation applies to Dense and Conv layers, not ${stock}`);
  let uVar: tf.LayerVariable | null = null;
  const build = self.build.bind(layer);
  self.build = (inputShape) => {
    build(inputShape);
    const shape = self.kernel.read().shape;
    uVar = self.addWeight('sn_u', [1, shape[shape.length - 1]], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: 1, seed }), undefined, false);
  };
  const call = self.call.bind(layer);
  self.call = (inputs, kwargs) =>
    tf.tidy(() => {
      const kernel = self.kernel;
      const normalised = spectrallyNormalised(kernel.read(), uVar!, iterations, kwargs.training === true);
      self.kernel = { read: () => normalised };
      try {
        return call(inputs, kwargs);
      } finally {
        self.kernel = kernel;
      }
    });
  const getConfig = self.getConfig.bind(layer);
  self.getConfig = () => ({ ...getConfig(), powerIterations: iterations });
  self.getClassName = () => CLASS_NAMES[stock];
  return layer;
}

/** Loads a saved spectrally normalised layer: the stock layer from its config, wrapped again. */
function loaderFor(stock: StockClass, make: (config: tf.serialization.ConfigDict) => tf.layers.Layer) {
  return class {
    static readonly className = CLASS_NAMES[stock];
    static fromConfig(_cls: unknown, config: tf.serialization.ConfigDict): tf.layers.Layer {
      const { powerIterations, ...rest } = config;
      return withSpectralNorm(make(rest), Number(powerIterations ?? 1));
    }
  };
}

type Registrable = Parameters<typeof tf.serialization.registerClass>[0];
for (const loader of [
  loaderFor('Dense', (c) => tf.layers.dense(c as unknown as Parameters<typeof tf.layers.dense>[0])),
  loaderFor('Conv2D', (c) => tf.layers.conv2d(c as unknown as Parameters<typeof tf.layers.conv2d>[0])),
  loaderFor('Conv2DTranspose', (c) => tf.layers.conv2dTranspose(c as unknown as Parameters<typeof tf.layers.conv2dTranspose>[0])),
])
  tf.serialization.registerClass(loader as unknown as Registrable);
