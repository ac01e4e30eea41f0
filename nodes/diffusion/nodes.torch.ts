import type { ParamsOf } from '../types';
import { pyFloat, torchExporter } from '../torch-exporter';
import type { addNoise, noisePrediction, noiseSchedule } from './nodes';

const BETAS: Record<string, string> = {
  linear: `def linear_betas(T):
    """Ho et al. 2020: beta from 1e-4 to 0.02 over T = 1000, both ends scaled by 1000/T for other T."""
    scale = 1000 / T
    return torch.linspace(scale * 1e-4, scale * 0.02, T, dtype=torch.float64).clamp(max=0.999)
`,
  cosine: `def cosine_betas(T, s=0.008):
    """Nichol & Dhariwal 2021, eq. 17: alpha_bar(t) = f(t)/f(0), f(t) = cos^2(((t/T) + s)/(1 + s) * pi/2)."""
    f = torch.cos(((torch.arange(T + 1, dtype=torch.float64) / T) + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=0.999)
`,
};

const ADD_NOISE = `def add_noise(x0, alpha_bars, prediction="eps", min_snr=None):
    """q(x_t | x_0) at a random step t per example: x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps;
    returns x_t, t, the denoiser's target (eps, x0 or v = sqrt(alpha_bar) eps - sqrt(1 - alpha_bar) x0) and each
    example's loss weight: 1, or with min_snr = gamma the min-SNR weight (Hang et al. 2023), min(SNR, gamma) on the
    x0 error, SNR = alpha_bar / (1 - alpha_bar), divided by SNR for an eps target and by SNR + 1 for v."""
    t = torch.randint(0, len(alpha_bars), (x0.shape[0],), device=x0.device)
    ab = alpha_bars.to(x0.device)[t].view(-1, *[1] * (x0.dim() - 1))
    eps = torch.randn_like(x0)
    target = {"eps": eps, "x0": x0, "v": ab.sqrt() * eps - (1 - ab).sqrt() * x0}[prediction]
    weight = torch.ones(x0.shape[0], 1, device=x0.device)
    if min_snr is not None:
        snr = (ab / (1 - ab)).view(-1, 1)
        weight = snr.clamp(max=min_snr) / {"eps": snr, "x0": 1, "v": snr + 1}[prediction]
    return ab.sqrt() * x0 + (1 - ab).sqrt() * eps, t.float().view(-1, 1), target, weight
`;

/** x0 and ε from the network's output `out` at x_t, as the sampler (nodes/diffusion/sampler.ts) reads it. */
const FROM_PREDICTION: Record<string, (out: string) => string[]> = {
  eps: (out) => [`    x0 = (x - (1 - ab).sqrt() * ${out}) / ab.sqrt()`],
  x0: (out) => [`    x0 = ${out}`],
  v: (out) => [`    x0 = ab.sqrt() * x - (1 - ab).sqrt() * ${out}`],
};

const REVERSE = `def reverse_steps(T, steps):
    """steps step indices from T - 1 down to 0, evenly spaced."""
    if steps == 1:
        return [T - 1]
    return [round(i * (T - 1) / (steps - 1)) for i in range(steps - 1, -1, -1)]
`;

export const noiseScheduleTorch = torchExporter<ParamsOf<typeof noiseSchedule.params>>({
  type: 'noiseSchedule',
  run(ctx) {
    const kind = ctx.params.kind;
    // ᾱ_t in double precision, as Genloom computes it, then float32.
    return {
      lines: [`${ctx.out('schedule')} = torch.cumprod(1 - ${kind}_betas(${ctx.params.T}), dim=0).float()  # alpha_bar_t, (T,)`],
      helpers: { [`${kind}_betas`]: BETAS[kind] },
    };
  },
});

export const addNoiseTorch = torchExporter<ParamsOf<typeof addNoise.params>>({
  type: 'addNoise',
  run(ctx) {
    return {
      lines: [
        `${ctx.out('xt')}, ${ctx.out('t')}, ${ctx.out('eps')}, ${ctx.out('weight')} = add_noise(${ctx.input('x0')}, ${ctx.input('schedule')}, "${ctx.params.prediction}"` +
          `${ctx.params.weighting === 'min-snr' ? `, min_snr=${ctx.params.snrGamma}` : ''})`,
      ],
      helpers: { add_noise: ADD_NOISE },
    };
  },
  // Class-conditional graphs sample at guidance scale 1: the classes come one row per class from the
  // dataset, through the label-dropout node's sampling mode.
  sampler(ctx) {
    const { schedule, prediction, xt, t } = ctx.plan.refs;
    const kind = (ctx.paramsOf(ctx.plan.node) as ParamsOf<typeof addNoise.params>).prediction ?? 'eps';
    const shape = ctx.plan.shape!;
    const alphaBars = ctx.evaluate(schedule);
    const ab = alphaBars.value; // ᾱ_t, (T,)
    const eps = ctx.evaluate(prediction, [[xt, 'x'], [t, 't']]);
    const dims = shape.length === 4 ? [shape[3], shape[1], shape[2]] : shape.slice(1);
    const settings = ctx.paramsOf(schedule.node) as ParamsOf<typeof noiseSchedule.params>;
    const sampler = settings.sampler;
    const steps = sampler === 'ddpm' ? settings.T : Math.min(settings.sampleSteps, settings.T);
    // Predicted x0 is kept in range: images in [-1, 1]; points within 1.5× the data's reach.
    const source = ctx.inputOf(ctx.id, 'x0');
    const limit = shape.length === 4 ? '1.0' : `1.5 * data.reach(${JSON.stringify(source?.node)})`;
    const lines = [
      ...alphaBars.lines,
      `limit = ${limit}`,
      `x = torch.randn(count, ${dims.join(', ')}, device=run.device)`,
      `seq = reverse_steps(len(${ab}), ${steps})`,
      `for i, step in enumerate(seq):`,
      `    ab = ${ab}[step]`,
      `    ab_prev = ${ab}[seq[i + 1]] if i + 1 < len(seq) else torch.tensor(1.0)`,
      `    t = torch.full((count, 1), float(step), device=run.device)`,
      ...eps.lines.map((l) => `    ${l}`),
      ...FROM_PREDICTION[kind](eps.value),
      `    x0 = x0.clamp(-limit, limit)`,
      ...(sampler === 'ddim'
        ? [
            `    eps = (x - ab.sqrt() * x0) / (1 - ab).sqrt()  # the noise the clamped x0 implies`,
            `    sigma = ${pyFloat(settings.eta)} * ((1 - ab_prev) / (1 - ab) * (1 - ab / ab_prev)).sqrt()`,
            `    x = ab_prev.sqrt() * x0 + (1 - ab_prev - sigma ** 2).clamp(min=0).sqrt() * eps`,
            `    if i + 1 < len(seq):`,
            `        x = x + sigma * torch.randn_like(x)`,
          ]
        : [
            `    beta = 1 - ab / ab_prev`,
            `    x = (ab_prev.sqrt() * beta / (1 - ab)) * x0 + ((1 - beta).sqrt() * (1 - ab_prev) / (1 - ab)) * x`,
            `    if i + 1 < len(seq):`,
            settings.variance === 'beta'
              ? `        x = x + beta.sqrt() * torch.randn_like(x)`
              : `        x = x + (beta * (1 - ab_prev) / (1 - ab)).sqrt() * torch.randn_like(x)`,
          ]),
    ];
    return { lines, value: 'x', helpers: { reverse_steps: REVERSE } };
  },
});

export const noisePredictionTorch = torchExporter<ParamsOf<typeof noisePrediction.params>>({
  type: 'noisePrediction',
  loss(_objective, ctx) {
    if (!ctx.has('weight')) return { lines: [], value: `F.mse_loss(${ctx.input('pred')}, ${ctx.input('eps')})` };
    const sq = `(${ctx.input('pred')} - ${ctx.input('eps')}) ** 2`;
    return { lines: [], value: `(${ctx.input('weight')}.view(-1) * (${sq}).flatten(1).mean(dim=1)).mean()` };
  },
});
