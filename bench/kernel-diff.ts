// Kernels per training step by name, Genloom's compiled pipeline against the hand-written tfjs
// loop, for finding where the compiled step does extra work.
//   npx tsx bench/kernel-diff.ts NAME
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../runtime/backend/select-node';
import { graphPath } from './bench';
import { loadCompiled } from './compiled';
import { HANDWRITTEN } from './handwritten';

async function countKernels(step: () => void): Promise<Map<string, number>> {
  const p = await tf.profile(() => {
    step();
  });
  const m = new Map<string, number>();
  for (const k of p.kernels) m.set(k.name, (m.get(k.name) ?? 0) + 1);
  return m;
}

const name = process.argv[2];
if (!name || !HANDWRITTEN[name]) {
  console.error(`usage: tsx bench/kernel-diff.ts NAME (one of ${Object.keys(HANDWRITTEN).join(', ')})`);
  process.exit(2);
}
await initNodeBackend('wasm');
const compiled = await loadCompiled(graphPath(name));
const hand = await HANDWRITTEN[name]({ batchSize: compiled.graph.doc.training.batchSize, seed: 1 });
hand.step();
const c = await countKernels(compiled.step);
const h = await countKernels(hand.step);
const names = [...new Set([...c.keys(), ...h.keys()])].sort((a, b) => (c.get(b) ?? 0) - (h.get(b) ?? 0) - ((c.get(a) ?? 0) - (h.get(a) ?? 0)));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
console.log(`${name}: ${total(c)} kernels per step compiled, ${total(h)} hand-written`);
console.log('kernel'.padEnd(28) + 'compiled'.padStart(9) + 'hand'.padStart(6) + 'diff'.padStart(6));
for (const k of names) {
  const a = c.get(k) ?? 0;
  const b = h.get(k) ?? 0;
  if (a !== b) console.log(k.padEnd(28) + String(a).padStart(9) + String(b).padStart(6) + String(a - b).padStart(6));
}
hand.dispose();
compiled.dispose();
