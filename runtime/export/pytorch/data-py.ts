// data.py and the files it reads: each dataset node's examples written beside the script as .npy
// (images as bytes, points as float32, text as token ids), so the project trains with no download.
import { DATASETS } from '../../../nodes/datasets';
import { NodeError } from '../../../nodes/types';
import type { AssetReader } from '../../data/assets';
import { loadDataset } from '../../data/datasets';
import { pointSettingsOf } from '../../data/procedural';
import { loadTextDataset, withHeldOutLines, type TextDataset } from '../../data/text';
import { forNode } from './model-py';
import type { GraphParts } from './parts';
import { npy } from './npy';

export type ProjectFiles = Map<string, string | Uint8Array>;

const IMAGES = `def images(name, split, classes):
    """Images scaled to [-1, 1], (N, C, H, W), with one-hot labels."""
    x = torch.from_numpy(np.load(os.path.join(HERE, f"{name}-{split}-images.npy")))  # (N, H, W, C) bytes
    labels = torch.from_numpy(np.load(os.path.join(HERE, f"{name}-{split}-labels.npy"))).long()
    return TensorDataset(x.permute(0, 3, 1, 2).float() * (2 / 255) - 1, F.one_hot(labels, classes).float())`;

const POINTS = `def points(name, split, classes=0):
    """2-D points (N, 2), with one-hot labels (the mode each was drawn from) for the mixtures."""
    x = torch.from_numpy(np.load(os.path.join(HERE, f"{name}-{split}-points.npy")))
    if not classes:
        return TensorDataset(x)
    labels = torch.from_numpy(np.load(os.path.join(HERE, f"{name}-{split}-labels.npy"))).long()
    return TensorDataset(x, F.one_hot(labels, classes).float())`;

const REACH = `def reach(node):
    """The largest coordinate, in absolute value, of a points node's training data."""
    return load(node, "train").tensors[0].abs().max().item()`;

const TEXT = `class TextWindows(Dataset):
    """Windows of a token stream: context tokens in, and each position's next token as its target.

    A corpus of lines (names) starts its windows only at the end-of-text token before a line, as sampling does.
    With per_line, a window holds that one line: past its end token the inputs are end tokens and the
    targets -1, which the cross-entropy ignores (ignore_index=-1), as makemore pads its names.
    """

    def __init__(self, name, split, context, lines, per_line=False):
        self.tokens = torch.from_numpy(np.load(os.path.join(HERE, f"{name}-{split}-tokens.npy"))).long()
        last = len(self.tokens) - context - 1
        if lines:
            starts = torch.from_numpy(np.load(os.path.join(HERE, f"{name}-{split}-starts.npy"))).long()
            # A line's own end token is the next line's start, or the stream's last token.
            self.ends = torch.cat([starts[1:], torch.tensor([len(self.tokens) - 1])])
            self.starts = starts if per_line else starts[starts <= last]
        else:
            self.starts = torch.arange(last + 1)
        self.context = context
        self.per_line = per_line

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, i):
        start = self.starts[i]
        if not self.per_line:
            window = self.tokens[start : start + self.context + 1]
            return window[:-1], window[1:]
        n = min(self.context, int(self.ends[i] - start))
        tokens = torch.zeros(self.context, dtype=torch.long)  # id 0, the end token, pads the inputs
        targets = torch.full((self.context,), -1, dtype=torch.long)
        tokens[:n] = self.tokens[start : start + n]
        targets[:n] = self.tokens[start + 1 : start + 1 + n]
        return tokens, targets


def encode(text, node):
    """Token ids (1, len) of text in the vocabulary of a text node (id 0 is the end-of-text token)."""
    return torch.tensor([[VOCABULARIES[node].index(c) + 1 for c in text]])


def decode(ids, node, stop_at_end):
    """Text from token ids; a line ends at the end-of-text token."""
    chars = []
    for i in ids:
        if i == 0 and stop_at_end:
            break
        chars.append(VOCABULARIES[node][i - 1] if i else "\\n")
    return "".join(chars)`;

const ENDLESS = `def endless(dataset, batch, rank, world, seed):
    """Batches for ever, each process reading its own share of every epoch in a fresh order."""
    sampler = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=seed, drop_last=True)
    loader = DataLoader(dataset, batch_size=batch, sampler=sampler, drop_last=True)
    epoch = 0
    while True:
        sampler.set_epoch(epoch)  # the same new order on every process, each taking its own part
        yield from loader
        epoch += 1`;

const ORDERED = `def ordered(dataset, start, stop):
    """Examples start, ..., stop - 1 of a dataset in stored order, as one batch."""
    return default_collate([dataset[i] for i in range(start, stop)])`;

/** `trainPy` is train.py's source: data.py defines what it calls. */
export async function dataPy(parts: GraphParts, reader: AssetReader, files: ProjectFiles, trainPy: string): Promise<{ source: string; tokenizer?: TextDataset['tokenizer'] }> {
  const loaders: string[] = [];
  const kinds = new Set<string>();
  const vocabularies: string[] = [];
  let tokenizer: TextDataset['tokenizer'] | undefined;
  for (const [id, { def, params }] of parts.checked.nodes) {
    if (!def.data) continue;
    const need = forNode(parts, id, () => {
      const n = def.data!(params);
      if (n.uploaded && n.kind !== 'preferences') throw new NodeError('reads data uploaded in the browser: the PyTorch export writes only built-in datasets');
      return n;
    });
    // Preference pairs are written by preferences.py's exporter (feedback-py.ts).
    if (need.kind === 'preferences') continue;
    const key = JSON.stringify(id);
    if (need.kind === 'text') {
      const corpus = await loadTextDataset(need.name, reader);
      const held = need.heldOutLines;
      const text = held ? forNode(parts, id, () => withHeldOutLines(corpus, held)) : corpus;
      // Another split of the same corpus is other files.
      const base = held ? `${need.name}-${held}-held-out` : need.name;
      for (const split of ['train', 'test'] as const) {
        files.set(`data/${base}-${split}-tokens.npy`, npy(text[split].tokens, [text[split].tokens.length]));
        const starts = text[split].starts;
        if (starts) files.set(`data/${base}-${split}-starts.npy`, npy(starts, [starts.length]));
      }
      tokenizer = text.tokenizer;
      vocabularies.push(`    ${key}: ${JSON.stringify(text.tokenizer.chars.join(''))},`);
      const perLine = need.perLine ? ', per_line=True' : '';
      loaders.push(`    ${key}: lambda split: TextWindows(${JSON.stringify(base)}, split, ${need.contextLength}, lines=${text.lines ? 'True' : 'False'}${perLine}),`);
      kinds.add('text');
      continue;
    }
    const info = DATASETS[need.name];
    const settings = pointSettingsOf(params);
    const loaded = await loadDataset(need.name, reader, settings);
    // Points are drawn at this node's settings (ring radius, σ), so they get a name of their own.
    const base = loaded.kind === 'points' ? `${need.name}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}` : need.name;
    for (const split of ['train', 'test'] as const) {
      const s = loaded[split];
      if (loaded.kind === 'image') {
        const bytes = new Uint8Array(s.x.length);
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round((s.x[i] + 1) * 127.5);
        files.set(`data/${base}-${split}-images.npy`, npy(bytes, [s.count, ...loaded.exampleShape]));
      } else files.set(`data/${base}-${split}-points.npy`, npy(s.x, [s.count, ...loaded.exampleShape]));
      if (info.classes && s.labels) files.set(`data/${base}-${split}-labels.npy`, npy(Uint8Array.from(s.labels), [s.count]));
    }
    kinds.add(loaded.kind);
    loaders.push(
      loaded.kind === 'image'
        ? `    ${key}: lambda split: images(${JSON.stringify(base)}, split, ${info.classes}),`
        : `    ${key}: lambda split: points(${JSON.stringify(base)}, split${info.classes ? `, ${info.classes}` : ''}),`,
    );
  }
  const defs: string[] = [];
  if (kinds.has('image')) defs.push(IMAGES);
  if (kinds.has('points')) defs.push(POINTS);
  if (trainPy.includes('data.reach(')) defs.push(REACH);
  if (kinds.has('text')) defs.push(TEXT);
  defs.push(ENDLESS);
  const ordered = trainPy.includes('data.ordered(');
  if (ordered) defs.push(ORDERED);
  const usesF = kinds.has('image') || kinds.has('points');
  const source = [
    `"""The datasets of "${parts.doc.name.replace(/"/g, "'")}", read from data/ beside this script: nothing is downloaded."""`,
    'import os',
    '',
    'import numpy as np',
    'import torch',
    ...(usesF ? ['import torch.nn.functional as F'] : []),
    `from torch.utils.data import DataLoader, ${kinds.has('text') ? 'Dataset, ' : ''}DistributedSampler${usesF ? ', TensorDataset' : ''}${ordered ? ', default_collate' : ''}`,
    '',
    'HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")',
    ...(vocabularies.length ? ['# The characters of token ids 1, 2, ... per text node; id 0 ends a text.', 'VOCABULARIES = {', ...vocabularies, '}'] : []),
    '',
    '',
    defs.join('\n\n\n'),
    '',
    '',
    '# The examples each dataset node of the graph reads, by node id.',
    'LOADERS = {',
    ...loaders,
    '}',
    '',
    '',
    'def load(node, split):',
    '    return LOADERS[node](split)',
    '',
  ].join('\n');
  return { source, tokenizer };
}
