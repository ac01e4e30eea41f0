// Diffusion-DPO in PyTorch, as nodes/feedback/diffusion-dpo.ts computes it: each pair's winner and
// loser noised with one step t and one noise ε, both fed to the denoiser in place of add-noise's x_t
// and t, and their errors compared with the frozen reference denoiser's.
import type { ParamsOf } from '../types';
import { pyFloat, torchExporter } from '../torch-exporter';
import { bradleyTerryLines, named } from './feedback.torch';
import type { diffusionDpo } from './diffusion-dpo';

/** pairNoise in python. */
export const PAIR_NOISE = `def pair_noise(chosen, rejected, alpha_bars):
    """Winners and losers noised together, one step t and one noise eps per pair shared by its two samples:
    x_t (2B, ...) winners first, t (2B, 1) and eps (2B, ...)."""
    t = torch.randint(0, len(alpha_bars), (chosen.shape[0],), device=chosen.device)
    ab = alpha_bars.to(chosen.device)[t].view(-1, *[1] * (chosen.dim() - 1))
    eps = torch.randn_like(chosen)
    xt = torch.cat([ab.sqrt() * x0 + (1 - ab).sqrt() * eps for x0 in (chosen, rejected)])
    return xt, t.float().view(-1, 1).repeat(2, 1), torch.cat([eps, eps])
`;

export const diffusionDpoTorch = torchExporter<ParamsOf<typeof diffusionDpo.params>>({
  type: 'diffusionDpo',
  loss(_objective, ctx) {
    const v = (s: string) => named(ctx, s);
    const [xt, t, eps] = ['xt', 't', 'eps'].map(v);
    const pairs = ctx.rerun({ xt, t }, 'pairs');
    const squaredError = (pred: string) => `(${eps} - ${pred}).pow(2).flatten(1).sum(1)`;
    // Asking for the rerun's values writes its statements, so they are asked for before the lines are placed.
    const errors = `${squaredError(pairs.input('pred'))} - ${squaredError(pairs.reference('pred'))}`;
    const margin = v('margin');
    const bt = bradleyTerryLines(ctx, margin);
    return {
      lines: [
        `${xt}, ${t}, ${eps} = pair_noise(${ctx.input('chosen')}, ${ctx.input('rejected')}, ${ctx.input('schedule')})`,
        ...pairs.lines,
        `# ‖eps − eps_theta‖² − ‖eps − eps_ref‖² of each sample, (2B)`,
        `${v('gaps')} = ${errors}`,
        `${v('chosen_gap')}, ${v('rejected_gap')} = ${v('gaps')}.chunk(2)`,
        // The winner's error falling relative to the reference's, more than the loser's, raises the margin.
        `${margin} = -${pyFloat(ctx.params.beta)} * (${v('chosen_gap')} - ${v('rejected_gap')})`,
        ...bt.lines,
      ],
      value: bt.value,
      helpers: { pair_noise: PAIR_NOISE },
    };
  },
});
