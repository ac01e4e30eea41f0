import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { Trainer } from '../runtime/train/trainer';
import { nodeAssets } from '../runtime/data/assets-node';
import { modeCoverage, MODES } from '../runtime/data/procedural';
const { initNodeBackend } = await import('../runtime/backend/select-node');
await initNodeBackend('wasm');
// usage: file steps every '{"nodeId":{param:..},"training":{..}}'
const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const steps = Number(process.argv[3]); const every = Number(process.argv[4]);
const patch = JSON.parse(process.argv[5] ?? '{}');
for (const [k, v] of Object.entries(patch)) {
  if (k === 'training') Object.assign(doc.training, v);
  else { const n = doc.nodes.find((n: any) => n.id === k); Object.assign(n.params, v); }
}
doc.training.sampleEvery = 0;
const ds = doc.nodes.find((n: any) => n.type === 'dataset').params.dataset;
const modes = MODES[ds as 'ring']!;
const t = new Trainer({ reader: nodeAssets });
await t.load(doc);
const t0 = performance.now();
for (let s = every; s <= steps; s += every) {
  const l = await t.step(every);
  const { batch } = await t.sample({ count: 1000, seed: 3 });
  const c = batch.kind === 'points' ? modeCoverage(batch.data, modes.centres, modes.sigma) : null;
  console.log(s, ((performance.now() - t0) / 1000).toFixed(1) + 's', JSON.stringify(l), 'cov', c?.covered, 'hq', c?.highQuality.toFixed(3), c?.perMode.map(x=>x.toFixed(2)).join(' '));
}
