import type { ParamsOf } from './types';
import { pyFloat, torchExporter } from './torch-exporter';
import type { reconstruction } from './reconstruction';

export const reconstructionTorch = torchExporter<ParamsOf<typeof reconstruction.params>>({
  type: 'reconstruction',
  loss(_objective, ctx) {
    const p = ctx.params;
    const pred = ctx.input('pred');
    const target = ctx.input('target');
    const lines: string[] = [];
    let element: string;
    switch (p.kind) {
      case 'l1':
        element = `(${pred} - ${target}).abs()`;
        break;
      case 'bce': // against grey levels in [0, 1]
        element = `F.binary_cross_entropy_with_logits(${pred}, (${target} + 1) / 2, reduction="none")`;
        break;
      case 'bernoulli': // binarized afresh at every step, each pixel on with probability its grey level
        lines.push(`binary = (torch.rand_like(${target}) < (${target} + 1) / 2).float()`);
        element = `F.binary_cross_entropy_with_logits(${pred}, binary, reduction="none")`;
        break;
      case 'gaussian':
        element = `0.5 * ((${pred} - ${target}) / ${pyFloat(p.sigma)}) ** 2 + ${pyFloat(Math.log(p.sigma) + 0.5 * Math.log(2 * Math.PI))}`;
        break;
      default:
        element = `(${pred} - ${target}) ** 2`;
    }
    // sum: over an example's features, then the mean over the batch; mean: over everything.
    const reduced = p.reduction === 'sum' ? `(${element}).flatten(1).sum(dim=1).mean()` : `(${element}).mean()`;
    return { lines, value: p.weight === 1 ? reduced : `${pyFloat(p.weight)} * ${reduced}` };
  },
  // Logits of a Bernoulli decoder become images through σ, scaled to [-1, 1].
  toData: (p, x) => (p.kind === 'bce' || p.kind === 'bernoulli' ? `torch.sigmoid(${x}) * 2 - 1` : x),
});
