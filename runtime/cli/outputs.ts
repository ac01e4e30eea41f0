// What a finished run writes besides the weights, by sampling family: sample pictures and numbers,
// denoising frames, the latent map, generated text; and the metrics that judge them (the quality
// figures of runtime/metrics beside the real-data floor, a bigram baseline for language models).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledGraph } from '../compiler/compile';
import type { AssetReader } from '../data/assets';
import { bigramNats, fitBigram } from '../data/bigram';
import { loadTextDataset } from '../data/text';
import { qualityLines, qualityMeterFor } from '../metrics/quality';
import type { SampleBatch } from '../train/events';
import { prepareData } from '../train/data-source';
import type { Trainer } from '../train/trainer';
import type { TrainArgs } from './args';
import { decodeLatentGrid } from './latent-map';
import { framesStrip, imageGrid, imageTile, pointsPlot, tileGrid } from './plots';
import { formatLoss } from './progress';

export interface OutputContext {
  trainer: Trainer;
  graph: CompiledGraph;
  outDir: string;
  args: TrainArgs;
  reader: AssetReader;
  /** Held-out losses measured after training. */
  evalLosses: Record<string, number>;
}

export interface OutputReport {
  files: string[];
  metrics: Record<string, unknown>;
  /** Results for the console. */
  lines: string[];
}

export const LATENT_GRID = 20;
export const LATENT_RANGE = 3;
const FRAMES = 10;

function defaultCount(kind: string): number {
  return kind === 'points' ? 1000 : kind === 'images' ? 64 : 10;
}

const round = (v: number) => Math.round(v * 1e5) / 1e5;
const pairs = (xy: Float32Array) => Array.from({ length: xy.length >> 1 }, (_, i) => [round(xy[2 * i]), round(xy[2 * i + 1])]);

function batchJSON(b: SampleBatch): object {
  switch (b.kind) {
    case 'points':
      return { kind: 'points', count: b.count, samples: pairs(b.data), real: pairs(b.real) };
    case 'images':
      return { kind: 'images', count: b.count, height: b.height, width: b.width, channels: b.channels, range: [-1, 1], data: Array.from(b.data, round) };
    case 'text':
      return { kind: 'text', texts: b.texts };
  }
}

/** The dataset name of the graph's first dataset node of the given type. */
function datasetOf(graph: CompiledGraph, type: 'dataset' | 'textDataset', id?: string): string | undefined {
  for (const [nodeId, { node, params }] of graph.checked.nodes) {
    if (node.type !== type || (id && nodeId !== id)) continue;
    return String(type === 'dataset' ? params.dataset : params.corpus);
  }
  return undefined;
}

/** Reverse steps the sampler will walk, to keep about FRAMES frames of them. */
function frameEvery(graph: CompiledGraph, args: TrainArgs): number {
  const plan = graph.sampling;
  if (plan.kind !== 'diffusion') return 0;
  const p = graph.checked.nodes.get(plan.schedule.node)?.params ?? {};
  const T = Number(p.T);
  if (!Number.isInteger(T) || T < 1) return 0;
  const sampler = args.sampler ?? p.sampler;
  const steps = args.sampleSteps ?? (sampler === 'ddpm' ? T : Math.min(Number(p.sampleSteps) || T, T));
  return Math.max(1, Math.ceil(steps / FRAMES));
}

export async function writeOutputs(ctx: OutputContext): Promise<OutputReport> {
  const { trainer, graph, outDir, args } = ctx;
  const files: string[] = [];
  const metrics: Record<string, unknown> = {};
  const lines: string[] = [];
  const save = async (name: string, data: string | Buffer) => {
    await writeFile(join(outDir, name), data);
    files.push(name);
  };
  const plan = graph.sampling;
  if (plan.kind === 'none') {
    lines.push('this graph has nothing to sample from; only weights and metrics were written');
    return { files, metrics, lines };
  }
  const kind = plan.kind === 'language' ? 'text' : plan.shape.length === 4 ? 'images' : 'points';
  const meter = await qualityMeterFor(graph);
  // Points are plotted and scored from one draw, as many as the published tables score.
  const count = args.samples ?? Math.max(defaultCount(kind), kind === 'points' ? (meter?.sampleCount ?? 0) : 0);
  const seed = (args.seed ?? graph.doc.training.seed) + 1;
  const { batch, frames } = await trainer.sample({
    count,
    seed,
    sampler: args.sampler,
    steps: args.sampleSteps,
    frameEvery: frameEvery(graph, args),
    prompt: args.prompt,
    temperature: args.temperature,
    topK: args.topK,
  });

  if (batch.kind === 'images') await save('samples.png', imageGrid(batch).toPNG());
  if (batch.kind === 'points' && batch.data.length > 0 && plan.kind !== 'language') {
    const shape = plan.shape;
    if (shape.length === 2 && shape[1] === 2) await save('samples.png', pointsPlot(batch).toPNG());
  }
  if (meter) {
    try {
      // Images are scored on a draw of their own (the picture grid shows far fewer), unless --samples set the count.
      const own = batch.kind === 'images' && args.samples === undefined && batch.count < meter.sampleCount;
      const scored = own ? (await trainer.sample({ count: meter.sampleCount, seed })).batch : batch;
      const figures = meter.measure(scored);
      const samples = scored.kind === 'text' ? scored.texts.length : scored.count;
      metrics.quality = { dataset: meter.target.dataset, samples, ...figures, realDataFloor: meter.floor };
      lines.push(...qualityLines(meter, figures, samples));
    } finally {
      meter.dispose();
    }
  }
  if (frames && frames.length > 0) await save('frames.png', framesStrip(frames).toPNG());

  if (plan.kind === 'prior') {
    const { batcher } = await prepareData(graph, ctx.reader, graph.doc.training.seed);
    const grid = decodeLatentGrid(graph, batcher, LATENT_GRID, LATENT_RANGE);
    if (grid) {
      const tiles = Array.from({ length: grid.count }, (_, i) => imageTile(grid, i, 1));
      await save('latent-map.png', tileGrid(tiles, LATENT_GRID, 1).toPNG());
    }
  }

  let novel: boolean[] | undefined;
  if (batch.kind === 'text' && plan.kind === 'language') {
    const corpus = datasetOf(graph, 'textDataset', plan.text);
    const text = corpus ? await loadTextDataset(corpus, ctx.reader).catch(() => undefined) : undefined;
    if (text) {
      const bigram = fitBigram(text.train.tokens, text.tokenizer.vocabSize);
      const baseline = bigramNats(bigram, text.test.tokens);
      metrics.bigramBaseline = { corpus, natsPerChar: baseline };
      for (const [key, v] of Object.entries(ctx.evalLosses)) {
        lines.push(`held-out loss ${key}: ${formatLoss(v)} nats/char  (bigram baseline ${formatLoss(baseline)} nats/char, fitted on the same training split)`);
      }
      if (Object.keys(ctx.evalLosses).length === 0) lines.push(`bigram baseline: ${formatLoss(baseline)} nats/char`);
      if (text.lines) {
        const known = new Set(text.tokenizer.decode(text.train.tokens, '\n').split('\n'));
        novel = batch.texts.map((t) => t.trim() !== '' && !known.has(t.trim()));
        const fresh = batch.texts.filter((_, i) => novel![i]);
        metrics.novelFraction = batch.texts.length ? fresh.length / batch.texts.length : 0;
        lines.push(`new names (not in the training set), ${fresh.length} of ${batch.texts.length}: ${fresh.join(', ') || '(none)'}`);
      }
    }
    await save('samples.txt', batch.texts.join('\n') + '\n');
    if (!novel) lines.push('samples:', ...batch.texts.map((t) => `  ${JSON.stringify(t)}`));
  }
  await save('samples.json', JSON.stringify(novel && batch.kind === 'text' ? { ...batchJSON(batch), novel } : batchJSON(batch)));
  return { files, metrics, lines };
}
