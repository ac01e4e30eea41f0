// REINFORCE with a per-token KL penalty in PyTorch, as nodes/feedback/reinforce.ts computes it: each
// step draws the batch's names from the model itself, one position at a time, scores them with the
// reward model's inner network, and weighs each token's log-probability by its advantage.
import { NodeError, type ParamsOf } from '../types';
import { pyFloat, torchExporter } from '../torch-exporter';
import { named, TOKEN_LOG_PROBS } from './feedback.torch';
import type { reinforce } from './reinforce';

/**
 * reinforceAdvantages in python. Under torchrun each process draws its own names, so the baseline and
 * the spread are those of its share of the batch.
 */
export const REINFORCE_ADVANTAGES = `def reinforce_advantages(logp, ref_logp, mask, reward, beta):
    """Each token's advantage (N, T): (r - b) / s - beta * (KL to go), b the mean reward of the other names,
    s the rewards' spread, the KL log pi - log pi_ref summed from that token to the end of its name."""
    n = len(reward)
    baseline = (reward.sum() - reward) / max(n - 1, 1)  # leave-one-out: keeps the estimate unbiased
    spread = reward.std() if n > 1 else 0.0
    # All rewards alike: nothing to learn from them, only the KL term acts.
    from_reward = (reward - baseline) / spread if spread > 1e-8 else torch.zeros_like(reward)
    kl_to_go = ((logp - ref_logp) * mask).flip(-1).cumsum(-1).flip(-1)
    return (from_reward[:, None] - beta * kl_to_go) * mask
`;

export const reinforceTorch = torchExporter<ParamsOf<typeof reinforce.params>>({
  type: 'reinforce',
  loss(_objective, ctx) {
    const v = (s: string) => named(ctx, s);
    const group = ctx.groupBehind('reward');
    if (!group) throw new NodeError('input "reward" must come from a reward model group, whose inner network scores the drawn names', 'reward');
    const T = ctx.inputs.tokens[1];
    if (T === null) throw new NodeError('needs a fixed context length T to draw names of at most T tokens', 'tokens');
    // The model reads the names drawn so far, the rest read as end tokens (exact for a causal model).
    const draw = ctx.rerun({ tokens: v('tokens') }, 'draw');
    const names = ctx.rerun({ tokens: v('tokens') }, 'names');
    // Asking for a rerun's values writes its statements, so they are asked for before the lines are placed.
    const drawLogits = draw.input('logits');
    const logits = names.input('logits');
    const refLogits = names.reference('logits');
    const [seqs, tokens, targets, next, open] = ['seqs', 'tokens', 'targets', 'next', 'open'].map(v);
    const readTokens = `${tokens} = ${seqs}[:, :-1].clamp(min=0)  # (B, ${T}), padding read as the end token`;
    return {
      lines: [
        `# The batch's names drawn from the model itself: [end] c1 ... cn [end], padded with -1, (B, ${T + 1}).`,
        `${seqs} = torch.full((${ctx.batch}, ${T + 1}), -1, dtype=torch.long, device=run.device)`,
        `${seqs}[:, 0] = 0`,
        `${open} = torch.ones(${ctx.batch}, dtype=torch.bool, device=run.device)`,
        'with torch.no_grad():',
        `    for position in range(${T}):`,
        `        ${readTokens}`,
        ...draw.lines.map((l) => `        ${l}`),
        `        ${next} = torch.multinomial(${drawLogits}[:, position].softmax(-1), 1).squeeze(1)`,
        `        ${seqs}[:, position + 1] = ${next}.masked_fill(~${open}, -1)`,
        `        ${open} &= ${next} != 0`,
        `    ${v('reward')} = ${group.apply(seqs)}.reshape(-1)  # (B)`,
        readTokens,
        `${targets} = ${seqs}[:, 1:]`,
        ...names.lines,
        `${v('logp')} = token_log_probs(${logits}, ${targets})  # (B, ${T})`,
        `${v('ref_logp')} = token_log_probs(${refLogits}, ${targets})`,
        `${v('advantages')} = reinforce_advantages(${v('logp')}.detach(), ${v('ref_logp')}, ${targets} >= 0, ${v('reward')}, ${pyFloat(ctx.params.beta)})`,
      ],
      // −(1/B) Σ A_t log π(y_t): its gradient is the REINFORCE estimate's negative.
      value: `-(${v('advantages')} * ${v('logp')}).sum() / ${ctx.batch}`,
      helpers: { token_log_probs: TOKEN_LOG_PROBS, reinforce_advantages: REINFORCE_ADVANTAGES },
    };
  },
});
