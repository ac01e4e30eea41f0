// What the fine-tune losses (DPO, REINFORCE, the reward fine-tune, Diffusion-DPO) share, so that their
// inspectors read alike and a change to one reaches them all.
import { formatShape } from '../shape';
import { NodeError, type ParamSpec, type PortDef, type Shape } from '../types';

/** The role of the network a fine-tune trains; its frozen reference copy is made from it. */
export const POLICY_ROLE = 'policy';

/** Each fine-tune runs on an optimizer of its own, at a rate far below pre-training's. */
export const FINE_TUNE_LEARNING_RATE: Extract<ParamSpec, { kind: 'float' }> = {
  kind: 'float', default: 1e-4, min: 1e-7, max: 1, step: 1e-5, label: 'learning rate', doc: "The fine-tune's own learning rate.",
};

/** A language model being fine-tuned: its logits (the policy) and the tokens it reads. */
export const LANGUAGE_MODEL_INPUTS: PortDef[] = [
  { id: 'logits', kind: 'tensor', role: POLICY_ROLE, doc: "The language model's next-token logits [batch, T, vocabulary]." },
  { id: 'tokens', kind: 'tensor', dtype: 'int32', doc: "The token ids the language model reads [batch, T]: its text dataset's tokens." },
];

/** Logits [batch, T, vocabulary] for tokens [batch, T]; returns T. */
export function languageModelContext(logits: Shape, tokens: Shape): number | null {
  if (logits.length !== 3 || tokens.length !== 2 || logits[1] !== tokens[1])
    throw new NodeError(`expects logits [batch, T, vocabulary] for tokens [batch, T], got ${formatShape(logits)} and ${formatShape(tokens)}`);
  return tokens[1];
}
