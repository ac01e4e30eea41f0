import { DATASETS } from '../datasets';
import { NodeError, type ParamsOf } from '../types';
import { torchExporter } from '../torch-exporter';
import { nextBatch } from '../data.torch';
import type { textDataset } from './text-dataset';

/** Tokens a sample runs to at most, as the app's sampler. */
const MAX_TOKENS = 40;
/** A running text's samples start from this prompt; names start from the end-of-text token alone. */
const RUNNING_TEXT_PROMPT = 'The ';

export const textDatasetTorch = torchExporter<ParamsOf<typeof textDataset.params>>({
  type: 'textDataset',
  run(ctx) {
    if (ctx.params.corpus === 'upload')
      throw new NodeError('reads an uploaded text, which stays in the browser: the PyTorch export writes only built-in corpora', 'corpus');
    return { lines: [nextBatch(ctx)] };
  },
  sampler(ctx) {
    const { tokens, logits } = ctx.plan.refs;
    const T = ctx.params.contextLength;
    const lines = DATASETS[ctx.params.corpus]?.lines === true;
    const next = ctx.evaluate(logits, [[tokens, 'ids[:, -CONTEXT:]']]);
    const start = lines
      ? `ids = torch.zeros(count, 1, dtype=torch.long, device=run.device)  # every name follows the end-of-text token`
      : `ids = data.encode(${JSON.stringify(RUNNING_TEXT_PROMPT)}, ${JSON.stringify(ctx.id)}).to(run.device).repeat(count, 1)`;
    return {
      lines: [
        `CONTEXT = ${T}`,
        start,
        `for _ in range(${MAX_TOKENS}):`,
        ...next.lines.map((l) => `    ${l}`),
        `    probs = ${next.value}[:, -1].softmax(dim=-1)  # the next character's distribution, (count, vocab)`,
        `    ids = torch.cat([ids, torch.multinomial(probs, 1)], dim=1)`,
      ],
      value: `[data.decode(row, ${JSON.stringify(ctx.id)}, stop_at_end=${lines ? 'True' : 'False'}) for row in ids${lines ? '[:, 1:]' : ''}.tolist()]`,
    };
  },
});
