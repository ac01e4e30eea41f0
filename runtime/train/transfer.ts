// Moving a trained model into another graph (pre-train, then fine-tune): weights are matched by the
// node they belong to, whatever network they sit in (by id, or by an explicit mapping of nodes); nodes the file lacks keep their fresh weights,
// a node whose shapes differ is refused (so a classifier's head of another width starts fresh), and a
// language model's embedding and head are carried across vocabularies character by character.
import * as tf from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compiler/compile';
import { tfName } from '../compiler/build';
import { layerOwners, nodeOfWeight } from '../compiler/frozen-weights';
import { CharTokenizer, type CharVocabJSON } from '../data/text';
import { nodesWithWeights } from './checkpoint-file';
import type { WeightsBundle } from './weights';

export interface TransferReport {
  /** Nodes whose every weight came from the file (vocabulary rows mapped where needed). */
  loaded: string[];
  /** Nodes of the graph the file has no weights for, and nodes of the file this graph lacks. */
  skipped: { node: string; reason: string }[];
  /** Nodes whose weights do not fit (another shape); they keep their fresh weights. */
  refused: { node: string; reason: string }[];
}

/**
 * Rows (or the last axis) of `old`, reordered for the new vocabulary: token j of the new vocabulary
 * takes old token `from[j]`'s values; -1 keeps `fresh`'s.
 */
function remapVocabAxis(old: tf.Tensor, fresh: tf.Tensor, axis: number, from: number[]): tf.Tensor {
  return tf.tidy(() => {
    const parts = from.map((j, i) =>
      j >= 0 ? tf.gather(old, [j], axis) : tf.gather(fresh, [i], axis),
    );
    return tf.concat(parts, axis);
  });
}

/** For each token of `to`, its id in `from`, or -1 for a character `from` lacks. */
function vocabMap(from: CharTokenizer, to: CharTokenizer): number[] {
  const out = [0]; // the end-of-text token
  for (const c of to.chars) {
    const i = from.chars.indexOf(c);
    out.push(i >= 0 ? i + 1 : -1);
  }
  return out;
}

/**
 * Which node of the file each node of the graph takes its weights from: `mapping[id]`, or its own id;
 * '' keeps the node's fresh weights. A mapped node's weights are read under the file node's layer names.
 */
export type NodeMapping = Record<string, string>;

function fileNameOf(weight: string, node: string, mapping: NodeMapping): string {
  const from = mapping[node];
  if (from === undefined || from === node) return weight;
  return tfName(from) + weight.slice(tfName(node).length);
}

export function transferWeights(graph: CompiledGraph, bundle: WeightsBundle, tokenizer?: CharTokenizer, mapping: NodeMapping = {}): TransferReport {
  const byTfName = layerOwners(graph.checked);
  const unknown = Object.keys(mapping).filter((id) => !graph.checked.nodes.has(id));
  if (unknown.length) throw new Error(`node mapping: the graph has no node ${unknown.map((id) => `"${id}"`).join(', ')}`);
  const inFile = new Set(nodesWithWeights(bundle.networks));
  const absent = Object.entries(mapping).filter(([, from]) => from !== '' && !inFile.has(tfName(from)));
  if (absent.length) throw new Error(`node mapping: the file has no weights for ${absent.map(([to, from]) => `"${from}" (mapped to ${to})`).join(', ')}`);
  const fileWeights = new Map<string, tf.Tensor>();
  const decoded: tf.NamedTensorMap[] = [];
  for (const a of Object.values(bundle.networks)) {
    const named = tf.io.decodeWeights(a.weightData, a.weightSpecs);
    decoded.push(named);
    for (const [name, t] of Object.entries(named)) fileWeights.set(name, t);
  }
  const oldTok = bundle.tokenizer ? CharTokenizer.fromJSON(bundle.tokenizer as CharVocabJSON) : undefined;
  const map = oldTok && tokenizer ? vocabMap(oldTok, tokenizer) : undefined;
  const oldV = oldTok?.vocabSize;
  const newV = tokenizer?.vocabSize;

  const report: TransferReport = { loaded: [], skipped: [], refused: [] };
  const writes = new Map<string, { w: tf.LayerVariable; value: tf.Tensor; own: boolean }[]>();
  const verdict = new Map<string, 'loaded' | 'refused' | 'skipped'>();
  const reasons = new Map<string, string>();
  const seenInFile = new Set<string>();
  try {
    for (const net of graph.networks) {
      for (const w of net.model.weights) {
        const node = nodeOfWeight(w.originalName, byTfName);
        if (!node || verdict.get(node) === 'refused') continue;
        if (mapping[node] === '') {
          verdict.set(node, 'skipped');
          reasons.set(node, 'kept fresh, as the node mapping asks');
          continue;
        }
        const name = fileNameOf(w.originalName, node, mapping);
        const old = fileWeights.get(name);
        if (!old) {
          verdict.set(node, 'skipped');
          reasons.set(node, mapping[node] ? `the file has no weight ${name} for it` : 'the file has no weights for it');
          continue;
        }
        seenInFile.add(name);
        let value: tf.Tensor | null = old;
        let own = false;
        if (old.shape.join() !== w.shape.join()) {
          // Only the vocabulary axis may differ, when both sides know their characters.
          const axis = old.shape.findIndex((d, i) => d !== w.shape[i]);
          const fits =
            map && old.rank === w.shape.length && old.shape.every((d, i) => i === axis || d === w.shape[i]) && old.shape[axis] === oldV && w.shape[axis] === newV;
          value = fits ? remapVocabAxis(old, w.read(), axis, map!) : null;
          own = value !== null;
          if (!value) {
            verdict.set(node, 'refused');
            reasons.set(node, `weight ${name} is [${old.shape}] in the file, [${w.shape}] here`);
            continue;
          }
        }
        if (!verdict.has(node)) verdict.set(node, 'loaded');
        writes.set(node, [...(writes.get(node) ?? []), { w, value, own }]);
      }
    }
    for (const [node, v] of verdict) {
      if (v === 'loaded') {
        for (const { w, value } of writes.get(node) ?? []) w.write(value);
        report.loaded.push(node);
      } else (v === 'refused' ? report.refused : report.skipped).push({ node, reason: reasons.get(node)! });
    }
    const missing = new Set<string>();
    const mappedFrom = new Set(Object.values(mapping).filter(Boolean).map(tfName));
    const layerOf = (name: string) => name.split('/')[0].split('__')[0];
    // A layer some node read from (even one refused for its shape) is accounted for by that node.
    const read = new Set([...seenInFile].map(layerOf));
    for (const name of fileWeights.keys()) {
      const layer = layerOf(name);
      if (read.has(layer)) continue;
      if (!byTfName.has(layer) || mappedFrom.has(layer)) missing.add(layer);
    }
    for (const m of missing) report.skipped.push({ node: m, reason: byTfName.has(m) ? 'in the file, but the node mapping reads no weights from it' : 'in the file but not in this graph' });
  } finally {
    for (const list of writes.values()) tf.dispose(list.filter((x) => x.own).map((x) => x.value));
    for (const named of decoded) tf.dispose(Object.values(named));
  }
  graph.references.sync();
  return report;
}
