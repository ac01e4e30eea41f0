// The command line checked against the compiled graph, before training starts: options that only
// apply to another family, more samples than can be drawn or shown, more reverse steps than the
// schedule has, a prompt the vocabulary cannot spell. Each would otherwise fail after the run.
import type { CompiledGraph } from '../compiler/compile';
import { estimateMemory, estimateSampling, formatBytes } from '../compiler/memory';
import type { TextTokenizer } from '../../nodes/sampling';
import type { TrainArgs } from './args';

/** The most samples of each kind a run draws: an image grid of 32×32, a scatter, a page of text. */
export const MAX_SAMPLES = { images: 1024, points: 100_000, text: 1000 } as const;

export function sampleKind(graph: CompiledGraph): keyof typeof MAX_SAMPLES | null {
  return graph.sampling?.output ?? null;
}

export function checkRunArgs(args: TrainArgs, graph: CompiledGraph, tokenizer: TextTokenizer | undefined, memoryBudget: number): string[] {
  const problems: string[] = [];
  const plan = graph.sampling;
  const kind = sampleKind(graph);
  if (args.samples !== undefined) {
    if (!kind) problems.push('--samples: this graph has nothing to sample from');
    else if (args.samples > MAX_SAMPLES[kind]) problems.push(`--samples: at most ${MAX_SAMPLES[kind].toLocaleString('en-US')} ${kind === 'text' ? 'texts' : kind} can be drawn, got ${args.samples.toLocaleString('en-US')}`);
    else if (kind !== 'text') {
      const bytes = estimateSampling(estimateMemory(graph.analysis, graph.checked, graph.doc.training.batchSize), args.samples);
      if (bytes > memoryBudget) problems.push(`--samples: drawing ${args.samples.toLocaleString('en-US')} at once needs about ${formatBytes(bytes)}, over the memory budget of ${formatBytes(memoryBudget)}`);
    }
  }
  if (args.heldOut !== undefined && !(plan && graph.checked.nodes.get(plan.node)?.def.sampler?.metrics))
    problems.push('--held-out applies to VAEs (held-out likelihood bounds) only');
  // A reverse process (diffusion) offers frames and reads its step count off a noise schedule.
  const schedule = plan?.features.includes('frames') ? plan.refs.schedule : undefined;
  if (!schedule) {
    if (args.sampler) problems.push('--sampler applies to diffusion models (a graph with a noise schedule) only');
    if (args.sampleSteps !== undefined) problems.push('--sample-steps applies to diffusion models (a graph with a noise schedule) only');
  } else if (args.sampleSteps !== undefined) {
    const T = Number(graph.checked.nodes.get(schedule.node)?.params.T);
    if (args.sampleSteps > T) problems.push(`--sample-steps: the noise schedule "${schedule.node}" has T = ${T} steps, so at most ${T}; got ${args.sampleSteps.toLocaleString('en-US')}`);
  }
  if (plan?.output !== 'text') {
    for (const [flag, v] of [['--prompt', args.prompt], ['--temperature', args.temperature], ['--top-k', args.topK]] as const) {
      if (v !== undefined) problems.push(`${flag} applies to language models only`);
    }
  } else if (args.prompt !== undefined) {
    if (!tokenizer) problems.push('--prompt: this language model has no vocabulary (its text dataset did not load)');
    else {
      try {
        tokenizer.encode(args.prompt);
      } catch (e) {
        problems.push(`--prompt: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

/**
 * A decaying learning rate reaches 0 at the end of the graph's steps (a fresh run's schedule spans
 * `training.steps`, whatever --steps says): steps trained past it would change nothing. Said before
 * training, not refused: an interrupted or scripted long run may want them. A calibration stage
 * trains at a constant rate, so a graph with one is not held to this.
 */
export function stepsPastSchedule(graph: CompiledGraph, until: number, runLength: number): string | null {
  const { lrSchedule } = graph.doc.training;
  if (until <= runLength || !lrSchedule || lrSchedule === 'constant') return null;
  if (graph.phases.some((p) => p.stage === 'calibrate')) return null;
  return (
    `the learning rate's ${lrSchedule} decay reaches 0 at step ${runLength.toLocaleString('en-US')}, so the steps after it, up to ` +
    `${until.toLocaleString('en-US')}, will not change the model: set training.steps to the run's length, or begin the ` +
    'schedule again from trained weights with --init-weights'
  );
}
