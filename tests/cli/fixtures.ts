// Example graphs shrunk for tests: the same wiring, narrower layers and small batches.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../../runtime/graph/document';

export const ROOT = join(import.meta.dirname, '..', '..');

export function example(name: string): GraphDocument {
  return JSON.parse(readFileSync(join(ROOT, 'examples', `${name}.json`), 'utf8')) as GraphDocument;
}

/** The ring GAN with `width`-unit hidden layers and batch `batch`. */
export function smallRingGan(width = 16, batch = 16): GraphDocument {
  const doc = example('gan-ring');
  for (const n of doc.nodes) if (n.type === 'dense' && Number(n.params.units) > 2) n.params.units = width;
  doc.training = { ...doc.training, batchSize: batch, steps: 5, evalEvery: 0 };
  return doc;
}

/** The ring GAN with the wire into "g2" removed: it does not compile, and the error names g2. */
export function brokenRingGan(): GraphDocument {
  const doc = smallRingGan();
  doc.edges = doc.edges.filter((e) => e.target !== 'g2');
  return doc;
}

/** The conditional DCGAN with a narrow generator (4 channels at 7×7 instead of 32) and batch 8. */
export function smallCgan(): GraphDocument {
  const doc = example('cgan-mnist');
  for (const n of doc.nodes) {
    if (n.id === 'g1') n.params.units = 7 * 7 * 4;
    if (n.id === 'g2') n.params.targetShape = [7, 7, 4];
    if (n.id === 'g3') n.params.filters = 4;
  }
  doc.training = { ...doc.training, batchSize: 8, steps: 2, evalEvery: 0 };
  return doc;
}
