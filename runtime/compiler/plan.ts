// Pass 5, plan training: each loss contributes objectives, and each objective learns which
// networks it trains from where the loss sits in the graph.
import type { ObjectiveDef, OptimizerSettings } from '../../nodes/types';
import { describeNode, type TrainingConfig } from '../graph/document';
import { error, type Diagnostic } from '../graph/diagnostics';
import type { NetworkPlan } from './partition';
import type { Checked } from './structure';

export interface PlannedObjective {
  /** `<lossNodeId>.<objectiveId>`: the key of its loss in progress events. */
  key: string;
  lossNode: string;
  def: ObjectiveDef;
  networks: string[];
}

export interface Phase {
  name: 'critic' | 'main';
  repeat: number;
  objectives: PlannedObjective[];
  networks: string[];
  optimizer: Required<OptimizerSettings>;
}

/** Every node upstream of `start` (inclusive), walking wires backwards through groups. */
export function upstreamNodes(checked: Checked, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of checked.incoming.get(id)?.values() ?? []) stack.push(e.source);
  }
  return seen;
}

function networksAmong(nets: NetworkPlan[], nodes: Set<string>): string[] {
  return nets.filter((n) => n.nodeIds.some((id) => nodes.has(id))).map((n) => n.name);
}

function objectiveNetworks(checked: Checked, nets: NetworkPlan[], lossId: string, def: ObjectiveDef): string[] {
  const up = upstreamNodes(checked, lossId);
  up.delete(lossId);
  const groups = [...up].filter((id) => checked.nodes.get(id)?.def.role === 'group');
  const groupNets = nets.filter((n) => n.group && groups.includes(n.group)).map((n) => n.name);
  if (def.trains === 'discriminator') return groupNets;
  if (def.trains === 'generator') {
    const gen = new Set<string>();
    for (const g of groups) {
      const gdef = checked.nodes.get(g)!.def;
      for (const route of gdef.group!.routes) {
        if (route.from !== 'fake') continue;
        const e = checked.incoming.get(g)?.get(route.from);
        if (e) for (const name of networksAmong(nets, upstreamNodes(checked, e.source))) gen.add(name);
      }
    }
    return [...gen].filter((n) => !groupNets.includes(n));
  }
  return networksAmong(nets, up);
}

export function planTraining(
  checked: Checked,
  nets: NetworkPlan[],
  training: TrainingConfig,
): { phases: Phase[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byPhase: Record<Phase['name'], PlannedObjective[]> = { critic: [], main: [] };
  for (const [id, { node, def, params }] of checked.nodes) {
    if (def.role !== 'loss' || !def.objectives) continue;
    for (const obj of def.objectives(params)) {
      const networks = objectiveNetworks(checked, nets, id, obj);
      if (networks.length === 0) {
        const what = obj.trains === 'upstream' ? 'no network feeds it' : `it finds no ${obj.trains} network`;
        diagnostics.push(
          error('nothing-trainable', `${describeNode(node)} has nothing to train: ${what} (its "${obj.id}" objective)`, { nodeId: id }),
        );
        continue;
      }
      byPhase[obj.phase].push({ key: `${id}.${obj.id}`, lossNode: id, def: obj, networks });
    }
  }
  const phases: Phase[] = [];
  for (const name of ['critic', 'main'] as const) {
    const objectives = byPhase[name];
    if (objectives.length === 0) continue;
    const own = objectives.find((o) => o.def.optimizer)?.def.optimizer ?? {};
    phases.push({
      name,
      repeat: Math.max(1, ...objectives.map((o) => o.def.repeat ?? 1)),
      objectives,
      networks: [...new Set(objectives.flatMap((o) => o.networks))],
      optimizer: {
        learningRate: own.learningRate ?? training.learningRate,
        beta1: own.beta1 ?? training.beta1,
        beta2: own.beta2 ?? training.beta2,
      },
    });
  }
  const anyLoss = [...checked.nodes.values()].some((n) => n.def.role === 'loss');
  if (!anyLoss) diagnostics.push(error('no-objective', 'the graph has no loss node, so there is nothing to train: add one from the losses group'));
  return { phases, diagnostics };
}

/** Declared dependencies between node types (reparameterize needs a KL loss, …). */
export function checkRequirements(checked: Checked): Diagnostic[] {
  const out: Diagnostic[] = [];
  const types = new Set([...checked.nodes.values()].map((n) => n.node.type));
  for (const [id, { node, def }] of checked.nodes) {
    for (const req of def.requires ?? []) {
      const ok =
        req.where === 'graph'
          ? types.has(req.type)
          : [...checked.nodes.keys()].some((other) => checked.nodes.get(other)!.node.type === req.type && upstreamNodes(checked, other).has(id));
      if (!ok) out.push(error('missing-part', `${describeNode(node)} ${req.message}`, { nodeId: id }));
    }
  }
  return out;
}
