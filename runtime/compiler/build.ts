// Turns each planned network into a real tf.LayersModel, so summary(), save/load and parameter
// counts come from tfjs itself.
import * as tf from '@tensorflow/tfjs';
import type { ShapeMap } from '../../nodes/types';
import { describeNode, type GraphEdge } from '../graph/document';
import { findHandle } from '../graph/ports';
import { error, type Diagnostic } from '../graph/diagnostics';
import { refKey, type NetworkPlan } from './partition';
import type { Checked } from './structure';

export interface BuiltNetwork extends NetworkPlan {
  model: tf.LayersModel;
}

/** A stable 31-bit hash, for seeds derived from the training seed and a node id. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 2147483647;
}

/** tfjs accepts only some characters in layer and weight names; node ids may hold any. */
export function tfName(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9_.\-/]/g, '_');
  return /^[A-Za-z0-9]/.test(clean) ? clean : `n${clean}`;
}

export function buildNetwork(
  plan: NetworkPlan,
  checked: Checked,
  shapes: Record<string, ShapeMap>,
  seed: number,
): { network?: BuiltNetwork; diagnostics: Diagnostic[] } {
  // Any throw while building (a layer's own check, tfjs refusing a name) is a diagnostic, never an
  // exception: it names the node being built when there is one.
  let current: string | undefined;
  // tfjs needs unique layer names and allows fewer characters than ids do, so "a b" and "a_b" would collide.
  const owners = new Map<string, string>();
  const claim = (id: string, name: string) => {
    const owner = owners.get(name);
    if (owner !== undefined && owner !== id) {
      throw new Error(`its layer name "${name}" is already taken by node "${owner}"; rename one of them (ids differing only in characters other than letters, digits and _ . - / collide)`);
    }
    owners.set(name, id);
    return name;
  };
  try {
    const symbols = new Map<string, tf.SymbolicTensor>();
    const inputs = plan.inputs.map((inp, i) => {
      const src = checked.nodes.get(inp.node)?.def;
      const port = src && findHandle(src, inp.port, 'source');
      const dtype = port?.dtype ?? 'float32';
      const sym = tf.input({ shape: inp.shape.slice(1) as number[], dtype, name: tfName(`${plan.name}_in${i}`) });
      symbols.set(refKey(inp), sym);
      return sym;
    });
    for (const id of plan.nodeIds) {
      current = id;
      const { def, params } = checked.nodes.get(id)!;
      const feeding = checked.incoming.get(id) ?? new Map<string, GraphEdge>();
      const inShapes: ShapeMap = {};
      const inSyms: Record<string, tf.SymbolicTensor> = {};
      for (const [port, e] of feeding) {
        const sym = symbols.get(refKey({ node: e.source, port: e.sourceHandle }));
        const shape = shapes[e.source]?.[e.sourceHandle];
        if (!sym || !shape) throw new Error(`its input "${port}" is not available`);
        inSyms[port] = sym;
        inShapes[port] = shape;
      }
      const apply = def.build!(params, inShapes, {
        nodeId: id,
        layerName: (suffix?: string) => claim(id, tfName(suffix ? `${id}__${suffix}` : id)),
        seed: hashSeed(seed, id),
        frozen: checked.frozen.has(id),
      });
      const outs = apply(inSyms);
      for (const [port, sym] of Object.entries(outs)) symbols.set(refKey({ node: id, port }), sym);
    }
    current = undefined;
    const outputs = plan.outputs.map((o) => {
      const sym = symbols.get(refKey(o));
      if (!sym) throw new Error(`output "${o.port}" of "${o.node}" was not built`);
      return sym;
    });
    const model = tf.model({ inputs, outputs, name: tfName(plan.name) });
    return { network: { ...plan, model }, diagnostics: [] };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const node = current === undefined ? undefined : checked.nodes.get(current)?.node;
    return node
      ? { diagnostics: [error('shape', `${describeNode(node)} could not be built: ${message}`, { nodeId: node.id })] }
      : { diagnostics: [error('shape', `network "${plan.name}" could not be built: ${message}`)] };
  }
}
