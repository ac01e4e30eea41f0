// The training panel: controls and throughput, loss curves, the sample gallery, weights in and out,
// and the compile problems the worker found. It reads the worker's reports from the training store.
import { useEffect, useRef, useState } from 'react';
import type { GraphDocument } from '../../runtime/graph/document';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import { ChartTabs } from './ChartTabs';
import { RunsButton } from '../runs/RunsButton';
import { resumeFile } from '../runs/tracker';
import { DenoisingDialog } from './DenoisingDialog';
import { DecisionSurfaceScatter } from './DecisionSurface';
import { LatentDialog } from './LatentDialog';
import { ImageGrid, PointScatter } from './SampleView';
import { TextSamples } from './TextSamples';
import { BackendNote, SoftwareWebglWarning } from './BackendNote';
import { CostSummary } from './CostSummary';
import { useStore } from '../store/store';
import { FeedbackTabs } from '../feedback/FeedbackTabs';
import { CrashBanner, DivergenceBanner } from './SafetyBanners';
import { modelSignature } from './signature';
import * as T from './trainingStore';
import { useTraining } from './trainingStore';
import './training.css';

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function where(d: Diagnostic): string | null {
  if (d.nodeId) return `node “${d.nodeId}”${d.field ? `, ${d.field}` : ''}`;
  if (d.edgeId) return `wire “${d.edgeId}”`;
  return d.field ?? null;
}

/** A run that ends calibrating its discriminator says so, from the step the worker reported at compiling. */
function Stats() {
  const s = useTraining((x) => x);
  const total = s.totalSteps;
  const left = s.phase === 'running' && s.stepsPerSecond > 0 ? (total - s.step) / s.stepsPerSecond : NaN;
  const steps = s.calibrationFrom;
  const calibration = steps > 0 && total > steps ? total - steps : 0;
  return (
    <dl className="gl-stats">
      <div title={calibration ? `${steps.toLocaleString('en-US')} training steps, then ${calibration.toLocaleString('en-US')} steps calibrating the discriminator alone` : undefined}>
        <dt>step</dt>
        <dd data-testid="train-step">
          {s.step.toLocaleString('en-US')}{total ? ` / ${total.toLocaleString('en-US')}` : ''}{calibration && s.step >= steps && s.step < total ? ' · calibrating D' : ''}
        </dd>
      </div>
      <div><dt>steps/s</dt><dd>{s.stepsPerSecond ? s.stepsPerSecond.toFixed(s.stepsPerSecond < 10 ? 2 : 1) : '–'}</dd></div>
      <div><dt>left</dt><dd>{s.phase === 'running' ? duration(left) : s.phase === 'done' ? 'done' : '–'}</dd></div>
    </dl>
  );
}

function Controls({ doc }: { doc: GraphDocument }) {
  const phase = useTraining((s) => s.phase);
  const worker = useTraining((s) => s.worker);
  const loaded = useTraining((s) => s.loaded);
  const empty = doc.nodes.length === 0;
  const busy = phase === 'compiling' || worker === 'starting';
  const running = phase === 'running';
  // Once the graph has changed, a paused model is not the one on the canvas: Train starts the new one.
  const canResume = phase === 'paused' && loaded === modelSignature(doc);
  return (
    <div className="gl-train-controls">
      {canResume ? (
        <button className="gl-btn gl-btn--primary" onClick={() => void T.resume()}>Resume</button>
      ) : (
        <button className="gl-btn gl-btn--primary" onClick={() => void T.train(doc)} disabled={empty || busy || running || worker === 'failed'}>
          {phase === 'compiling' ? 'Compiling…' : 'Train'}
        </button>
      )}
      <button className="gl-btn gl-btn--outline" onClick={() => void T.pause()} disabled={!running}>Pause</button>
      <button className="gl-btn gl-btn--outline" onClick={() => void T.step(doc)} disabled={empty || busy || running} title="Run one training step">Step</button>
      <button className="gl-btn gl-btn--outline" onClick={() => void T.reset(doc)} disabled={empty || busy || !loaded} title="Recompile with fresh weights">Reset</button>
    </div>
  );
}

/** A link-styled button that asks for a .json file and hands it to `onFile`. */
function JsonFileButton({ label, title, disabled, onFile }: { label: string; title: string; disabled: boolean; onFile: (f: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button className="gl-btn gl-btn--link" onClick={() => input.current?.click()} disabled={disabled} title={title}>{label}</button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
    </>
  );
}

function WeightsButtons({ doc }: { doc: GraphDocument }) {
  const loaded = useTraining((s) => s.loaded);
  const phase = useTraining((s) => s.phase);
  const cannotLoad = doc.nodes.length === 0 || phase === 'compiling';
  return (
    <div className="gl-train-weights">
      <button className="gl-btn gl-btn--link" onClick={() => void T.downloadCheckpoint(doc)} disabled={!loaded || phase === 'compiling'} title="Download a checkpoint: weights, optimizer state, data position and step, to resume exactly later">Save checkpoint</button>
      <JsonFileButton label="Resume checkpoint" title="Resume exactly from a checkpoint of this graph" disabled={cannotLoad} onFile={(f) => void resumeFile(f)} />
      <button className="gl-btn gl-btn--link" onClick={() => void T.exportWeights(doc)} disabled={!loaded || phase === 'running' || phase === 'compiling'} title="Download the trained weights as .json">Export weights</button>
      <JsonFileButton label="Import weights" title="Load weights exported from this graph, to fine-tune them" disabled={cannotLoad} onFile={(f) => void T.importWeights(doc, f)} />
    </div>
  );
}

function ChangedBanner({ doc }: { doc: GraphDocument }) {
  const phase = useTraining((s) => s.phase);
  const loaded = useTraining((s) => s.loaded);
  const kept = useTraining((s) => s.keepTraining);
  const sig = modelSignature(doc);
  if (!loaded || sig === loaded) return null;
  if (phase === 'running' && kept !== sig) {
    return (
      <div className="gl-banner" role="alert">
        <span>The graph changed while training. Start over with the new graph? The weights trained so far are dropped.</span>
        <button className="gl-btn gl-btn--primary" onClick={() => void T.stopAndRecompile(doc)} title="Stop, recompile the changed graph with fresh weights and train it from step 0">Recompile and train from scratch</button>
        <button className="gl-btn gl-btn--outline" onClick={() => T.keepTraining(doc)} title="Keep training the model as it was compiled; the change applies the next time it is compiled">Keep training</button>
      </div>
    );
  }
  if (phase === 'paused' || phase === 'done' || phase === 'ready') return <p className="gl-note">Graph changed: Train or Step recompiles it and starts from step 0.</p>;
  return null;
}

/**
 * Edits to how the model is sampled (guidance, truncation, rejection) keep the trained model: it is
 * carried over and sampled again when idle, and after the next pause while it trains.
 */
function SamplingSync({ doc }: { doc: GraphDocument }) {
  const phase = useTraining((s) => s.phase);
  const changed = useTraining((s) => T.samplingChanged(s, doc));
  useEffect(() => {
    if (changed) void T.syncSampling(doc);
  }, [doc, phase, changed]);
  if (!changed || phase !== 'running') return null;
  return <p className="gl-note" data-testid="sampling-pending">The new sampling settings apply to the trained model when training pauses or ends.</p>;
}

function Notice() {
  const notice = useTraining((s) => s.notice);
  return notice ? <p className="gl-train-notice" role="status" data-testid="train-notice">{notice}</p> : null;
}

function Problems() {
  const message = useTraining((s) => s.message);
  const diagnostics = useTraining((s) => s.diagnostics);
  if (!message && diagnostics.length === 0) return null;
  return (
    <div className="gl-train-problems" role="alert" data-testid="train-problems">
      {message && <p className="gl-error">{message}</p>}
      {diagnostics.length > 0 && (
        <ul>
          {diagnostics.map((d, i) => <li key={i}>{where(d) && <b>{where(d)}: </b>}{d.message}</li>)}
        </ul>
      )}
    </div>
  );
}

function emptyText(kind: T.TrainingState['sampleKind'], loaded: boolean): string {
  if (!loaded) return 'Samples appear here while it trains.';
  // A classifier (or any model without a generative path) has nothing to draw: say so once.
  if (kind === 'none') return 'This model generates nothing to show: it is trained on its loss alone (see the chart).';
  return 'The first samples come after step 1…';
}

/** A conditional model's sample grid: one row per class, or every sample of the class picked here. */
function ClassPicker() {
  const classes = useTraining((s) => s.sampleClasses);
  const chosen = useTraining((s) => s.sampleClass);
  const labels = useTraining((s) => s.quality?.balanceLabels);
  if (!classes) return null;
  // Digits read as classes by name; garments by their own names.
  const name = (k: number) => (labels && labels.length === classes && !/^\d+$/.test(labels[k]) ? labels[k] : `class ${k}`);
  return (
    <label className="gl-samples__class">
      show{' '}
      <select className="gl-input" value={chosen ?? ''} onChange={(e) => void T.showClass(e.target.value === '' ? null : Number(e.target.value))} aria-label="class of the samples shown">
        <option value="">one row per class</option>
        {Array.from({ length: classes }, (_, k) => <option key={k} value={k}>{name(k)}</option>)}
      </select>
    </label>
  );
}

function Samples() {
  const kind = useTraining((s) => s.sampleKind);
  const frames = useTraining((s) => s.sampleFeatures.includes('frames'));
  const critic = useTraining((s) => s.sampleFeatures.includes('critic'));
  const latent = useTraining((s) => s.sampleFeatures.includes('latent'));
  const [latentOpen, setLatentOpen] = useState(false);
  const samples = useTraining((s) => s.samples);
  const loaded = useTraining((s) => s.loaded);
  const [denoising, setDenoising] = useState<number | null>(null);
  if (kind === 'text') return <TextSamples canGenerate={loaded !== null} />;
  const batch = samples?.batch;
  return (
    <figure className="gl-samples" data-testid="samples" data-sample-step={samples?.step ?? ''}>
      {batch?.kind === 'images' && <ImageGrid batch={batch} />}
      {batch?.kind === 'points' && (critic ? <DecisionSurfaceScatter batch={batch} step={samples?.step ?? 0} /> : <PointScatter batch={batch} />)}
      {!batch && <p className="gl-muted gl-samples__empty">{emptyText(kind, loaded !== null)}</p>}
      {samples && <figcaption className="gl-muted">{batch?.kind === 'points' ? `generated (blue) over real (grey)${critic ? ' on D’s surface' : ''}, ` : ''}step {samples.step.toLocaleString('en-US')}</figcaption>}
      {frames && batch && batch.kind !== 'text' && (
        <button className="gl-btn gl-btn--link gl-samples__more" onClick={() => setDenoising(samples.step)} title="Show one sampling run frame by frame, from noise to sample">Show denoising</button>
      )}
      {batch?.kind === 'images' && <ClassPicker />}
      {latent && batch?.kind === 'images' && (
        <button className="gl-btn gl-btn--link gl-samples__more" onClick={() => setLatentOpen(true)} title="The latent map and an interpolation strip, redrawn as it trains">Show latent space</button>
      )}
      {latentOpen && <LatentDialog onClose={() => setLatentOpen(false)} />}
      {denoising !== null && batch && batch.kind !== 'text' && <DenoisingDialog kind={batch.kind} step={denoising} onClose={() => setDenoising(null)} />}
    </figure>
  );
}

export function TrainingPanel({ doc }: { doc: GraphDocument }) {
  const phase = useTraining((s) => s.phase);
  const step = useTraining((s) => s.step);
  const history = useTraining((s) => s.history);
  const kind = useTraining((s) => s.sampleKind);
  const activity = useTraining((s) => s.activity);
  const opens = useStore((s) => s.graphOpens);
  // A whole new graph (an example, a file, New) stops the old model instead of training it unseen.
  useEffect(() => {
    if (opens > 0) void T.unload();
  }, [opens]);
  return (
    <section className={`gl-training gl-training--${kind}`} aria-label="Training" data-phase={phase} data-step={step}>
      <div className="gl-panel__head">
        Training <span className={`gl-phase gl-phase--${phase}`}>{phase === 'empty' ? 'not compiled' : phase}</span>
        {activity && <span className="gl-activity" role="status" data-testid="train-activity">{activity}</span>}
        <Stats />
      </div>
      <div className="gl-training__body">
        <div className="gl-training__side">
          <Controls doc={doc} />
          <WeightsButtons doc={doc} />
          <RunsButton doc={doc} />
          <BackendNote />
          <CostSummary doc={doc} />
        </div>
        <div className="gl-training__main">
          <ChangedBanner doc={doc} />
          <SamplingSync doc={doc} />
          <DivergenceBanner />
          <CrashBanner doc={doc} />
          <SoftwareWebglWarning />
          <Notice />
          <Problems />
          <ChartTabs history={history} />
        </div>
        <div className="gl-training__samples">
          <FeedbackTabs doc={doc}>
            <Samples />
          </FeedbackTabs>
        </div>
      </div>
    </section>
  );
}
