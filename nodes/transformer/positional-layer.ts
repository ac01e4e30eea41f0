// Adds a position code to each time step of [batch, T, dim]: a learned table or fixed sinusoids.
import * as tf from '@tensorflow/tfjs';

export type PositionMode = 'learned' | 'sinusoidal';

export interface PositionalEmbeddingConfig {
  mode: PositionMode;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

/** The fixed table of Vaswani et al. 2017 §3.5: PE(p, 2i) = sin(p / 10000^(2i/d)), PE(p, 2i+1) = cos(…). */
export function sinusoidTable(length: number, dim: number): tf.Tensor2D {
  const data = new Float32Array(length * dim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < dim; i++) {
      const angle = p / Math.pow(10000, (2 * Math.floor(i / 2)) / dim);
      data[p * dim + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(data, [length, dim]);
}

export class PositionalEmbedding extends tf.layers.Layer {
  static readonly className = 'GenloomPositionalEmbedding';
  readonly mode: PositionMode;
  readonly seed: number | undefined;
  private table: tf.LayerVariable | null = null;

  constructor(config: PositionalEmbeddingConfig) {
    super({ name: config.name, trainable: config.trainable });
    this.mode = config.mode;
    this.seed = config.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [, T, dim] = shape;
    if (shape.length !== 3 || T === null || dim === null)
      throw new Error(`${this.name}: positional embedding expects input [batch, T, dim] with T and dim known, got [${shape.join(', ')}]`);
    if (this.mode === 'learned') {
      // The small normal init of GPT-2, so positions start as a gentle nudge to the token vectors.
      this.table = this.addWeight('positions', [T, dim], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: this.seed }));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [, t, dim] = x.shape;
      // A shorter sequence than the table (a prompt) takes the first t positions.
      const codes = this.table ? tf.slice(this.table.read(), [0, 0], [t, dim]) : sinusoidTable(t, dim); // (t, dim)
      return tf.add(x, codes); // (B, t, dim)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}

tf.serialization.registerClass(PositionalEmbedding);
