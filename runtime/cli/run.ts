// One headless training run: read and check the graph, train with progress on stderr, then write
// samples, metrics and weights into the output folder and the results to stdout.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { initNodeBackend } from '../backend/select-node';
import type { Diagnostic } from '../graph/diagnostics';
import { DEFAULT_BUDGET } from '../compiler/memory';
import { nodeAssets } from '../data/assets-node';
import { parseGraph } from '../graph/load';
import { describeNode, type GraphDocument } from '../graph/document';
import { parseFreezeList } from '../graph/frozen';
import { getNodeDef } from '../../nodes/registry';
import { paramSplit } from '../compiler/frozen-weights';
import { parseCheckpoint } from '../train/checkpoint';
import { parseNodeMapping, transferFrom, type Lineage } from './lineage';
import { Trainer } from '../train/trainer';
import type { TrainArgs } from './args';
import { checkRunArgs, stepsPastSchedule } from './checks';
import { EXIT, type ExitCode } from './exit-codes';
import { prepareOutDir, writeAtomic } from './files';
import { readBundle, writeBundle, writeModels } from './model-files';
import { writeOutputs } from './outputs';
import { formatLosses, ProgressReporter, type ProgressStream } from './progress';
import { runFeedbackLoop, type FeedbackReport } from '../feedback/loop';
import { feedbackLines, raterEnvFor, roundLine } from './feedback';

/**
 * Batches of the final held-out figure where the test split is not measured whole (a running text,
 * a split of more than WHOLE_SPLIT_MAX examples). The live curve's 4 batches of 64 names (about
 * 1,900 characters) leave a standard error near 0.03 nats/char, as large as the differences between
 * recipes; 50 batches bring it near 0.01 for a few seconds more.
 */
export const FINAL_EVAL_BATCHES = 50;

export interface CliIO {
  stdout: ProgressStream;
  stderr: ProgressStream;
  /** Ctrl-C: stops training, or skips what is not yet written; what exists is still written. */
  interrupts?: Interrupts;
}

/** Ctrl-C presses so far, and a way to hear the next ones. */
export interface Interrupts {
  readonly count: number;
  subscribe(listener: () => void): () => void;
}

/** A failure the user can act on: printed as these lines, no stack trace. */
export class CliError extends Error {
  constructor(
    readonly lines: string[],
    readonly exitCode: ExitCode = EXIT.graph,
  ) {
    super(lines.join('\n'));
    this.name = 'CliError';
  }
}

/** One diagnostic on one line, always naming the node or edge it concerns. */
export function diagnosticLine(d: Diagnostic): string {
  let msg = d.message;
  if (d.nodeId && !msg.includes(`"${d.nodeId}"`)) msg = `node "${d.nodeId}": ${msg}`;
  else if (d.edgeId && !msg.includes(`"${d.edgeId}"`)) msg = `edge "${d.edgeId}": ${msg}`;
  if (d.field && !msg.includes(d.field)) msg += ` (field "${d.field}")`;
  return `${d.severity}: ${msg}`;
}

export function defaultOutDir(graphFile: string): string {
  return join('out', basename(graphFile, extname(graphFile)));
}

export interface RunResult {
  outDir: string;
  files: string[];
  metrics: Record<string, unknown>;
  /** 0, or why the run ended early or wrote less than it should (see exit-codes.ts). */
  exitCode: ExitCode;
}

/** Continues the run from a checkpoint file, or stops with the reason it does not fit. */
async function resumeFrom(trainer: Trainer, file: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError([`error: cannot read the checkpoint ${file}: ${(e as Error).message}`]);
  }
  try {
    await trainer.resume(parseCheckpoint(text));
  } catch (e) {
    throw new CliError([`error: ${file} cannot be resumed here: ${(e as Error).message}`]);
  }
}

/** `--freeze`: locks the named layer nodes and groups, or stops naming each id that cannot be locked. */
function lockNodes(doc: GraphDocument, list: string): void {
  const { ids, problems } = parseFreezeList(list, doc.nodes);
  for (const id of ids) {
    const node = doc.nodes.find((n) => n.id === id);
    const role = node && getNodeDef(node.type)?.role;
    if (node && role !== 'layer' && role !== 'group') problems.push(`--freeze: ${describeNode(node)} holds no weights; lock layer nodes or groups`);
    else if (node) node.frozen = true;
  }
  if (problems.length) throw new CliError(problems.map((p) => `error: ${p}`), EXIT.usage);
}

/** checkpoint.json in `dir`, written whole under a temporary name first so a crash never leaves half a file. */
async function writeCheckpoint(trainer: Trainer, dir: string): Promise<void> {
  await writeAtomic(join(dir, 'checkpoint.json'), JSON.stringify(await trainer.checkpoint()));
}

export async function runTrain(args: TrainArgs, io: CliIO): Promise<RunResult> {
  const say = (s: string) => io.stdout.write(s + '\n');
  const note = (s: string) => {
    if (!args.quiet) io.stderr.write(s + '\n');
  };

  let text: string;
  try {
    text = await readFile(args.graph, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError([`error: cannot read the graph file ${args.graph}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`]);
  }
  const parsed = parseGraph(text);
  if (!parsed.doc) throw new CliError([`${args.graph}: the graph cannot be loaded`, ...parsed.diagnostics.map(diagnosticLine)]);
  const doc = parsed.doc;
  if (args.freeze !== undefined) lockNodes(doc, args.freeze);
  doc.training = {
    ...doc.training,
    ...(args.batch !== undefined ? { batchSize: args.batch } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    // Samples are drawn once at the end; drawing them during training only costs time here.
    sampleEvery: 0,
  };
  const budget = args.memoryBudget ?? DEFAULT_BUDGET.node;
  const interrupts = io.interrupts;

  // tfjs greets Node users on stderr; the CLI's own output is what matters.
  tf.env().set('PROD', true);
  const backend = await initNodeBackend(args.backend, { threads: args.threads });
  const trainer = new Trainer({ reader: nodeAssets, backend: backend.name, memoryBudget: budget });
  let failure: string | null = null;
  let progress: ProgressReporter | null = null;
  const heldOutCurve: { step: number; losses: Record<string, number> }[] = [];
  trainer.subscribe((e) => {
    if (e.type === 'progress' && progress && !args.quiet) progress.update(e);
    if (e.type === 'eval') heldOutCurve.push({ step: e.step, losses: e.losses });
    if (e.type === 'error') failure = e.message;
  });

  try {
    const loaded = await trainer.load(doc);
    if (!loaded.ok) {
      const overBudget = loaded.diagnostics.some((d) => d.code === 'memory-budget');
      throw new CliError([`${args.graph}: the graph does not ${overBudget ? 'fit the memory budget (--memory-budget)' : 'compile'}`, ...loaded.diagnostics.map(diagnosticLine)], overBudget ? EXIT.memory : EXIT.graph);
    }
    for (const d of [...parsed.diagnostics, ...loaded.diagnostics]) if (d.severity === 'warning') note(diagnosticLine(d));
    if (args.initWeights) {
      const bundle = await readBundle(args.initWeights);
      try {
        await trainer.importWeights(bundle, { newRun: true });
      } catch (e) {
        throw new CliError([`error: ${args.initWeights} does not fit this graph: ${(e as Error).message}`]);
      }
    }
    if (args.resume) await resumeFrom(trainer, args.resume);
    let lineage: Lineage = {
      parent: args.resume ?? args.initWeights ?? null,
      loaded: [],
      skipped: [],
      refused: [],
      ...paramSplit(trainer.compiled!.networks, trainer.compiled!.checked),
    };
    if (args.map !== undefined && !args.transfer) throw new CliError(['error: --map says how to match nodes for --transfer, which is missing']);
    if (args.transfer) {
      const file = args.transfer;
      const t = await Promise.resolve()
        .then(() => transferFrom(trainer, file, parseNodeMapping(args.map ?? '')))
        .catch((e: Error) => {
          throw new CliError([`error: ${e.message}`]);
        });
      lineage = t.lineage;
      for (const l of t.lines) note(l);
    }
    const graph = trainer.compiled!;
    const start = trainer.status.step;
    // A resumed run goes on to the graph's step count; a fine-tune from weights trains its full count
    // again, its schedule started anew (the run's length counts from the weights' step).
    // A feedback run from weights starts from that trained base: it goes straight to the rounds.
    // The run's length counts a discriminator's calibration steps after the graph's own.
    const steps = args.steps ?? (args.rounds && args.initWeights ? 0 : Math.max(0, trainer.runLength - start));
    const problems = checkRunArgs(args, graph, trainer.tokenizer, budget);
    // The output folder is made and proved writable before training: a run must not train for an
    // hour to find it cannot save; and not before the graph compiles, which would leave it empty.
    const prepared = problems.length ? null : await prepareOutDir(args.out ?? defaultOutDir(args.graph));
    if (prepared && 'problem' in prepared) problems.push(`--out: ${prepared.problem}`);
    if (!prepared || 'problem' in prepared) throw new CliError(problems.map((p) => `error: ${p}`), EXIT.usage);
    const outDir = prepared.dir;
    const total = start + steps;
    note(`${doc.name} — ${basename(args.graph)}`);
    note(`backend ${backend.name}${backend.threads > 1 ? ` (${backend.threads} threads)` : ""}; networks: ${loaded.networks.map((n) => `${n.name} (${n.params.toLocaleString('en-US')} params)`).join(', ')}`);
    note(`training ${steps} steps${start > 0 ? ` from step ${start} (${args.resume ?? args.initWeights})` : ''}, batch ${doc.training.batchSize}, seed ${doc.training.seed}`);
    const spent = args.rounds ? null : stepsPastSchedule(graph, start + steps, trainer.runLength);
    if (spent) note(`warning: ${spent}`);
    if (interrupts?.count) throw new CliError(['interrupted before training began; nothing was written'], EXIT.interrupted);
    progress = new ProgressReporter(io.stderr, start);

    const unsubscribe = interrupts?.subscribe(() => trainer.pause());
    const t0 = performance.now();
    try {
      // With --save-every, training stops at each multiple to write a checkpoint, then goes on.
      const every = args.saveEvery ?? 0;
      // A divergence pauses the trainer at the step that went bad: training it again would repeat it.
      while (!interrupts?.count && !trainer.divergence && trainer.status.step < total && trainer.status.state !== 'error') {
        const next = every > 0 ? Math.min(total, (Math.floor(trainer.status.step / every) + 1) * every) : total;
        await trainer.train(next);
        if (every > 0 && trainer.status.step === next && next < total) await writeCheckpoint(trainer, outDir);
      }
    } finally {
      unsubscribe?.();
      progress.finish();
    }
    let feedback: FeedbackReport | undefined;
    // Rounds report one line each, not a progress bar.
    progress = null;
    if (args.rounds && !interrupts?.count && !trainer.divergence && trainer.status.state !== 'error') {
      note(`feedback: ${args.rounds} rounds of sample, rate, fit the reward model, fine-tune`);
      feedback = await runFeedbackLoop(trainer, {
        rounds: args.rounds,
        seed: doc.training.seed,
        env: await raterEnvFor(trainer),
        maxTokens: trainer.compiled?.sampling?.settings.contextLength ? trainer.compiled.sampling.settings.contextLength - 1 : undefined,
        onRound: (r) => note(roundLine(r)),
        stop: () => (interrupts?.count ?? 0) > 0 || trainer.divergence !== null,
      });
    }
    const seconds = (performance.now() - t0) / 1000;
    const diverged = trainer.divergence;
    if (trainer.status.state === 'error') throw new CliError([`error: ${failure ?? 'training failed'}`]);
    const ran = trainer.status.step - start;
    // Presses from here on skip what is not yet written, never the weights.
    const pressed = interrupts?.count ?? 0;
    const interrupted = pressed > 0;
    const stop = () => (interrupts?.count ?? 0) > pressed;
    if (diverged) io.stderr.write(`error: ${failure ?? 'training diverged'}\nwriting the weights and samples of step ${trainer.status.step}, the last good one\n`);
    else if (interrupted) io.stderr.write(`interrupted at step ${trainer.status.step}; writing what was trained so far\n`);

    // Weights first, each file whole or not at all: whatever fails later, the training is kept.
    const bundle = await trainer.exportWeights();
    await writeBundle(join(outDir, 'weights.json'), bundle);
    await writeCheckpoint(trainer, outDir);
    const folders = await writeModels(join(outDir, 'models'), bundle);
    const files = [...folders.map((f) => `models/${basename(f)}/`), 'weights.json', 'checkpoint.json'];
    // The base model's held-out losses: after a feedback run, what the fine-tune may have cost.
    const final = diverged ? { losses: {}, wholeSplit: null } : trainer.finalEvaluation(FINAL_EVAL_BATCHES, 'base');
    const evalLosses: Record<string, number> = final.losses;
    let report = { files: [] as string[], metrics: {} as Record<string, unknown>, lines: [] as string[] };
    let writeFailure: string | null = null;
    try {
      report = await writeOutputs({ trainer, graph, outDir, args, reader: nodeAssets, evalLosses, evalWholeSplit: final.wholeSplit, stop });
    } catch (e) {
      writeFailure = (e as Error).message;
      io.stderr.write(`error: the samples could not be written (${writeFailure}); the weights are in ${outDir}\n`);
    }
    if (stop()) io.stderr.write('interrupted while writing: the weights are written, samples not yet drawn were skipped\n');
    const metrics = {
      graph: doc.name,
      file: args.graph,
      backend: backend.name,
      batchSize: doc.training.batchSize,
      seed: doc.training.seed,
      steps: { from: start, to: trainer.status.step, ran },
      interrupted: interrupted || stop(),
      ...(diverged ? { diverged: { ...diverged, message: failure } } : {}),
      ...(writeFailure ? { writeFailure } : {}),
      seconds,
      stepsPerSecond: ran > 0 ? ran / seconds : 0,
      networks: Object.fromEntries(loaded.networks.map((n) => [n.name, { params: n.params, role: n.role }])),
      finalLosses: trainer.status.losses,
      evalLosses,
      // How the held-out losses were measured: every example of the test split once, or drawn batches.
      evalOver: final.wholeSplit !== null ? { wholeSplit: final.wholeSplit } : { batches: FINAL_EVAL_BATCHES, batchSize: doc.training.batchSize },
      lineage,
      // Every `evalEvery` steps, so runs can be compared step by step (npm run compare).
      heldOutCurve,
      ...(feedback ? { feedback } : {}),
      ...report.metrics,
    };
    await writeAtomic(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2));
    files.unshift(...report.files);
    files.push('metrics.json');

    say(`trained ${ran} steps in ${seconds.toFixed(1)} s (${metrics.stepsPerSecond.toFixed(2)} steps/s) on ${backend.name}`);
    if (Object.keys(metrics.finalLosses).length) say(`final losses: ${formatLosses(metrics.finalLosses)}`);
    if (Object.keys(evalLosses).length && graph.sampling?.output !== 'text') say(`held-out losses: ${formatLosses(evalLosses)}`);
    for (const l of report.lines) say(l);
    if (feedback) for (const l of feedbackLines(feedback)) say(l);
    say(`wrote ${outDir}: ${files.join(', ')}`);
    const exitCode = diverged ? EXIT.diverged : writeFailure ? EXIT.writeFailed : interrupted || stop() ? EXIT.interrupted : EXIT.ok;
    return { outDir, files, metrics, exitCode };
  } finally {
    trainer.dispose();
  }
}
