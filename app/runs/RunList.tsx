// Training runs kept in this browser: graph, steps, last losses and the checkpoint each started
// from; a parent and its children link to each other, and any run can be overlaid on the chart.
import { useState } from 'react';
import { childrenOf, type RunRecord } from './runs';
import { compareWith, useCompared } from './compared';
import { runs } from './tracker';
import { useShelf } from './useShelf';

const fmt = (v: Record<string, number>) =>
  Object.entries(v)
    .map(([k, x]) => `${k} ${x.toPrecision(4)}`)
    .join(', ') || '–';

export function RunList() {
  const list = useShelf(runs);
  const compared = useCompared();
  const [focus, setFocus] = useState<string | null>(null);
  const all = list ?? [];
  const byId = new Map(all.map((r) => [r.id, r]));
  const sorted = [...all].sort((a, b) => b.startedAt - a.startedAt);
  const jump = (id: string) => {
    setFocus(id);
    document.querySelector(`[data-run="${id}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  return (
    <section aria-labelledby="runs-title">
      <h3 id="runs-title">Runs</h3>
      {list && sorted.length === 0 && <p className="gl-muted">Runs appear here once a graph has trained.</p>}
      {sorted.length > 0 && (
        <table className="gl-runs__table" data-testid="run-list">
          <thead>
            <tr><th>run</th><th>steps</th><th>last losses</th><th>from</th><th /></tr>
          </thead>
          <tbody>
            {sorted.map((r: RunRecord) => {
              const parentRun = r.parent?.run ? byId.get(r.parent.run) : undefined;
              const kids = childrenOf(all, r.id);
              return (
                <tr key={r.id} data-run={r.id} className={focus === r.id ? 'is-focus' : undefined}>
                  <td>
                    <b>{r.name}</b>
                    <div className="gl-muted">{r.graphName}</div>
                  </td>
                  <td className="gl-runs__num">{r.fromStep > 0 ? `${r.fromStep.toLocaleString('en-US')}→` : ''}{r.step.toLocaleString('en-US')}</td>
                  <td>
                    {fmt(r.finalLosses)}
                    {Object.keys(r.heldOut).length > 0 && <div className="gl-muted">held out: {fmt(r.heldOut)}</div>}
                  </td>
                  <td>
                    {r.parent ? (
                      <>
                        {r.parent.how === 'fine-tune' ? 'fine-tuned from' : 'resumed from'} {r.parent.graphName} at step {r.parent.step.toLocaleString('en-US')}
                        {parentRun && <button className="gl-btn gl-btn--link" onClick={() => jump(parentRun.id)} title={`Show the run it came from: ${parentRun.name}`}>parent run</button>}
                      </>
                    ) : (
                      <span className="gl-muted">scratch</span>
                    )}
                    {kids.length > 0 && (
                      <div>
                        {kids.map((k) => (
                          <button key={k.id} className="gl-btn gl-btn--link" onClick={() => jump(k.id)} title={`A run that started from this one: ${k.name}`}>child: {k.name}</button>
                        ))}
                      </div>
                    )}
                  </td>
                  <td className="gl-runs__actions">
                    <button className="gl-btn gl-btn--link" aria-pressed={compared === r.id} onClick={() => compareWith(compared === r.id ? null : r.id)} title="Overlay this run's loss curves on the chart">
                      {compared === r.id ? 'On the chart' : 'Compare'}
                    </button>
                    <button className="gl-btn gl-btn--link" onClick={() => void runs.remove(r.id)} aria-label={`Delete the run ${r.name}`}>Delete</button>
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
