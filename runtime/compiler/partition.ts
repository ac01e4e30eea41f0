// Pass 4, partition: the layer nodes between two pipeline nodes form one network, named by its role.
// Pure data here; runtime/compiler/build.ts turns each network into a tf.LayersModel.
import type { Shape, ShapeMap } from '../../nodes/types';
import type { Checked } from './structure';

/** A value in the graph: one output port of one node (or a group's inner input handle). */
export interface PortRef {
  node: string;
  port: string;
}

export const refKey = (r: PortRef) => `${r.node}:${r.port}`;

export interface NetworkPlan {
  name: string;
  role: string;
  /** The group this network lives in (a discriminator's inner network). */
  group?: string;
  /** Member layer nodes in topological order. */
  nodeIds: string[];
  inputs: (PortRef & { shape: Shape })[];
  outputs: (PortRef & { shape: Shape })[];
}

export function partition(checked: Checked, order: string[], shapes: Record<string, ShapeMap>): NetworkPlan[] {
  const isLayer = (id: string) => checked.nodes.get(id)?.def.role === 'layer';
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const id of order) if (isLayer(id)) parent.set(id, id);
  for (const e of checked.edges) {
    if (isLayer(e.source) && isLayer(e.target)) parent.set(find(e.source), find(e.target));
  }
  // A group's inner layers are one network even if the user wired them as parallel branches.
  const groupRoot = new Map<string, string>();
  for (const id of order) {
    const p = checked.nodes.get(id)?.node.parentId;
    if (!p || !isLayer(id)) continue;
    const seen = groupRoot.get(p);
    if (seen) parent.set(find(id), find(seen));
    else groupRoot.set(p, id);
  }

  const members = new Map<string, string[]>();
  for (const id of order) {
    if (!isLayer(id)) continue;
    const r = find(id);
    members.set(r, [...(members.get(r) ?? []), id]);
  }

  const used = new Map<string, number>();
  const plans: NetworkPlan[] = [];
  for (const nodeIds of members.values()) {
    const inside = new Set(nodeIds);
    const inputs = new Map<string, PortRef & { shape: Shape }>();
    const outputs = new Map<string, PortRef & { shape: Shape }>();
    for (const e of checked.edges) {
      const ref = { node: e.source, port: e.sourceHandle };
      const shape = shapes[e.source]?.[e.sourceHandle];
      if (!shape) continue;
      if (inside.has(e.target) && !inside.has(e.source)) inputs.set(refKey(ref), { ...ref, shape });
      if (inside.has(e.source) && !inside.has(e.target)) outputs.set(refKey(ref), { ...ref, shape });
    }
    const group = checked.nodes.get(nodeIds[0])?.node.parentId;
    const role = roleOf(checked, [...inputs.values()], [...outputs.values()], group);
    const n = (used.get(role) ?? 0) + 1;
    used.set(role, n);
    plans.push({
      name: n === 1 ? role : `${role}${n}`,
      role,
      group,
      nodeIds,
      inputs: [...inputs.values()],
      outputs: [...outputs.values()],
    });
  }
  return plans;
}

function roleOf(checked: Checked, inputs: PortRef[], outputs: PortRef[], group: string | undefined): string {
  const roleFrom = (id: string, side: 'upstream' | 'downstream') => checked.nodes.get(id)?.def.networkRole?.[side];
  if (group) return roleFrom(group, 'downstream') ?? 'model';
  for (const i of inputs) {
    const r = roleFrom(i.node, 'downstream');
    if (r) return r;
  }
  for (const o of outputs) {
    for (const e of checked.edges) {
      if (e.source !== o.node || e.sourceHandle !== o.port) continue;
      const r = roleFrom(e.target, 'upstream');
      if (r) return r;
    }
  }
  return 'model';
}
