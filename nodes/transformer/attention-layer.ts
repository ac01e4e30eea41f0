// Multi-head scaled dot-product self-attention as one custom tfjs layer (saved and loaded by className).
// Layout follows nanoGPT: one fused Q/K/V projection, heads split out, softmax(QKᵀ/√hs)V, output projection.
import * as tf from '@tensorflow/tfjs';

export interface MultiHeadAttentionConfig {
  heads: number;
  headSize: number;
  causal: boolean;
  dropout: number;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * Receives each attention layer's weights [B, nh, T, T] while a probe is installed. Layers call it
 * inside their own tidy, so a probe that keeps a tensor must `tf.keep` it.
 */
export type AttentionProbe = (layerName: string, weights: tf.Tensor4D) => void;

let probe: AttentionProbe | null = null;

/** Runs `fn` with `onWeights` receiving every attention layer's weights; the probe is removed after. */
export function withAttentionProbe<T>(onWeights: AttentionProbe, fn: () => T): T {
  const previous = probe;
  probe = onWeights;
  try {
    return fn();
  } finally {
    probe = previous;
  }
}

const maskValues = new Map<number, Float32Array>();

/**
 * [T, T] with 0 where query i may see key j (j ≤ i) and a large negative number elsewhere. Made from
 * values kept in JS: building it with tf ops (bandPart) cost a dozen kernels in every forward pass.
 */
export function causalMask(T: number): tf.Tensor2D {
  let values = maskValues.get(T);
  if (!values) {
    values = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = -1e9;
    maskValues.set(T, values);
  }
  return tf.tensor2d(values, [T, T]);
}

export class MultiHeadAttention extends tf.layers.Layer {
  static readonly className = 'GenloomMultiHeadAttention';
  readonly heads: number;
  readonly headSize: number;
  readonly causal: boolean;
  readonly rate: number;
  readonly seed: number | undefined;
  private wQkv!: tf.LayerVariable;
  private bQkv!: tf.LayerVariable;
  private wOut!: tf.LayerVariable;
  private bOut!: tf.LayerVariable;

  constructor(config: MultiHeadAttentionConfig) {
    super({ name: config.name, trainable: config.trainable });
    this.heads = config.heads;
    this.headSize = config.headSize;
    this.causal = config.causal;
    this.rate = config.dropout;
    this.seed = config.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const dim = shape[shape.length - 1];
    if (shape.length !== 3 || dim === null)
      throw new Error(`${this.name}: attention expects input [batch, T, dim], got [${shape.join(', ')}]`);
    const inner = this.heads * this.headSize;
    const seed = this.seed;
    this.wQkv = this.addWeight('qkv/kernel', [dim, 3 * inner], 'float32', tf.initializers.glorotUniform({ seed }));
    this.bQkv = this.addWeight('qkv/bias', [3 * inner], 'float32', tf.initializers.zeros());
    this.wOut = this.addWeight(
      'out/kernel', [inner, dim], 'float32',
      tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + 1 }),
    );
    this.bOut = this.addWeight('out/bias', [dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [B, T, C] = x.shape;
      const nh = this.heads;
      const hs = this.headSize;
      const training = kwargs?.training === true && this.rate > 0;

      const qkv = tf.add(tf.matMul(tf.reshape(x, [B * T, C]), this.wQkv.read()), this.bQkv.read()); // (B*T, 3*nh*hs)
      const [q2, k2, v2] = tf.split(qkv, 3, 1); // each (B*T, nh*hs)
      // Transposing K once into (hs, T) keeps the score matMul free of transposed operands.
      const q = tf.reshape(tf.transpose(tf.reshape(q2, [B, T, nh, hs]), [0, 2, 1, 3]), [B * nh, T, hs]); // (B*nh, T, hs)
      const kT = tf.reshape(tf.transpose(tf.reshape(k2, [B, T, nh, hs]), [0, 2, 3, 1]), [B * nh, hs, T]); // (B*nh, hs, T)
      const v = tf.reshape(tf.transpose(tf.reshape(v2, [B, T, nh, hs]), [0, 2, 1, 3]), [B * nh, T, hs]); // (B*nh, T, hs)

      let scores = tf.mul(tf.matMul(q, kT), 1 / Math.sqrt(hs)); // (B*nh, T, T)
      if (this.causal) scores = tf.add(scores, causalMask(T)); // (B*nh, T, T)
      let att = tf.softmax(scores, -1); // (B*nh, T, T)
      if (probe) probe(this.name, tf.reshape(att, [B, nh, T, T]) as tf.Tensor4D);
      // Unseeded on purpose: a fixed seed would drop the same entries at every step.
      if (training) att = tf.dropout(att, this.rate);

      const y = tf.matMul(att, v); // (B*nh, T, hs)
      const merged = tf.reshape(tf.transpose(tf.reshape(y, [B, nh, T, hs]), [0, 2, 1, 3]), [B * T, nh * hs]); // (B*T, nh*hs)
      let out = tf.reshape(tf.add(tf.matMul(merged, this.wOut.read()), this.bOut.read()), [B, T, C]); // (B, T, C)
      if (training) out = tf.dropout(out, this.rate);
      return out;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      heads: this.heads,
      headSize: this.headSize,
      causal: this.causal,
      dropout: this.rate,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}

tf.serialization.registerClass(MultiHeadAttention);
