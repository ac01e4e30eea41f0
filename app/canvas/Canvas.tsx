// The React Flow canvas: nodes and edges from the store, drops from the palette and the desktop,
// connection rules while dragging a wire, and the quick-search to add a node where you are.
import { useCallback, useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type MouseEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  MiniMap,
  ReactFlow,
  useConnection,
  useReactFlow,
  useStore as useFlowStore,
  type FinalConnectionState,
  type Connection,
  type Edge,
  type IsValidConnection,
  type Node,
  type OnNodeDrag,
} from '@xyflow/react';
import { getNodeDef } from '../../nodes/registry';
import { edit, showToast, clearToast, store, useStore } from '../store/store';
import { addNode, connect, connectionProblem, moveNodes, reparent } from '../store/edits';
import { absolutePosition } from '../store/graph';
import { GraphNodeView } from './GraphNodeView';
import { GroupNodeView } from './GroupNodeView';
import { ShapeEdge } from './ShapeEdge';
import { QuickSearch } from './QuickSearch';
import { placeAt, groupAt } from './placement';
import { measuredSizes, useFlowState } from './useFlowState';
import { fitOpened } from './fit';
import type { FlowNode } from './toFlow';
import { openFile } from '../files/openFile';
import { CATEGORY_COLORS } from '../theme';

/** Below this zoom the details are too small to read: nodes show their titles large instead. */
const FAR_ZOOM = 0.6;

const nodeTypes = { glnode: GraphNodeView, glgroup: GroupNodeView };
const edgeTypes = { shape: ShapeEdge };
export const PALETTE_MIME = 'application/x-genloom-node';

function asConnection(c: Connection | Edge): { source: string; sourceHandle: string; target: string; targetHandle: string } {
  return { source: c.source, sourceHandle: c.sourceHandle ?? '', target: c.target, targetHandle: c.targetHandle ?? '' };
}

/** Why the wire being dragged cannot end at the handle under it, or null. */
function refusalOf(c: Pick<FinalConnectionState, 'fromHandle' | 'toHandle' | 'isValid'>): string | null {
  if (!c.fromHandle || !c.toHandle || c.isValid !== false) return null;
  const [src, dst] = c.fromHandle.type === 'source' ? [c.fromHandle, c.toHandle] : [c.toHandle, c.fromHandle];
  return connectionProblem(store.get().editor.doc, { source: src.nodeId, sourceHandle: src.id ?? '', target: dst.nodeId, targetHandle: dst.id ?? '' });
}

function ConnectHint() {
  const c = useConnection();
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const reason = c.inProgress ? refusalOf(c) : null;
  if (!reason || !c.pointer) return null;
  return (
    <div className="gl-connect-hint" role="status" style={{ transform: `translate(${c.pointer.x * zoom + tx + 16}px, ${c.pointer.y * zoom + ty + 16}px)` }}>
      {reason}
    </div>
  );
}

export function Canvas() {
  const rf = useReactFlow<FlowNode>();
  const { doc, nodes, edges, overlay, onNodesChange, onEdgesChange, clearOverlay } = useFlowState();
  const viewport = useStore((s) => s.viewport);
  const fitRequest = useStore((s) => s.fitRequest);
  const searchRequest = useStore((s) => s.searchRequest);
  const wrapper = useRef<HTMLDivElement>(null);
  const [search, setSearch] = useState<{ x: number; y: number } | null>(null);
  const far = useFlowStore((s) => s.transform[2] < FAR_ZOOM);
  // Fit only a graph that is there when the canvas opens: React Flow fits again whenever this prop
  // turns true, which would re-centre and zoom the view under the first node dropped on an empty canvas.
  const [fitOnOpen] = useState(() => !viewport && doc.nodes.length > 0);

  useEffect(() => {
    if (fitRequest === 0) return;
    requestAnimationFrame(() => {
      if (store.get().editor.doc.nodes.length === 0) void rf.setViewport({ x: 0, y: 0, zoom: 1 }, { duration: 200 });
      else if (wrapper.current) void fitOpened(rf, wrapper.current.getBoundingClientRect(), FAR_ZOOM);
    });
  }, [fitRequest, rf]);

  useEffect(() => {
    if (searchRequest === 0 || !wrapper.current) return;
    const box = wrapper.current.getBoundingClientRect();
    setSearch({ x: box.width / 2 - 140, y: box.height / 3 });
  }, [searchRequest]);

  const addAt = useCallback((type: string, clientX: number, clientY: number) => {
    const point = rf.screenToFlowPosition({ x: clientX, y: clientY });
    const { parentId, position } = placeAt(store.get().editor.doc, type, point, measuredSizes.current);
    edit((s) => addNode(s, type, position, parentId));
  }, [rf]);

  // Refusing is silent while the wire is dragged (it may only be crossing a handle on its way):
  // the reason shows as a hint beside the wire, and as a toast only if the wire is dropped there.
  const isValidConnection: IsValidConnection = useCallback((c) => connectionProblem(store.get().editor.doc, asConnection(c)) === null, []);

  const onConnectEnd = useCallback((_e: unknown, c: FinalConnectionState) => {
    const reason = refusalOf(c);
    if (!reason) return;
    showToast(`Can’t connect: ${reason}`, 'error');
    setTimeout(clearToast, 2500);
  }, []);

  const onNodeDragStop: OnNodeDrag<FlowNode> = useCallback((_e, dragged, all) => {
    const moved = all.length ? all : [dragged];
    const doc = store.get().editor.doc;
    const one = moved.length === 1 ? doc.nodes.find((n) => n.id === dragged.id) : undefined;
    // A lone top-level layer node dropped onto an expanded group joins it.
    if (one && !one.parentId && getNodeDef(one.type)?.role === 'layer') {
      const pos = overlay.positions[one.id] ?? dragged.position;
      const size = dragged.measured ?? { width: 0, height: 0 };
      const centre = { x: pos.x + (size.width ?? 0) / 2, y: pos.y + (size.height ?? 0) / 2 };
      const groupId = groupAt(doc, centre, one.id);
      if (groupId) {
        const g = absolutePosition(doc, doc.nodes.find((n) => n.id === groupId)!);
        edit((s) => reparent(s, one.id, groupId, { x: Math.max(8, pos.x - g.x), y: Math.max(56, pos.y - g.y) }));
        clearOverlay();
        return;
      }
    }
    const positions = Object.fromEntries(moved.map((n) => [n.id, n.position]));
    edit((s) => moveNodes(s, positions));
    clearOverlay();
  }, [overlay, clearOverlay]);

  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = e.dataTransfer.types.includes('Files') ? 'copy' : 'move';
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(PALETTE_MIME);
    if (type) return addAt(type, e.clientX, e.clientY);
    const file = e.dataTransfer.files[0];
    if (file) void openFile(file);
  };

  const openSearchAt = (clientX: number, clientY: number) => {
    const box = wrapper.current?.getBoundingClientRect();
    if (box) setSearch({ x: clientX - box.left, y: clientY - box.top });
  };
  const onDoubleClick = (e: MouseEvent) => {
    if ((e.target as Element).classList.contains('react-flow__pane')) openSearchAt(e.clientX, e.clientY);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (t.closest('input, textarea, select, .gl-quick')) return;
    if (e.key === ' ') {
      e.preventDefault();
      const box = wrapper.current!.getBoundingClientRect();
      openSearchAt(box.left + box.width / 2 - 140, box.top + box.height / 3);
    }
  };

  return (
    <div className={`gl-canvas${far ? ' gl-canvas--far' : ''}`} ref={wrapper} onDoubleClick={onDoubleClick} onKeyDown={onKeyDown} tabIndex={0} aria-label="Graph canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={(c) => edit((s) => connect(s, asConnection(c)))}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStop={onNodeDragStop}
        onMoveEnd={(_e, vp) => store.set((s) => ({ ...s, viewport: vp }))}
        onDrop={onDrop}
        onDragOver={onDragOver}
        defaultViewport={viewport ?? undefined}
        fitView={fitOnOpen}
        fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
        snapToGrid
        snapGrid={[16, 16]}
        deleteKeyCode={null}
        panActivationKeyCode={null}
        zoomOnDoubleClick={false}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        connectionLineType={ConnectionLineType.Bezier}
        minZoom={0.2}
        maxZoom={2}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#cbd2db" />
        <MiniMap<Node> pannable zoomable style={{ width: 144, height: 92 }} nodeColor={(n) => CATEGORY_COLORS[getNodeDef((n.data as FlowNode['data']).node.type)?.category ?? 'layers']} nodeStrokeWidth={0} maskColor="rgba(240,243,247,0.7)" />
        <Controls showInteractive={false} />
        <ConnectHint />
      </ReactFlow>
      {doc.nodes.length === 0 && (
        <div className="gl-empty">
          <div className="gl-empty__title">Drag a node from the palette, or open an example</div>
          <div className="gl-empty__hint">Double-click the canvas or press / to search for a node</div>
          <button className="gl-btn gl-btn--primary" onClick={() => store.set((s) => ({ ...s, galleryOpen: true }))}>Open an example</button>
        </div>
      )}
      {search && (
        <QuickSearch
          at={search}
          onClose={() => {
            setSearch(null);
            wrapper.current?.focus();
          }}
          onPick={(type) => {
            const box = wrapper.current!.getBoundingClientRect();
            addAt(type, box.left + search.x, box.top + search.y);
            setSearch(null);
            wrapper.current?.focus();
          }}
        />
      )}
    </div>
  );
}
