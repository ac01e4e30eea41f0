// Node boxes on the canvas, for placing and moving nodes so that none covers another.
import type { GraphNode } from '../../runtime/graph/document';
import { groupSize, isGroup } from './graph';

export interface Size {
  width: number;
  height: number;
}

export interface Box extends Size {
  x: number;
  y: number;
}

/** A layer node's size before the canvas has measured it. */
export const DEFAULT_NODE_SIZE: Size = { width: 200, height: 110 };
/** A collapsed group's box before it is measured. */
export const COLLAPSED_GROUP_SIZE: Size = { width: 220, height: 110 };

/** A node's box relative to its parent: measured size when known, else the group's own or a default. */
export function boxOf(n: GraphNode, sizes: Record<string, Size>): Box {
  const expandedGroup = isGroup(n) && !n.collapsed;
  const size = expandedGroup ? groupSize(n) : (sizes[n.id] ?? (isGroup(n) ? COLLAPSED_GROUP_SIZE : DEFAULT_NODE_SIZE));
  return { x: n.position.x, y: n.position.y, width: size.width, height: size.height };
}

export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}
