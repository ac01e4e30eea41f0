// The loss chart with a stored run's curves overlaid on the current run's, when one is chosen.
import { LossChart } from '../training/LossChart';
import type { LossHistory } from '../training/history';
import { compareWith, useCompared } from './compared';
import { overlay } from './compare';
import { runs } from './tracker';
import { useShelf } from './useShelf';

export function CompareChart({ history }: { history: LossHistory }) {
  const comparedId = useCompared();
  const list = useShelf(runs);
  const other = comparedId ? list?.find((r) => r.id === comparedId) : undefined;
  if (!other) return <LossChart history={history} />;
  const label = other.parent ? `${other.name} (${other.parent.how === 'fine-tune' ? 'fine-tuned' : 'resumed'})` : other.name;
  return (
    <div className="gl-compare" data-testid="compare-chart">
      <p className="gl-compare__note">
        With <b>{label}</b>, {other.step.toLocaleString('en-US')} steps
        <button className="gl-btn gl-btn--link" onClick={() => compareWith(null)} title="Show the current run alone">hide</button>
      </p>
      <LossChart history={overlay(history, other.curve, other.name)} />
    </div>
  );
}
