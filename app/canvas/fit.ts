// Fitting an opened graph into view without shrinking it below the zoom where labels show: a graph
// too big for that opens at the readable zoom with its start (the data, on the left) in view.
import type { ReactFlowInstance } from '@xyflow/react';
import type { FlowNode } from './toFlow';

const MARGIN = 24;

export async function fitOpened(rf: ReactFlowInstance<FlowNode>, box: { width: number; height: number }, minZoom: number): Promise<void> {
  // The zoom buttons sit bottom left and the minimap bottom right: keep nodes clear of both.
  await rf.fitView({ padding: { top: '20px', left: '60px', right: '24px', bottom: '24px' }, maxZoom: 1.1, minZoom, duration: 0 });
  const top = rf.getNodes().filter((n) => !n.parentId);
  if (top.length === 0) return;
  const b = rf.getNodesBounds(top);
  const { x, y, zoom } = rf.getViewport();
  if (zoom > minZoom + 1e-3) return;
  const tooWide = b.width * zoom > box.width - 2 * MARGIN;
  const tooTall = b.height * zoom > box.height - 2 * MARGIN;
  if (!tooWide && !tooTall) return;
  await rf.setViewport({ x: tooWide ? MARGIN - b.x * zoom : x, y: tooTall ? MARGIN - b.y * zoom : y, zoom });
}
