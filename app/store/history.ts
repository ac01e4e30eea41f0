// Undo and redo as immer patches: every edit records the patches that made it and their inverse,
// so a step costs the size of the change, not a copy of the document.
import { applyPatches, enablePatches, produceWithPatches, type Draft, type Patch } from 'immer';
import type { GraphDocument } from '../../runtime/graph/document';

enablePatches();

export interface HistoryEntry {
  label: string;
  patches: Patch[];
  inverse: Patch[];
}

export interface Selection {
  nodes: string[];
  edges: string[];
}

export interface EditorState {
  doc: GraphDocument;
  selection: Selection;
  past: HistoryEntry[];
  future: HistoryEntry[];
}

const HISTORY_LIMIT = 200;
export const EMPTY_SELECTION: Selection = { nodes: [], edges: [] };

export function createEditor(doc: GraphDocument): EditorState {
  return { doc, selection: EMPTY_SELECTION, past: [], future: [] };
}

/** Applies one edit as one undo step; an edit that changes nothing leaves no step. */
export function commit(
  state: EditorState,
  label: string,
  recipe: (draft: Draft<GraphDocument>) => void | GraphDocument,
  selection?: Selection,
): EditorState {
  const [doc, patches, inverse] = produceWithPatches(state.doc, recipe as (d: Draft<GraphDocument>) => void);
  if (patches.length === 0) return selection ? { ...state, selection } : state;
  return {
    doc,
    selection: pruneSelection(doc, selection ?? state.selection),
    past: [...state.past.slice(-(HISTORY_LIMIT - 1)), { label, patches, inverse }],
    future: [],
  };
}

export function undo(state: EditorState): EditorState {
  const entry = state.past[state.past.length - 1];
  if (!entry) return state;
  const doc = applyPatches(state.doc, entry.inverse);
  return {
    doc,
    selection: pruneSelection(doc, state.selection),
    past: state.past.slice(0, -1),
    future: [entry, ...state.future],
  };
}

export function redo(state: EditorState): EditorState {
  const entry = state.future[0];
  if (!entry) return state;
  const doc = applyPatches(state.doc, entry.patches);
  return {
    doc,
    selection: pruneSelection(doc, state.selection),
    past: [...state.past, entry],
    future: state.future.slice(1),
  };
}

/** Drops ids that no longer exist, so the inspector never shows a deleted node. */
function pruneSelection(doc: GraphDocument, sel: Selection): Selection {
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const nodes = sel.nodes.filter((id) => nodeIds.has(id));
  const edges = sel.edges.filter((id) => edgeIds.has(id));
  return nodes.length === sel.nodes.length && edges.length === sel.edges.length ? sel : { nodes, edges };
}
