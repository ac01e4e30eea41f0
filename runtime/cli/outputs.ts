// What a finished run writes besides the weights, by sampling family: sample pictures and numbers,
// denoising frames, the latent map, generated text; and the metrics that judge them (the quality
// figures of runtime/metrics beside the real-data floor, a bigram baseline for language models).
import { join } from 'node:path';
import type { CompiledGraph } from '../compiler/compile';
import type { AssetReader } from '../data/assets';
import { bigramNats, fitBigram, unigramNats } from '../data/bigram';
import { qualityLines, qualityMeterFor } from '../metrics/quality';
import { measureQuality } from '../train/live-quality';
import type { DataNeed } from '../../nodes/data-needs';
import type { SampleBatch } from '../train/events';
import { loadNeededText, prepareData } from '../train/data-source';
import type { SampleRequest } from '../train/sample';
import type { Trainer } from '../train/trainer';
import type { TrainArgs } from './args';
import { writeAtomic } from './files';
import { decodeLatentGrid } from '../train/latent-map';
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
  /** The test examples they were measured on, each once, or null when they come from drawn batches. */
  evalWholeSplit: number | null;
  /** True once Ctrl-C asks to skip what is not yet written. */
  stop?: () => boolean;
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

/** What the graph's data nodes read, as each declares it (first of a kind first). */
function dataNeeds(graph: CompiledGraph, kind: DataNeed['kind'], id?: string): DataNeed | undefined {
  for (const [nodeId, { def, params }] of graph.checked.nodes) {
    const need = def.data?.(params);
    if (need?.kind === kind && (!id || nodeId === id)) return need;
  }
  return undefined;
}

export async function writeOutputs(ctx: OutputContext): Promise<OutputReport> {
  const { trainer, graph, outDir, args } = ctx;
  const files: string[] = [];
  const metrics: Record<string, unknown> = {};
  const lines: string[] = [];
  const save = async (name: string, data: string | Buffer) => {
    await writeAtomic(join(outDir, name), data);
    files.push(name);
  };
  const stopped = () => ctx.stop?.() ?? false;
  const plan = graph.sampling;
  if (!plan) {
    lines.push('this graph has nothing to sample from; only weights and metrics were written');
    return { files, metrics, lines };
  }
  if (stopped()) return { files, metrics, lines };
  const meter = await qualityMeterFor(graph);
  // A conditional generator's grid is square with one row per class: 10 classes, 100 images. Points are
  // plotted and scored from one draw, as many as the published tables score.
  const classes = plan.settings.classes;
  const count =
    args.samples ??
    (classes && args.sampleClass === undefined
      ? classes * classes
      : Math.max(defaultCount(plan.output), plan.output === 'points' ? (meter?.sampleCount ?? 0) : 0));
  const seed = (args.seed ?? graph.doc.training.seed) + 1;
  const family = trainer.familyMetrics(args.heldOut);
  if (Object.keys(family).length) {
    metrics.likelihood = family;
    const { heldOutExamples: examples, ...bounds } = family;
    const on = examples ? ` on ${examples.toLocaleString('en-US')} test examples` : '';
    lines.push(`held-out likelihood${on}: ${Object.entries(bounds).map(([k, v]) => `${k} ${formatLoss(v)} nats/example`).join(', ')}`);
  }
  const { batch, frames } = await trainer.sample({
    count,
    seed,
    sampler: args.sampler,
    steps: args.sampleSteps,
    frames: plan.features.includes('frames') ? FRAMES : undefined,
    prompt: args.prompt,
    temperature: args.temperature,
    topK: args.topK,
    topP: args.topP,
    classes: args.sampleClass === undefined ? undefined : Array.from({ length: count }, () => args.sampleClass!),
    guidance: args.guidance,
  });
  // The numbers before the pictures: they hold every sample, the pictures only draw them.
  if (batch.kind !== 'text') await save('samples.json', JSON.stringify(batchJSON(batch)));

  if (batch.kind === 'images') await save('samples.png', imageGrid(batch).toPNG());
  if (batch.kind === 'points' && batch.data.length > 0) await save('samples.png', pointsPlot(batch).toPNG());
  if (meter) {
    try {
      // Images are scored on a draw of their own (the picture grid shows far fewer; a conditional generator's
      // draw asks for each class equally often), unless --samples set the count.
      const own = batch.kind === 'images' && args.samples === undefined && batch.count < meter.sampleCount;
      const asked = classes && args.sampleClass !== undefined ? new Array<number>(count).fill(args.sampleClass) : undefined;
      const { figures, balance } = own ? await measureQuality(meter, (r) => trainer.sample({ ...r, guidance: args.guidance }), classes, seed) : meter.read(batch, asked);
      const samples = own ? meter.sampleCount : batch.kind === 'text' ? batch.texts.length : batch.count;
      metrics.quality = {
        dataset: meter.target.dataset, samples, ...figures, realDataFloor: meter.floor,
        balance: { labels: meter.balanceLabels, samples: balance, realData: meter.floorBalance },
      };
      lines.push(...qualityLines(meter, figures, samples));
      if (plan.settings.rejectPercentile !== undefined || plan.settings.langevinSteps) {
        // What rejection sampling or Langevin refinement gained, measured: as many samples, same seed, straight from the generator.
        const plainSample = (r: SampleRequest) => trainer.sample({ ...r, plain: true });
        const plain = own
          ? await measureQuality(meter, plainSample, classes, seed)
          : meter.read((await plainSample({ count, seed, classes: asked })).batch, asked);
        metrics.qualityStraightFromGenerator = plain.figures;
        const skipped = plan.settings.langevinSteps ? 'no Langevin steps' : 'no rejection sampling';
        lines.push(`the same, drawn straight from the generator (${skipped}):`, ...qualityLines(meter, plain.figures, samples).slice(1));
      }
    } finally {
      meter.dispose();
    }
  }
  if (frames && frames.length > 0) await save('frames.png', framesStrip(frames).toPNG());

  if (stopped()) return { files, metrics, lines };
  if (plan.features.includes('latent')) {
    const { batcher } = await prepareData(graph, ctx.reader, graph.doc.training.seed);
    const grid = decodeLatentGrid(graph, batcher, LATENT_GRID, LATENT_RANGE);
    if (grid) {
      const tiles = Array.from({ length: grid.count }, (_, i) => imageTile(grid, i, 1));
      await save('latent-map.png', tileGrid(tiles, LATENT_GRID, 1).toPNG());
    }
  }

  let novel: boolean[] | undefined;
  if (batch.kind === 'text') {
    const need = dataNeeds(graph, 'text', plan.node);
    const corpus = need && !need.uploaded ? need.name : undefined;
    // The split training used (heldOutLines re-splits a corpus of lines), for the baselines and for "new".
    const text = corpus ? await loadNeededText(`node "${plan.node}"`, need!, ctx.reader).catch(() => undefined) : undefined;
    if (text) {
      const bigram = fitBigram(text.train.tokens, text.tokenizer.vocabSize);
      const baseline = bigramNats(bigram, text.test.tokens);
      const unigram = unigramNats(text.train.tokens, text.test.tokens, text.tokenizer.vocabSize);
      metrics.bigramBaseline = { corpus, natsPerChar: baseline, bitsPerChar: baseline / Math.LN2 };
      metrics.unigramBaseline = { corpus, natsPerChar: unigram, bitsPerChar: unigram / Math.LN2 };
      const over = ctx.evalWholeSplit !== null ? ` (all ${ctx.evalWholeSplit} held-out ${text.lines ? 'lines' : 'examples'})` : '';
      for (const [key, v] of Object.entries(ctx.evalLosses)) {
        lines.push(
          `held-out loss ${key}${over}: ${formatLoss(v)} nats/char = ${formatLoss(v / Math.LN2)} bits/char  ` +
            `(baselines fitted on the same training split: bigram ${formatLoss(baseline)}, unigram ${formatLoss(unigram)} nats/char)`,
        );
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
  if (batch.kind === 'text') await save('samples.json', JSON.stringify(novel ? { ...batchJSON(batch), novel } : batchJSON(batch)));
  return { files, metrics, lines };
}
