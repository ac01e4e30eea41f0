// Auto-layout with dagre: left to right, each group's inner network first so the group box
// can be sized to fit it, then the top level with groups as single boxes.
import dagre from '@dagrejs/dagre';
import type { GraphDocument, XY } from '../../runtime/graph/document';
import { commit, type EditorState } from './history';
import { groupSize, isGroup } from './graph';

export interface Size {
  width: number;
  height: number;
}

const DEFAULT_NODE: Size = { width: 200, height: 110 };
/** Room inside a group for its header and its inner handles on either side. */
const GROUP_PAD = { top: 56, side: 70, bottom: 30 };

function layoutLevel(ids: string[], edges: { source: string; target: string }[], size: (id: string) => Size): Record<string, XY> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) g.setNode(id, { ...size(id) });
  const inLevel = new Set(ids);
  for (const e of edges) if (inLevel.has(e.source) && inLevel.has(e.target) && e.source !== e.target) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out: Record<string, XY> = {};
  for (const id of ids) {
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    out[id] = { x: Math.round(n.x - n.width / 2), y: Math.round(n.y - n.height / 2) };
  }
  return out;
}

export function computeLayout(doc: GraphDocument, measured: Record<string, Size>): { positions: Record<string, XY>; groupSizes: Record<string, Size> } {
  const size = (id: string): Size => measured[id] ?? DEFAULT_NODE;
  const positions: Record<string, XY> = {};
  const groupSizes: Record<string, Size> = {};
  for (const group of doc.nodes.filter(isGroup)) {
    const inner = doc.nodes.filter((n) => n.parentId === group.id).map((n) => n.id);
    if (inner.length === 0 || group.collapsed) continue;
    const local = layoutLevel(inner, doc.edges, size);
    let w = 0;
    let h = 0;
    for (const id of inner) {
      const p = local[id];
      positions[id] = { x: p.x + GROUP_PAD.side, y: p.y + GROUP_PAD.top };
      w = Math.max(w, p.x + size(id).width);
      h = Math.max(h, p.y + size(id).height);
    }
    groupSizes[group.id] = { width: w + 2 * GROUP_PAD.side, height: h + GROUP_PAD.top + GROUP_PAD.bottom };
  }
  const top = doc.nodes.filter((n) => !n.parentId);
  const topSize = (id: string): Size => {
    const n = top.find((x) => x.id === id);
    if (n && isGroup(n) && !n.collapsed) return groupSizes[id] ?? groupSize(n);
    return size(id);
  };
  Object.assign(positions, layoutLevel(top.map((n) => n.id), doc.edges, topSize));
  return { positions, groupSizes };
}

export function autoLayout(state: EditorState, measured: Record<string, Size>): EditorState {
  const { positions, groupSizes } = computeLayout(state.doc, measured);
  return commit(state, 'Auto-layout', (d) => {
    for (const n of d.nodes) {
      const p = positions[n.id];
      if (p) n.position = p;
      const s = groupSizes[n.id];
      if (s) {
        n.width = s.width;
        n.height = s.height;
      }
    }
  });
}
