// The graph as the export reads it: the compiler's pure passes (validate, order, shapes, partition,
// plans), without building a single tfjs model, so the export runs anywhere the canvas does.
import { analyzeChecked } from '../../compiler/analyze';
import { partition, type NetworkPlan, type PortRef } from '../../compiler/partition';
import { checkRequirements, downstreamNodes, networkRoles, planTraining, type Phase } from '../../compiler/plan';
import { planSampling, type MaybeSamplingPlan } from '../../compiler/plan-sampling';
import type { Checked } from '../../compiler/structure';
import type { Analysis } from '../../compiler/analysis';
import { hasErrors, type Diagnostic } from '../../graph/diagnostics';
import type { GraphDocument } from '../../graph/document';
import type { ShapeMap } from '../../../nodes/types';

export interface GraphParts {
  doc: GraphDocument;
  checked: Checked;
  analysis: Analysis;
  shapes: Record<string, ShapeMap>;
  networks: NetworkPlan[];
  phases: Phase[];
  sampling: MaybeSamplingPlan;
  /** The network a layer node belongs to. */
  networkOf: Map<string, NetworkPlan>;
  /** Which node's output feeds input `port` of `node`. */
  inputOf(node: string, port: string): PortRef | null;
  /** The networks with a frozen reference copy (a role some objective `references`). */
  references: Set<string>;
  /** Nodes whose value differs between the networks and their reference copies. */
  dependents: Set<string>;
}

/** As runtime/compiler/references.ts decides them, without building the copies. */
function referenceCopies(checked: Checked, networks: NetworkPlan[], phases: Phase[]): { references: Set<string>; dependents: Set<string> } {
  const wanted = new Set(phases.flatMap((p) => p.objectives.flatMap((o) => o.def.references ?? [])));
  const roles = networkRoles(checked, networks);
  const copied = networks.filter((n) => [...(roles.get(n.name) ?? [])].some((r) => wanted.has(r)));
  const dependents = new Set<string>();
  for (const n of copied) for (const id of n.nodeIds) for (const d of downstreamNodes(checked, id)) dependents.add(d);
  return { references: new Set(copied.map((n) => n.name)), dependents };
}

export function graphParts(doc: GraphDocument): { parts: GraphParts | null; diagnostics: Diagnostic[] } {
  const { analysis, checked } = analyzeChecked(doc);
  const diagnostics = [...analysis.diagnostics];
  if (hasErrors(diagnostics)) return { parts: null, diagnostics };
  const networks = partition(checked, analysis.order, analysis.shapes);
  diagnostics.push(...checkRequirements(checked));
  const { phases: allPhases, diagnostics: planned } = planTraining(checked, networks, doc.training);
  // A discriminator's calibration serves rejection sampling, which the export leaves out too.
  const phases = allPhases.filter((p) => p.stage !== 'calibrate');
  diagnostics.push(...planned);
  if (hasErrors(diagnostics)) return { parts: null, diagnostics };
  const networkOf = new Map<string, NetworkPlan>();
  for (const n of networks) for (const id of n.nodeIds) networkOf.set(id, n);
  const inputOf = (node: string, port: string): PortRef | null => {
    const e = checked.incoming.get(node)?.get(port);
    return e ? { node: e.source, port: e.sourceHandle } : null;
  };
  return {
    parts: { doc, checked, analysis, shapes: analysis.shapes, networks, phases, sampling: planSampling(checked, analysis.shapes), networkOf, inputOf, ...referenceCopies(checked, networks, phases) },
    diagnostics,
  };
}

