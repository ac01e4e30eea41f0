import type { ParamsOf } from './types';
import { pyFloat, torchExporter } from './torch-exporter';
import type { klDivergence, reparameterize } from './vae';

export const reparameterizeTorch = torchExporter<ParamsOf<typeof reparameterize.params>>({
  type: 'reparameterize',
  run(ctx) {
    const mean = ctx.input('mean');
    return { lines: [`${ctx.out('z')} = ${mean} + torch.exp(0.5 * ${ctx.input('logvar')}) * torch.randn_like(${mean})`] };
  },
  // Sampling decodes codes drawn from the prior N(0, I).
  sample(ctx) {
    const shape = ctx.outputs.z.slice(1).join(', ');
    return { lines: [`${ctx.out('z')} = torch.randn(${ctx.batch}, ${shape}, device=run.device)`] };
  },
  sampler(ctx) {
    const { target, decoded } = ctx.plan.refs;
    const x = ctx.evaluate(target);
    return { lines: x.lines, value: decoded ? ctx.toData(decoded, x.value) : x.value };
  },
});

export const klDivergenceTorch = torchExporter<ParamsOf<typeof klDivergence.params>>({
  type: 'klDivergence',
  loss(_objective, ctx) {
    const { beta, warmupSteps } = ctx.params;
    const mean = ctx.input('mean');
    const logvar = ctx.input('logvar');
    const kl = `-0.5 * (1 + ${logvar} - ${mean} ** 2 - ${logvar}.exp()).flatten(1).sum(dim=1).mean()`;
    if (warmupSteps <= 0) return { lines: [], value: beta === 1 ? kl : `${pyFloat(beta)} * (${kl})` };
    // β rises linearly from 0 over the first steps, so the decoder learns before the prior pulls.
    const rise = `min(1.0, ${ctx.step} / ${warmupSteps})`;
    return { lines: [`beta = ${beta === 1 ? rise : `${pyFloat(beta)} * ${rise}`}`], value: `beta * (${kl})` };
  },
});
