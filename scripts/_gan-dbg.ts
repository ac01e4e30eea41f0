import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { compile } from '../runtime/compiler/compile';
import { makePhaseStates } from '../runtime/train/step';
import { Evaluator } from '../runtime/train/evaluator';
import { prepareData } from '../runtime/train/data-source';
import { nodeAssets } from '../runtime/data/assets-node';
const { initNodeBackend } = await import('../runtime/backend/select-node');
await initNodeBackend((process.argv[2] ?? 'wasm') as 'wasm');
const doc = JSON.parse(readFileSync(process.argv[3] ?? 'examples/gan-ring.json', 'utf8'));
const { compiled, diagnostics } = compile(doc);
if (!compiled) { console.log(diagnostics); process.exit(1); }
const data = await prepareData(compiled, nodeAssets, 1);
const states = makePhaseStates(compiled);
for (const s of states) console.log(s.phase.name, s.phase.repeat, s.phase.networks, s.variables.map(v => v.name + ':' + v.shape), s.phase.optimizer);
for (const s of states) {
  const ev = new Evaluator(compiled, { mode: 'train', batchSize: 256, step: 0, data: data.batcher, salt: 0, seed: 1 });
  const { value, grads } = tf.variableGrads(() => tf.addN(s.phase.objectives.map(o => o.def.loss(ev.context(o.lossNode)))) as tf.Scalar, s.variables);
  console.log(s.phase.name, 'loss', value.dataSync()[0]);
  for (const [k, g] of Object.entries(grads)) console.log('  ', k, tf.norm(g).dataSync()[0].toExponential(3));
}
const ev = new Evaluator(compiled, { mode: 'train', batchSize: 256, step: 0, data: data.batcher, salt: 0, seed: 1 });
const fake = ev.tensor({ node: 'g3', port: 'out' });
const real = ev.tensor({ node: 'data', port: 'x' });
console.log('fake std', tf.moments(fake, 0).variance.sqrt().dataSync(), 'real', real.slice([0,0],[4,2]).arraySync());
