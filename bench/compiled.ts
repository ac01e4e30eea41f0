// Genloom's own pipeline for one example: parse → compile → load data → train steps → sample,
// built from the same pieces the Trainer uses (compile, prepareData, makePhaseStates, trainStep,
// generate), so phases can also be stepped one at a time for the FLOP census.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { compile, type CompiledGraph } from '../runtime/compiler/compile';
import { nodeAssets } from '../runtime/data/assets-node';
import { parseGraph } from '../runtime/graph/load';
import { prepareData, type PreparedData } from '../runtime/train/data-source';
import { generate, type SampleRequest } from '../runtime/train/sample';
import { evalLosses, makePhaseStates, trainStep, type PhaseState, type StepContext } from '../runtime/train/step';

export interface CompiledRun {
  graph: CompiledGraph;
  data: PreparedData;
  states: PhaseState[];
  /** Parse + compile + data load + the first finished step, in ms. */
  loadToFirstStepMs: number;
  step(): void;
  /** Runs only the phase states given (for attributing work to phases). */
  stepPhases(states: PhaseState[]): void;
  sample(req: SampleRequest): Promise<unknown>;
  /** Held-out losses over `batches` test batches (what a model with nothing to sample is judged by). */
  evaluate(batches: number): Record<string, number>;
  dispose(): void;
}

/** Loads an example the way the app does, timing everything up to the end of the first step. */
export async function loadCompiled(file: string): Promise<CompiledRun> {
  const t0 = performance.now();
  const parsed = parseGraph(readFileSync(file, 'utf8'));
  if (!parsed.doc) throw new Error(`${file} does not parse: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  // Periodic eval and sampling are UI work, not training: off, as in the hand-written loops.
  const doc = { ...parsed.doc, training: { ...parsed.doc.training, evalEvery: 0, sampleEvery: 0 } };
  const { compiled, diagnostics } = compile(doc);
  if (!compiled) throw new Error(`${file} does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  const data = await prepareData(compiled, nodeAssets, doc.training.seed);
  const states = makePhaseStates(compiled);
  let stepIndex = 0;
  const ctx = (): StepContext => ({
    graph: compiled, data: data.batcher, batchSize: doc.training.batchSize, seed: doc.training.seed, step: stepIndex,
  });
  const stepPhases = (s: PhaseState[]) => {
    trainStep(s, ctx());
    stepIndex++;
  };
  const step = () => stepPhases(states);
  step();
  const loadToFirstStepMs = performance.now() - t0;
  return {
    graph: compiled,
    data,
    states,
    loadToFirstStepMs,
    step,
    stepPhases,
    sample: (req) =>
      generate(
        { graph: compiled, data: data.batcher, dataInfo: data.info, realPoints: data.realPoints, step: stepIndex },
        req,
      ),
    evaluate: (batches) => evalLosses(ctx(), batches),
    dispose() {
      states.forEach((s) => s.optimizer.dispose());
      compiled.dispose();
      void tf;
    },
  };
}
