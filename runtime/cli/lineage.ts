// `--transfer FILE`: start from what fits of another run's weights (a weights.json or a
// checkpoint.json, perhaps of another graph), and record where this run's weights came from.
import { readFile } from 'node:fs/promises';
import { bundleOf, parseCheckpoint } from '../train/checkpoint';
import type { Trainer } from '../train/trainer';
import type { TransferReport } from '../train/transfer';
import type { WeightsBundle } from '../train/weights';
import { bundleFromJSON } from './model-files';

export interface Lineage {
  parent: string;
  loaded: string[];
  skipped: TransferReport['skipped'];
  refused: TransferReport['refused'];
  trainableParams: number;
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

export async function transferFrom(trainer: Trainer, file: string): Promise<{ lineage: Lineage; lines: string[] }> {
  const { bundle, parent } = await weightsIn(file);
  const report = trainer.transferWeights(bundle);
  const trainableParams = trainer.compiled!.networks.reduce((s, n) => s + n.model.countParams(), 0);
  const lines = [
    `transferred from ${parent}: loaded ${report.loaded.length} nodes (${report.loaded.join(', ') || 'none'})`,
    ...report.skipped.map((s) => `  skipped ${s.node}: ${s.reason}`),
    ...report.refused.map((r) => `  refused ${r.node}: ${r.reason}`),
  ];
  return { lineage: { parent, ...report, trainableParams }, lines };
}
