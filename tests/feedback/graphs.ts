// Tiny feedback graphs for the tests: a 2-D GAN with a reward model and a reward fine-tune, and a
// character GPT on names with DPO.
import type { GraphDocument } from '../../runtime/graph/document';
import { diffusionDoc, doc, e, ganDoc, n } from '../compiler/docs';

export function rewardGanDoc(opts: { rater?: string; beta?: number; duringFineTune?: boolean } = {}): GraphDocument {
  const g = ganDoc({ duringFineTune: opts.duringFineTune ?? false });
  g.nodes.push(
    n('prefs', 'preferences', { kind: 'points', rater: opts.rater ?? 'x-coordinate', tau: 0, roundPairs: 32, rewardSteps: 20, tuneSteps: 20 }),
    n('R', 'rewardModel', {}, { width: 300, height: 300 }),
    n('r1', 'dense', { units: 16, activation: 'relu' }, { parentId: 'R' }),
    n('r2', 'dense', { units: 1 }, { parentId: 'R' }),
    n('bt', 'bradleyTerry', { learningRate: 0.01 }),
    n('tune', 'rewardTune', { beta: opts.beta ?? 0.1, learningRate: 0.01 }),
  );
  g.edges.push(
    e('prefs.chosen', 'R.chosen'),
    e('prefs.rejected', 'R.rejected'),
    e('g2.out', 'R.generated'),
    e('R.innerIn', 'r1.in'),
    e('r1.out', 'r2.in'),
    e('r2.out', 'R.innerOut'),
    e('R.chosenReward', 'bt.chosen'),
    e('R.rejectedReward', 'bt.rejected'),
    e('prefs.tie', 'bt.tie'),
    e('R.generatedReward', 'tune.reward'),
    e('g2.out', 'tune.sample'),
  );
  g.training = { ...g.training, batchSize: 32, seed: 3 };
  return g;
}

export const NAMES_T = 12;

export function dpoGptDoc(opts: { rater?: string; beta?: number } = {}): GraphDocument {
  return doc(
    [
      n('text', 'textDataset', { corpus: 'names', contextLength: NAMES_T }),
      n('embed', 'tokenEmbedding', { dim: 16 }),
      n('positions', 'positionalEmbedding', { mode: 'learned' }),
      n('block', 'transformerBlock', { heads: 2, ffMultiplier: 2 }),
      n('head', 'lmHead'),
      n('loss', 'crossEntropy'),
      n('prefs', 'preferences', { kind: 'text', rater: opts.rater ?? 'ends-in-a', contextLength: NAMES_T, roundPairs: 16, rewardSteps: 0, tuneSteps: 10 }),
      n('dpo', 'dpo', { beta: opts.beta ?? 0.1, learningRate: 0.003 }),
    ],
    [
      e('text.tokens', 'embed.tokens'),
      e('embed.out', 'positions.in'),
      e('positions.out', 'block.in'),
      e('block.out', 'head.in'),
      e('head.logits', 'loss.logits'),
      e('text.targets', 'loss.target'),
      e('head.logits', 'dpo.logits'),
      e('text.tokens', 'dpo.tokens'),
      e('prefs.chosen', 'dpo.chosen'),
      e('prefs.rejected', 'dpo.rejected'),
      e('prefs.tie', 'dpo.tie'),
    ],
    { batchSize: 8, seed: 2, learningRate: 0.003 },
  );
}

/** The names GPT with a reward model over token ids (embedding, flatten, MLP) and a REINFORCE fine-tune. */
export function reinforceGptDoc(opts: { rater?: string; beta?: number } = {}): GraphDocument {
  const d = dpoGptDoc({ rater: opts.rater });
  d.nodes = d.nodes.filter((x) => x.id !== 'dpo');
  d.edges = d.edges.filter((x) => x.target !== 'dpo');
  d.nodes.find((x) => x.id === 'prefs')!.params = { kind: 'text', rater: opts.rater ?? 'ends-in-a', contextLength: NAMES_T, roundPairs: 16, rewardSteps: 10, tuneSteps: 10 };
  d.nodes.push(
    n('R', 'rewardModel', {}, { width: 300, height: 300 }),
    n('rEmbed', 'tokenEmbedding', { vocabSize: 28, dim: 8 }, { parentId: 'R' }),
    n('rFlat', 'flatten', {}, { parentId: 'R' }),
    n('r1', 'dense', { units: 32, activation: 'relu' }, { parentId: 'R' }),
    n('r2', 'dense', { units: 1 }, { parentId: 'R' }),
    n('bt', 'bradleyTerry', { learningRate: 0.01 }),
    n('rl', 'reinforce', { beta: opts.beta ?? 0.1, learningRate: 0.003 }),
  );
  d.edges.push(
    e('prefs.chosen', 'R.chosen'),
    e('prefs.rejected', 'R.rejected'),
    e('R.innerIn', 'rEmbed.tokens'),
    e('rEmbed.out', 'rFlat.in'),
    e('rFlat.out', 'r1.in'),
    e('r1.out', 'r2.in'),
    e('r2.out', 'R.innerOut'),
    e('R.chosenReward', 'bt.chosen'),
    e('R.rejectedReward', 'bt.rejected'),
    e('prefs.tie', 'bt.tie'),
    e('head.logits', 'rl.logits'),
    e('text.tokens', 'rl.tokens'),
    e('R.chosenReward', 'rl.reward'),
  );
  return d;
}

/** A tiny 2-D diffusion model (ring, 50 steps) with preference pairs and a Diffusion-DPO fine-tune. */
export function diffusionDpoDoc(opts: { beta?: number; rater?: string } = {}): GraphDocument {
  const d = diffusionDoc();
  d.nodes.push(
    n('prefs', 'preferences', { kind: 'points', rater: opts.rater ?? 'x-coordinate', tau: 0, roundPairs: 16, rewardSteps: 0, tuneSteps: 10 }),
    n('ddpo', 'diffusionDpo', { beta: opts.beta ?? 5, learningRate: 0.01 }),
  );
  d.edges.push(
    e('epsHat.out', 'ddpo.pred'),
    e('q.xt', 'ddpo.xt'),
    e('q.t', 'ddpo.t'),
    e('sched.schedule', 'ddpo.schedule'),
    e('prefs.chosen', 'ddpo.chosen'),
    e('prefs.rejected', 'ddpo.rejected'),
    e('prefs.tie', 'ddpo.tie'),
  );
  return d;
}
