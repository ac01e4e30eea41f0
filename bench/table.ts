// The results as a table: aligned text for the terminal, markdown for the README.
import { threadCount, type BenchResult, type ExampleResult } from './bench';

const f = (x: number, digits = 2) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits));
const ratio = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);

export const HEADER = [
  'example', 'batch', 'GFLOP/step', 'Genloom steps/s', 'Genloom GFLOP/s', 'hand tfjs steps/s', 'compiled ÷ hand',
  'PyTorch steps/s', 'Genloom ÷ PyTorch', 'export × 2 steps/s', 'load → 1st step s', 'sampling', 'sampling s', 'kernels/step (Genloom / hand)',
  'RSS peak MB', 'tf peak MB',
];

function row(e: ExampleResult): string[] {
  const hand = 'missing' in e.handwritten ? null : e.handwritten;
  const torch = 'missing' in e.torch ? null : e.torch;
  return [
    e.name,
    String(e.batchSize),
    f(e.gflopPerStep, 3),
    f(e.compiled.stepsPerSecond),
    f(e.compiled.gflopsPerSecond),
    hand ? f(hand.stepsPerSecond) : '—',
    ratio(e.compiledOverHandwritten),
    torch ? f(torch.stepsPerSecond) : 'n/a',
    ratio(e.genloomOverTorch),
    'stepsPerSecond' in e.torchrun ? f(e.torchrun.stepsPerSecond) : 'n/a',
    f(e.compiled.loadToFirstStepMs / 1000),
    e.sampling.what,
    f(e.sampling.ms / 1000),
    `${e.compiled.kernelsPerStep} / ${hand ? hand.kernelsPerStep : '—'}`,
    f(e.memory.rssPeakMB, 0),
    f(e.memory.tfPeakMB, 1),
  ];
}

function machineLine(r: BenchResult): string {
  const m = r.machine;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, load ${m.loadAverage}; Node ${m.node}, tfjs ${m.tfjs} (${m.backend}, SIMD ${m.wasmSimd ? 'on' : 'off'}, ${threadCount(m.wasmThreads)}); PyTorch ${m.torch}${m.torchThreads ? ` (${m.torchThreads} threads)` : ''}`;
}

export function textTable(r: BenchResult): string {
  const rows = [HEADER, ...r.examples.map(row)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  const lines = rows.map((x) => x.map((c, i) => (i === 0 || i === 11 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  const missing = r.examples.flatMap((e) => ('missing' in e.torch ? [`${e.name}: ${e.torch.missing}`] : []));
  return [`${r.mode} run, ${r.date}`, machineLine(r), '', ...lines, '', ...missing, ...r.notes].join('\n');
}

export function markdownTable(r: BenchResult): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `Measured ${r.date.slice(0, 10)} (${r.mode} run) on ${machineLine(r)}.`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i === 0 || i === 11 ? '---' : '---:')).join('|')}|`,
    ...r.examples.map((e) => `| ${row(e).map(esc).join(' | ')} |`),
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}
