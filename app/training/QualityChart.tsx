// Live quality curves: one small chart per figure the trainer measures on its own samples (mode
// coverage, sample quality, classifier score, Fréchet distance), each with the real data's figure
// as a dashed line, so how far the model is from data shows at a glance.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { formatFigure, QUALITY_FIGURES } from '../../runtime/metrics/figures';
import type { LossHistory } from './history';
import { ClassBalance } from './ClassBalance';
import { useTraining } from './trainingStore';

const MODEL = '#3b6fd8';
const REAL = '#8a96a3';

function lastIndex(col: (number | null)[]): number {
  for (let i = col.length - 1; i >= 0; i--) if (col[i] != null) return i;
  return -1;
}

/** The rows where this figure was measured, with the floor alongside each. */
function curveData(h: LossHistory, name: string, floor: number | undefined): uPlot.AlignedData {
  const col = h.series.get(name) ?? [];
  const steps: number[] = [];
  const values: number[] = [];
  col.forEach((v, i) => {
    if (v == null) return;
    steps.push(h.steps[i]);
    values.push(v);
  });
  return [steps, values, steps.map(() => floor ?? null)] as uPlot.AlignedData;
}

function Curve({ name, history, floor, modes }: { name: string; history: LossHistory; floor?: number; modes: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const info = QUALITY_FIGURES[name];
  const col = history.series.get(name) ?? [];
  const at = lastIndex(col);
  const value = at >= 0 ? (col[at] as number) : null;
  const of = info?.ofModes && modes ? `/${modes}` : '';

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(
      {
        width: Math.max(120, el.clientWidth),
        height: Math.max(40, el.clientHeight),
        series: [
          {},
          { stroke: MODEL, width: 1.5, points: { show: (_u, _si, i0, i1) => i1 - i0 < 24, size: 4 } },
          { stroke: REAL, width: 1, dash: [4, 3], points: { show: false } },
        ],
        scales: { x: { time: false } },
        axes: [{ show: false }, { stroke: '#66737f', size: 36, font: '10px system-ui', grid: { stroke: '#eef1f4' }, ticks: { show: false } }],
        legend: { show: false },
        cursor: { show: false },
      },
      curveData(history, name, floor),
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(120, el.clientWidth), height: Math.max(40, el.clientHeight) }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // New rows arrive through setData below; the plot is built once per figure.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name]);

  useEffect(() => {
    plot.current?.setData(curveData(history, name, floor));
  }, [history, name, floor]);

  return (
    <figure className="gl-quality__curve" data-figure={name} data-value={value ?? ''} data-step={at >= 0 ? history.steps[at] : ''} title={info?.label ?? name}>
      <figcaption>
        {info?.short ?? name} <b>{value == null ? '–' : `${formatFigure(name, value)}${of}`}</b>
        {floor !== undefined && <span className="gl-muted"> real {formatFigure(name, floor)}{of}</span>}
      </figcaption>
      <div className="gl-quality__plot" ref={box} />
    </figure>
  );
}

/** The live quality figures of the model in training beside the real data's, and its class or mode balance. */
export function QualityChart() {
  const info = useTraining((s) => s.quality);
  const history = useTraining((s) => s.qualityHistory);
  const balance = useTraining((s) => s.balance);
  if (!info) return null;
  const names = [...history.series.keys()];
  const modes = info.balanceLabels.length;
  return (
    <section className="gl-quality" aria-label="Quality" data-testid="quality">
      {names.length === 0 && <p className="gl-muted gl-quality__wait">Quality against {info.dataset} is measured on {info.samples.toLocaleString('en-US')} samples once training runs.</p>}
      {names.map((n) => <Curve key={n} name={n} history={history} floor={info.floor[n]} modes={modes} />)}
      {info.sampledWith && names.length > 0 && (
        <p className="gl-muted gl-quality__note" data-testid="quality-sampler">
          Live figures sample by {info.sampledWith}, so each takes seconds; <code>npm run train</code> reports them under the graph's own sampler.
        </p>
      )}
      {balance && <ClassBalance labels={info.balanceLabels} shares={balance.shares} real={info.floorBalance} step={balance.step} unit={info.kind === 'points' ? 'mode' : 'class'} />}
    </section>
  );
}
