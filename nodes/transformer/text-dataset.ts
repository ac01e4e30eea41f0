// The text source: windows of a character corpus as token ids, and the same windows shifted by one
// as next-token targets; or, for a corpus of lines, one line per example as makemore trains.
import { DATASETS } from '../datasets';
import { defineNode, NodeError } from '../types';
import { textSampler } from './text-sampling';

/** Built-in text corpora in nodes/datasets.ts, plus the user's own upload. */
export const TEXT_CORPORA: readonly string[] = [
  ...Object.values(DATASETS).filter((d) => d.kind === 'text').map((d) => d.name),
  'upload',
];

export const MAX_CONTEXT = 256;

/** How examples are cut: windows of the whole stream, or one line each (padding left out of the loss). */
export const TEXT_EXAMPLES = ['windows', 'lines'] as const;

/** The vocabulary size (end-of-text token included) of the corpus a textDataset's params name. */
export function textVocabSize(params: { corpus: string; uploadVocabSize: number }): number {
  if (params.corpus === 'upload') {
    if (params.uploadVocabSize < 2)
      throw new NodeError('has no uploaded text yet: upload a corpus (its vocabulary size is recorded then)', 'uploadVocabSize');
    return params.uploadVocabSize;
  }
  const info = DATASETS[params.corpus];
  if (!info || info.kind !== 'text' || !info.vocabSize)
    throw new NodeError(`has no text corpus "${params.corpus}" (corpora: ${TEXT_CORPORA.join(', ')})`, 'corpus');
  return info.vocabSize;
}

export const textDataset = defineNode({
  type: 'textDataset',
  label: 'Text dataset',
  category: 'data',
  role: 'source',
  doc: 'Windows of a character corpus, or one line (a name) per example, as token ids, with the next character of each position as its target.',
  inputs: [],
  outputs: [
    { id: 'tokens', label: 'tokens', kind: 'tensor', dtype: 'int32', doc: '[batch, T] int32 token ids.' },
    { id: 'targets', label: 'targets', kind: 'tensor', doc: '[batch, T] int32: each position\'s next token.' },
  ],
  params: {
    corpus: {
      kind: 'enum', default: TEXT_CORPORA.includes('names') ? 'names' : TEXT_CORPORA[0], options: TEXT_CORPORA,
      doc: 'Which text to learn: 8,422 first names, 29,693 US names, the same US names one line per name and sex (makemore\'s names.txt layout, a unisex name twice), Moby-Dick, or your own upload.',
    },
    contextLength: {
      kind: 'int', default: 16, min: 2, max: MAX_CONTEXT, label: 'context T',
      doc: 'Characters the model sees at once (16 suits names, 64 or more suits prose).',
    },
    examples: {
      kind: 'enum', default: 'windows', options: TEXT_EXAMPLES,
      doc: 'windows: stretches of the stream of lines, several names in each. lines: one name per example, from ' +
        'the end-of-text token before it to the one after; the positions past its end are padding the loss leaves ' +
        'out, so every position knows where its name began (makemore trains this way). lines needs a corpus of names.',
    },
    heldOutLines: {
      kind: 'int', default: 0, min: 0, max: 1_000_000, label: 'held-out lines',
      doc: 'Lines (names) held out for the held-out loss: 0 holds out a seeded tenth of them; makemore holds out 1,000. ' +
        'The held-out lines are the last of one seeded order, so a smaller number holds out some of the same names. Needs a corpus of lines.',
    },
    uploadName: { kind: 'string', default: '', maxLength: 200, label: 'uploaded text', doc: 'The uploaded corpus this node reads.' },
    uploadVocabSize: {
      kind: 'int', default: 0, min: 0, max: 65536, label: 'upload vocabulary',
      doc: 'Distinct characters of the upload plus the end-of-text token; recorded when it is uploaded.',
    },
  },
  keyParams: ['corpus', 'contextLength', 'examples'],
  upload: { kind: 'text', choiceParam: 'corpus', nameParam: 'uploadName', onlyWhenChosen: false },
  data(p) {
    const uploaded = p.corpus === 'upload';
    return { kind: 'text', name: uploaded ? p.uploadName : p.corpus, uploaded, contextLength: p.contextLength, perLine: p.examples === 'lines',
      ...(p.heldOutLines > 0 ? { heldOutLines: p.heldOutLines } : {}) };
  },
  sampler: textSampler,
  validateParams(p) {
    if (p.corpus === 'upload' && p.uploadVocabSize < 2)
      return [{ field: 'uploadVocabSize', message: 'upload a text first: its vocabulary size is recorded then' }];
    const info = DATASETS[p.corpus];
    if (info?.kind !== 'text' || info.lines) return [];
    return [
      ...(p.examples === 'lines' ? [{ field: 'examples', message: `one line per example needs a corpus of lines (names); "${p.corpus}" is one running text: use windows` }] : []),
      ...(p.heldOutLines > 0 ? [{ field: 'heldOutLines', message: `holds out whole lines, and "${p.corpus}" is one running text (its last tenth is held out): set it to 0` }] : []),
    ];
  },
  inferShapes(_inputs, p) {
    textVocabSize(p);
    return { tokens: [null, p.contextLength], targets: [null, p.contextLength] };
  },
  run(ctx) {
    return ctx.data.batch(ctx.nodeId, ctx.batchSize, ctx.mode === 'train' ? 'train' : 'test');
  },
});
