// Frozen reference copies: for objectives that compare a network with where it started (a KL to a
// reference policy, DPO, an anchor on a generator), each network playing a role an objective names
// in `references` gets a copy with the same architecture and its own weights, which no optimizer
// ever sees. The trainer copies the current weights into them when a run starts from a model.
import * as tf from '@tensorflow/tfjs';
import type { ShapeMap } from '../../nodes/types';
import { buildNetwork, type BuiltNetwork } from './build';
import type { Diagnostic } from '../graph/diagnostics';
import type { NetworkPlan } from './partition';
import { downstreamNodes, type Phase } from './plan';
import type { Checked } from './structure';

export interface References {
  /** Network name → its frozen copy. */
  copies: Map<string, BuiltNetwork>;
  /** Nodes whose value depends on a network with a copy (they differ between policy and reference). */
  dependents: Set<string>;
  /** Copies the networks' current weights into their reference copies. */
  sync(): void;
  dispose(): void;
}

export function buildReferences(
  plans: NetworkPlan[],
  networks: BuiltNetwork[],
  roles: Map<string, Set<string>>,
  phases: Phase[],
  checked: Checked,
  shapes: Record<string, ShapeMap>,
  seed: number,
): { references: References; diagnostics: Diagnostic[] } {
  const wanted = new Set(phases.flatMap((p) => p.objectives.flatMap((o) => o.def.references ?? [])));
  const copies = new Map<string, BuiltNetwork>();
  const diagnostics: Diagnostic[] = [];
  for (const plan of plans) {
    if (![...(roles.get(plan.name) ?? [])].some((r) => wanted.has(r))) continue;
    const { network, diagnostics: d } = buildNetwork({ ...plan, name: `${plan.name}_reference` }, checked, shapes, seed);
    diagnostics.push(...d);
    if (network) copies.set(plan.name, network);
  }
  const dependents = new Set<string>();
  for (const name of copies.keys()) {
    const net = networks.find((n) => n.name === name);
    for (const id of net?.nodeIds ?? []) for (const d of downstreamNodes(checked, id)) dependents.add(d);
  }
  const references: References = {
    copies,
    dependents,
    sync() {
      for (const [name, copy] of copies) {
        const net = networks.find((n) => n.name === name);
        // Clones, so the copy owns its values whatever the optimizer later does to the originals.
        if (net) tf.tidy(() => copy.model.setWeights(net.model.getWeights().map((w) => w.clone())));
      }
    },
    dispose() {
      for (const c of copies.values()) c.model.dispose();
    },
  };
  references.sync();
  return { references, diagnostics };
}
