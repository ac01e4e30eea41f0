// Loading a graph document: text or parsed JSON in, a checked GraphDocument (or null) and every
// problem at once out. Each problem names the node, edge or field it concerns and what was expected.
import { error, hasErrors, type Diagnostic } from './diagnostics';
import { getNodeDef, nodeTypeNames } from '../../nodes/registry';
import { resolveParams } from '../../nodes/params';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type GraphEdge, type GraphNode } from './document';
import { findJsonSyntaxError } from './json-position';
import { MIGRATIONS, migrate, supportedVersions, type Migration, type RawDocument } from './migrate';
import { DocumentShellSchema, GraphEdgeSchema, GraphNodeSchema, MAX_ID_LENGTH, ViewportSchema, XYSchema } from './schema';
import { describeValue, issuesToDiagnostics } from './issues';
import { closeMatches } from './names';
import type { Registry } from './ports';
import { checkTraining } from './training-settings';
import { checkWiring, parentFault, type Wire, type WireEnd } from './wiring';

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

// A Map, not an object: a path such as "constructor" must find nothing rather than an inherited member.
const FIELDS = new Map<string, readonly string[]>([
  ['', Object.keys(DocumentShellSchema.shape)],
  ['viewport', Object.keys(ViewportSchema.shape)],
  ['node', Object.keys(GraphNodeSchema.shape)],
  ['node.position', Object.keys(XYSchema.shape)],
  ['edge', Object.keys(GraphEdgeSchema.shape)],
]);
const fieldsAt = (path: string) => FIELDS.get(path) ?? [];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** An id, type or handle as the file holds it, if it is one (the schema reports any that is not). */
const ident = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v.length <= MAX_ID_LENGTH ? v : undefined);

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

function checkDocument(raw: RawDocument, registry: Registry, knownTypes: readonly string[]): ParseResult {
  const ds: Diagnostic[] = [];

  const shell = DocumentShellSchema.safeParse(raw);
  if (!shell.success) ds.push(...issuesToDiagnostics(shell.error.issues, raw, { prefix: '' }, fieldsAt));
  const training = raw.training === undefined ? checkTraining({}) : isObject(raw.training) ? checkTraining(raw.training) : undefined;
  for (const p of training?.problems ?? []) ds.push(error('schema', p.message, { field: `training.${p.field}` }));

  const rawNodes = Array.isArray(raw.nodes) ? raw.nodes : [];
  const rawEdges = Array.isArray(raw.edges) ? raw.edges : [];

  const nodes: GraphNode[] = [];
  const ends = new Map<string, WireEnd & { index: number }>();
  rawNodes.forEach((rn, index) => {
    const id = isObject(rn) ? ident(rn.id) : undefined;
    const subject = id ? { prefix: `node "${id}": `, nodeId: id } : { prefix: `nodes[${index}]: `, fieldBase: `nodes[${index}]` };
    const parsed = GraphNodeSchema.safeParse(rn);
    if (parsed.success) nodes.push(parsed.data);
    else ds.push(...issuesToDiagnostics(parsed.error.issues, rn, subject, (p) => fieldsAt(p ? `node.${p}` : 'node')));
    if (!id || !isObject(rn)) return;
    const first = ends.get(id);
    if (first) {
      ds.push(error('duplicate-id', `node "${id}": the id is used by more than one node (nodes[${first.index}] and nodes[${index}])`, { nodeId: id, field: 'id' }));
      return;
    }
    const type = ident(rn.type);
    const def = type ? registry(type) : undefined;
    ends.set(id, { index, id, type: type ?? '?', def, parentId: ident(rn.parentId) });
    if (type && !def) {
      const near = closeMatches(type, knownTypes);
      const hint = near.length ? `; did you mean ${near.map((t) => `"${t}"`).join(' or ')}?` : knownTypes.length ? ` (known types: ${knownTypes.join(', ')})` : '';
      ds.push(error('unknown-type', `node "${id}": unknown node type "${type}"${hint}`, { nodeId: id, field: 'type' }));
    }
    if (def && rn.frozen === true && def.role !== 'layer' && def.role !== 'group') {
      ds.push(error('schema', `node "${id}": only layer nodes and groups hold weights to freeze; ${def.type} has none (remove "frozen")`, { nodeId: id, field: 'frozen' }));
    }
    if (def && (rn.params === undefined || isObject(rn.params))) {
      for (const p of resolveParams(def, rn.params as Record<string, unknown> | undefined).problems) {
        ds.push(error('bad-param', `node "${id}": ${p.message}`, { nodeId: id, field: p.field }));
      }
    }
  });

  for (const end of ends.values()) {
    const f = parentFault(end, ends);
    if (f) ds.push(error(f.code, f.message, { nodeId: f.nodeId, field: f.field }));
  }

  const edges: GraphEdge[] = [];
  const edgeIndex = new Map<string, number>();
  const wires: { wire: Wire; edgeId?: string }[] = [];
  rawEdges.forEach((re, index) => {
    const id = isObject(re) ? ident(re.id) : undefined;
    const subject = id ? { prefix: `edge "${id}": `, edgeId: id } : { prefix: `edges[${index}]: `, fieldBase: `edges[${index}]` };
    const parsed = GraphEdgeSchema.safeParse(re);
    if (parsed.success) edges.push(parsed.data);
    else ds.push(...issuesToDiagnostics(parsed.error.issues, re, subject, (p) => fieldsAt(p ? `edge.${p}` : 'edge')));
    if (!isObject(re)) return;
    if (id) {
      const first = edgeIndex.get(id);
      if (first !== undefined) {
        ds.push(error('duplicate-id', `edge "${id}": the id is used by more than one edge (edges[${first}] and edges[${index}])`, { edgeId: id, field: 'id' }));
      } else edgeIndex.set(id, index);
    }
    const [source, sourceHandle, target, targetHandle] = [ident(re.source), ident(re.sourceHandle), ident(re.target), ident(re.targetHandle)];
    // A wire with a missing or unusable end already has a schema problem; the rules judge whole wires.
    if (source && sourceHandle && target && targetHandle) wires.push({ wire: { source, sourceHandle, target, targetHandle }, edgeId: id });
  });
  checkWiring(ends.values(), wires.map((w) => w.wire)).verdicts.forEach((v, i) => {
    if (v.kind !== 'fault') return;
    const edgeId = wires[i].edgeId;
    ds.push(error(v.fault.code, v.fault.message, { ...(edgeId ? { edgeId } : {}), ...(v.fault.nodeId ? { nodeId: v.fault.nodeId } : {}), field: v.fault.field }));
  });

  if (hasErrors(ds) || !shell.success || !training) return { doc: null, diagnostics: ds };
  // Params stay exactly as written (see serialize.ts); only document-level defaults are filled.
  return { doc: { ...shell.data, nodes, edges, training: training.config } as GraphDocument, diagnostics: ds };
}
