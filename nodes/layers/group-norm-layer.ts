// Group normalisation (Wu & He 2018): channels split into G groups, each normalised over its
// channels and all positions of one example; the U-Net of Ho et al. 2020 uses it in every block.
// Independent of the batch, so it trains the same at batch 8 as at 128 and samples one image alike.
import * as tf from '@tensorflow/tfjs';
import { groupNormOp } from './group-norm-op';

export interface GroupNormConfig {
  groups: number;
  epsilon: number;
  name?: string;
  trainable?: boolean;
}

export class GroupNorm extends tf.layers.Layer {
  static readonly className = 'GenloomGroupNorm';
  readonly groups: number;
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(config: GroupNormConfig) {
    super({ name: config.name, trainable: config.trainable });
    this.groups = config.groups;
    this.epsilon = config.epsilon;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (c === null || c % this.groups !== 0)
      throw new Error(`${this.name}: group norm needs channels divisible by ${this.groups} groups, got [${shape.join(', ')}]`);
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs; // (B, …, C)
    return groupNormOp(x, this.gamma.read() as tf.Tensor1D, this.beta.read() as tf.Tensor1D, this.groups, this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(GroupNorm);
