// Runs a graph's networks in tfjs and in the exported PyTorch model on the same inputs and weights,
// with Debian's python3-torch (/usr/bin/python3), and returns both outputs and the weights PyTorch
// wrote back.
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { compile, type CompiledGraph } from '../../runtime/compiler/compile';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { nodeAssets } from '../../runtime/data/assets-node';
import { bundleFromJSON, bundleToJSON } from '../../runtime/cli/model-files';
import { exportWeights, type WeightsBundle } from '../../runtime/train/weights';
import type { GraphDocument } from '../../runtime/graph/document';
import { modelPy } from '../../runtime/export/pytorch/model-py';
import { graphParts } from '../../runtime/export/pytorch/parts';
import { npy } from '../../runtime/export/pytorch/npy';

export const PYTHON = '/usr/bin/python3';

/** Writes an exported project's files under `dir`, folders included. */
export async function writeProject(files: ReadonlyMap<string, string | Uint8Array>, dir: string): Promise<void> {
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}
const torchFound = existsSync(PYTHON) && (await promisify(execFile)(PYTHON, ['-c', 'import torch']).then(() => true, () => false));
if (!torchFound) console.warn(`[export] ${PYTHON} cannot import torch (apt-get install python3-torch): ${process.env.CI ? 'in CI the PyTorch tests run and fail' : 'the PyTorch tests are skipped'}.`);
/** Outside CI a machine without PyTorch skips these tests, saying so; in CI (CI set) they run and fail. */
export const hasTorch = torchFound || Boolean(process.env.CI);

/** Channels-last values of shape [b, h, w, c] in channels-first order, and back. */
function transpose4(values: Float32Array | Int32Array, shape: number[], toFirst: boolean): Float32Array | Int32Array {
  const [b, h, w, c] = toFirst ? shape : [shape[0], shape[2], shape[3], shape[1]];
  const out = new (values.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(values.length);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          const last = ((n * h + y) * w + x) * c + k;
          const first = ((n * c + k) * h + y) * w + x;
          if (toFirst) out[first] = values[last];
          else out[last] = values[first];
        }
  return out;
}

/** Deterministic values for every weight, so biases and running statistics are checked too. */
function randomizeWeights(graph: CompiledGraph, seed: number) {
  let s = seed;
  for (const net of graph.networks) {
    for (const w of net.model.weights) {
      const positive = /moving_variance/.test(w.originalName);
      w.write(tf.tidy(() => {
        const r = tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', s++);
        return positive ? tf.add(tf.abs(r), 0.5) : r;
      }));
    }
  }
}

export interface CaseResult {
  name: string;
  /** Per network output: the largest absolute difference between tfjs and PyTorch. */
  maxError: number;
  original: WeightsBundle;
  roundtrip: WeightsBundle;
  graph: CompiledGraph;
}

interface Prepared {
  name: string;
  dir: string;
  graph: CompiledGraph;
  bundle: WeightsBundle;
  expected: { net: string; index: number; values: Float32Array; shape: number[] }[];
}

async function prepare(name: string, doc: GraphDocument, root: string, batch: number): Promise<Prepared> {
  const { compiled, diagnostics } = compile(doc);
  if (!compiled) throw new Error(`${name}: ${diagnostics.map((d) => d.message).join('; ')}`);
  randomizeWeights(compiled, 11);
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const { files, diagnostics: exportDiags } = await exportPytorch(doc, nodeAssets);
  if (!files) throw new Error(`${name}: ${exportDiags.map((d) => d.message).join('; ')}`);
  for (const f of ['model.py', 'genloom_weights.py']) await writeFile(join(dir, f), files.get(f)!);
  const bundle = await exportWeights(compiled, 0);
  await writeFile(join(dir, 'weights.json'), bundleToJSON(bundle));
  const expected: Prepared['expected'] = [];
  for (const net of compiled.networks) {
    const inputs = net.inputs.map((inp, i) => {
      const shape = [batch, ...(inp.shape.slice(1) as number[])];
      const ints = net.model.inputs[i].dtype === 'int32';
      return ints ? tf.randomUniform(shape, 0, 20, 'int32', 5 + i) : tf.randomNormal(shape, 0, 1, 'float32', 5 + i);
    });
    for (const [i, x] of inputs.entries()) {
      const values = x.dataSync() as Float32Array | Int32Array;
      const torchValues = x.rank === 4 ? transpose4(values, x.shape, true) : values;
      const torchShape = x.rank === 4 ? [x.shape[0], x.shape[3]!, x.shape[1]!, x.shape[2]!] : x.shape;
      await writeFile(join(dir, `${net.name}-in${i}.npy`), npy(torchValues, torchShape));
    }
    const out = net.model.predict(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor | tf.Tensor[];
    (Array.isArray(out) ? out : [out]).forEach((y, index) => expected.push({ net: net.name, index, values: y.dataSync() as Float32Array, shape: y.shape }));
    tf.dispose([inputs, out]);
  }
  return { name, dir, graph: compiled, bundle, expected };
}

/** Reads a float32 .npy (as np.save writes it: version 1, little-endian). */
async function readNpy(file: string): Promise<Float32Array> {
  const b = await readFile(file);
  const headerLen = b.readUInt16LE(8);
  const data = b.subarray(10 + headerLen);
  return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** Every case through tfjs and PyTorch; one python process runs them all. */
export async function runCases(cases: [string, GraphDocument][], root: string, batch = 8): Promise<CaseResult[]> {
  const prepared: Prepared[] = [];
  for (const [name, doc] of cases) prepared.push(await prepare(name, doc, root, batch));
  const spec = prepared.map((p) => {
    const { parts } = graphParts(p.graph.doc);
    const model = modelPy(parts!);
    return {
      id: p.name.replace(/[^A-Za-z0-9_]/g, '_'),
      dir: p.dir,
      networks: Object.fromEntries(p.graph.networks.map((n) => [n.name, { class: model.classes[n.name].name, inputs: n.inputs.length }])),
    };
  });
  await writeFile(join(root, 'cases.json'), JSON.stringify(spec));
  await promisify(execFile)(PYTHON, [join(import.meta.dirname, 'run_networks.py'), join(root, 'cases.json')], { env: { ...process.env, OMP_NUM_THREADS: '1' } });
  const results: CaseResult[] = [];
  for (const p of prepared) {
    let maxError = 0;
    for (const e of p.expected) {
      const got = await readNpy(join(p.dir, `${e.net}-out${e.index}.npy`));
      const back = e.shape.length === 4 ? transpose4(got, [e.shape[0], e.shape[3], e.shape[1], e.shape[2]], false) : got;
      if (back.length !== e.values.length) throw new Error(`${p.name}: ${e.net} output ${e.index} has ${back.length} values in PyTorch, ${e.values.length} in tfjs`);
      for (let i = 0; i < back.length; i++) maxError = Math.max(maxError, Math.abs(back[i] - e.values[i]));
    }
    const roundtrip = bundleFromJSON(await readFile(join(p.dir, 'roundtrip.json'), 'utf8'));
    results.push({ name: p.name, maxError, original: p.bundle, roundtrip, graph: p.graph });
  }
  return results;
}
