// The preference data node: pairs of samples where a rater preferred one, as batches of `chosen` and
// `rejected` (and `tie`). The pairs come from the user (the app's feedback view hands them over like
// an upload) or from a scripted rater while the runtime's feedback loop runs.
import { defineNode, NodeError } from '../types';
import { PREFERENCE_KINDS } from './preferences';
import { RATER_NAMES, RATER_RULES } from './raters';

/** The rater who is the person using the app; every other rater is a scripted rule. */
export const HUMAN_RATER = 'you';

/** Text pairs: each sample is [end] c1 … cn [end] padded with this id, one token longer than the context. */
export const TEXT_PAD = -1;

export const preferences = defineNode({
  type: 'preferences',
  label: 'Preferences',
  category: 'data',
  role: 'source',
  doc: 'Pairs of samples where a rater preferred one: batches of the chosen and the rejected sample.',
  inputs: [],
  outputs: [
    { id: 'chosen', label: 'chosen', kind: 'tensor', doc: 'The preferred samples (text: [batch, T + 1] token ids, padded with −1).' },
    { id: 'rejected', label: 'rejected', kind: 'tensor', doc: 'The other samples, same shape.' },
    { id: 'tie', label: 'tie', kind: 'tensor', doc: '[batch] 1 where neither was preferred, else 0.' },
  ],
  params: {
    kind: { kind: 'enum', default: 'points', options: PREFERENCE_KINDS, doc: 'What is compared: names (text), images or 2-D points.' },
    rater: {
      kind: 'enum', default: HUMAN_RATER, options: [HUMAN_RATER, ...RATER_NAMES],
      doc: "Who judges: you in the app, or a scripted rule (the CLI's feedback loop).",
    },
    tau: {
      kind: 'float', default: 0, min: 0, max: 100, step: 0.05, label: 'rater τ',
      doc: 'Scripted raters: noise temperature; P(A ≻ B) = σ((r(A) − r(B)) / τ), 0 always picks the better one.',
    },
    letter: { kind: 'string', default: 'a', maxLength: 1, doc: 'Rule contains-letter: the letter a name should contain.' },
    digit: { kind: 'int', default: 3, min: 0, max: 9, doc: 'Rule digit-probability: the digit an image should show.' },
    pointX: { kind: 'float', default: 1, min: -100, max: 100, step: 0.1, label: 'point x', doc: 'Rule distance-to-point: x of the point.' },
    pointY: { kind: 'float', default: 0, min: -100, max: 100, step: 0.1, label: 'point y', doc: 'Rule distance-to-point: y of the point.' },
    contextLength: {
      kind: 'int', default: 16, min: 2, max: 256, label: 'context T',
      doc: "Text: the language model's context; a name and its two end tokens must fit in T + 1.",
    },
    imageShape: { kind: 'shape', default: [28, 28, 1], minLength: 3, maxLength: 3, label: 'image shape', doc: 'Images: [height, width, channels].' },
    testFraction: {
      kind: 'float', default: 0.2, min: 0.05, max: 0.5, step: 0.05, label: 'held out',
      doc: 'The share of pairs kept aside to measure how often the reward model agrees with the rater.',
    },
    roundPairs: {
      kind: 'int', default: 50, min: 1, max: 10_000, label: 'pairs a round',
      doc: "Scripted raters: pairs rated in each round of the CLI's feedback loop (npm run train -- --rounds N).",
    },
    rewardSteps: { kind: 'int', default: 200, min: 0, max: 100_000, label: 'reward steps a round', doc: 'Feedback loop: reward-model steps after each round of rating.' },
    tuneSteps: { kind: 'int', default: 100, min: 0, max: 100_000, label: 'fine-tune steps a round', doc: 'Feedback loop: fine-tuning steps after the reward model is fitted.' },
    pairsName: { kind: 'string', default: '', maxLength: 200, label: 'pairs', doc: 'The preference set this node reads (rated in the app or imported).' },
    pairCount: { kind: 'int', default: 0, min: 0, max: 100_000, label: 'pair count', doc: 'How many pairs the set held when it was handed over.' },
  },
  keyParams: ['kind', 'rater'],
  upload: { kind: 'preferences', choiceParam: 'rater', choiceValue: HUMAN_RATER, nameParam: 'pairsName', onlyWhenChosen: true },
  data(p) {
    const human = p.rater === HUMAN_RATER;
    return {
      kind: 'preferences',
      name: human ? p.pairsName : `rater:${p.rater}`,
      uploaded: human,
      preferenceKind: p.kind,
      exampleShape: p.kind === 'image' ? p.imageShape : p.kind === 'points' ? [2] : [p.contextLength + 1],
      contextLength: p.kind === 'text' ? p.contextLength : undefined,
      testFraction: p.testFraction,
      scripted: human
        ? undefined
        : {
            rule: p.rater, tau: p.tau, settings: { letter: p.letter, digit: p.digit, point: [p.pointX, p.pointY] },
            roundPairs: p.roundPairs, rewardSteps: p.rewardSteps, tuneSteps: p.tuneSteps,
          },
    };
  },
  validateParams(p) {
    const out: { field: string; message: string }[] = [];
    const rule = RATER_RULES.find((r) => r.name === p.rater);
    if (rule && rule.kind !== p.kind)
      out.push({ field: 'rater', message: `rule "${rule.name}" rates ${rule.kind}, but this node compares ${p.kind}: pick a ${p.kind} rule or "${HUMAN_RATER}"` });
    if (p.rater === HUMAN_RATER && p.pairsName === '')
      out.push({ field: 'pairsName', message: 'rate some samples in the feedback view (or import a preference file) first' });
    return out;
  },
  inferShapes(_inputs, p) {
    if (p.rater !== HUMAN_RATER && !RATER_NAMES.includes(p.rater)) throw new NodeError(`has no rater "${p.rater}"`, 'rater');
    const sample = p.kind === 'image' ? p.imageShape : p.kind === 'points' ? [2] : [p.contextLength + 1];
    return { chosen: [null, ...sample], rejected: [null, ...sample], tie: [null] };
  },
  run(ctx) {
    return ctx.data.batch(ctx.nodeId, ctx.batchSize, ctx.mode === 'train' ? 'train' : 'test');
  },
});
