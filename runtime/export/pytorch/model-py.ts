// model.py: one nn.Module per network, its layers named after the graph's node ids, a shape comment
// beside each line of forward(). Returns the weight table genloom_weights.py converts with.
import { NodeError, type Shape } from '../../../nodes/types';
import { torchExporterFor } from '../../../nodes/torch-exporters';
import { torchShape, type TorchWeight } from '../../../nodes/torch-exporter';
import { tfName } from '../../compiler/build';
import { refKey, type NetworkPlan } from '../../compiler/partition';
import { describeNode } from '../../graph/document';
import { className, indent, joinHelpers, pyIdent } from './names';
import type { GraphParts } from './parts';

export class ExportError extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

/** Runs a node's exporter, turning its NodeError into an ExportError naming the node. */
export function forNode<T>(parts: GraphParts, id: string, f: () => T): T {
  const node = parts.checked.nodes.get(id)!.node;
  try {
    return f();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ExportError(`${describeNode(node)} cannot be exported to PyTorch: ${message}`, id, e instanceof NodeError ? e.field : undefined);
  }
}

export interface ModelPy {
  source: string;
  /** Per network: each PyTorch parameter's tfjs weight and layout. */
  weights: Record<string, TorchWeight[]>;
  /** Per network: its class name and the python names of its forward's inputs. */
  classes: Record<string, { name: string; args: string[] }>;
}

/** The name a forward argument takes: the producing node's, or `x` for a group's inner input. */
function argName(parts: GraphParts, net: NetworkPlan, i: number): string {
  const ref = net.inputs[i];
  if (parts.checked.nodes.get(ref.node)?.def.role === 'group') return net.inputs.length === 1 ? 'x' : `x${i}`;
  const base = pyIdent(net.inputs.length > 1 || Object.keys(parts.shapes[ref.node] ?? {}).length > 1 ? `${ref.node}_${ref.port}` : ref.node);
  return net.nodeIds.some((id) => pyIdent(id) === base) ? `${base}_in` : base;
}

function networkClass(parts: GraphParts, net: NetworkPlan, helpers: Map<string, string>) {
  const name = className(net.name);
  const vars = new Map<string, string>();
  const args = net.inputs.map((_, i) => argName(parts, net, i));
  net.inputs.forEach((ref, i) => vars.set(refKey(ref), args[i]));
  const init: string[] = [];
  const forward: string[] = [];
  const weights: TorchWeight[] = [];
  for (const id of net.nodeIds) {
    const { def, params } = parts.checked.nodes.get(id)!;
    const attr = pyIdent(id);
    const inputs: Record<string, Shape> = {};
    const exprs: Record<string, string> = {};
    for (const [port, e] of parts.checked.incoming.get(id) ?? []) {
      inputs[port] = parts.shapes[e.source][e.sourceHandle];
      exprs[port] = vars.get(refKey({ node: e.source, port: e.sourceHandle }))!;
    }
    const outputs = parts.shapes[id];
    const layer = forNode(parts, id, () => {
      const exporter = torchExporterFor(def.type);
      if (!exporter?.layer) throw new NodeError(`has no PyTorch exporter for its type "${def.type}"`);
      return exporter.layer({ id, attr, params, inputs, outputs, tfjsName: (suffix) => tfName(suffix ? `${id}__${suffix}` : id) });
    });
    init.push(...layer.init);
    weights.push(...layer.weights);
    for (const [k, v] of Object.entries(layer.helpers ?? {})) helpers.set(k, v);
    const out = forNode(parts, id, () => layer.forward(exprs));
    for (const [port, expr] of Object.entries(out)) {
      const v = attr;
      forward.push(`${v} = ${expr}  # ${torchShape(outputs[port])}`);
      vars.set(refKey({ node: id, port }), v);
    }
  }
  const results = net.outputs.map((o) => vars.get(refKey(o))!);
  const describe = (refs: { shape: Shape }[], names: string[]) => refs.map((r, i) => `${names[i]} ${torchShape(r.shape)}`).join(', ');
  const source = [
    `class ${name}(nn.Module):`,
    `    """The ${net.name}: ${describe(net.inputs, args)} -> ${describe(net.outputs, results)}."""`,
    '',
    '    def __init__(self):',
    ...indent(['super().__init__()', ...init], 2),
    '',
    `    def forward(self, ${args.join(', ')}):`,
    ...indent([...forward, `return ${results.join(', ')}`], 2),
  ].join('\n');
  return { name, args, source, weights };
}

export function modelPy(parts: GraphParts): ModelPy {
  const helpers = new Map<string, string>();
  const classes: ModelPy['classes'] = {};
  const weights: ModelPy['weights'] = {};
  const bodies = parts.networks.map((net) => {
    const c = networkClass(parts, net, helpers);
    classes[net.name] = { name: c.name, args: c.args };
    weights[net.name] = c.weights;
    return c.source;
  });
  const code = [joinHelpers(helpers), ...bodies].filter((s) => s !== '').join('\n\n\n');
  const imports = [...(/\bmath\./.test(code) ? ['import math', ''] : []), 'import torch', 'import torch.nn as nn', ...(/\bF\./.test(code) ? ['import torch.nn.functional as F'] : [])];
  const source = [
    `"""The networks of "${parts.doc.name}", exported from Genloom.`,
    '',
    "Each layer is named after its node in the graph. Images are (batch, channels, height, width).",
    '"""',
    ...imports,
    '',
    '',
    code,
    '',
  ].join('\n');
  return { source, weights, classes };
}
