// Loading a graph document: text or parsed JSON in, a checked GraphDocument (or null) and every
// problem at once out. Each problem names the node, edge or field it concerns and what was expected.
import { error, hasErrors, type Diagnostic } from '../compiler/diagnostics';
import { getNodeDef, nodeTypeNames } from '../../nodes/registry';
import { resolveParams } from '../../nodes/params';
import type { AnyNodeDefinition } from '../../nodes/types';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type GraphEdge, type GraphNode } from './document';
import { findJsonSyntaxError } from './json-position';
import { MIGRATIONS, migrate, supportedVersions, type Migration, type RawDocument } from './migrate';
import { DocumentShellSchema, GraphEdgeSchema, GraphNodeSchema, TrainingSchema, ViewportSchema, XYSchema } from './schema';
import { describeValue, issuesToDiagnostics } from './issues';
import { closeMatches } from './names';
import { borderProblem, kindMismatch, sourceHandles, targetHandles, type Registry } from './ports';

export { serializeGraph } from './serialize';

export interface ParseOptions {
  registry?: Registry;
  /** Every known type name, for "did you mean" hints; defaults to the registry's when `registry` is not given. */
  knownTypes?: readonly string[];
  /** The format's migrations (tests inject their own). */
  migrations?: readonly Migration[];
}

export interface ParseResult {
  /** The document with training defaults filled; null when any error was found. */
  doc: GraphDocument | null;
  diagnostics: Diagnostic[];
}

const FIELDS: Record<string, readonly string[]> = {
  '': Object.keys(DocumentShellSchema.shape),
  training: Object.keys(TrainingSchema.shape),
  viewport: Object.keys(ViewportSchema.shape),
  node: Object.keys(GraphNodeSchema.shape),
  'node.position': Object.keys(XYSchema.shape),
  edge: Object.keys(GraphEdgeSchema.shape),
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseGraph(input: unknown, opts: ParseOptions = {}): ParseResult {
  const registry = opts.registry ?? getNodeDef;
  const knownTypes = opts.knownTypes ?? (opts.registry ? [] : nodeTypeNames());
  const migrations = opts.migrations ?? MIGRATIONS;
  const refuse = (message: string, field?: string): ParseResult => ({
    doc: null,
    diagnostics: [error('format', message, field ? { field } : {})],
  });

  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch {
      const p = findJsonSyntaxError(input);
      return refuse(
        p
          ? `this file is not valid JSON: line ${p.line}, column ${p.column} (position ${p.position}): ${p.message}`
          : 'this file is not valid JSON',
      );
    }
  }
  if (!isObject(raw)) return refuse(`expected a ${GRAPH_FORMAT} document (a JSON object), got ${describeValue(raw)}`);

  // Format and version come first: nothing else can be read in a file of another kind or version.
  const supported = supportedVersions(migrations);
  const supportedText = `supported: ${supported.join(', ')}`;
  if (raw.format !== GRAPH_FORMAT) {
    return refuse(
      raw.format === undefined
        ? `this file has no "format"; expected "${GRAPH_FORMAT}" (versions ${supported.join(', ')})`
        : `this file is ${describeValue(raw.format)}, not a ${GRAPH_FORMAT} document; supported: ${GRAPH_FORMAT} versions ${supported.join(', ')}`,
      'format',
    );
  }
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return refuse(`this file's "version" is ${describeValue(version)}, expected a whole number; ${supportedText}`, 'version');
  }
  if (!supported.includes(version)) {
    const newer = version > GRAPH_VERSION ? ' (it was saved by a newer Genloom)' : '';
    return refuse(`this file is version ${version} of ${GRAPH_FORMAT}; ${supportedText}${newer}`, 'version');
  }
  let current: RawDocument;
  try {
    const m = migrate(raw, migrations);
    if (m.error !== undefined) return refuse(`this file is version ${version} of ${GRAPH_FORMAT}: ${m.error}`, 'version');
    current = m.doc;
  } catch {
    return refuse(`this document holds values that are not plain JSON data`);
  }

  return checkDocument(current, registry, knownTypes);
}

interface NodeView {
  index: number;
  id: string;
  type?: string;
  def?: AnyNodeDefinition;
  parentId?: string;
}

function checkDocument(raw: RawDocument, registry: Registry, knownTypes: readonly string[]): ParseResult {
  const ds: Diagnostic[] = [];

  const shell = DocumentShellSchema.safeParse(raw);
  if (!shell.success) ds.push(...issuesToDiagnostics(shell.error.issues, raw, { prefix: '' }, (p) => FIELDS[p] ?? []));

  const rawNodes = Array.isArray(raw.nodes) ? raw.nodes : [];
  const rawEdges = Array.isArray(raw.edges) ? raw.edges : [];

  const nodes: GraphNode[] = [];
  const views = new Map<string, NodeView>();
  rawNodes.forEach((rn, index) => {
    const id = isObject(rn) ? str(rn.id) : undefined;
    const subject = id ? { prefix: `node "${id}": `, nodeId: id } : { prefix: `nodes[${index}]: `, fieldBase: `nodes[${index}]` };
    const parsed = GraphNodeSchema.safeParse(rn);
    if (parsed.success) nodes.push(parsed.data);
    else ds.push(...issuesToDiagnostics(parsed.error.issues, rn, subject, (p) => FIELDS[p ? `node.${p}` : 'node'] ?? []));
    if (!id || !isObject(rn)) return;
    const first = views.get(id);
    if (first) {
      ds.push(error('duplicate-id', `node "${id}": the id is used by more than one node (nodes[${first.index}] and nodes[${index}])`, { nodeId: id, field: 'id' }));
      return;
    }
    const type = str(rn.type);
    const view: NodeView = { index, id, type, def: type ? registry(type) : undefined, parentId: str(rn.parentId) };
    views.set(id, view);
    if (type && !view.def) {
      const near = closeMatches(type, knownTypes);
      const hint = near.length ? `; did you mean ${near.map((t) => `"${t}"`).join(' or ')}?` : knownTypes.length ? ` (known types: ${knownTypes.join(', ')})` : '';
      ds.push(error('unknown-type', `node "${id}": unknown node type "${type}"${hint}`, { nodeId: id, field: 'type' }));
    }
    if (view.def && (rn.params === undefined || isObject(rn.params))) {
      for (const p of resolveParams(view.def, rn.params as Record<string, unknown> | undefined).problems) {
        ds.push(error('bad-param', `node "${id}": ${p.message}`, { nodeId: id, field: p.field }));
      }
    }
  });

  for (const v of views.values()) ds.push(...checkParent(v, views));

  const edges: GraphEdge[] = [];
  const edgeIndex = new Map<string, number>();
  const wired = new Map<string, string>();
  rawEdges.forEach((re, index) => {
    const id = isObject(re) ? str(re.id) : undefined;
    const subject = id ? { prefix: `edge "${id}": `, edgeId: id } : { prefix: `edges[${index}]: `, fieldBase: `edges[${index}]` };
    const parsed = GraphEdgeSchema.safeParse(re);
    if (parsed.success) edges.push(parsed.data);
    else ds.push(...issuesToDiagnostics(parsed.error.issues, re, subject, (p) => FIELDS[p ? `edge.${p}` : 'edge'] ?? []));
    if (!isObject(re)) return;
    if (id) {
      const first = edgeIndex.get(id);
      if (first !== undefined) {
        ds.push(error('duplicate-id', `edge "${id}": the id is used by more than one edge (edges[${first}] and edges[${index}])`, { edgeId: id, field: 'id' }));
      } else edgeIndex.set(id, index);
    }
    ds.push(...checkEdge(re, subject.prefix, id, views, wired));
  });

  if (hasErrors(ds) || !shell.success) return { doc: null, diagnostics: ds };
  // Params stay exactly as written (see serialize.ts); only document-level defaults are filled.
  return { doc: { ...shell.data, nodes, edges } as GraphDocument, diagnostics: ds };
}

function checkParent(v: NodeView, views: Map<string, NodeView>): Diagnostic[] {
  if (!v.parentId) return [];
  const where = { nodeId: v.id, field: 'parentId' };
  const parent = views.get(v.parentId);
  if (!parent) return [error('group', `node "${v.id}": parentId "${v.parentId}" names no node in this graph`, where)];
  if (parent.def && parent.def.role !== 'group') {
    return [error('group', `node "${v.id}": parentId "${v.parentId}" names a ${parent.type} node, which is not a group`, where)];
  }
  // A group inside itself, directly or through other groups, would have no place on the canvas.
  const seen = new Set<string>();
  for (let cur: NodeView | undefined = parent; cur; cur = cur.parentId ? views.get(cur.parentId) : undefined) {
    if (cur.id === v.id) return [error('group', `node "${v.id}": is nested inside itself through parentId`, where)];
    if (seen.has(cur.id)) break;
    seen.add(cur.id);
  }
  return [];
}

function checkEdge(
  re: Record<string, unknown>,
  prefix: string,
  edgeId: string | undefined,
  views: Map<string, NodeView>,
  wired: Map<string, string>,
): Diagnostic[] {
  const ds: Diagnostic[] = [];
  const at = (field: string) => ({ ...(edgeId ? { edgeId } : {}), field });
  const [source, target, sh, th] = [str(re.source), str(re.target), str(re.sourceHandle), str(re.targetHandle)];
  const src = source ? views.get(source) : undefined;
  const tgt = target ? views.get(target) : undefined;
  if (source && !src) ds.push(error('dangling-edge', `${prefix}source node "${source}" does not exist`, at('source')));
  if (target && !tgt) ds.push(error('dangling-edge', `${prefix}target node "${target}" does not exist`, at('target')));

  const sHandle = src?.def && sh ? sourceHandles(src.def).find((h) => h.id === sh) : undefined;
  if (src?.def && sh && !sHandle) {
    const outs = sourceHandles(src.def).map((h) => h.id);
    ds.push(
      src.def.inputs.some((p) => p.id === sh)
        ? error('incompatible-port', `${prefix}"${sh}" is an input of node "${src.id}" (${src.type}); a wire starts at an output (outputs: ${outs.join(', ') || 'none'})`, at('sourceHandle'))
        : error('dangling-edge', `${prefix}node "${src.id}" (${src.type}) has no output "${sh}" (outputs: ${outs.join(', ') || 'none'})`, at('sourceHandle')),
    );
  }
  const tHandle = tgt?.def && th ? targetHandles(tgt.def).find((h) => h.id === th) : undefined;
  if (tgt?.def && th && !tHandle) {
    const ins = targetHandles(tgt.def).map((h) => h.id);
    ds.push(
      tgt.def.outputs.some((p) => p.id === th)
        ? error('incompatible-port', `${prefix}"${th}" is an output of node "${tgt.id}" (${tgt.type}); a wire ends at an input (inputs: ${ins.join(', ') || 'none'})`, at('targetHandle'))
        : error('dangling-edge', `${prefix}node "${tgt.id}" (${tgt.type}) has no input "${th}" (inputs: ${ins.join(', ') || 'none'})`, at('targetHandle')),
    );
  }
  if (!src || !tgt || !sHandle || !tHandle) return ds;

  const kinds = kindMismatch(sHandle.kind, tHandle.kind);
  if (kinds) ds.push(error('incompatible-port', `${prefix}${kinds} ("${src.id}".${sh} → "${tgt.id}".${th})`, at('targetHandle')));
  const border = borderProblem(src, sHandle, tgt, tHandle);
  if (border) ds.push(error('group', `${prefix}${border}`, at('source')));
  const key = `${tgt.id}\u0000${tHandle.id}`;
  const other = wired.get(key);
  if (other !== undefined) {
    ds.push(error('incompatible-port', `${prefix}input "${th}" of node "${tgt.id}" already has a wire (${other}); an input takes one wire`, at('targetHandle')));
  } else wired.set(key, edgeId ? `edge "${edgeId}"` : `from "${src.id}"`);
  return ds;
}
