// Fine-tuning from a stored checkpoint, step by step: choose for each weighted node of the graph on
// the canvas which node of the checkpoint it takes its weights from (its own id by default, or none),
// load, and read what was loaded, skipped and refused, node by node.
import { useEffect, useState } from 'react';
import type { GraphDocument } from '../../runtime/graph/document';
import { nodesWithWeights } from '../../runtime/train/checkpoint-file';
import type { NodeMapping, TransferReport } from '../../runtime/train/transfer';
import { useAnalysis } from '../store/useAnalysis';
import type { CheckpointInfo } from './checkpoints';
import { checkpoints, fineTuneStored } from './tracker';

const FRESH = '';

/** The graph's nodes that hold weights (a parameter count above 0), in document order. */
function weightedNodes(doc: GraphDocument, counts: Record<string, number>): string[] {
  return doc.nodes.filter((n) => (counts[n.id] ?? 0) > 0).map((n) => n.id);
}

function Report({ report }: { report: TransferReport }) {
  return (
    <div data-testid="transfer-report" className="gl-runs__report">
      <p><strong>Loaded</strong> {report.loaded.length ? report.loaded.join(', ') : 'nothing'}</p>
      {report.skipped.length > 0 && (
        <>
          <p><strong>Skipped</strong></p>
          <ul>{report.skipped.map((s) => <li key={`s-${s.node}`}><code>{s.node}</code>: {s.reason}</li>)}</ul>
        </>
      )}
      {report.refused.length > 0 && (
        <>
          <p><strong>Refused</strong> (another shape: these keep their fresh weights)</p>
          <ul>{report.refused.map((r) => <li key={`r-${r.node}`}><code>{r.node}</code>: {r.reason}</li>)}</ul>
        </>
      )}
      <p className="gl-muted">Train or Resume fine-tunes from here.</p>
    </div>
  );
}

export function FineTuneMapping({ info, doc, onCancel }: { info: CheckpointInfo; doc: GraphDocument; onCancel: () => void }) {
  const { paramCounts } = useAnalysis();
  const targets = weightedNodes(doc, paramCounts);
  const [sources, setSources] = useState<string[] | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<TransferReport | null>(null);

  useEffect(() => {
    let live = true;
    checkpoints.read(info.id).then(
      (ck) => live && setSources(nodesWithWeights(ck.networks)),
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [info.id]);

  const chosen = (id: string) => mapping[id] ?? (sources?.includes(id) ? id : FRESH);
  const load = () => {
    // Only the choices that differ from matching by id travel: the worker matches the rest itself.
    const asked: NodeMapping = {};
    for (const id of targets) if (chosen(id) !== id) asked[id] = chosen(id);
    setBusy(true);
    setError(null);
    fineTuneStored(info, asked)
      .then((r) => (r ? setReport(r) : setError('fine-tuning failed: the training panel says why')))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="ft-title" data-testid="fine-tune-mapping">
      <h3 id="ft-title">Fine-tune “{doc.name}” from {info.graphName}, step {info.step.toLocaleString('en-US')}</h3>
      {error && <p className="gl-error">{error}</p>}
      {!report && sources && (
        <>
          <table className="gl-runs__table">
            <thead>
              <tr><th>node here</th><th>takes its weights from</th></tr>
            </thead>
            <tbody>
              {targets.map((id) => (
                <tr key={id}>
                  <td><code>{id}</code></td>
                  <td>
                    <select className="gl-input" aria-label={`weights for ${id}`} value={chosen(id)} disabled={busy} onChange={(e) => setMapping({ ...mapping, [id]: e.target.value })}>
                      <option value={FRESH}>nothing: start fresh</option>
                      {sources.map((s) => <option key={s} value={s}>{s}</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="gl-runs__every">
            <button className="gl-btn gl-btn--primary" disabled={busy} onClick={load}>{busy ? 'Loading…' : 'Load weights'}</button>
            <button className="gl-btn gl-btn--link" disabled={busy} onClick={onCancel}>Back</button>
          </div>
        </>
      )}
      {report && <Report report={report} />}
    </section>
  );
}
