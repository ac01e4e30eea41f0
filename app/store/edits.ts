// The pure editing functions: EditorState in, EditorState out, each one undo step.
// No React here, so every edit is testable in Node.
import type { GraphDocument, GraphEdge, GraphNode, TrainingConfig, XY } from '../../runtime/graph/document';
import { canConnect } from '../../runtime/graph/wiring';
import { getNodeDef } from '../../nodes/registry';
import { checkParam, defaultParams, specOf } from '../../nodes/params';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from '../../runtime/graph/schema';
import { TRAINING_SETTINGS } from '../../runtime/graph/training-settings';
import { commit, EMPTY_SELECTION, type EditorState, type Selection } from './history';
import { allIds, freshId, GROUP_DEFAULT_SIZE, isGroup, withDescendants } from './graph';
import { pasteNodes, type Clip } from './clipboard';

export interface Connection {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export function setSelection(state: EditorState, selection: Selection): EditorState {
  return { ...state, selection };
}

export function addNode(state: EditorState, type: string, position: XY, parentId?: string): EditorState {
  const def = getNodeDef(type);
  if (!def) throw new Error(`addNode: no node type "${type}"`);
  const id = freshId(state.doc, type);
  const node: GraphNode = { id, type, position: { ...position }, params: defaultParams(def) };
  if (parentId) node.parentId = parentId;
  if (def.role === 'group') Object.assign(node, GROUP_DEFAULT_SIZE);
  return commit(state, `Add ${def.label}`, (d) => void d.nodes.push(node), { nodes: [id], edges: [] });
}

/** Final positions after a drag: one undo step however long the drag was. */
export function moveNodes(state: EditorState, positions: Record<string, XY>): EditorState {
  return commit(state, 'Move', (d) => {
    for (const n of d.nodes) {
      const p = positions[n.id];
      if (p && (p.x !== n.position.x || p.y !== n.position.y)) n.position = { x: p.x, y: p.y };
    }
  });
}

export function deleteSelection(state: EditorState): EditorState {
  const { nodes, edges } = state.selection;
  if (nodes.length === 0 && edges.length === 0) return state;
  const gone = withDescendants(state.doc, nodes);
  const goneEdges = new Set(edges);
  return commit(
    state,
    'Delete',
    (d) => {
      d.nodes = d.nodes.filter((n) => !gone.has(n.id));
      d.edges = d.edges.filter((e) => !goneEdges.has(e.id) && !gone.has(e.source) && !gone.has(e.target));
    },
    EMPTY_SELECTION,
  );
}

/** Why a connection is refused, or null. */
export function connectionProblem(doc: GraphDocument, c: Connection): string | null {
  return canConnect(doc, c);
}

/** Adds the edge; an input takes one edge, so an existing edge into the same port is replaced. */
export function connect(state: EditorState, c: Connection): EditorState {
  if (connectionProblem(state.doc, c)) return state;
  const id = freshId(state.doc, 'e');
  return commit(state, 'Connect', (d) => {
    d.edges = d.edges.filter((e) => !(e.target === c.target && e.targetHandle === c.targetHandle));
    d.edges.push({ id, ...c });
  });
}

/** Sets one param; returns the reason and leaves the state alone when the value does not fit. */
export function setParam(state: EditorState, nodeId: string, key: string, value: unknown): { state: EditorState; error: string | null } {
  const node = state.doc.nodes.find((n) => n.id === nodeId);
  const def = node ? getNodeDef(node.type) : undefined;
  const spec = def ? specOf(def.params, key) : undefined;
  if (!node || !spec) return { state, error: `node "${nodeId}" has no param "${key}"` };
  const error = checkParam(spec, value);
  if (error) return { state, error };
  const next = commit(state, `Set ${key}`, (d) => {
    const n = d.nodes.find((x) => x.id === nodeId);
    if (n) n.params[key] = Array.isArray(value) ? [...value] : value;
  });
  return { state: next, error: null };
}

/** Several params of one node in one undo step (e.g. what an upload records); all or nothing. */
export function setParams(state: EditorState, nodeId: string, values: Record<string, unknown>): { state: EditorState; error: string | null } {
  const node = state.doc.nodes.find((n) => n.id === nodeId);
  const def = node ? getNodeDef(node.type) : undefined;
  if (!node || !def) return { state, error: `no node "${nodeId}"` };
  for (const [key, value] of Object.entries(values)) {
    const spec = specOf(def.params, key);
    const error = spec ? checkParam(spec, value) : `node "${nodeId}" has no param "${key}"`;
    if (error) return { state, error: spec ? `param "${key}": ${error}` : error };
  }
  const next = commit(state, `Set ${Object.keys(values).join(', ')}`, (d) => {
    const n = d.nodes.find((x) => x.id === nodeId);
    if (n) Object.assign(n.params, values);
  });
  return { state: next, error: null };
}

export function setLabel(state: EditorState, nodeId: string, label: string): EditorState {
  return commit(state, 'Rename node', (d) => {
    const n = d.nodes.find((x) => x.id === nodeId);
    if (!n) return;
    // Clipped to what the loader accepts, so a saved graph always opens again.
    const text = label.trim().slice(0, MAX_NAME_LENGTH);
    if (text) n.label = text;
    else delete n.label;
  });
}

export function setDocInfo(state: EditorState, info: { name?: string; description?: string }): EditorState {
  return commit(state, 'Rename graph', (d) => {
    if (info.name !== undefined) d.name = info.name.slice(0, MAX_NAME_LENGTH);
    if (info.description !== undefined) d.description = info.description.slice(0, MAX_DESCRIPTION_LENGTH);
  });
}

export function setTraining(state: EditorState, patch: Partial<TrainingConfig>): EditorState {
  return commit(state, 'Training settings', (d) => void Object.assign(d.training, patch));
}

/** Sets one training setting; returns the reason and leaves the state alone when the value does not fit. */
export function setTrainingSetting(state: EditorState, key: string, value: unknown): { state: EditorState; error: string | null } {
  const spec = specOf(TRAINING_SETTINGS, key);
  const error = spec ? checkParam(spec, value) : `there is no training setting "${key}"`;
  if (error) return { state, error };
  return { state: setTraining(state, { [key]: value }), error: null };
}

export function setCollapsed(state: EditorState, groupId: string, collapsed: boolean): EditorState {
  return commit(state, collapsed ? 'Collapse group' : 'Expand group', (d) => {
    const g = d.nodes.find((n) => n.id === groupId);
    if (!g || !isGroup(g)) return;
    if (collapsed) g.collapsed = true;
    else delete g.collapsed;
  });
}

export function resizeGroup(state: EditorState, groupId: string, box: { x: number; y: number; width: number; height: number }): EditorState {
  return commit(state, 'Resize group', (d) => {
    const g = d.nodes.find((n) => n.id === groupId);
    if (!g) return;
    g.position = { x: box.x, y: box.y };
    g.width = Math.round(box.width);
    g.height = Math.round(box.height);
  });
}

/** Moves a node into a group (or out of it, with parentId undefined) at the given position. */
export function reparent(state: EditorState, nodeId: string, parentId: string | undefined, position: XY): EditorState {
  return commit(state, parentId ? 'Move into group' : 'Move out of group', (d) => {
    const n = d.nodes.find((x) => x.id === nodeId);
    if (!n) return;
    n.position = { x: position.x, y: position.y };
    if (parentId) n.parentId = parentId;
    else delete n.parentId;
    // Edges between the inside and the outside of a group would bypass its shared network.
    d.edges = d.edges.filter((e) => {
      if (e.source !== nodeId && e.target !== nodeId) return true;
      const other = d.nodes.find((x) => x.id === (e.source === nodeId ? e.target : e.source));
      return other !== undefined && (other.parentId === parentId || other.id === parentId);
    });
  });
}

/** Replaces the whole document (new graph, open file, example): one undo step back to the old one. */
export function loadDocument(state: EditorState, doc: GraphDocument, label = 'Load graph'): EditorState {
  return commit(state, label, () => structuredClone(doc), EMPTY_SELECTION);
}

export function paste(state: EditorState, clip: Clip, offset: XY = { x: 40, y: 40 }): EditorState {
  const { nodes, edges } = pasteNodes(clip, allIds(state.doc), offset);
  if (nodes.length === 0) return state;
  return commit(
    state,
    'Paste',
    (d) => {
      d.nodes.push(...nodes);
      d.edges.push(...edges);
    },
    { nodes: nodes.filter((n) => !n.parentId || !nodes.some((m) => m.id === n.parentId)).map((n) => n.id), edges: [] },
  );
}

export function duplicate(state: EditorState): EditorState {
  return paste(state, copySelection(state));
}

/** The selected nodes (with a group's inner nodes) and the edges that run between them. */
export function copySelection(state: EditorState): Clip {
  const ids = withDescendants(state.doc, state.selection.nodes);
  const nodes = state.doc.nodes.filter((n) => ids.has(n.id));
  const edges: GraphEdge[] = state.doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return { format: 'genloom.clipboard', nodes: structuredClone(nodes), edges: structuredClone(edges) };
}
