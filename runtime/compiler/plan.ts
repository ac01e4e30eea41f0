// Pass 5, plan training: each loss contributes objectives, and each objective learns which
// networks it trains from where the loss sits in the graph.
import { TRAINING_STAGES, type ObjectiveDef, type OptimizerSettings, type TrainingStage } from '../../nodes/types';
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
  /** The objectives' stage: the trainer runs the phases of one stage at a time. */
  stage: TrainingStage;
  repeat: number;
  /** A 'calibrate' phase's length in steps, after the run's (the longest its objectives ask for). */
  steps?: number;
  objectives: PlannedObjective[];
  networks: string[];
  optimizer: Required<OptimizerSettings>;
}

/** The stages an objective trains in, its own first. */
export function stagesOf(def: ObjectiveDef): TrainingStage[] {
  return def.stage === undefined ? ['base'] : Array.isArray(def.stage) ? def.stage : [def.stage];
}

/** Every node reachable from `start` (inclusive) by following `next`. */
function reach(start: string, next: (id: string) => Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of next(id)) stack.push(n);
  }
  return seen;
}

/** Every node upstream of `start` (inclusive), walking wires backwards through groups. */
export function upstreamNodes(checked: Checked, start: string): Set<string> {
  return reach(start, (id) => [...(checked.incoming.get(id)?.values() ?? [])].map((e) => e.source));
}

/**
 * The data nodes that feed any of `lossNodes`: what held-out losses read. A preferences node counts
 * only where it feeds one of them (a feedback loss), not because the graph has one.
 */
export function datasetsUpstream(checked: Checked, lossNodes: string[]): string[] {
  const upstream = new Set(lossNodes.flatMap((id) => [...upstreamNodes(checked, id)]));
  return [...upstream].filter((id) => {
    const e = checked.nodes.get(id);
    return Boolean(e?.def.data?.(e.params));
  });
}

/** Every node downstream of `start` (inclusive), walking wires forwards through groups. */
export function downstreamNodes(checked: Checked, start: string): Set<string> {
  return reach(start, (id) => checked.edges.filter((e) => e.source === id).map((e) => e.target));
}

function networksAmong(nets: NetworkPlan[], nodes: Set<string>): NetworkPlan[] {
  return nets.filter((n) => n.nodeIds.some((id) => nodes.has(id)));
}

/**
 * The roles each network plays: its own (named by the nodes around it, e.g. 'decoder'), plus any
 * role an input port declares for whatever feeds it (the discriminator's generated-data input makes
 * the networks behind it 'generator').
 */
export function networkRoles(checked: Checked, nets: NetworkPlan[]): Map<string, Set<string>> {
  const roles = new Map(nets.map((n) => [n.name, new Set([n.role])]));
  for (const [id, { def }] of checked.nodes) {
    for (const port of def.inputs) {
      if (!port.role) continue;
      const e = checked.incoming.get(id)?.get(port.id);
      if (!e) continue;
      for (const net of networksAmong(nets, upstreamNodes(checked, e.source))) roles.get(net.name)!.add(port.role);
    }
  }
  return roles;
}

function objectiveNetworks(checked: Checked, nets: NetworkPlan[], roles: Map<string, Set<string>>, lossId: string, def: ObjectiveDef): string[] {
  const up = upstreamNodes(checked, lossId);
  up.delete(lossId);
  const feeding = networksAmong(nets, up);
  const trains = def.trains;
  if (trains === 'upstream') return feeding.map((n) => n.name);
  return feeding.filter((n) => roles.get(n.name)!.has(trains.role)).map((n) => n.name);
}

export function planTraining(
  checked: Checked,
  nets: NetworkPlan[],
  training: TrainingConfig,
): { phases: Phase[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const roles = networkRoles(checked, nets);
  const byPhase = new Map<string, PlannedObjective[]>();
  for (const [id, { node, def, params }] of checked.nodes) {
    if (def.role !== 'loss' || !def.objectives) continue;
    for (const obj of def.objectives(params)) {
      const networks = objectiveNetworks(checked, nets, roles, id, obj);
      if (networks.length === 0) {
        const what = obj.trains === 'upstream' ? 'no network feeds it' : `it finds no ${obj.trains.role} network`;
        diagnostics.push(
          error('nothing-trainable', `${describeNode(node)} has nothing to train: ${what} (its "${obj.id}" objective)`, { nodeId: id }),
        );
        continue;
      }
      for (const stage of stagesOf(obj)) {
        const k = `${stage}\0${obj.phase}`;
        if (!byPhase.has(k)) byPhase.set(k, []);
        byPhase.get(k)!.push({ key: `${id}.${obj.id}`, lossNode: id, def: obj, networks });
      }
    }
  }
  const phases: Phase[] = [];
  for (const stage of TRAINING_STAGES) for (const name of ['critic', 'main'] as const) {
    const objectives = byPhase.get(`${stage}\0${name}`) ?? [];
    if (objectives.length === 0) continue;
    // A stage's own objectives set its optimizer before those that carry on from another stage.
    const own = (objectives.find((o) => o.def.optimizer && stagesOf(o.def)[0] === stage) ?? objectives.find((o) => o.def.optimizer))?.def.optimizer ?? {};
    phases.push({
      name,
      stage,
      repeat: Math.max(1, ...objectives.map((o) => o.def.repeat ?? 1)),
      ...(stage === 'calibrate' ? { steps: Math.max(0, ...objectives.map((o) => o.def.steps ?? 0)) } : {}),
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
  for (const [id, { node, def, params }] of checked.nodes) {
    for (const req of def.requires ?? []) {
      const ok =
        req.where === 'graph'
          ? types.has(req.type)
          : [...checked.nodes.keys()].some((other) => checked.nodes.get(other)!.node.type === req.type && upstreamNodes(checked, other).has(id));
      if (!ok) out.push(error('missing-part', `${describeNode(node)} ${req.message}`, { nodeId: id }));
    }
    for (const need of def.wiredOutputs?.(params as never) ?? []) {
      const wired = checked.edges.some((e) => e.source === id && e.sourceHandle === need.port);
      if (!wired) out.push(error('unwired-output', `${describeNode(node)} ${need.message}`, { nodeId: id }));
    }
  }
  return out;
}
