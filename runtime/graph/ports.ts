// Which handles a node offers, and the wiring rules shared by the loader and the canvas.
// A group offers, besides its outer ports, an inner SOURCE handle (its inner nodes read from it) and
// an inner TARGET handle (the inner network's last node writes to it); only its own inner nodes may
// use those, and no wire crosses a group's border except through them.
import type { AnyNodeDefinition, PortKind } from '../../nodes/types';

export type Registry = (type: string) => AnyNodeDefinition | undefined;

export interface Handle {
  id: string;
  kind: PortKind;
  /** A group's inner handle. */
  inner: boolean;
}

/** Handles a wire may start from. */
export function sourceHandles(def: AnyNodeDefinition): Handle[] {
  const hs: Handle[] = def.outputs.map((p) => ({ id: p.id, kind: p.kind, inner: false }));
  if (def.role === 'group' && def.group) hs.push({ id: def.group.innerInput, kind: 'tensor', inner: true });
  return hs;
}

/** Handles a wire may end at. */
export function targetHandles(def: AnyNodeDefinition): Handle[] {
  const hs: Handle[] = def.inputs.map((p) => ({ id: p.id, kind: p.kind, inner: false }));
  if (def.role === 'group' && def.group) hs.push({ id: def.group.innerOutput, kind: 'tensor', inner: true });
  return hs;
}

export function kindName(kind: PortKind): string {
  return kind === 'schedule' ? 'noise schedule' : kind;
}

export function kindMismatch(from: PortKind, to: PortKind): string | null {
  if (from === to) return null;
  return `a ${kindName(from)} output cannot feed a ${kindName(to)} input`;
}

export interface End {
  id: string;
  parentId?: string;
}

/**
 * Why a wire from `src.sourceHandle` to `tgt.targetHandle` breaks the group border rules, or null.
 * Handles must already be known to exist.
 */
export function borderProblem(src: End, source: Handle, tgt: End, target: Handle): string | null {
  if (source.inner && target.inner) return `a group's inner input cannot feed a group's inner output directly`;
  if (source.inner) {
    return tgt.parentId === src.id
      ? null
      : `"${source.id}" of group "${src.id}" feeds only the group's own inner nodes, and "${tgt.id}" is not inside it`;
  }
  if (target.inner) {
    return src.parentId === tgt.id
      ? null
      : `"${target.id}" of group "${tgt.id}" takes only a wire from the group's own inner nodes, and "${src.id}" is not inside it`;
  }
  if ((src.parentId ?? null) === (tgt.parentId ?? null)) return null;
  const inner = src.parentId ? src : tgt;
  const other = inner === src ? tgt : src;
  return (
    `"${inner.id}" is inside group "${inner.parentId}" and "${other.id}" is ` +
    (other.parentId ? `inside group "${other.parentId}"` : 'outside it') +
    `; a wire crosses a group's border only through the group's ports`
  );
}

/** The vertex a wire end stands for when looking for cycles: a group's inner handles are their own vertices. */
export function flowVertex(nodeId: string, handle: string, def: AnyNodeDefinition | undefined): string {
  const g = def?.role === 'group' ? def.group : undefined;
  if (g && handle === g.innerInput) return `${nodeId}\u0000inner-in`;
  if (g && handle === g.innerOutput) return `${nodeId}\u0000inner-out`;
  return nodeId;
}
