// A whole run in process, for the families the spawned-CLI test does not cover: the VAE's latent
// map, diffusion frames, a language model's text and baseline, and fine-tuning from weights.json.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, type TrainArgs } from '../../runtime/cli/args';
import { LATENT_GRID } from '../../runtime/cli/outputs';
import { runTrain } from '../../runtime/cli/run';
import { bundleFromJSON } from '../../runtime/cli/model-files';
import type { GraphDocument } from '../../runtime/graph/document';
import { example, smallRingGan } from './fixtures';
import { nodeAssets } from '../../runtime/data/assets-node';
import { bigramNats, fitBigram } from '../../runtime/data/bigram';
import { loadTextDataset, withHeldOutLines } from '../../runtime/data/text';

interface Metrics {
  steps: { from: number; to: number; ran: number };
  bigramBaseline: { natsPerChar: number };
  evalOver: Record<string, number>;
}

const tmp = mkdtempSync(join(tmpdir(), 'genloom-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(doc: GraphDocument, name: string, extra: string[]): Promise<{ out: string; stdout: string; metrics: Metrics }> {
  const graph = join(tmp, `${name}.json`);
  writeFileSync(graph, JSON.stringify(doc));
  const out = join(tmp, name);
  const parsed = parseArgs([graph, '--backend', 'cpu', '--quiet', '--out', out, ...extra]);
  if (!('args' in parsed)) throw new Error(JSON.stringify(parsed));
  let stdout = '';
  const sink = { write: (s: string) => (stdout += s) };
  await runTrain(parsed.args as TrainArgs, { stdout: sink, stderr: sink });
  return { out, stdout, metrics: JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Metrics };
}

const png = (file: string) => PNG.sync.read(readFileSync(file));

describe('runTrain', () => {
  it('writes a latent map for a VAE with a 2-D latent', async () => {
    const doc = example('vae-mnist-2d');
    for (const n of doc.nodes) if (n.id === 'enc1' || n.id === 'dec1') n.params.units = 16;
    const { out } = await run(doc, 'vae', ['--steps', '1', '--batch', '8', '--samples', '4']);
    const map = png(join(out, 'latent-map.png'));
    // 20×20 tiles of 28 px with 1-px gaps.
    expect([map.width, map.height]).toEqual([LATENT_GRID * 29 + 1, LATENT_GRID * 29 + 1]);
    // Different corners of the plane decode to different images.
    const tile = (row: number, col: number) => {
      const px: number[] = [];
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px.push(map.data[((1 + row * 29 + y) * map.width + 1 + col * 29 + x) * 4]);
      return px;
    };
    expect(tile(0, 0)).not.toEqual(tile(LATENT_GRID - 1, LATENT_GRID - 1));
    const samples = png(join(out, 'samples.png'));
    expect([samples.width, samples.height]).toEqual([2 * 56 + 3 * 2, 2 * 56 + 3 * 2]);
    expect(JSON.parse(readFileSync(join(out, 'samples.json'), 'utf8')).data).toHaveLength(4 * 784);
  });

  it('writes a strip of denoising frames for diffusion', async () => {
    const doc = example('ddpm-2d');
    for (const n of doc.nodes) if (n.type === 'dense' && Number(n.params.units) > 2) n.params.units = 16;
    const { out } = await run(doc, 'ddpm', ['--steps', '1', '--batch', '16', '--samples', '30', '--sampler', 'ddim', '--sample-steps', '5']);
    const strip = png(join(out, 'frames.png'));
    // Five reverse steps, one 200-px scatter plot each.
    expect([strip.width, strip.height]).toEqual([5 * 200 + 6 * 2, 200 + 2 * 2]);
    expect(JSON.parse(readFileSync(join(out, 'samples.json'), 'utf8')).samples).toHaveLength(30);
  });

  it('writes generated names and compares held-out loss with a bigram baseline', async () => {
    const { out, stdout, metrics } = await run(example('gpt-names'), 'gpt', ['--steps', '1', '--batch', '4', '--samples', '3', '--temperature', '0.8']);
    const lines = readFileSync(join(out, 'samples.txt'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => /^[a-z-]*$/.test(l))).toBe(true);
    const baseline = metrics.bigramBaseline.natsPerChar;
    // Names over 28 symbols: a bigram model does much better than uniform, but not perfectly.
    expect(baseline).toBeGreaterThan(1.5);
    expect(baseline).toBeLessThan(Math.log(28));
    const m = stdout.match(/held-out loss loss\.loss: (\S+) nats\/char = (\S+) bits\/char {2}\(baselines .*: bigram (\S+), unigram (\S+) nats\/char/);
    expect(m).not.toBeNull();
    const [nats, bits, bigram, unigram] = m!.slice(1).map(Number);
    expect(bits).toBeCloseTo(nats / Math.LN2, 2);
    // A bigram knows the previous character, so it beats the unigram on names.
    expect(bigram).toBeLessThan(unigram);
    expect(stdout).toMatch(/new names \(not in the training set\), \d of 3/);
  });

  it('measures a corpus of lines on every held-out line once, against baselines on the split it trained on', async () => {
    const doc = example('gpt-names');
    for (const n of doc.nodes) if (n.type === 'textDataset') Object.assign(n.params, { examples: 'lines', heldOutLines: 40 });
    const { stdout, metrics } = await run(doc, 'gpt-lines', ['--steps', '1', '--batch', '4', '--samples', '2']);
    expect(metrics.evalOver).toEqual({ wholeSplit: 40 });
    expect(stdout).toMatch(/held-out loss loss\.loss \(all 40 held-out lines\): \S+ nats\/char/);
    const text = withHeldOutLines(await loadTextDataset('names', nodeAssets), 40);
    const bigram = bigramNats(fitBigram(text.train.tokens, text.tokenizer.vocabSize), text.test.tokens);
    expect(metrics.bigramBaseline.natsPerChar).toBeCloseTo(bigram, 10);
  });

  it('fine-tunes from the weights.json of an earlier run', async () => {
    const first = await run(smallRingGan(), 'ring-a', ['--steps', '2']);
    const weights = join(first.out, 'weights.json');
    expect(existsSync(weights)).toBe(true);
    const second = await run(smallRingGan(), 'ring-b', ['--steps', '3', '--init-weights', weights]);
    expect(second.metrics.steps).toEqual({ from: 2, to: 5, ran: 3 });
    const other = smallRingGan();
    other.nodes.find((n) => n.id === 'g1')!.params.units = 8;
    await expect(run(other, 'ring-c', ['--steps', '1', '--init-weights', weights])).rejects.toThrow(/does not fit this graph: .*generator/);
  });
});

describe('--freeze and the lineage block', () => {
  it('locks the named nodes on top of a transfer and counts their parameters apart', async () => {
    const first = await run(smallRingGan(), 'lin-a', ['--steps', '2']);
    const parent = join(first.out, 'checkpoint.json');
    const second = await run(smallRingGan(), 'lin-b', ['--steps', '3', '--transfer', parent, '--freeze', 'g1,d1']);
    const lineage = (second.metrics as unknown as { lineage: Record<string, unknown> }).lineage;
    // smallRingGan: z (16) → g1 (16 units) → g2 (16) → g2b (16) → g3 (2); data (2) → d1 (16) → d2 (16) → d3 (1)
    const g1 = 16 * 16 + 16;
    const d1 = 2 * 16 + 16;
    const all = g1 + 2 * (16 * 16 + 16) + (16 * 2 + 2) + d1 + (16 * 16 + 16) + (16 + 1);
    expect(lineage).toMatchObject({ parent: expect.stringContaining('checkpoint.json'), frozenParams: g1 + d1, trainableParams: all - g1 - d1, refused: [] });
    expect(lineage.loaded).toEqual(expect.arrayContaining(['g1', 'g2', 'g2b', 'g3', 'd1', 'd2', 'd3']));
    // The frozen layers leave the run byte for byte as the parent left them; the others moved on.
    const bytesOf = (dir: string, node: string) => {
      const bundle = bundleFromJSON(readFileSync(join(dir, 'weights.json'), 'utf8'), dir);
      const out: string[] = [];
      for (const a of Object.values(bundle.networks)) {
        let offset = 0;
        for (const spec of a.weightSpecs) {
          const size = spec.shape.reduce((x, y) => x * y, 1) * 4;
          if (spec.name.startsWith(`${node}/`)) out.push(Buffer.from(a.weightData, offset, size).toString('base64'));
          offset += size;
        }
      }
      expect(out.length, node).toBe(2);
      return out;
    };
    for (const node of ['g1', 'd1']) expect(bytesOf(second.out, node), node).toEqual(bytesOf(first.out, node));
    for (const node of ['g2', 'd2']) expect(bytesOf(second.out, node), node).not.toEqual(bytesOf(first.out, node));
  });

  it('--map moves weights between nodes of other ids, and a bad pair or a missing --transfer is refused', async () => {
    const first = await run(smallRingGan(), 'map-a', ['--steps', '2']);
    const parent = join(first.out, 'checkpoint.json');
    // d2 and g2 are both 16→16 layers: the discriminator's takes the generator's weights, g2 stays fresh.
    const second = await run(smallRingGan(), 'map-b', ['--steps', '1', '--transfer', parent, '--map', 'd2=g2,g2=']);
    const lineage = (second.metrics as unknown as { lineage: { loaded: string[]; skipped: { node: string; reason: string }[] } }).lineage;
    expect(lineage.loaded).toContain('d2');
    expect(lineage.loaded).not.toContain('g2');
    expect(lineage.skipped).toContainEqual({ node: 'g2', reason: 'kept fresh, as the node mapping asks' });
    await expect(run(smallRingGan(), 'map-c', ['--steps', '1', '--transfer', parent, '--map', 'd2'])).rejects.toThrow(/--map expects pairs such as head=logits.*"d2"/);
    await expect(run(smallRingGan(), 'map-d', ['--steps', '1', '--map', 'd2=g2'])).rejects.toThrow(/--map .* --transfer, which is missing/);
  });

  it('refuses --freeze of an unknown id or a node without weights, naming each', async () => {
    await expect(run(smallRingGan(), 'lin-c', ['--steps', '1', '--freeze', 'nope,z'])).rejects.toThrow(/no node "nope"[\s\S]*noise "z" holds no weights/);
  });
});

describe('checkpoints from the CLI', () => {
  it('saves every N steps, and --resume ends where an unbroken run ends', async () => {
    const doc = smallRingGan();
    doc.training = { ...doc.training, steps: 6 };
    const straight = await run(doc, 'straight', []);
    const first = await run(doc, 'first', ['--steps', '4', '--save-every', '2']);
    const saved = join(first.out, 'checkpoint.json');
    expect(existsSync(saved)).toBe(true);
    const resumed = await run(doc, 'resumed', ['--resume', saved]);
    expect(resumed.metrics.steps).toEqual({ from: 4, to: 6, ran: 2 });
    const a = (straight.metrics as unknown as { finalLosses: Record<string, number> }).finalLosses;
    const b = (resumed.metrics as unknown as { finalLosses: Record<string, number> }).finalLosses;
    for (const k of Object.keys(a)) expect(Math.abs(a[k] - b[k]), k).toBeLessThanOrEqual(1e-6);
  });

  it('refuses a checkpoint of another graph before training, naming the file', async () => {
    const doc = smallRingGan();
    const first = await run(doc, 'ring-ck', ['--steps', '1']);
    const other = example('vae-mnist-2d');
    await expect(run(other, 'other', ['--steps', '1', '--resume', join(first.out, 'checkpoint.json')])).rejects.toThrow(/cannot be resumed here: .*another graph/);
  });
});
