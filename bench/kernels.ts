// Milliseconds per conv kernel at DCGAN sizes (batch 64, 28×28 and 14×14 maps, 5×5 kernels,
// stride 2), wasm with Genloom's training kernels against wasm as shipped and the cpu backend;
// then whole DCGAN training steps per second on wasm.
//   npx tsx bench/kernels.ts [--no-cpu] [--steps N]
//   npx tsx bench/kernels.ts --profile [NAME] [--compiled] [--shapes] [--steps N]   self time per kernel of one
//     training step of a bench entry (default dcgan-mnist), hand-written or with --compiled Genloom's
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../runtime/backend/select-node';
import { graphPath } from './bench';
import { loadCompiled } from './compiled';
import { HANDWRITTEN } from './handwritten';
import { largeDiscriminator, largeGenerator, Z } from './handwritten/dcgan-large';

const args = process.argv.slice(2);
const withCpu = !args.includes('--no-cpu');
const stepsArg = args.indexOf('--steps');
const dcganSteps = stepsArg >= 0 ? Number(args[stepsArg + 1]) : 5;

type Shape4 = [number, number, number, number];
interface Layer {
  name: string;
  x: Shape4;
  f: Shape4;
}
const B = 64;
// Discriminator convs; the generator's transposed convs run the same shapes backwards.
const LAYERS: Layer[] = [
  { name: '28×28×1 → 14×14×64', x: [B, 28, 28, 1], f: [5, 5, 1, 64] },
  { name: '14×14×64 → 7×7×128', x: [B, 14, 14, 64], f: [5, 5, 64, 128] },
  { name: '28×28×1 → 14×14×64 k4', x: [B, 28, 28, 1], f: [4, 4, 1, 64] },
  { name: '14×14×64 → 7×7×128 k4', x: [B, 14, 14, 64], f: [4, 4, 64, 128] },
];
const STRIDE = 2;
const PAD = 'same' as const;

type Op = 'conv2d' | 'backprop filter' | 'backprop input' | 'conv2dTranspose';
const OPS: Op[] = ['conv2d', 'backprop filter', 'backprop input', 'conv2dTranspose'];

function runOp(op: Op, l: Layer, x: tf.Tensor4D, f: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor {
  const geom = { strides: STRIDE, pad: PAD, dataFormat: 'NHWC' };
  switch (op) {
    case 'conv2d':
      return tf.conv2d(x, f, STRIDE, PAD);
    case 'backprop filter':
      return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...geom, filterShape: l.f } as unknown as tf.NamedAttrMap) as tf.Tensor;
    case 'backprop input':
      return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: f }, { ...geom, inputShape: l.x } as unknown as tf.NamedAttrMap) as tf.Tensor;
    case 'conv2dTranspose':
      // The generator's upsampling: dy-shaped noise up to x's shape.
      return tf.conv2dTranspose(dy, f, l.x, STRIDE, PAD);
  }
}

function timeMs(reps: number, warmUp: boolean, f: () => tf.Tensor): number {
  // Braces matter: tidy walks every element of a returned typed array.
  const once = () => tf.tidy(() => {
    f().dataSync();
  });
  if (warmUp) once(); // operator creation, memory growth
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) once();
  return (performance.now() - t0) / reps;
}

/** ms for one op on `backend`, inputs made there (and not timed). */
async function measure(backend: 'wasm' | 'cpu', l: Layer, op: Op, reps: number): Promise<number> {
  await tf.setBackend(backend);
  const out = tf.backend_util.computeConv2DInfo(l.x, l.f, STRIDE, 1, PAD).outShape;
  const [x, f, dy] = [tf.randomNormal(l.x), tf.randomNormal(l.f), tf.randomNormal(out)] as tf.Tensor4D[];
  const ms = timeMs(reps, backend === 'wasm', () => runOp(op, l, x, f, dy));
  tf.dispose([x, f, dy]);
  return ms;
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? '—' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

// --- A DCGAN training step at MNIST size, for whole-step throughput.
interface StepRate {
  stepsPerSecond: number;
  msPerStep: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

/** Trains a DCGAN for `steps` steps (after one warm-up) on the active backend. */
function dcganStepsPerSecond(steps: number): StepRate {
  const g = largeGenerator(); // the bench's hand-written dcgan-large
  const d = largeDiscriminator();
  const gOpt = tf.train.adam(2e-4, 0.5);
  const dOpt = tf.train.adam(2e-4, 0.5);
  const real = tf.randomUniform([B, 28, 28, 1], -1, 1);
  const ones = tf.ones([B, 1]);
  const zeros = tf.zeros([B, 1]);
  const bce = (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
  const dVars = d.trainableWeights.map((w) => w.read() as tf.Variable);
  const gVars = g.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const z = tf.randomNormal([B, Z]);
    const dLoss = dOpt.minimize(() => {
      const fake = g.apply(z, { training: true }) as tf.Tensor;
      return tf.add(bce(ones, d.apply(real, { training: true }) as tf.Tensor), bce(zeros, d.apply(fake, { training: true }) as tf.Tensor));
    }, true, dVars);
    const gLoss = gOpt.minimize(() => bce(ones, d.apply(g.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor), true, gVars);
    dLoss!.dataSync();
    gLoss!.dataSync();
    tf.dispose([z, dLoss!, gLoss!]);
  };
  step();
  const tensorsBefore = tf.memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / steps;
  const tensorsAfter = tf.memory().numTensors;
  tf.dispose([real, ones, zeros]);
  gOpt.dispose();
  dOpt.dispose();
  g.dispose();
  d.dispose();
  return { stepsPerSecond: 1000 / ms, msPerStep: ms, tensorsBefore, tensorsAfter };
}

// --- Self time per kernel: every 'wasm' kernel wrapped with a clock; time spent in kernels a
// kernel calls (ours call XNNPACK convs, transposes…) is charged to the callee only.
interface KernelTime {
  calls: number;
  ms: number;
}

function instrumentWasmKernels(byShape: boolean): { table: Map<string, KernelTime>; restore: () => void } {
  const table = new Map<string, KernelTime>();
  const originals = tf.getKernelsForBackend('wasm');
  const stack: number[] = [];
  for (const k of originals) {
    const inner = k.kernelFunc;
    const wrapped: tf.KernelFunc = (a) => {
      stack.push(0);
      const t0 = performance.now();
      const out = inner(a);
      const total = performance.now() - t0;
      const children = stack.pop()!;
      if (stack.length) stack[stack.length - 1] += total;
      const shapes = Object.values(a.inputs).flatMap((t) => (t ? [`[${t.shape.join(',')}]`] : [])).join(' ');
      const key = byShape ? `${k.kernelName} ${shapes}` : k.kernelName;
      const e = table.get(key) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += total - children;
      table.set(key, e);
      return out;
    };
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({ ...k, kernelFunc: wrapped });
  }
  const restore = () => {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, 'wasm');
      tf.registerKernel(k);
    }
  };
  return { table, restore };
}

async function profileStep(steps: number, which: 'compiled' | 'hand', name: string): Promise<void> {
  await initNodeBackend('wasm');
  const hand = HANDWRITTEN[name];
  if (which === 'hand' && !hand) throw new Error(`no hand-written "${name}"; have ${Object.keys(HANDWRITTEN).join(', ')}`);
  const compiled = await loadCompiled(graphPath(name));
  const { batchSize, seed } = compiled.graph.doc.training;
  if (which === 'hand') compiled.dispose();
  const run = which === 'compiled' ? compiled : await hand({ batchSize, seed });
  for (let i = 0; i < 2; i++) run.step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) run.step();
  const plain = (performance.now() - t0) / steps;
  const { table, restore } = instrumentWasmKernels(args.includes('--shapes'));
  const t1 = performance.now();
  for (let i = 0; i < steps; i++) run.step();
  const wall = (performance.now() - t1) / steps;
  restore();
  run.dispose();
  const rows = [...table.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = rows.reduce((s, [, v]) => s + v.ms, 0) / steps;
  console.log(`${name} (${which}): ${plain.toFixed(1)} ms/step = ${(1000 / plain).toFixed(2)} steps/s; ` +
    `profiled ${wall.toFixed(1)} ms/step, ${inKernels.toFixed(1)} ms in kernels`);
  console.log('kernel'.padEnd(28) + 'calls/step'.padStart(11) + 'ms/step'.padStart(9) + 'share'.padStart(7));
  for (const [name, v] of rows) {
    console.log(name.padEnd(args.includes('--shapes') ? 64 : 28) + (v.calls / steps).toFixed(0).padStart(11) + (v.ms / steps).toFixed(2).padStart(9) +
      `${((100 * v.ms) / steps / wall).toFixed(1)}%`.padStart(7));
  }
}

if (args.includes('--profile')) {
  const hand = !args.includes('--compiled');
  const name = args[args.indexOf('--profile') + 1];
  await profileStep(dcganSteps, hand ? 'hand' : 'compiled', name && !name.startsWith('--') ? name : 'dcgan-mnist');
  process.exit(0);
}

// --- ms per op: ours, wasm as shipped, cpu; one row at a time (cpu takes seconds per op).
const shippedInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
const info = await initNodeBackend('wasm');
const ourInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm')!;
const useKernel = (k: tf.KernelConfig) => {
  tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  tf.registerKernel({ ...k });
};
console.log(`wasm: ${info.threads} thread, simd ${info.simd}; batch ${B}, stride ${STRIDE}, padding ${PAD}\n`);
const header = ['layer', 'op', 'wasm ours ms', 'wasm shipped ms', 'cpu ms', 'cpu / ours'];
const widths = [22, 16, 12, 15, 8, 10];
const line = (r: string[]) => console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
line(header);
for (const l of LAYERS) {
  for (const op of OPS) {
    const ours = await measure('wasm', l, op, 3);
    let shipped = op === 'backprop filter' ? 'missing' : op === 'conv2d' ? '=' : '—';
    if (shippedInput && (op === 'backprop input' || op === 'conv2dTranspose')) {
      useKernel(shippedInput);
      shipped = fmt(await measure('wasm', l, op, 1));
      useKernel(ourInput);
    }
    const cpu = withCpu ? await measure('cpu', l, op, 1) : undefined;
    line([l.name, op, fmt(ours), shipped, fmt(cpu), cpu ? `${(cpu / ours).toFixed(0)}×` : '—']);
  }
}

// --- a whole DCGAN training step (D on real + fake, then G), Adam, on wasm.
await tf.setBackend('wasm');
const r = dcganStepsPerSecond(dcganSteps);
console.log(`\nDCGAN step on wasm (batch ${B}, 28×28, G 100→7·7·128→64→1, D 1→64→128→1, 5×5 stride 2): ` +
  `${r.stepsPerSecond.toFixed(2)} steps/s (${r.msPerStep.toFixed(0)} ms/step over ${dcganSteps} steps; ` +
  `tensors ${r.tensorsBefore} → ${r.tensorsAfter})`);
