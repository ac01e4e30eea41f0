// tf.layers Dense and Conv2D run tfjs's fused matMul / conv2d whenever their activation is linear.
// The fused ops' backward pass computes the gradient of every input, asked for or not: a GAN's
// generator step pays for every discriminator filter gradient (1.3 GFLOP of 17.5 in the large DCGAN),
// a first layer for the gradient of its data. The plain ops register one gradient function per
// input, and tfjs evaluates only those on a path to a trained variable. So while a gradient is being
// taken, these layers run the plain ops; inference keeps the fused kernels. The layer's class, config
// and weights are unchanged, so saved models still load as stock Dense and Conv2D.
import * as tf from '@tensorflow/tfjs';

interface Activation {
  apply(x: tf.Tensor): tf.Tensor;
}

/** The parts of tfjs's Dense and Conv2D layers the plain forward pass reads. */
interface WeightedLayer {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null | undefined;
  activation: Activation;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[];
}

interface ConvLayer extends WeightedLayer {
  strides: number[];
  padding: 'same' | 'valid';
  dilationRate: number[];
}

const takingGradient = (): boolean => tf.engine().state.gradientDepth > 0;

function one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

function withBiasAndActivation(layer: WeightedLayer, y: tf.Tensor): tf.Tensor {
  const biased = layer.bias ? tf.add(y, layer.bias.read()) : y;
  return layer.activation.apply(biased);
}

function replaceCall<S extends WeightedLayer>(layer: tf.layers.Layer, plain: (self: S, x: tf.Tensor) => tf.Tensor): tf.layers.Layer {
  const self = layer as unknown as S;
  const fused = self.call.bind(layer);
  self.call = (inputs, kwargs) => (takingGradient() ? tf.tidy(() => plain(self, one(inputs))) : fused(inputs, kwargs));
  return layer;
}

/** A Dense layer whose backward pass computes only the gradients a step needs. */
export function lazyDense(layer: tf.layers.Layer): tf.layers.Layer {
  return replaceCall<WeightedLayer>(layer, (self, x) => {
    const w = self.kernel.read();
    const y =
      x.rank === 2
        ? tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D)
        : tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]), w as tf.Tensor2D), [...x.shape.slice(0, -1), w.shape[1] ?? 0]);
    return withBiasAndActivation(self, y);
  });
}

/** A Conv2D layer whose backward pass computes only the gradients a step needs. */
export function lazyConv2d(layer: tf.layers.Layer): tf.layers.Layer {
  return replaceCall<ConvLayer>(layer, (self, x) => {
    const y = tf.conv2d(
      x as tf.Tensor4D,
      self.kernel.read() as tf.Tensor4D,
      self.strides as [number, number],
      self.padding,
      'NHWC',
      self.dilationRate as [number, number],
    );
    return withBiasAndActivation(self, y);
  });
}
