// The chart area of the training panel: the loss curves (with a stored run's beside them), and for a model whose samples have quality
// figures, a second tab with the live quality curves. Both stay mounted, so each keeps its plot and
// the hidden one is ready the moment its tab is chosen.
import { useState } from 'react';
import type { LossHistory } from './history';
import { CompareChart } from '../runs/CompareChart';
import { QualityChart } from './QualityChart';
import { useTraining } from './trainingStore';

type Tab = 'losses' | 'quality';

export function ChartTabs({ history }: { history: LossHistory }) {
  const quality = useTraining((s) => s.quality);
  const [tab, setTab] = useState<Tab>('losses');
  if (!quality) return <CompareChart history={history} />;
  const button = (t: Tab, label: string, title: string) => (
    <button role="tab" aria-selected={tab === t} className={`gl-chart-tab${tab === t ? ' is-active' : ''}`} onClick={() => setTab(t)} title={title}>{label}</button>
  );
  return (
    <>
      <div role="tablist" className="gl-chart-tabs" aria-label="Charts">
        {button('losses', 'Losses', 'The loss of each objective over the steps')}
        {button('quality', 'Quality', `Quality of ${quality.samples.toLocaleString('en-US')} samples against ${quality.dataset}, beside real data's`)}
      </div>
      <div className="gl-chart-panel" role="tabpanel" hidden={tab !== 'losses'}><CompareChart history={history} /></div>
      <div className="gl-chart-panel" role="tabpanel" hidden={tab !== 'quality'}><QualityChart /></div>
    </>
  );
}
