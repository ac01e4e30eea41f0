// The trainer: load a graph, train, pause, resume, step, sample, export and import weights.
// It knows nothing about React or workers; it reports through listeners. The worker wraps it with
// comlink, the CLI and tests use it directly.
import * as tf from '@tensorflow/tfjs';
import { compile, type CompiledGraph } from '../compiler/compile';
import { hasErrors, type Diagnostic } from '../graph/diagnostics';
import { sampleKindOf } from '../compiler/plan-sampling';
import type { AssetReader } from '../data/assets';
import type { GraphDocument } from '../graph/document';
import { prepareData, type PreparedData, type UserData } from './data-source';
import type { NetworkSummary, SampleBatch, TrainerEvent, TrainerListener, TrainerState } from './events';
import type { Registry } from '../graph/ports';
import { transferWeights, type NodeMapping, type TransferReport } from './transfer';
import { captureCheckpoint, restoreCheckpoint, type Checkpoint, type RunState } from './checkpoint';
import { graphHash } from './graph-hash';
import { weightAverageFor, type WeightAverage } from './optim/ema';
import { drawer, familyMetrics, generate, type SampleRequest, type SampleSource } from './sample';
import { WHOLE_SPLIT_MAX, wholeSplitLosses } from './whole-split';
import { evalLosses, makePhaseStates, trainStep, type PhaseState, type StepContext } from './step';
import { DivergenceError, type Divergence } from './guard';
import { LiveQuality, QUALITY_SEED, type QualityClockOptions } from './live-quality';
import type { QualityFigures, QualityReading } from '../metrics/quality';
import { LIVE_HELD_OUT } from '../metrics/figures';
import type { FamilyMetricsOptions } from '../../nodes/sampling';
import { exportWeights, importWeights, type WeightsBundle } from './weights';
import type { TrainingStage } from '../../nodes/types';
import type { PreferencePool } from '../data/preference-batches';
import type { PreferenceSample, PreferenceSet } from '../../nodes/feedback/preferences';
import { scorePreferences, type Scores } from '../feedback/scores';

export interface TrainerOptions {
  reader: AssetReader;
  /** The backend in use, reported to the UI. */
  backend?: string;
  /** How many held-out batches an evaluation averages. */
  evalBatches?: number;
  /** How many samples a periodic sample batch holds. */
  sampleCount?: number;
  /** Bytes a training step may need; a graph estimated above it is refused before allocating. */
  memoryBudget?: number;
  /** Node definitions to compile with (tests register families of their own). */
  registry?: Registry;
  /** Measure the graph's quality figures while training, on this clock (the app's panel draws them). */
  liveQuality?: QualityClockOptions;
}

const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

export class Trainer {
  private graph: CompiledGraph | null = null;
  private phases: PhaseState[] = [];
  /** The moving average of the sampled network's weights (training setting `ema`), used for sampling. */
  private ema: WeightAverage | null = null;
  /** A sample in progress holds the averaged weights; a step waits for it to put the live ones back. */
  private sampling: Promise<unknown> | null = null;
  /** The graph's quality meter on its clock, when live figures are asked for and one applies. */
  private quality: LiveQuality | null = null;
  /** Whether the live figures include the family's held-out likelihood (false once it proves to have none). */
  private liveLikelihood = true;
  private data: PreparedData | null = null;
  private stepIndex = 0;
  private state: TrainerState = 'empty';
  private running = false;
  private readonly listeners = new Set<TrainerListener>();
  private lastLosses: Record<string, number> = {};
  private elapsedMs = 0;
  /** The step this session's training started from (imported weights and checkpoints start later than 0). */
  private startStep = 0;
  /**
   * The step this run's learning-rate schedule, warm-up and calibration count from: 0, or the step of
   * weights a new run began from (importWeights with newRun), so that its decay does not start spent.
   */
  private origin = 0;
  private diverged: Divergence | null = null;
  /** The checkpoint this run continues, if any (its lineage). */
  private parent: string | null = null;
  /** Steps between automatic checkpoints (0: none); kept across graphs, as it is the page's choice. */
  private checkpointEvery = 0;
  readonly userData: UserData = new Map();
  /** Which objectives train: a feedback graph's base model, its reward model, or the fine-tune. */
  private stage: TrainingStage = 'base';
  /** Set while a run is carried over to another graph: the caller is told the outcome, listeners nothing. */
  private silent = false;

  constructor(private readonly opts: TrainerOptions) {}

  subscribe(listener: TrainerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: TrainerEvent): void {
    if (this.silent) return;
    for (const l of this.listeners) l(e);
  }

  private setState(state: TrainerState): void {
    this.state = state;
    this.emit({ type: 'state', state });
  }

  get status(): { state: TrainerState; step: number; losses: Record<string, number> } {
    return { state: this.state, step: this.stepIndex, losses: { ...this.lastLosses } };
  }

  get compiled(): CompiledGraph | null {
    return this.graph;
  }

  /** The character vocabulary of a language model's text dataset, once loaded. */
  get tokenizer(): PreparedData['tokenizer'] {
    return this.data?.tokenizer;
  }

  /** Compiles `doc` and loads its data; on failure the previous model is kept and diagnostics returned. */
  async load(doc: GraphDocument): Promise<{ ok: boolean; diagnostics: Diagnostic[]; networks: NetworkSummary[] }> {
    this.running = false;
    const { compiled, diagnostics } = compile(doc, this.opts.registry, { memoryBudget: this.opts.memoryBudget });
    if (!compiled || hasErrors(diagnostics)) {
      this.emit({ type: 'error', message: 'the graph does not compile', diagnostics });
      return { ok: false, diagnostics, networks: [] };
    }
    let data: PreparedData;
    try {
      data = await prepareData(compiled, this.opts.reader, doc.training.seed, this.userData);
    } catch (err) {
      compiled.dispose();
      const message = err instanceof Error ? err.message : String(err);
      this.emit({ type: 'error', message, diagnostics: [] });
      return { ok: false, diagnostics: [{ severity: 'error', code: 'schema', message }], networks: [] };
    }
    // An image meter loads its classifier; without one training goes on, just without live figures.
    const quality = this.opts.liveQuality ? await LiveQuality.of(compiled, this.opts.liveQuality).catch(() => null) : null;
    this.disposeModel();
    this.quality = quality;
    this.liveLikelihood = true;
    this.graph = compiled;
    this.data = data;
    this.phases = makePhaseStates(compiled);
    this.ema = weightAverageFor(compiled);
    this.stepIndex = this.startStep = this.origin = 0;
    this.stage = 'base';
    this.elapsedMs = 0;
    this.parent = null;
    this.lastLosses = {};
    this.diverged = null;
    const networks = summarize(compiled);
    this.emit({
      type: 'compiled',
      networks,
      objectives: compiled.phases.flatMap((p) => p.objectives.map((o) => o.key)),
      sampleKind: sampleKindOf(compiled.sampling),
      sampleFeatures: compiled.sampling?.features ?? [],
      backend: this.opts.backend ?? tf.getBackend(),
      quality: quality?.info ?? null,
      ...(this.calibrationSteps() > 0 ? { calibrationFrom: compiled.doc.training.steps } : {}),
      ...(compiled.sampling?.settings.classes ? { classes: compiled.sampling.settings.classes } : {}),
    });
    this.setState('ready');
    return { ok: true, diagnostics, networks };
  }

  private requireGraph(): { graph: CompiledGraph; data: PreparedData } {
    if (!this.graph || !this.data) throw new Error('no graph is loaded: load one first');
    return { graph: this.graph, data: this.data };
  }

  private sampleSource(): SampleSource {
    const { graph, data } = this.requireGraph();
    return { graph, data: data.batcher, dataInfo: data.info, realPoints: data.realPoints, step: this.stepIndex };
  }

  private stepContext(): StepContext {
    const { graph, data } = this.requireGraph();
    return {
      graph,
      data: data.batcher,
      batchSize: graph.doc.training.batchSize,
      seed: graph.doc.training.seed,
      step: this.stepIndex,
      ...(this.origin ? { scheduleStep: this.stepIndex - this.origin } : {}),
      draw: drawer(this.sampleSource()),
      stage: this.activeStage(),
    };
  }

  /** Steps the graph's 'calibrate' stage runs after the run's own steps (0: it has none). */
  private calibrationSteps(): number {
    return Math.max(0, ...this.requireGraph().graph.phases.filter((p) => p.stage === 'calibrate').map((p) => p.steps ?? 0));
  }

  /** The run's length: its steps, then any calibration of its discriminator. */
  get runLength(): number {
    return this.origin + this.requireGraph().graph.doc.training.steps + this.calibrationSteps();
  }

  /** The stage the next step trains: a base run's calibration once its own steps are done. */
  private activeStage(): TrainingStage {
    if (this.stage !== 'base' || this.stepIndex - this.origin < this.requireGraph().graph.doc.training.steps) return this.stage;
    return this.calibrationSteps() > 0 ? 'calibrate' : 'base';
  }

  /** The stages this graph has objectives in ('base' first; a feedback graph adds 'reward' and 'policy'). */
  get stages(): TrainingStage[] {
    return [...new Set(this.requireGraph().graph.phases.map((p) => p.stage))];
  }

  get currentStage(): TrainingStage {
    return this.stage;
  }

  /** Trains only `stage`'s objectives from now on (pause first); each stage keeps its own optimizer state. */
  setStage(stage: TrainingStage): void {
    if (this.running) throw new Error('pause training before changing the training stage');
    const have = this.stages;
    if (!have.includes(stage)) throw new Error(`this graph has no "${stage}" objectives (its stages: ${have.join(', ')})`);
    this.stage = stage;
    this.lastLosses = {};
  }

  /**
   * Makes the current weights the frozen reference that fine-tuning is anchored to (the model the
   * fine-tune starts from), as compiling and importing weights already do.
   */
  syncReferences(): void {
    this.requireGraph().graph.references.sync();
  }

  /**
   * How the graph's preference loss scores `samples` as the chosen samples of preferences node
   * `nodeId` (a reward model's reward, DPO's implicit reward); null when no loss can score them.
   */
  preferenceScores(nodeId: string, samples: readonly PreferenceSample[]): Scores | null {
    const { graph, data } = this.requireGraph();
    const pool = data.preferences.get(nodeId);
    if (!pool) throw new Error(`node "${nodeId}" is not a preferences node of this graph`);
    return scorePreferences({ graph, batcher: data.batcher, pool, nodeId, step: this.stepIndex }, samples);
  }

  /**
   * Preference pairs the user rated or imported, under the name a preferences node reads them by;
   * a loaded graph's nodes of that name read the new pairs from their next batch on.
   */
  setPreferences(name: string, set: PreferenceSet): void {
    this.userData.set(name, set);
    for (const pool of this.data?.preferences.values() ?? []) {
      if (pool.name !== name) continue;
      if (pool.set.kind !== set.kind) throw new Error(`the preference pairs "${name}" compare ${set.kind}, but the graph's preferences node compares ${pool.set.kind}`);
      pool.set = set;
    }
  }

  /** The live preference pools of the graph's preference nodes, by node id. */
  get preferencePools(): Map<string, PreferencePool> {
    return this.requireGraph().data.preferences;
  }

  /** Runs `n` steps now, reporting progress; returns the losses of the last. */
  async step(n = 1): Promise<Record<string, number>> {
    this.requireGraph();
    try {
      for (let i = 0; i < n; i++) await this.runOne();
    } catch (err) {
      if (!(err instanceof DivergenceError)) throw err;
      this.stopDiverged(err.divergence, this.runLength, 0);
      return { ...this.lastLosses };
    }
    this.emitProgress(this.runLength, 0, await this.qualityNow());
    if (this.state !== 'running') this.setState(this.stepIndex >= this.runLength ? 'done' : 'paused');
    return { ...this.lastLosses };
  }

  private emitProgress(total: number, rate: number, quality?: QualityReading): void {
    this.emit({
      type: 'progress',
      step: this.stepIndex,
      totalSteps: total,
      losses: { ...this.lastLosses },
      stepsPerSecond: rate || ((this.stepIndex - this.startStep) * 1000) / Math.max(1, this.elapsedMs),
      elapsedMs: this.elapsedMs,
      ...(quality ? { quality } : {}),
    });
  }

  /** The quality figures of the model now, if the clock says they are due (or `force`, once per step). */
  private async qualityNow(force = false): Promise<QualityReading | undefined> {
    const q = this.quality;
    if (!q || this.stepIndex === 0) return undefined;
    if (force ? q.measured(this.stepIndex) : !q.due(this.stepIndex, performance.now())) return undefined;
    try {
      return await q.measure(this.stepIndex, (req) => this.sample(req), () => this.likelihoodNow());
    } catch (err) {
      // The figures are a view on training, not part of it: a failure stops them, not the run.
      this.quality = null;
      q.dispose();
      this.emit({ type: 'error', message: `quality figures stopped at step ${this.stepIndex}: ${err instanceof Error ? err.message : String(err)}`, diagnostics: [] });
      return undefined;
    }
  }

  private async runOne(): Promise<void> {
    const { graph } = this.requireGraph();
    while (this.sampling) await this.sampling.catch(() => undefined);
    const t0 = performance.now();
    const ctx = this.stepContext();
    this.lastLosses = trainStep(this.phases, ctx);
    // Calibration leaves the generator as it is, and so its average too.
    if (ctx.stage !== 'calibrate') this.ema?.update();
    this.elapsedMs += performance.now() - t0;
    this.stepIndex++;
    const t = graph.doc.training;
    if (t.evalEvery > 0 && this.stepIndex % t.evalEvery === 0) this.emit({ type: 'eval', step: this.stepIndex, losses: this.evaluate() });
    // Taken inside the step loop, so no step runs while the weights and optimizer slots are read.
    if (this.checkpointEvery > 0 && this.stepIndex % this.checkpointEvery === 0) this.emit({ type: 'checkpoint', checkpoint: await this.checkpoint() });
    // Text streams token by token on request instead: a periodic batch of it would stall training.
    if (t.sampleEvery > 0 && this.stepIndex % t.sampleEvery === 0 && graph.sampling && graph.sampling.output !== 'text') {
      // Langevin refinement costs a forward and backward pass per step and sample: the finished model's samples take it, the periodic ones do not.
      const plain = Boolean(graph.sampling.settings.langevinSteps);
      const { batch } = await this.sample({ count: this.opts.sampleCount ?? 64, seed: 12345, plain });
      this.emit({ type: 'samples', step: this.stepIndex, batch });
    }
  }

  /**
   * Trains until the configured steps are done or pause() is called. Yields to the event loop
   * between steps so that pause and other messages get through.
   */
  async train(maxSteps?: number): Promise<void> {
    this.requireGraph();
    if (this.running) return;
    const total = maxSteps ?? this.runLength;
    this.running = true;
    this.setState('running');
    let lastReport = 0;
    let windowStart = performance.now();
    let windowSteps = 0;
    let rate = 0;
    try {
      while (this.running && this.stepIndex < total) {
        await this.runOne();
        windowSteps++;
        const now = performance.now();
        if (now - windowStart > 500) {
          rate = (windowSteps * 1000) / (now - windowStart);
          windowStart = now;
          windowSteps = 0;
        }
        // The step shows before a measurement that may take seconds (a sampling run of its own).
        if (this.quality?.due(this.stepIndex, now)) {
          lastReport = now;
          this.emitProgress(total, rate);
        }
        const quality = await this.qualityNow();
        if (quality || now - lastReport > 100) {
          lastReport = now;
          this.emitProgress(total, rate, quality);
        }
        await yieldToEventLoop();
      }
    } catch (err) {
      this.running = false;
      if (err instanceof DivergenceError) {
        this.stopDiverged(err.divergence, total, rate);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.emit({ type: 'error', message: `training stopped at step ${this.stepIndex}: ${message}`, diagnostics: [] });
      this.setState('error');
      return;
    }
    const finished = this.stepIndex >= total;
    this.running = false;
    // The last steps before a pause or the end are reported too, so the UI shows the true count,
    // with the figures of the model as it stops.
    this.emitProgress(total, rate, await this.qualityNow(true));
    this.setState(finished ? 'done' : 'paused');
  }

  pause(): void {
    this.running = false;
  }

  /** The last divergence the guard caught since the graph was loaded, if any. */
  get divergence(): Divergence | null {
    return this.diverged;
  }

  private stopDiverged(d: Divergence, total: number, rate: number): void {
    this.diverged = d;
    this.emitProgress(total, rate);
    this.emit({ type: 'error', message: new DivergenceError(d).message, diagnostics: [], divergence: d });
    // Paused, not failed: the weights are those of the last good step and training may resume.
    this.setState('paused');
  }

  /**
   * Multiplies every phase's learning rate by `factor` and starts its optimizer afresh: after a
   * divergence the moment estimates hold the huge gradients that caused it.
   */
  scaleLearningRate(factor: number): Record<string, number> {
    const { graph } = this.requireGraph();
    if (!(factor > 0 && Number.isFinite(factor))) throw new Error(`the learning-rate factor must be a number > 0, got ${factor}`);
    graph.phases = graph.phases.map((p) => ({ ...p, optimizer: { ...p.optimizer, learningRate: p.optimizer.learningRate * factor } }));
    this.phases.forEach((p) => p.optimizer.dispose());
    this.phases = makePhaseStates(graph);
    this.diverged = null;
    return Object.fromEntries(graph.phases.map((p) => [p.name, p.optimizer.learningRate]));
  }

  /**
   * Held-out losses of the current stage's objectives (or of `stage`'s), on `batches` batches' worth
   * of test examples. Where the split is a list (a corpus of lines, in its seeded order) they are its
   * first examples, the same at every call, so a curve of them moves only as the model does; else
   * batches drawn afresh.
   */
  evaluate(batches = this.opts.evalBatches ?? 4, stage: TrainingStage = this.stage): Record<string, number> {
    const ctx = { ...this.stepContext(), stage };
    return wholeSplitLosses(ctx, ctx.batchSize, WHOLE_SPLIT_MAX, batches * ctx.batchSize)?.losses ?? evalLosses(ctx, batches);
  }

  /**
   * The held-out losses to report at the end of a run: over the whole test split where the data lists
   * one small enough (runtime/train/whole-split.ts), else averaged over `batches` drawn test batches.
   */
  finalEvaluation(batches: number, stage: TrainingStage = this.stage): { losses: Record<string, number>; wholeSplit: number | null } {
    const ctx = { ...this.stepContext(), stage };
    const whole = wholeSplitLosses(ctx);
    return whole ? { losses: whole.losses, wholeSplit: whole.examples } : { losses: evalLosses(ctx, batches), wholeSplit: null };
  }

  async sample(req: SampleRequest): Promise<{ batch: SampleBatch; frames?: SampleBatch[] }> {
    const run = () => generate(this.sampleSource(), req);
    const ema = this.ema;
    return ema ? this.withAverageSwapped(() => ema.withAveraged(run)) : run();
  }

  /**
   * Runs `fn`, which swaps the averaged weights in and back, alone: overlapping swaps would put the
   * averages back as live, and a training step waits for it.
   */
  private async withAverageSwapped<T>(fn: () => Promise<T>): Promise<T> {
    while (this.sampling) await this.sampling.catch(() => undefined);
    const done = fn();
    this.sampling = done;
    try {
      return await done;
    } finally {
      if (this.sampling === done) this.sampling = null;
    }
  }

  private runState(): RunState {
    const { graph, data } = this.requireGraph();
    return { graph, phases: this.phases, batcher: data.batcher, step: this.stepIndex, origin: this.origin, losses: { ...this.lastLosses }, parent: this.parent, tokenizer: data.tokenizer, average: this.ema };
  }

  /** Everything needed to go on exactly from here, as one file's worth of data. */
  checkpoint(): Promise<Checkpoint> {
    return captureCheckpoint(this.runState());
  }

  /** Emits a 'checkpoint' event every `steps` training steps (0 turns it off). */
  setCheckpointEvery(steps: number): void {
    if (!(Number.isInteger(steps) && steps >= 0)) throw new Error(`checkpoints every N steps: N must be a whole number ≥ 0, got ${steps}`);
    this.checkpointEvery = steps;
  }

  /** Continues from a checkpoint of this graph: same weights, optimizer state, data position and step. */
  async resume(ck: Checkpoint): Promise<void> {
    if (this.running) throw new Error('pause training before resuming from a checkpoint');
    await restoreCheckpoint(this.runState(), ck);
    // A checkpoint written before it kept the weight average has none: the average restarts from the resumed weights.
    if (!ck.average) this.ema?.reset();
    this.quality?.restart();
    this.stepIndex = this.startStep = ck.step;
    this.origin = ck.origin ?? 0;
    this.elapsedMs = 0;
    this.lastLosses = { ...ck.losses };
    this.parent = ck.id;
    this.emitProgress(this.runLength, 0);
  }

  /**
   * Compiles `doc`, the loaded graph with other sampling settings (a guidance scale, truncated noise,
   * rejection sampling), and carries the run over exactly: weights, optimizer state, data position,
   * step and stage. The model is then sampled the new way; its quality figures are measured again at
   * once, and returned, so the effect of the change shows without training further. Nothing is
   * emitted meanwhile: to listeners the run goes on as it was.
   */
  async carryOver(doc: GraphDocument): Promise<{ ok: boolean; diagnostics: Diagnostic[]; quality?: QualityReading }> {
    if (this.running) throw new Error('pause training before changing how the model is sampled');
    const previous = this.requireGraph().graph.doc;
    // Refused before the weights are read out: the checkpoint below is named by the loaded graph's hash.
    if (graphHash(doc) !== graphHash(previous)) throw new Error('the graph changed beyond how it is sampled: train it again');
    const ck = await this.checkpoint();
    const { stage, state, startStep, elapsedMs, parent } = this;
    this.silent = true;
    try {
      const loaded = await this.load(doc);
      if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
      try {
        await this.resume(ck);
      } catch (err) {
        // The trained model lives on in the checkpoint: put it back under the graph it came from.
        await this.load(previous);
        await this.resume(ck);
        throw err;
      }
      // No checkpoint was saved in between, so the run's lineage and clock are unchanged.
      this.stage = stage;
      this.startStep = startStep;
      this.elapsedMs = elapsedMs;
      this.parent = parent;
      this.setState(state);
      const quality = await this.qualityNow(true);
      return { ok: true, diagnostics: loaded.diagnostics, ...(quality ? { quality } : {}) };
    } finally {
      this.silent = false;
    }
  }

  /**
   * Loads what fits of another graph's weights (pre-training, then fine-tuning here): by node id, with
   * a vocabulary carried across by character, or as `mapping` says; reports what was loaded, skipped and refused.
   */
  transferWeights(bundle: WeightsBundle, parent: string | null = null, mapping: NodeMapping = {}): TransferReport {
    const { graph, data } = this.requireGraph();
    const report = transferWeights(graph, bundle, data.tokenizer, mapping);
    this.ema?.reset();
    if (parent) this.parent = parent;
    return report;
  }

  /** A VAE's held-out bounds on a fixed few test examples, for the live figures; none for other families. */
  private likelihoodNow(): QualityFigures {
    if (!this.liveLikelihood) return {};
    const { heldOutExamples, ...bounds } = this.familyMetrics(LIVE_HELD_OUT, QUALITY_SEED, { fixed: true });
    if (!heldOutExamples) this.liveLikelihood = false;
    return bounds;
  }

  /**
   * Held-out figures the graph's family computes itself (a VAE's likelihood bounds), on `count` test
   * examples (see FamilyMetricsOptions for importance samples and a fixed set of examples).
   */
  familyMetrics(count = 1000, seed = 4242, opts: Omit<FamilyMetricsOptions, 'count' | 'seed'> = {}): Record<string, number> {
    return familyMetrics(this.sampleSource(), { ...opts, count, seed });
  }

  async exportWeights(): Promise<WeightsBundle> {
    const { graph, data } = this.requireGraph();
    return this.withAverageSwapped(() => exportWeights(graph, this.stepIndex, data.tokenizer, this.ema));
  }

  /**
   * Loads weights to go on from. By default the run continues at their step, under the schedule it
   * had there (the app's import, a crash's restore); with `newRun` a run of the graph's full length
   * begins from them: its learning-rate schedule, warm-up and calibration start again (the CLI's --init-weights).
   */
  async importWeights(bundle: WeightsBundle, opts: { newRun?: boolean } = {}): Promise<void> {
    const { graph } = this.requireGraph();
    const averaged = await importWeights(graph, bundle, this.ema);
    // Imported weights are the model a fine-tune starts from: the reference copies follow them, and so
    // does the average when the file holds none of its own.
    graph.references.sync();
    if (!averaged) this.ema?.reset();
    this.quality?.restart();
    this.stepIndex = this.startStep = bundle.step;
    this.origin = opts.newRun ? bundle.step : 0;
    this.elapsedMs = 0;
  }

  private disposeModel(): void {
    this.phases.forEach((p) => p.optimizer.dispose());
    this.phases = [];
    this.ema?.dispose();
    this.ema = null;
    this.quality?.dispose();
    this.quality = null;
    this.graph?.dispose();
    this.graph = null;
  }

  dispose(): void {
    this.running = false;
    this.disposeModel();
    this.data = null;
    this.listeners.clear();
    this.state = 'empty';
  }
}

export function summarize(graph: CompiledGraph): NetworkSummary[] {
  return graph.networks.map((n) => ({
    name: n.name,
    role: n.role,
    nodeIds: n.nodeIds,
    params: n.model.countParams(),
    inputShapes: n.inputs.map((i) => i.shape),
    outputShapes: n.outputs.map((o) => o.shape),
  }));
}
