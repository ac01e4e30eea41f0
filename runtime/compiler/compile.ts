// The whole compiler: validate → order → infer shapes → partition → plan training → plan sampling,
// then build each network as a tf.LayersModel. Stops before building when any pass found an error.
import type { GraphDocument } from '../graph/document';
import type { Analysis } from './analysis';
import { analyzeChecked } from './analyze';
import { buildNetwork, type BuiltNetwork } from './build';
import { error, hasErrors, type Diagnostic } from './diagnostics';
import { checkBudget, estimateMemory } from './memory';
import { partition } from './partition';
import { checkRequirements, planTraining, type Phase } from './plan';
import { planSampling, type SamplingPlan } from './plan-sampling';
import type { Checked, Registry } from './structure';

export interface CompiledGraph {
  doc: GraphDocument;
  analysis: Analysis;
  checked: Checked;
  networks: BuiltNetwork[];
  /** Which network a layer node belongs to. */
  networkOf: Map<string, BuiltNetwork>;
  phases: Phase[];
  sampling: SamplingPlan;
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
  const { analysis, checked, vertices } = analyzeChecked(doc, registry);
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
  const dispose = () => networks.forEach((n) => n.model.dispose());
  for (const plan of plans) {
    const { network, diagnostics: d } = buildNetwork(plan, checked, analysis.shapes, doc.training.seed);
    diagnostics.push(...d);
    if (network) networks.push(network);
  }
  for (const phase of phases) {
    for (const obj of phase.objectives) {
      const weights = networks.filter((n) => obj.networks.includes(n.name)).flatMap((n) => n.model.trainableWeights);
      if (weights.length === 0)
        diagnostics.push(
          error('nothing-trainable', `loss "${obj.lossNode}" has nothing to train: the networks feeding it (${obj.networks.join(', ')}) have no weights`, {
            nodeId: obj.lossNode,
          }),
        );
    }
  }
  if (hasErrors(diagnostics)) {
    dispose();
    return { compiled: null, diagnostics };
  }
  void vertices;
  const networkOf = new Map<string, BuiltNetwork>();
  for (const n of networks) for (const id of n.nodeIds) networkOf.set(id, n);
  return {
    compiled: { doc, analysis, checked, networks, networkOf, phases, sampling: planSampling(checked, analysis.shapes), dispose },
    diagnostics,
  };
}
