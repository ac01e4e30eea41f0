// The whole compiler: validate → order → infer shapes → partition → plan training → plan sampling,
// then build each network as a tf.LayersModel. Stops before building when any pass found an error.
import type { GraphDocument } from '../graph/document';
import type { Analysis } from './analysis';
import { analyzeChecked } from './analyze';
import { buildNetwork, type BuiltNetwork } from './build';
import { unfrozenWeights } from './frozen-weights';
import { error, hasErrors, type Diagnostic } from '../graph/diagnostics';
import { checkBudget, estimateMemory } from './memory';
import { partition } from './partition';
import { checkRequirements, networkRoles, planTraining, type Phase } from './plan';
import { planSampling, type MaybeSamplingPlan } from './plan-sampling';
import { buildReferences, type References } from './references';
import type { Registry } from '../graph/ports';
import type { Checked } from './structure';

export interface CompiledGraph {
  doc: GraphDocument;
  analysis: Analysis;
  checked: Checked;
  networks: BuiltNetwork[];
  /** Which network a layer node belongs to. */
  networkOf: Map<string, BuiltNetwork>;
  phases: Phase[];
  /** How the graph is sampled; null when nothing in it can be (a classifier). */
  sampling: MaybeSamplingPlan;
  /** Each network's roles (its own, and those input ports give whatever feeds them). */
  roles: Map<string, Set<string>>;
  /** Frozen reference copies of the networks that objectives compare against. */
  references: References;
  dispose(): void;
}

export interface CompileOptions {
  /** Bytes a training step may need (runtime/compiler/memory.ts); no check when absent. */
  memoryBudget?: number;
}

export function compile(
  doc: GraphDocument,
  registry?: Registry,
  options: CompileOptions = {},
): { compiled: CompiledGraph | null; diagnostics: Diagnostic[] } {
  const { analysis, checked } = analyzeChecked(doc, registry);
  const diagnostics = [...analysis.diagnostics];
  if (hasErrors(diagnostics)) return { compiled: null, diagnostics };

  const plans = partition(checked, analysis.order, analysis.shapes);
  diagnostics.push(...checkRequirements(checked));
  const { phases, diagnostics: planDiags } = planTraining(checked, plans, doc.training);
  diagnostics.push(...planDiags);
  // Before the first weight is allocated: a graph too big for memory is refused in a moment.
  if (options.memoryBudget !== undefined) diagnostics.push(...checkBudget(estimateMemory(analysis, checked, doc.training.batchSize), options.memoryBudget));
  if (hasErrors(diagnostics)) return { compiled: null, diagnostics };

  const networks: BuiltNetwork[] = [];
  let references: References | null = null;
  const dispose = () => {
    networks.forEach((n) => n.model.dispose());
    references?.dispose();
  };
  for (const plan of plans) {
    const { network, diagnostics: d } = buildNetwork(plan, checked, analysis.shapes, doc.training.seed);
    diagnostics.push(...d);
    if (network) networks.push(network);
  }
  // A network that failed to build has its own diagnostic; "nothing to train" would only repeat it.
  for (const phase of hasErrors(diagnostics) ? [] : phases) {
    for (const obj of phase.objectives) {
      const feeding = networks.filter((n) => obj.networks.includes(n.name));
      const weights = feeding.flatMap((n) => n.model.trainableWeights);
      if (weights.length === 0)
        diagnostics.push(
          error('nothing-trainable', `loss "${obj.lossNode}" has nothing to train: the networks feeding it (${obj.networks.join(', ')}) have no weights`, {
            nodeId: obj.lossNode,
          }),
        );
      else if (feeding.every((n) => unfrozenWeights(n, checked).length === 0))
        diagnostics.push(
          error('nothing-trainable', `loss "${obj.lossNode}" has nothing to train: every layer of the networks feeding it (${obj.networks.join(', ')}) is frozen; unlock one`, {
            nodeId: obj.lossNode,
          }),
        );
    }
  }
  const roles = networkRoles(checked, plans);
  if (!hasErrors(diagnostics)) {
    const built = buildReferences(plans, networks, roles, phases, checked, analysis.shapes, doc.training.seed);
    references = built.references;
    diagnostics.push(...built.diagnostics);
  }
  if (hasErrors(diagnostics) || !references) {
    dispose();
    return { compiled: null, diagnostics };
  }
  const networkOf = new Map<string, BuiltNetwork>();
  for (const n of networks) for (const id of n.nodeIds) networkOf.set(id, n);
  return {
    compiled: { doc, analysis, checked, networks, networkOf, phases, sampling: planSampling(checked, analysis.shapes), roles, references, dispose },
    diagnostics,
  };
}
