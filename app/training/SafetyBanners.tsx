// What the panel says when training stops for its own safety: the divergence guard paused it (resume
// at a lower learning rate), or the worker died (the graph is kept; restore the last checkpoint).
import type { GraphDocument } from '../../runtime/graph/document';
import * as T from './trainingStore';
import { useTraining } from './trainingStore';

const FACTOR = 0.1;

export function DivergenceBanner() {
  const divergence = useTraining((s) => s.divergence);
  const phase = useTraining((s) => s.phase);
  const rateScale = useTraining((s) => s.rateScale);
  if (!divergence || phase !== 'paused') return null;
  const names = divergence.objectives.join(', ');
  return (
    <div className="gl-banner" role="alert" data-testid="divergence-banner">
      <span>
        Training diverged at step {(divergence.step + 1).toLocaleString('en-US')}: the {divergence.where === 'loss' ? 'loss' : 'gradients'} of {names} became
        NaN or infinite. The weights of step {divergence.step.toLocaleString('en-US')} are kept.
        {rateScale < 1 && ` The learning rate is already ${rateScale.toPrecision(1)} × the graph's; if it diverges again at once, Reset starts over from fresh weights.`}
      </span>
      <button className="gl-btn gl-btn--primary" onClick={() => void T.resumeWithLowerRate(FACTOR)} title="Resume with every learning rate divided by 10 and the optimizer restarted">
        Resume at a tenth of the learning rate
      </button>
      <button className="gl-btn gl-btn--outline" onClick={T.resume} title="Try the same step again at the same learning rate">Resume as is</button>
    </div>
  );
}

export function CrashBanner({ doc }: { doc: GraphDocument }) {
  const crash = useTraining((s) => s.crash);
  const worker = useTraining((s) => s.worker);
  if (!crash) return null;
  return (
    <div className="gl-banner" role="alert" data-testid="crash-banner">
      <span>
        The training worker stopped ({crash.message}). Your graph is kept{worker === 'ready' ? ' and a new worker is ready' : ''}.
        {crash.checkpointStep !== null ? ` The weights of step ${crash.checkpointStep.toLocaleString('en-US')} were saved.` : ''}
      </span>
      {crash.checkpointStep !== null && (
        <button className="gl-btn gl-btn--primary" disabled={worker !== 'ready'} onClick={() => void T.restoreCheckpoint(doc)}>
          Restore step {crash.checkpointStep.toLocaleString('en-US')}
        </button>
      )}
      <button className="gl-btn gl-btn--outline" onClick={T.dismissCrash}>Dismiss</button>
    </div>
  );
}
