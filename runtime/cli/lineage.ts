// `--transfer FILE`: start from what fits of another run's weights (a weights.json or a
// checkpoint.json, perhaps of another graph), and record where this run's weights came from.
import { readFile } from 'node:fs/promises';
import { bundleOf, parseCheckpoint } from '../train/checkpoint';
import type { Trainer } from '../train/trainer';
import type { NodeMapping, TransferReport } from '../train/transfer';
import type { WeightsBundle } from '../train/weights';
import { bundleFromJSON } from './model-files';
import { paramSplit } from '../compiler/frozen-weights';

export interface Lineage {
  /** The file the run's weights came from; null for a run from scratch. */
  parent: string | null;
  loaded: string[];
  skipped: TransferReport['skipped'];
  refused: TransferReport['refused'];
  /** Values the optimizers update, and values locked by frozen nodes (runtime/compiler/frozen-weights.ts). */
  trainableParams: number;
  frozenParams: number;
}

async function weightsIn(file: string): Promise<{ bundle: WeightsBundle; parent: string }> {
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new Error(`cannot read ${file}: ${e.message}`);
  });
  if (text.includes('"genloom.checkpoint"')) {
    const ck = parseCheckpoint(text);
    return { bundle: bundleOf(ck), parent: `${file} (checkpoint ${ck.id})` };
  }
  return { bundle: bundleFromJSON(text, file), parent: file };
}

/** `--map to=from,…` as a node mapping; a pair without `=` is an error quoting it. */
export function parseNodeMapping(text: string): NodeMapping {
  const out: NodeMapping = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--map expects pairs such as head=logits (a node here = a node of the file), got "${pair}"`);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

export async function transferFrom(trainer: Trainer, file: string, mapping: NodeMapping = {}): Promise<{ lineage: Lineage; lines: string[] }> {
  const { bundle, parent } = await weightsIn(file);
  const report = trainer.transferWeights(bundle, null, mapping);
  const graph = trainer.compiled!;
  const split = paramSplit(graph.networks, graph.checked);
  const lines = [
    `transferred from ${parent}: loaded ${report.loaded.length} nodes (${report.loaded.join(', ') || 'none'})`,
    ...report.skipped.map((s) => `  skipped ${s.node}: ${s.reason}`),
    ...report.refused.map((r) => `  refused ${r.node}: ${r.reason}`),
  ];
  return { lineage: { parent, ...report, ...split }, lines };
}
