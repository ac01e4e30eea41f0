// Layer normalisation over the last axis with plain broadcasting ops. tf.layers.layerNormalization
// tiles gamma, beta and the moments to the input's shape, and Tile's gradient is a loop of one
// slice and one add per repeat: about 1,100 kernels per norm for a [32, 16, 64] batch, most of a GPT
// training step. Here broadcasting reduces with one Sum per operand instead.
import * as tf from '@tensorflow/tfjs';

export interface LastAxisNormConfig {
  epsilon: number;
  name?: string;
  trainable?: boolean;
}

export class LastAxisNorm extends tf.layers.Layer {
  static readonly className = 'GenloomLayerNorm';
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(config: LastAxisNormConfig) {
    super({ name: config.name, trainable: config.trainable });
    this.epsilon = config.epsilon;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const dim = shape[shape.length - 1];
    if (dim === null) throw new Error(`${this.name}: layer norm needs its last axis known, got [${shape.join(', ')}]`);
    this.gamma = this.addWeight('gamma', [dim], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs; // (…, C)
      const { mean, variance } = tf.moments(x, -1, true); // (…, 1)
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon))); // (…, C)
      return tf.add(tf.mul(normed, this.gamma.read()), this.beta.read()); // (…, C)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(LastAxisNorm);
