// Passes 1–3 (validate, order, infer shapes): pure and fast, run on every edit on the main thread
// as well as before compiling.
import { NodeError, type Shape, type ShapeMap } from '../../nodes/types';
import { getNodeDef } from '../../nodes/registry';
import { resolveVocabSizes } from '../../nodes/transformer/vocab';
import { describeNode, type GraphDocument, type GraphEdge } from '../graph/document';
import type { Step } from '../graph/flow';
import type { Registry } from '../graph/ports';
import type { Analysis } from './analysis';
import { error, type Diagnostic } from '../graph/diagnostics';
import { checkStructure, type Checked } from './structure';

/**
 * Pass 2: a topological order of steps (a group is two: its entry and its exit). The wiring rules
 * already left out every wire that would close a loop, so anything unplaced is reported defensively.
 */
function orderSteps(checked: Checked): { order: Step[]; diagnostics: Diagnostic[] } {
  const { order, stuck } = checked.flow.order();
  const names = stuck.map((v) => `"${v}"`).join(', ');
  const diagnostics = stuck.map((v) => error('cycle', `node "${v}" is on a cycle (${names}): data must flow one way`, { nodeId: v }));
  return { order, diagnostics };
}

/** Pass 3: output shapes along the order; a node whose inputs are unknown is skipped quietly. */
function inferAll(checked: Checked, order: Step[]): { shapes: Record<string, ShapeMap>; diagnostics: Diagnostic[] } {
  const shapes: Record<string, ShapeMap> = {};
  const diagnostics: Diagnostic[] = [];
  const blocked = new Set<string>();
  for (const { id, exit } of order) {
    const entry = checked.nodes.get(id);
    if (!entry) continue;
    const { node, def, params } = entry;
    const feeding = checked.incoming.get(id) ?? new Map<string, GraphEdge>();
    const inputs: ShapeMap = {};
    let missing = false;
    const ports = exit ? [{ id: def.group!.innerOutput, optional: false }] : def.inputs;
    for (const port of ports) {
      const e = feeding.get(port.id);
      if (!e) {
        if (!port.optional) {
          missing = true;
          if (checked.fedByBroken.get(id)?.has(port.id)) continue;
          const what = exit ? `its inner network is not wired to its output ("${port.id}")` : `input "${port.id}" is not connected`;
          diagnostics.push(error(exit ? 'group' : 'unconnected-input', `${describeNode(node)}: ${what}`, { nodeId: id }));
        }
        continue;
      }
      const s = shapes[e.source]?.[e.sourceHandle];
      if (!s) missing = true;
      else inputs[port.id] = s;
    }
    if (missing) {
      blocked.add(id);
      continue;
    }
    if (exit) {
      const out = inputs[def.group!.innerOutput];
      const mine = { ...shapes[id] };
      for (const r of def.group!.routes) mine[r.to] = out;
      shapes[id] = mine;
      continue;
    }
    try {
      shapes[id] = def.inferShapes(inputs, params);
    } catch (err) {
      blocked.add(id);
      const message = err instanceof Error ? err.message : String(err);
      const field = err instanceof NodeError ? err.field : undefined;
      diagnostics.push(error(field ? 'bad-param' : 'shape', `${describeNode(node)} ${message}`, { nodeId: id, field }));
    }
  }
  return { shapes, diagnostics };
}

function countParams(checked: Checked, shapes: Record<string, ShapeMap>): { counts: Record<string, number>; frozen: Record<string, number> } {
  const counts: Record<string, number> = {};
  const inputShapes = (id: string): ShapeMap => {
    const m: ShapeMap = {};
    for (const [port, e] of checked.incoming.get(id) ?? []) {
      const s = shapes[e.source]?.[e.sourceHandle];
      if (s) m[port] = s;
    }
    return m;
  };
  for (const [id, { def, params }] of checked.nodes) {
    if (def.countParams && shapes[id]) counts[id] = def.countParams(inputShapes(id), params);
  }
  const own = { ...counts };
  for (const [id, { node }] of checked.nodes) {
    if (node.parentId && own[id] !== undefined) counts[node.parentId] = (counts[node.parentId] ?? 0) + own[id];
  }
  const frozen: Record<string, number> = {};
  for (const [id, { node }] of checked.nodes) {
    if (own[id] === undefined || !checked.frozen.has(id)) continue;
    frozen[id] = own[id];
    if (node.parentId) frozen[node.parentId] = (frozen[node.parentId] ?? 0) + own[id];
  }
  return { counts, frozen };
}

/**
 * Token embeddings and LM heads with vocabSize 0 take the vocabulary of the text dataset upstream;
 * shapes carry no vocabulary, so this is settled before shapes are inferred.
 */
function resolveVocabularies(checked: Checked): void {
  const nodes = [...checked.nodes.values()].map(({ node, params }) => ({ id: node.id, type: node.type, params }));
  const { sizes, problems } = resolveVocabSizes({ nodes, edges: checked.edges, fedByBroken: new Set(checked.fedByBroken.keys()) });
  for (const [id, size] of Object.entries(sizes)) {
    const entry = checked.nodes.get(id);
    if (entry) entry.params = { ...entry.params, vocabSize: size };
  }
  for (const p of problems) {
    const entry = checked.nodes.get(p.nodeId);
    if (!entry) continue;
    checked.diagnostics.push({ severity: p.severity, code: 'bad-param', message: `${describeNode(entry.node)} ${p.message}`, nodeId: p.nodeId, field: p.field });
  }
}

export function analyze(doc: GraphDocument, registry: Registry = getNodeDef): Analysis {
  return analyzeChecked(doc, registry).analysis;
}

/** analyze, also returning the checked structure the later passes build on. */
export function analyzeChecked(doc: GraphDocument, registry: Registry = getNodeDef): { analysis: Analysis; checked: Checked } {
  const checked = checkStructure(doc, registry);
  resolveVocabularies(checked);
  const { order: steps, diagnostics: orderDiags } = orderSteps(checked);
  const cyclic = orderDiags.length > 0;
  const { shapes, diagnostics: shapeDiags } = cyclic ? { shapes: {}, diagnostics: [] } : inferAll(checked, steps);
  const edgeShapes: Record<string, Shape> = {};
  for (const e of checked.edges) {
    const s = shapes[e.source]?.[e.sourceHandle];
    if (s) edgeShapes[e.id] = s;
  }
  const params: Record<string, Record<string, unknown>> = {};
  for (const [id, n] of checked.nodes) params[id] = n.params;
  const counted = countParams(checked, shapes);
  const analysis: Analysis = {
    diagnostics: [...checked.diagnostics, ...orderDiags, ...shapeDiags],
    order: steps.filter((v) => !v.exit).map((v) => v.id),
    params,
    shapes,
    edgeShapes,
    paramCounts: counted.counts,
    frozenParamCounts: counted.frozen,
  };
  return { analysis, checked };
}

