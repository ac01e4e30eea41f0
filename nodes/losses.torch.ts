import { NodeError, type ParamsOf } from './types';
import { pyFloat, torchExporter, type TorchLoss, type TorchStepContext } from './torch-exporter';
import type { adversarial, crossEntropy } from './losses';
import { classifies, classifiesFakes, classifiesReals } from './gan/auxiliary-classifier';

type AdversarialParams = ParamsOf<typeof adversarial.params>;

/** The label expression of the classifying (AC-GAN or semi-supervised) discriminator group behind the scores, else null. */
function classifierLabels(ctx: TorchStepContext): string | null {
  const group = ctx.groupBehind('real');
  return group && classifies(group.params) ? group.input('label') : null;
}

/** Whether the group names generated data's class (AC-GAN, InfoGAN) and real data's (AC-GAN, semi-supervised). */
const namesFakes = (ctx: TorchStepContext) => classifiesFakes(ctx.groupBehind('real')!.params);
const namesReals = (ctx: TorchStepContext) => classifiesReals(ctx.groupBehind('real')!.params);

/** A classifying group's output: the score is its first column, the class logits the rest. */
const score = (out: string, labels: string | null) => (labels ? `${out}[:, :1]` : out);
const classLoss = (out: string, labels: string) => `F.cross_entropy(${out}[:, 1:], ${labels}.argmax(dim=1))`;

function critic(ctx: TorchStepContext, penalty: string) {
  const group = ctx.groupBehind('real');
  if (!group) throw new NodeError(`needs its "real" input to come from a discriminator group for the ${penalty}`);
  return group;
}

/** Gulrajani et al. 2017: λ·(‖∇D(x̂)‖₂ − 1)² on random interpolates x̂ of real and generated data. */
function gradientPenalty(ctx: TorchStepContext<AdversarialParams>): string[] {
  const d = critic(ctx, 'gradient penalty');
  const real = d.input('real');
  const fake = d.input('fake');
  return [
    `mix = torch.rand(${real}.shape[0], *[1] * (${real}.dim() - 1), device=run.device)`,
    `x_hat = (mix * ${real} + (1 - mix) * ${fake}).requires_grad_(True)`,
    `grad, = torch.autograd.grad(${score(d.apply('x_hat'), classifierLabels(ctx))}.sum(), x_hat, create_graph=True)`,
    `penalty = ((grad.flatten(1).pow(2).sum(dim=1) + 1e-12).sqrt() - 1).pow(2).mean()`,
  ];
}

/** Mescheder et al. 2018: γ/2·E‖∇ₓD(x)‖² on real data only. */
function r1Penalty(ctx: TorchStepContext<AdversarialParams>): string[] {
  const d = critic(ctx, 'R1 penalty');
  return [
    `real = ${d.input('real')}.detach().requires_grad_(True)`,
    `grad, = torch.autograd.grad(${score(d.apply('real'), classifierLabels(ctx))}.sum(), real, create_graph=True)`,
    `r1 = grad.pow(2).flatten(1).sum(dim=1).mean()`,
  ];
}

function discriminatorLoss(ctx: TorchStepContext<AdversarialParams>): TorchLoss {
  const p = ctx.params;
  const labels = classifierLabels(ctx);
  const real = score(ctx.input('real'), labels);
  const fake = score(ctx.input('fake'), labels);
  const lines: string[] = [];
  let value: string;
  switch (p.variant) {
    case 'hinge':
      value = `F.relu(1 - ${real}).mean() + F.relu(1 + ${fake}).mean()`;
      break;
    case 'leastSquares':
      value = `0.5 * ((${real} - 1).pow(2).mean() + ${fake}.pow(2).mean())`;
      break;
    case 'wassersteinGP':
      value = `${fake}.mean() - ${real}.mean()`;
      if (p.gpWeight > 0) {
        lines.push(...gradientPenalty(ctx));
        value += ` + ${pyFloat(p.gpWeight)} * penalty`;
      }
      break;
    default: // BCE with logits: −log σ(real) − log(1 − σ(fake))
      value = `F.softplus(-${real}).mean() + F.softplus(${fake}).mean()`;
  }
  if (p.r1Weight > 0) {
    lines.push(...r1Penalty(ctx));
    value += ` + ${pyFloat(p.r1Weight / 2)} * r1`;
  }
  if (labels && p.classWeight > 0) {
    const terms = [
      ...(namesReals(ctx) ? [classLoss(ctx.input('real'), labels)] : []),
      ...(namesFakes(ctx) ? [classLoss(ctx.input('fake'), labels)] : []),
    ];
    value += ` + ${pyFloat(p.classWeight)} * (${terms.join(' + ')})`;
  }
  return { lines, value };
}

function generatorLoss(ctx: TorchStepContext<AdversarialParams>): TorchLoss {
  const labels = classifierLabels(ctx);
  const fake = score(ctx.input('fake'), labels);
  const classTerm = labels && namesFakes(ctx) && ctx.params.classWeight > 0 ? ` + ${pyFloat(ctx.params.classWeight)} * ${classLoss(ctx.input('fake'), labels)}` : '';
  return { lines: [], value: variantGeneratorLoss(ctx.params.variant, fake) + classTerm };
}

function variantGeneratorLoss(variant: AdversarialParams['variant'], fake: string): string {
  switch (variant) {
    case 'leastSquares':
      return `0.5 * (${fake} - 1).pow(2).mean()`;
    case 'hinge':
    case 'wassersteinGP':
      return `-${fake}.mean()`;
    default: // non-saturating: −log σ(fake)
      return `F.softplus(-${fake}).mean()`;
  }
}

export const adversarialTorch = torchExporter<AdversarialParams>({
  type: 'adversarial',
  loss(objective, ctx) {
    if (objective === 'discriminator') return discriminatorLoss(ctx);
    if (objective === 'generator') return generatorLoss(ctx);
    throw new NodeError(`has no objective "${objective}" to export`);
  },
});

export const crossEntropyTorch = torchExporter<ParamsOf<typeof crossEntropy.params>>({
  type: 'crossEntropy',
  loss(_objective, ctx) {
    const logits = ctx.input('logits');
    const target = ctx.input('target');
    const classes = ctx.inputs.logits[ctx.inputs.logits.length - 1];
    const oneHot = ctx.inputs.target.length === ctx.inputs.logits.length;
    const smoothing = ctx.params.labelSmoothing;
    // Class ids (a language model's next characters) or one-hot targets (a classifier's labels).
    const ids = oneHot ? `${target}.argmax(dim=-1)` : `${target}.long()`;
    // Id -1 is a padding position (text with one line per example), which counts for nothing.
    const args = (oneHot ? '' : ', ignore_index=-1') + (smoothing > 0 ? `, label_smoothing=${pyFloat(smoothing)}` : '');
    const value = `F.cross_entropy(${logits}.reshape(-1, ${classes}), ${ids}.reshape(-1)${args})`;
    return oneHot ? { lines: [], value } : { lines: [], value, terms: `(${target} >= 0).sum()` };
  },
});
