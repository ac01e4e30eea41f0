// Checkpoints kept in this browser: resume one of the graph on the canvas exactly, or fine-tune the
// graph on the canvas from any of them (weights matched by node id, or as the user maps them). A
// checkpoint file from elsewhere joins the list first, so runs started from it name their parent.
import { useState } from 'react';
import type { GraphDocument } from '../../runtime/graph/document';
import { checkpointFits } from '../../runtime/train/graph-hash';
import type { CheckpointInfo } from './checkpoints';
import { FineTuneMapping } from './FineTuneMapping';
import { addCheckpointFile, checkpointEvery, checkpoints, resumeStored, setCheckpointEvery } from './tracker';
import { useShelf } from './useShelf';

function when(t: number): string {
  return new Date(t).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function EveryField() {
  const [value, setValue] = useState(String(checkpointEvery()));
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    const n = Number(value);
    if (!(Number.isInteger(n) && n >= 0 && n <= 10_000_000)) return setError('a whole number of steps from 0 (never) to 10,000,000');
    setError(null);
    setCheckpointEvery(n);
  };
  return (
    <div className="gl-runs__every">
      <label htmlFor="ck-every">Keep a checkpoint every</label>
      <input id="ck-every" className={`gl-input${error ? ' is-invalid' : ''}`} type="number" min={0} step={100} value={value} onChange={(e) => setValue(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      <span>steps (0: only when saved)</span>
      {error && <span className="gl-error">{error}</span>}
    </div>
  );
}

export function CheckpointList({ doc, onDone }: { doc: GraphDocument; onDone: () => void }) {
  const list = useShelf(checkpoints);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tuning, setTuning] = useState<CheckpointInfo | null>(null);
  const act = (id: string, fn: () => Promise<void>) => {
    setBusy(id);
    setError(null);
    fn().then(onDone, (err: unknown) => setError(err instanceof Error ? err.message : String(err))).finally(() => setBusy(null));
  };
  const addFile = (file: File | undefined) => {
    if (!file) return;
    setError(null);
    addCheckpointFile(file).catch((err: unknown) => setError(`${file.name}: ${err instanceof Error ? err.message : String(err)}`));
  };
  const sorted = [...(list ?? [])].sort((a, b) => b.savedAt - a.savedAt);
  if (tuning) return <FineTuneMapping info={tuning} doc={doc} onCancel={() => setTuning(null)} />;
  return (
    <section aria-labelledby="ck-title">
      <h3 id="ck-title">Checkpoints in this browser</h3>
      <EveryField />
      <div className="gl-runs__every">
        <label htmlFor="ck-file">Add a checkpoint file</label>
        <input id="ck-file" type="file" accept=".json,application/json" onChange={(e) => addFile(e.target.files?.[0])} />
      </div>
      {error && <p className="gl-error">{error}</p>}
      {list && sorted.length === 0 && <p className="gl-muted">None yet: Save checkpoint keeps one here as well as downloading it, and training keeps one every N steps.</p>}
      {sorted.length > 0 && (
        <table className="gl-runs__table" data-testid="checkpoint-list">
          <thead>
            <tr><th>graph</th><th>step</th><th>saved</th><th /></tr>
          </thead>
          <tbody>
            {sorted.map((c: CheckpointInfo) => {
              const same = checkpointFits(c.graphHash, doc);
              return (
                <tr key={c.id} data-checkpoint={c.id}>
                  <td>{c.graphName}{c.auto ? <span className="gl-muted"> (auto)</span> : null}</td>
                  <td className="gl-runs__num">{c.step.toLocaleString('en-US')}</td>
                  <td>{when(c.savedAt)}</td>
                  <td className="gl-runs__actions">
                    <button className="gl-btn gl-btn--link" disabled={!same || busy !== null} onClick={() => act(c.id, () => resumeStored(c))} title={same ? 'Continue exactly from here: weights, optimizer state, data position and step' : 'Trained on another graph: fine-tune from it instead'}>Resume</button>
                    <button className="gl-btn gl-btn--link" disabled={busy !== null} onClick={() => setTuning(c)} title="Start the graph on the canvas from what fits of these weights, matched by node id or as you map them; the step starts again">Fine-tune from</button>
                    <button className="gl-btn gl-btn--link" disabled={busy !== null} onClick={() => act(c.id, () => checkpoints.remove(c.id))} aria-label={`Delete the checkpoint of ${c.graphName} at step ${c.step}`}>Delete</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
