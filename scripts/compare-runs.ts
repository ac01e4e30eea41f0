// Compares runs written by `npm run train` side by side: their held-out loss curves in one picture
// (from scratch grey, fine-tuned red, in the order given), the first step each reaches the first
// run's final held-out loss, and each run's last value.
//   npm run compare-runs -- out/scratch/metrics.json out/fine-tuned/metrics.json --out docs/curves.png [--key loss.loss]
import { readFileSync, writeFileSync } from 'node:fs';
import { CURVE_COLORS, curvesPlot, firstStepAtOrBelow, type Curve } from '../runtime/cli/curves';

interface Metrics {
  graph: string;
  heldOutCurve?: { step: number; losses: Record<string, number> }[];
}

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const keyAt = args.indexOf('--key');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const files = args.filter((a, i) => !a.startsWith('--') && i !== outAt + 1 && i !== keyAt + 1);
if (files.length < 2 || !out) {
  console.error('usage: npm run compare-runs -- <metrics.json> <metrics.json> [...] --out FILE.png [--key OBJECTIVE]');
  process.exit(2);
}
const runs = files.map((f) => ({ file: f, m: JSON.parse(readFileSync(f, 'utf8')) as Metrics }));
const key = keyAt >= 0 ? args[keyAt + 1] : Object.keys(runs[0].m.heldOutCurve?.[0]?.losses ?? {})[0];
const curves: Curve[] = runs.map(({ file, m }, i) => {
  const rows = m.heldOutCurve ?? [];
  if (rows.length === 0) throw new Error(`${file} has no held-out curve: train with evalEvery > 0`);
  return { steps: rows.map((r) => r.step), values: rows.map((r) => r.losses[key]), color: CURVE_COLORS[i % CURVE_COLORS.length] };
});
writeFileSync(out, curvesPlot(curves).toPNG());
const target = curves[0].values[curves[0].values.length - 1];
console.log(`held-out ${key}; target = the first run's final value ${target.toFixed(4)}`);
runs.forEach(({ file, m }, i) => {
  const c = curves[i];
  const reach = firstStepAtOrBelow(c.steps, c.values, target);
  console.log(`${file} (${m.graph}): final ${c.values[c.values.length - 1].toFixed(4)} at step ${c.steps[c.steps.length - 1]}; reaches ${target.toFixed(4)} at step ${reach ?? 'never'}`);
});
console.log(`wrote ${out}`);
