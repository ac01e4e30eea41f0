// Learning from feedback in PyTorch: the pairs come from preferences.py beside train.py (the pairs a
// person rated, or the scripted rule written in python), the reward model is the discriminator's
// shared-weights pattern, and the losses are written as the definitions compute them.
import { pyFloat, torchExporter, type TorchStepContext } from '../torch-exporter';
import type { ParamsOf } from '../types';
import type { dpo } from './dpo';
import type { preferences } from './preference-data';
import type { bradleyTerry } from './reward-model';
import type { rewardTune } from './reward-tune';

/** A variable of this node's own, e.g. `bt_margin`. */
export const named = (ctx: TorchStepContext, s: string) => `${ctx.id.replace(/[^A-Za-z0-9_]/g, '_')}_${s}`;

/** −log σ(margin) averaged, a tie counting as half a win each way (as bradleyTerryLoss). */
export function bradleyTerryLines(ctx: TorchStepContext, margin: string): { lines: string[]; value: string } {
  if (!ctx.has('tie')) return { lines: [], value: `F.softplus(-${margin}).mean()` };
  const tie = ctx.input('tie');
  const win = named(ctx, 'win');
  return {
    lines: [`${win} = F.softplus(-${margin})  # −log σ(margin)`],
    value: `((1 - ${tie}) * ${win} + ${tie} * 0.5 * (${win} + F.softplus(${margin}))).mean()`,
  };
}

/** log p of each target token (N, T), 0 at the padding (−1), as tokenLogProbs. */
export const TOKEN_LOG_PROBS = `def token_log_probs(logits, targets):
    """log p of each target token (N, T), 0 where the target is padding (−1)."""
    picked = logits.log_softmax(-1).gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)  # (N, T)
    return picked * (targets >= 0)
`;

export const preferencesTorch = torchExporter<ParamsOf<typeof preferences.params>>({
  type: 'preferences',
  run(ctx) {
    const outs = ['chosen', 'rejected', 'tie'].map((p) => ctx.out(p));
    return { lines: [`${outs.join(', ')} = run.pairs[${JSON.stringify(ctx.id)}].batch(run.batch, run.device)`] };
  },
});

/**
 * The reward model's inner network scores each route's samples as they are; names come padded with
 * −1 after their end token, which it reads as more end tokens (id 0), as Genloom's group does.
 */
export const rewardModelTorch = torchExporter<Record<string, never>>({
  type: 'rewardModel',
  group(ctx) {
    const pairs = ctx.source('chosen');
    const text = pairs?.type === 'preferences' && pairs.params.kind === 'text';
    return { prepare: (x) => (text ? `${x}.clamp(min=0)` : x) };
  },
});

export const bradleyTerryTorch = torchExporter<ParamsOf<typeof bradleyTerry.params>>({
  type: 'bradleyTerry',
  loss(_objective, ctx) {
    const margin = named(ctx, 'margin');
    const bt = bradleyTerryLines(ctx, margin);
    return {
      lines: [`${margin} = ${ctx.input('chosen')}.reshape(-1) - ${ctx.input('rejected')}.reshape(-1)  # r(chosen) − r(rejected)`, ...bt.lines],
      value: bt.value,
    };
  },
});

export const dpoTorch = torchExporter<ParamsOf<typeof dpo.params>>({
  type: 'dpo',
  loss(_objective, ctx) {
    const v = (s: string) => named(ctx, s);
    const lm = ctx.rerun({ tokens: v('tokens') }, 'pairs');
    const logits = lm.input('logits');
    const refLogits = lm.reference('logits');
    const margin = v('margin');
    const bt = bradleyTerryLines(ctx, margin);
    return {
      lines: [
        `${v('seqs')} = torch.cat([${ctx.input('chosen')}, ${ctx.input('rejected')}])  # (2B, T + 1): [end] name [end], padded with −1`,
        `${v('tokens')} = ${v('seqs')}[:, :-1].clamp(min=0)  # padding read as the end token`,
        `${v('targets')} = ${v('seqs')}[:, 1:]`,
        ...lm.lines,
        `${v('log_ratio')} = (token_log_probs(${logits}, ${v('targets')}) - token_log_probs(${refLogits}, ${v('targets')})).sum(-1)  # log π/π_ref of each name`,
        `${v('chosen_ratio')}, ${v('rejected_ratio')} = ${v('log_ratio')}.chunk(2)`,
        `${margin} = ${pyFloat(ctx.params.beta)} * (${v('chosen_ratio')} - ${v('rejected_ratio')})`,
        ...bt.lines,
      ],
      value: bt.value,
      helpers: { token_log_probs: TOKEN_LOG_PROBS },
    };
  },
});

export const rewardTuneTorch = torchExporter<ParamsOf<typeof rewardTune.params>>({
  type: 'rewardTune',
  loss(_objective, ctx) {
    const v = (s: string) => named(ctx, s);
    const reward = ctx.input('reward');
    const x = ctx.input('sample');
    const ref = ctx.reference('sample');
    const refReward = ctx.reference('reward');
    return {
      lines: [
        // In units of the reference samples' reward spread: a Bradley–Terry fit keeps growing its scale.
        `${v('spread')} = ${refReward}.reshape(-1).std(unbiased=False) + 1e-6`,
        `${v('anchor')} = (${x} - ${ref}).pow(2).flatten(1).sum(dim=1).mean()  # ‖G(z) − G_ref(z)‖²`,
      ],
      value: `${pyFloat(ctx.params.beta)} * ${v('anchor')} - ${reward}.reshape(-1).mean() / ${v('spread')}`,
    };
  },
});
