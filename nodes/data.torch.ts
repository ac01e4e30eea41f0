import { DATASETS } from './datasets';
import { NodeError, type ParamsOf } from './types';
import { torchExporter, type TorchCode, type TorchStepContext } from './torch-exporter';
import type { dataset, noise } from './data';

/** The statement that takes a dataset node's next batch: its output ports, in order, from data.py's iterator. */
export function nextBatch(ctx: TorchStepContext): string {
  const ports = Object.keys(ctx.outputs).map((p) => ctx.out(p));
  return `${ports.length === 1 ? `${ports[0]},` : ports.join(', ')} = run.next_batch(${JSON.stringify(ctx.id)})`;
}

export const datasetTorch = torchExporter<ParamsOf<typeof dataset.params>>({
  type: 'dataset',
  run(ctx) {
    if (ctx.params.dataset === 'upload')
      throw new NodeError('reads uploaded images, which stay in the browser: the PyTorch export writes only built-in datasets', 'dataset');
    return { lines: [nextBatch(ctx)] };
  },
  // A conditional generator samples every class in turn: one row of the grid per class.
  sample(ctx) {
    const classes = DATASETS[ctx.params.dataset]?.classes;
    if (!classes || !ctx.outputs.label) return { lines: [] };
    const cols = `math.ceil(math.sqrt(${ctx.batch}))`;
    return {
      lines: [`${ctx.out('label')} = F.one_hot(torch.arange(${ctx.batch}, device=run.device) // ${cols} % ${classes}, ${classes}).float()`],
    };
  },
});

type NoiseParams = ParamsOf<typeof noise.params>;

const noiseShape = (ctx: TorchStepContext<NoiseParams>) => [ctx.batch, ...ctx.params.shape].join(', ');

function drawNoise(ctx: TorchStepContext<NoiseParams>): TorchCode {
  const shape = noiseShape(ctx);
  const k = ctx.params.shape[ctx.params.shape.length - 1];
  const draws = {
    uniform: `torch.rand(${shape}, device=run.device) * 2 - 1`,
    normal: `torch.randn(${shape}, device=run.device)`,
    categorical: `F.one_hot(torch.randint(0, ${k}, (${[ctx.batch, ...ctx.params.shape.slice(0, -1)].join(', ')},), device=run.device), ${k}).float()`,
  };
  const draw = draws[ctx.params.distribution];
  return { lines: [`${ctx.out('z')} = ${draw}`] };
}

export const noiseTorch = torchExporter<NoiseParams>({
  type: 'noise',
  run: drawNoise,
  sample(ctx) {
    const bound = ctx.params.truncation;
    if (ctx.params.distribution !== 'normal' || !(bound > 0)) return drawNoise(ctx);
    // trunc_normal_ draws N(0, 1) conditioned on [a, b] by the inverse CDF: the law the app's redraws give.
    return { lines: [`${ctx.out('z')} = torch.nn.init.trunc_normal_(torch.empty(${noiseShape(ctx)}, device=run.device), 0.0, 1.0, ${-bound}, ${bound})`] };
  },
});
