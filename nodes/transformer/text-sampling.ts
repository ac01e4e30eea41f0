// How a language model is sampled: token by token, feeding the sampled text back through the graph
// from the text dataset's token port to the logits its cross-entropy loss reads.
import type { SamplerDef, SampleEnv, SamplingPlan } from '../sampling';
import { drawTextIds } from './text-draw';
import { sampleText } from './text-sampler';

/** The end-of-text token as a running text's sample shows it. */
const RUNNING_TEXT_PROMPT = 'The ';

function textInfo(env: SampleEnv, plan: SamplingPlan) {
  const info = env.dataOf(plan.node);
  if (!info?.tokenizer) throw new Error('this language model has no tokenizer: its text dataset did not load');
  return { tokenizer: info.tokenizer, lines: info.lines ?? true };
}

export const textSampler: SamplerDef = {
  plan(q, id, params) {
    // The logits are the loss input computed downstream of the tokens; the other input (targets)
    // comes straight from this node.
    for (const loss of q.losses()) {
      for (const port of q.inputPorts(loss)) {
        const ref = q.inputOf(loss, port);
        if (!ref || ref.node === id || !q.isUpstream(id, ref.node)) continue;
        return {
          output: 'text',
          refs: { tokens: { node: id, port: 'tokens' }, logits: ref },
          settings: { contextLength: Number(params.contextLength) },
          features: ['prompt'],
        };
      }
    }
    return null;
  },
  async sample(env, plan, req) {
    const { tokenizer, lines } = textInfo(env, plan);
    const texts: string[] = [];
    for (let i = 0; i < req.count; i++) {
      let so = '';
      const out = await sampleText({
        logitsFn: (ids) =>
          env.evaluate(plan.refs.logits, { batchSize: 1, seed: req.seed, salt: 11, overrides: [[plan.refs.tokens, ids]] }),
        tokenizer,
        contextLength: plan.settings.contextLength,
        prompt: req.prompt ?? (lines ? '' : RUNNING_TEXT_PROMPT),
        primeWithEnd: lines,
        stopAtEnd: lines,
        maxTokens: req.maxTokens ?? 40,
        temperature: req.temperature ?? 1,
        topK: req.topK ?? 0,
        topP: req.topP ?? 1,
        seed: req.seed + i,
        onToken: (t) => {
          so += t;
          req.onText?.(i, so);
        },
      });
      texts.push(out.text);
    }
    return { batch: { kind: 'text', texts } };
  },
  draw: drawTextIds,
};

