// What the graph on the canvas costs to train: its parameters, the FLOPs of one training step, and
// the time a step should take on the current backend, estimated from the arithmetic rate measured
// on this backend while a model trained (FLOPs ÷ FLOP/s; small models run below that rate, since
// per-kernel overhead dominates them).
import { useEffect, useMemo, useRef, useState } from 'react';
import { getNodeDef } from '../../nodes/registry';
import { formatFlops, graphCost } from '../../runtime/compiler/cost';
import type { GraphDocument } from '../../runtime/graph/document';
import { useAnalysis } from '../store/useAnalysis';
import { formatCount } from '../canvas/format';
import { modelSignature } from './signature';
import { loadThroughput, saveThroughput, type Throughput } from './throughput';
import { useTraining } from './trainingStore';

/** Steps before a measured rate counts: the first ones include the warm-up. */
const SETTLED_STEP = 20;
const SAVE_EVERY_MS = 3000;

function time(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toPrecision(seconds < 0.01 ? 2 : 3)} ms`;
  return `${seconds.toPrecision(3)} s`;
}

/** Keeps the backend's measured rate up to date while this graph trains; returns the current figure. */
function useThroughput(doc: GraphDocument, flops: number): Throughput | null {
  const backend = useTraining((s) => s.backend?.name ?? null);
  const phase = useTraining((s) => s.phase);
  const step = useTraining((s) => s.step);
  const stepsPerSecond = useTraining((s) => s.stepsPerSecond);
  const loaded = useTraining((s) => s.loaded);
  const [measured, setMeasured] = useState<Throughput | null>(null);
  const savedAt = useRef(0);
  const live = phase === 'running' && step >= SETTLED_STEP && stepsPerSecond > 0 && flops > 0 && backend !== null && loaded === modelSignature(doc);
  useEffect(() => {
    if (!live || performance.now() - savedAt.current < SAVE_EVERY_MS) return;
    savedAt.current = performance.now();
    const t = { backend: backend!, flopsPerSecond: flops * stepsPerSecond, graph: doc.name, stepsPerSecond };
    saveThroughput(t);
    setMeasured(t);
  }, [live, backend, flops, stepsPerSecond, doc.name]);
  if (!backend) return null;
  return measured?.backend === backend ? measured : loadThroughput(backend);
}

export function CostSummary({ doc }: { doc: GraphDocument }) {
  const analysis = useAnalysis();
  const cost = useMemo(() => graphCost(doc, analysis, getNodeDef), [doc, analysis]);
  const rate = useThroughput(doc, cost.step);
  if (cost.params === 0 && cost.step === 0) return null;
  const seconds = rate ? cost.step / rate.flopsPerSecond : NaN;
  return (
    <div className="gl-cost" data-testid="graph-cost" data-params={cost.params} data-flops={cost.step} data-step-ms={Number.isFinite(seconds) ? seconds * 1000 : ''}>
      <span title="Trainable parameters of every network in the graph">{formatCount(cost.params)} params</span>
      {' · '}
      <span title={`Floating-point operations of one training step at batch ${cost.batchSize}: about three forward passes (forward and backward), a discriminator's layers twice. Select a node to see its share.`}>
        {formatFlops(cost.step)} a step
      </span>
      {rate ? (
        <span className="gl-cost__time" title={`Estimated from ${formatFlops(rate.flopsPerSecond)}/s measured on ${rate.backend} while “${rate.graph}” trained at ${rate.stepsPerSecond.toFixed(1)} steps/s. Small models run below that rate (per-kernel overhead), large ones near it.`}>
          ≈ {time(seconds)} a step on {rate.backend}
        </span>
      ) : (
        <span className="gl-cost__time gl-muted">Train any model for a few seconds to estimate the time a step takes here.</span>
      )}
    </div>
  );
}
