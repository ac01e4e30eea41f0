// Loss curves with uPlot: one line per objective, its held-out loss dashed in the same colour.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { EVAL_PREFIX, type LossHistory } from './history';

const COLORS = ['#3b6fd8', '#c0794a', '#4f9a86', '#8e6bb3', '#d0433b', '#b7791f', '#5b6b7f'];

const isEval = (k: string) => k.startsWith(EVAL_PREFIX);
const labelOf = (k: string) => (isEval(k) ? `${k.slice(EVAL_PREFIX.length)} (held out)` : k);

function colorOf(keys: string[], k: string): string {
  const base = keys.filter((x) => !isEval(x));
  return COLORS[Math.max(0, base.indexOf(isEval(k) ? k.slice(EVAL_PREFIX.length) : k)) % COLORS.length];
}

function latest(col: (number | null)[] | undefined): number | null {
  if (!col) return null;
  for (let i = col.length - 1; i >= 0; i--) if (col[i] != null) return col[i];
  return null;
}

function seriesFor(keys: string[]): uPlot.Series[] {
  const color = (k: string) => colorOf(keys, k);
  return [
    { label: 'step' },
    ...keys.map((k): uPlot.Series => ({
      label: labelOf(k),
      stroke: color(k),
      width: k.startsWith(EVAL_PREFIX) ? 1.5 : 1.25,
      dash: k.startsWith(EVAL_PREFIX) ? [5, 4] : undefined,
      spanGaps: true,
      // A handful of steps draws no visible line, so show them as dots until the curve fills in.
      // Held-out losses come every evalEvery steps and are always dotted.
      points: { show: isEval(k) ? true : (_u, _si, i0, i1) => i1 - i0 < 24, size: 5 },
      value: (_u, v) => (v == null ? '–' : v.toPrecision(4)),
    })),
  ];
}

function dataOf(h: LossHistory, keys: string[]): uPlot.AlignedData {
  return [h.steps, ...keys.map((k) => h.series.get(k) ?? [])] as uPlot.AlignedData;
}

export function LossChart({ history }: { history: LossHistory }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<{ u: uPlot; keys: string } | null>(null);
  const keys = [...history.series.keys()];
  const keyList = keys.join('\n');

  // A new set of series (a new graph) needs a new plot; otherwise new rows only need setData.
  useEffect(() => {
    const el = box.current;
    if (!el || keys.length === 0) return;
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: Math.max(80, el.clientHeight),
        series: seriesFor(keys),
        scales: { x: { time: false } },
        axes: [
          { stroke: '#66737f', grid: { stroke: '#eef1f4' }, ticks: { stroke: '#e2e6ec' }, size: 28 },
          { stroke: '#66737f', grid: { stroke: '#eef1f4' }, ticks: { stroke: '#e2e6ec' }, size: 44 },
        ],
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
      },
      dataOf(history, keys),
      el,
    );
    plot.current = { u, keys: keyList };
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: Math.max(80, el.clientHeight) }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // history is read through the ref below; only the series set rebuilds the plot.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keyList]);

  useEffect(() => {
    const p = plot.current;
    if (p && p.keys === keyList) p.u.setData(dataOf(history, keys));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [history.version, keyList]);

  return (
    <div className="gl-chart-wrap">
      {keys.length > 0 && (
        <ul className="gl-legend" aria-label="Latest losses">
          {keys.map((k) => {
            const v = latest(history.series.get(k));
            return (
              <li key={k}>
                <span className={`gl-legend__swatch${isEval(k) ? ' is-eval' : ''}`} style={{ borderColor: colorOf(keys, k) }} />
                {labelOf(k)} <b>{v == null ? '–' : v.toPrecision(4)}</b>
              </li>
            );
          })}
        </ul>
      )}
      <div className="gl-chart" ref={box} data-rows={history.steps.length}>
        {keys.length === 0 && <p className="gl-muted gl-chart__empty">Loss curves appear here once training starts.</p>}
      </div>
    </div>
  );
}
