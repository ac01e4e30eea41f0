// Activation functions shared by the activation node and layers that take an `activation` param.
import * as tf from '@tensorflow/tfjs';

export const ACTIVATIONS = ['relu', 'leakyRelu', 'gelu', 'silu', 'tanh', 'sigmoid'] as const;
export const OPTIONAL_ACTIVATIONS = ['none', ...ACTIVATIONS] as const;

/** Whether an activation bends its input (none and linear leave an affine map affine). */
export const bendsWith = (activation: string): boolean => activation !== 'none' && activation !== 'linear';

/** A weighted layer's design hints: affine unless its activation bends it. */
export const WEIGHTED_DESIGN = {
  weighted: true,
  bends: (p: { activation: string }) => bendsWith(p.activation),
  activationParam: 'activation',
} as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

// tfjs spells two of them differently.
const TF_NAME = { relu: 'relu', gelu: 'gelu', silu: 'swish', tanh: 'tanh', sigmoid: 'sigmoid' } as const;

/** A real tf layer for the activation (leakyRelu has its own layer class in tfjs). */
export function activationLayer(name: ActivationName, layerName: string, alpha = 0.2): tf.layers.Layer {
  if (name === 'leakyRelu') return tf.layers.leakyReLU({ alpha, name: layerName });
  return tf.layers.activation({ activation: TF_NAME[name], name: layerName });
}

export type TfActivation = (typeof TF_NAME)[keyof typeof TF_NAME];

/**
 * The activation a dense or conv layer can apply itself (tfjs fuses relu into the matmul or conv
 * kernel); leakyRelu and 'none' have none and get a separate layer or nothing.
 */
export function builtInActivation(name: string): TfActivation | undefined {
  return name in TF_NAME ? TF_NAME[name as keyof typeof TF_NAME] : undefined;
}
