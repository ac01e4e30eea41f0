// React Flow nodes and edges derived from the store, and React Flow's changes turned into edits.
// A drag or a resize only touches a local overlay until it ends, so it becomes one undo step.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { EdgeChange, NodeChange } from '@xyflow/react';
import { edit, useStore } from '../store/store';
import { setSelection } from '../store/edits';
import { useAnalysis } from '../store/useAnalysis';
import { toFlowEdges, toFlowNodes, type FlowEdge, type FlowNode, type Measured, type Overlay } from './toFlow';

const NO_OVERLAY: Overlay = { positions: {}, sizes: {} };

/** The latest measured node sizes, for auto-layout. */
export const measuredSizes: { current: Measured } = { current: {} };

export function useFlowState() {
  const doc = useStore((s) => s.editor.doc);
  const selection = useStore((s) => s.editor.selection);
  const analysis = useAnalysis();
  const [overlay, setOverlay] = useState<Overlay>(NO_OVERLAY);
  const [measured, setMeasured] = useState<Measured>({});
  const selectionRef = useRef(selection);
  useLayoutEffect(() => {
    selectionRef.current = selection;
  }, [selection]);

  const nodes = useMemo(() => toFlowNodes(doc, analysis, selection, overlay, measured), [doc, analysis, selection, overlay, measured]);
  const edges = useMemo(() => toFlowEdges(doc, analysis, selection), [doc, analysis, selection]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const picked = new Set(selectionRef.current.nodes);
    let selChanged = false;
    const positions: Overlay['positions'] = {};
    const sizes: Overlay['sizes'] = {};
    const dims: Measured = {};
    for (const c of changes) {
      if (c.type === 'select') {
        selChanged = true;
        if (c.selected) picked.add(c.id);
        else picked.delete(c.id);
      } else if (c.type === 'position' && c.position) {
        positions[c.id] = c.position;
      } else if (c.type === 'dimensions' && c.dimensions) {
        if (c.resizing) sizes[c.id] = c.dimensions;
        else dims[c.id] = c.dimensions;
      }
    }
    if (selChanged) edit((s) => setSelection(s, { nodes: [...picked], edges: s.selection.edges }));
    if (Object.keys(positions).length || Object.keys(sizes).length) {
      setOverlay((o) => ({ positions: { ...o.positions, ...positions }, sizes: { ...o.sizes, ...sizes } }));
    }
    if (Object.keys(dims).length) {
      setMeasured((m) => {
        const next = { ...m, ...dims };
        measuredSizes.current = next;
        return next;
      });
    }
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    const picked = new Set(selectionRef.current.edges);
    let changed = false;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      changed = true;
      if (c.selected) picked.add(c.id);
      else picked.delete(c.id);
    }
    if (changed) edit((s) => setSelection(s, { nodes: s.selection.nodes, edges: [...picked] }));
  }, []);

  const clearOverlay = useCallback(() => setOverlay(NO_OVERLAY), []);

  return { doc, nodes, edges, overlay, onNodesChange, onEdgesChange, clearOverlay };
}
