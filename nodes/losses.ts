// Loss nodes. Each contributes objectives; the compiler finds the variables each one trains.
import * as tf from '@tensorflow/tfjs';
import { formatShape, need, sameShape } from './shape';
import { reconstruction } from './reconstruction';
import { idCrossEntropy, perExampleMean, softmaxCrossEntropy } from './reduce';
import { classifierLabels, classifiesFakes, classifiesReals, scoreOf, splitScores } from './gan/auxiliary-classifier';
import { defineNode, NodeError, type ObjectiveDef, type RunContext } from './types';

const mean = (x: tf.Tensor) => tf.mean(x) as tf.Scalar;

export const ADVERSARIAL_VARIANTS = ['nonSaturating', 'hinge', 'leastSquares', 'wassersteinGP'] as const;

/**
 * The penalty differentiates the critic's gradient, and the gradient of LeakyRelu (and Prelu)
 * builds a mask with Greater, which tfjs gives no gradient; a comparison's gradient is zero.
 */
export function registerComparisonGradients(): void {
  for (const kernelName of ['Greater', 'GreaterEqual', 'Less', 'LessEqual']) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]), b: () => tf.zerosLike(saved[1]) }),
    });
  }
}

/** The discriminator group behind the scores, whose gradient with respect to its input a penalty needs. */
function criticFor(ctx: RunContext, penalty: string) {
  registerComparisonGradients();
  const critic = ctx.groupBehind('real');
  if (!critic) throw new NodeError(`needs its "real" input to come from a discriminator group for the ${penalty}`);
  return critic;
}

/** The WGAN-GP penalty (Gulrajani et al. 2017): (‖∇D(x̂)‖₂ − 1)² on random interpolates x̂. */
function gradientPenalty(ctx: RunContext): tf.Scalar {
  const critic = criticFor(ctx, 'gradient penalty');
  const real = critic.input('real');
  const fake = critic.input('fake');
  const mixShape = [real.shape[0], ...real.shape.slice(1).map(() => 1)];
  const eps = tf.randomUniform(mixShape, 0, 1, 'float32', ctx.seed());
  const xHat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
  const labels = classifierLabels(critic);
  const grad = tf.grad((x: tf.Tensor) => tf.sum(scoreOf(critic.apply(x), labels)))(xHat);
  const axes = Array.from({ length: grad.rank - 1 }, (_, i) => i + 1);
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(grad), axes), 1e-12));
  return mean(tf.square(tf.sub(norm, 1)));
}

/**
 * The R1 penalty (Mescheder, Geiger & Nowozin 2018, "Which training methods for GANs actually
 * converge?"): E‖∇ₓD(x)‖² on real data only. It damps the discriminator's slope where the data
 * are, so the generator is not flung past the modes; the caller scales it by γ/2.
 */
function r1Penalty(ctx: RunContext): tf.Scalar {
  const critic = criticFor(ctx, 'R1 penalty');
  const real = critic.input('real');
  const labels = classifierLabels(critic);
  const grad = tf.grad((x: tf.Tensor) => tf.sum(scoreOf(critic.apply(x), labels)))(real);
  return perExampleMean(tf.square(grad));
}

export const adversarial = defineNode({
  type: 'adversarial',
  label: 'Adversarial loss',
  category: 'losses',
  role: 'loss',
  doc: 'GAN objectives from discriminator scores: trains the discriminator, then the generator.',
  inputs: [
    { id: 'real', kind: 'tensor', doc: 'Discriminator scores (logits) on real data.', score: true },
    { id: 'fake', kind: 'tensor', doc: 'Discriminator scores (logits) on generated data.', score: true },
  ],
  outputs: [],
  params: {
    variant: { kind: 'enum', default: 'nonSaturating', options: ADVERSARIAL_VARIANTS },
    criticSteps: { kind: 'int', default: 1, min: 1, max: 10, label: 'D steps per G step' },
    gpWeight: { kind: 'float', default: 10, min: 0, max: 100, label: 'gradient penalty λ' },
    r1Weight: {
      kind: 'float', default: 0, min: 0, max: 100, label: 'R1 penalty γ',
      doc: 'Adds γ/2·E‖∇D(x_real)‖² to the discriminator loss (any variant); 0 turns it off.',
    },
    duringFineTune: {
      kind: 'bool', default: false, label: 'keep training while fine-tuning',
      doc: 'Feedback graphs: go on training adversarially while the generator is fine-tuned on a reward, so its samples stay realistic.',
    },
    classWeight: {
      kind: 'float', default: 1, min: 0, max: 10, label: 'class loss weight',
      doc: 'AC-GAN: when the discriminator group classifies its label, the weight of the class cross-entropy (on real and generated data for the discriminator, on generated data for the generator; with label use classifyReal, on real data for the discriminator alone; with classifyFake, the InfoGAN mutual-information term, on generated data for both).',
    },
    calibrationSteps: {
      kind: 'int', default: 0, min: 0, max: 1_000_000, label: 'D calibration steps',
      doc: "After the run's steps, train the discriminator alone this many more steps against the finished generator, with the log-loss and no penalty, so that its logit estimates log(p_data / p_g) as rejection sampling needs. The generator does not change; 0 turns it off.",
    },
    calibrationLr: { kind: 'float', default: 1e-3, min: 1e-6, max: 1, step: 1e-4, label: 'D calibration learning rate', doc: 'The constant learning rate of the calibration steps.' },
    lrD: { kind: 'float', default: 2e-4, min: 1e-6, max: 1, step: 1e-4, label: 'D learning rate' },
    lrG: { kind: 'float', default: 2e-4, min: 1e-6, max: 1, step: 1e-4, label: 'G learning rate' },
    beta1: { kind: 'float', default: 0.5, min: 0, max: 0.999 },
    beta2: { kind: 'float', default: 0.999, min: 0, max: 0.9999 },
  },
  keyParams: ['variant', 'criticSteps'],
  design: { learningRateParams: ['lrD', 'lrG'] },
  inferShapes(inputs) {
    const real = need(inputs, 'real');
    const fake = need(inputs, 'fake');
    if (!sameShape(real, fake))
      throw new NodeError(`expects real and fake scores of one shape, got ${formatShape(real)} and ${formatShape(fake)}`);
    return {};
  },
  objectives(p): ObjectiveDef[] {
    const dOpt = { learningRate: p.lrD, beta1: p.beta1, beta2: p.beta2 };
    const gOpt = { learningRate: p.lrG, beta1: p.beta1, beta2: p.beta2 };
    // A score, and for a classifying discriminator (AC-GAN) its class logits and the labels.
    // A semi-supervised group (classifyReal) names real examples only: generated ones have no class;
    // an InfoGAN group (classifyFake) names generated ones only: real ones were drawn from no code.
    const read = (ctx: RunContext, port: 'real' | 'fake') => {
      const critic = ctx.groupBehind('real');
      const labels = classifierLabels(critic);
      if (!labels) return { score: ctx.input(port), classLoss: null };
      const { score, logits } = splitScores(ctx.input(port), labels.shape[1]!);
      const named = port === 'real' ? classifiesReals(critic!.params) : classifiesFakes(critic!.params);
      return { score, classLoss: named ? () => softmaxCrossEntropy(logits, labels) : null };
    };
    // BCE with logits: −log σ(real) − log(1 − σ(fake)); its optimum logit is log(p_data / p_g).
    const logLoss = (real: tf.Tensor, fake: tf.Tensor): tf.Scalar => tf.add(mean(tf.softplus(tf.neg(real))), mean(tf.softplus(fake)));
    const withClassLoss = (loss: tf.Scalar, real: ReturnType<typeof read>, fake: ReturnType<typeof read>): tf.Scalar => {
      if (!(p.classWeight > 0)) return loss;
      const terms = [real.classLoss, fake.classLoss].flatMap((f) => (f ? [f()] : []));
      return terms.length > 0 ? tf.add(loss, tf.mul(p.classWeight, tf.addN(terms))) : loss;
    };
    const dLoss = (ctx: RunContext): tf.Scalar => {
      const real = read(ctx, 'real');
      const fake = read(ctx, 'fake');
      let loss = variantDLoss(ctx, real.score, fake.score);
      if (p.r1Weight > 0) loss = tf.add(loss, tf.mul(p.r1Weight / 2, r1Penalty(ctx)));
      return withClassLoss(loss, real, fake);
    };
    // Calibration (the 'calibrate' stage, after the run): the log-loss whatever the variant, since its
    // optimum is the log density ratio, and no penalty, which would hold the logit back from it.
    const calibrationLoss = (ctx: RunContext): tf.Scalar => {
      const real = read(ctx, 'real');
      const fake = read(ctx, 'fake');
      return withClassLoss(logLoss(real.score, fake.score), real, fake);
    };
    const variantDLoss = (ctx: RunContext, real: tf.Tensor, fake: tf.Tensor): tf.Scalar => {
      switch (p.variant) {
        case 'hinge':
          return tf.add(mean(tf.relu(tf.sub(1, real))), mean(tf.relu(tf.add(1, fake))));
        case 'leastSquares':
          return tf.mul(0.5, tf.add(mean(tf.square(tf.sub(real, 1))), mean(tf.square(fake))));
        case 'wassersteinGP': {
          const w = tf.sub(mean(fake), mean(real));
          return p.gpWeight > 0 ? tf.add(w, tf.mul(p.gpWeight, gradientPenalty(ctx))) : (w as tf.Scalar);
        }
        default:
          return logLoss(real, fake);
      }
    };
    const variantGLoss = (fake: tf.Tensor): tf.Scalar => {
      switch (p.variant) {
        case 'leastSquares':
          return tf.mul(0.5, mean(tf.square(tf.sub(fake, 1))));
        case 'hinge':
        case 'wassersteinGP':
          return tf.neg(mean(fake));
        default: // non-saturating: −log σ(fake)
          return mean(tf.softplus(tf.neg(fake)));
      }
    };
    const gLoss = (ctx: RunContext): tf.Scalar => {
      const fake = read(ctx, 'fake');
      const loss = variantGLoss(fake.score);
      return fake.classLoss && p.classWeight > 0 ? tf.add(loss, tf.mul(p.classWeight, fake.classLoss())) : loss;
    };
    const stage: ObjectiveDef['stage'] = p.duringFineTune ? ['base', 'policy'] : 'base';
    return [
      { id: 'discriminator', phase: 'critic', stage, trains: { role: 'discriminator' }, heldOut: false, repeat: p.criticSteps, optimizer: dOpt, loss: dLoss },
      { id: 'generator', phase: 'main', stage, trains: { role: 'generator' }, heldOut: false, optimizer: gOpt, loss: gLoss },
      ...(p.calibrationSteps > 0
        ? [{
            id: 'calibration', phase: 'critic', stage: 'calibrate', trains: { role: 'discriminator' }, heldOut: false,
            optimizer: { ...dOpt, learningRate: p.calibrationLr }, steps: p.calibrationSteps, loss: calibrationLoss,
          } satisfies ObjectiveDef]
        : []),
    ];
  },
});

export const crossEntropy = defineNode({
  type: 'crossEntropy',
  label: 'Cross-entropy',
  category: 'losses',
  role: 'loss',
  doc: 'Softmax cross-entropy in nats per position; targets one-hot or integer ids (a negative id is padding, left out).',
  inputs: [
    { id: 'logits', kind: 'tensor', doc: '[batch, …, classes] unnormalised scores.' },
    { id: 'target', kind: 'tensor', doc: 'One-hot of the same shape, or class ids of shape [batch, …]; id −1 marks padding.' },
  ],
  outputs: [],
  params: {
    labelSmoothing: { kind: 'float', default: 0, min: 0, max: 0.5 },
  },
  inferShapes(inputs) {
    const logits = need(inputs, 'logits');
    const target = need(inputs, 'target');
    const ids = sameShape(target, logits.slice(0, -1));
    if (!ids && !sameShape(target, logits))
      throw new NodeError(
        `expects target one-hot ${formatShape(logits)} or ids ${formatShape(logits.slice(0, -1))}, got ${formatShape(target)}`,
      );
    return {};
  },
  objectives(p) {
    return [
      {
        id: 'loss',
        phase: 'main',
        trains: 'upstream',
        loss(ctx) {
          const logits = ctx.input('logits');
          const target = ctx.input('target');
          if (target.rank !== logits.rank) return idCrossEntropy(logits, target, p.labelSmoothing);
          const classes = logits.shape[logits.rank - 1];
          const smoothed = p.labelSmoothing > 0 ? tf.add(tf.mul(target, 1 - p.labelSmoothing), p.labelSmoothing / classes) : target;
          return softmaxCrossEntropy(logits, smoothed);
        },
        // Ids average over their real targets only; one-hot targets over every position alike.
        terms(ctx) {
          const target = ctx.input('target');
          if (target.rank === ctx.input('logits').rank) return tf.scalar(target.shape[0]);
          return tf.sum(tf.cast(tf.greaterEqual(target, 0), 'float32')) as tf.Scalar;
        },
      },
    ];
  },
});

export const lossNodes = [adversarial, reconstruction, crossEntropy];
