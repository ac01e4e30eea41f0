// Which handles a node offers a wire. A group offers, besides its outer ports, an inner SOURCE handle
// (its inner nodes read from it) and an inner TARGET handle (the inner network's last node writes to
// it); see docs/decisions/0002-groups-use-inner-handles.md.
import type { AnyNodeDefinition, GroupSpec, PortDef, PortKind } from '../../nodes/types';

/** Looks a node type up; tests pass their own, everything else the real registry (nodes/registry.ts). */
export type Registry = (type: string) => AnyNodeDefinition | undefined;

export interface Handle {
  id: string;
  kind: PortKind;
  /** Tensor element type when not float32. */
  dtype?: PortDef['dtype'];
  /** A group's inner handle. */
  inner: boolean;
}

/** The group spec of a group node; undefined for every other node. */
export function groupSpec(def: AnyNodeDefinition): GroupSpec | undefined {
  return def.role === 'group' ? def.group : undefined;
}

const outer = (p: PortDef): Handle => ({ id: p.id, kind: p.kind, ...(p.dtype ? { dtype: p.dtype } : {}), inner: false });
const inner = (id: string): Handle => ({ id, kind: 'tensor', inner: true });

/** Handles a wire may start from. */
export function sourceHandles(def: AnyNodeDefinition): Handle[] {
  const hs = def.outputs.map(outer);
  const g = groupSpec(def);
  if (g) hs.push(inner(g.innerInput));
  return hs;
}

/** Handles a wire may end at. */
export function targetHandles(def: AnyNodeDefinition): Handle[] {
  const hs = def.inputs.map(outer);
  const g = groupSpec(def);
  if (g) hs.push(inner(g.innerOutput));
  return hs;
}

/** The handle a wire's end names, or undefined when that end of a wire cannot use it. */
export function findHandle(def: AnyNodeDefinition, id: string, end: 'source' | 'target'): Handle | undefined {
  return (end === 'source' ? sourceHandles(def) : targetHandles(def)).find((h) => h.id === id);
}

export function kindName(kind: PortKind): string {
  return kind === 'schedule' ? 'noise schedule' : kind;
}
