// The command line as a user runs it: a real process, its exit code, its files and its messages.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { SCATTER_SIZE } from '../../runtime/cli/plots';
import { brokenRingGan, ROOT, smallCgan, smallRingGan } from './fixtures';
import { classifierRecord } from '../../runtime/metrics/classifier';

const tmp = mkdtempSync(join(tmpdir(), 'genloom-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('npx', ['tsx', 'runtime/cli/train.ts', ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const STACK_FRAME = /^\s+at .+[:(]/m;

describe('npm run train', () => {
  it('trains the ring GAN and writes samples, metrics and models', async () => {
    const graph = join(tmp, 'ring.json');
    writeFileSync(graph, JSON.stringify(smallRingGan()));
    const out = join(tmp, 'ring-out');
    const r = await cli([graph, '--steps', '3', '--batch', '16', '--backend', 'cpu', '--samples', '200', '--out', out]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(0);
    // stderr is a pipe here: plain progress lines, the last one at the final step.
    expect(r.stderr).toMatch(/step 3\/3 .*loss\.generator \S+.*steps\/s.*ETA/);
    expect(r.stderr).not.toContain('\r');
    expect(r.stdout).toMatch(/modes with ≥ 1 high-quality sample: \d\/8 \(real data 8\/8\)/);

    for (const f of ['samples.png', 'samples.json', 'metrics.json', 'weights.json', 'models/generator/model.json', 'models/generator/weights.bin', 'models/discriminator/model.json'])
      expect(existsSync(join(out, f)), f).toBe(true);
    const png = PNG.sync.read(readFileSync(join(out, 'samples.png')));
    expect([png.width, png.height]).toEqual([SCATTER_SIZE, SCATTER_SIZE]);

    const samples = JSON.parse(readFileSync(join(out, 'samples.json'), 'utf8'));
    expect(samples.kind).toBe('points');
    expect(samples.samples).toHaveLength(200);
    expect(samples.real.length).toBeGreaterThan(0);

    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.steps).toEqual({ from: 0, to: 3, ran: 3 });
    expect(metrics.batchSize).toBe(16);
    // Quality against the ring's true centres, the real-data floor beside it (runtime/metrics).
    expect(metrics.quality).toMatchObject({ dataset: 'ring', samples: 200, realDataFloor: { modes: 8, modesOver1pct: 8 } });
    expect(metrics.quality.modes).toBeLessThanOrEqual(8);
    expect(r.stdout).toMatch(/quality of 200 samples against ring/);
    expect(Object.keys(metrics.finalLosses).sort()).toEqual(['loss.discriminator', 'loss.generator']);

    // The model file lists exactly the weights the binary holds.
    const model = JSON.parse(readFileSync(join(out, 'models/generator/model.json'), 'utf8'));
    expect(model.format).toBe('layers-model');
    const bytes = model.weightsManifest[0].weights.reduce((s: number, w: { shape: number[] }) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    expect(readFileSync(join(out, 'models/generator/weights.bin')).byteLength).toBe(bytes);
  });

  it('prints what rejection sampling gained beside the same count drawn straight from the generator', async () => {
    const graph = join(tmp, 'ring-drs.json');
    const doc = smallRingGan();
    for (const n of doc.nodes) if (n.type === 'discriminator') n.params = { ...n.params, rejection: 'drs' };
    writeFileSync(graph, JSON.stringify(doc));
    const out = join(tmp, 'ring-drs-out');
    const r = await cli([graph, '--steps', '2', '--samples', '200', '--out', out]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/drawn straight from the generator \(no rejection sampling\):\n {2}modes with ≥ 1 high-quality sample: \d\/8/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.qualityStraightFromGenerator.modes).toBeLessThanOrEqual(8);
    expect(metrics.quality.samples).toBe(200);
  });

  it('scores a conditional generator by how often the fixed classifier agrees with the class asked for', async () => {
    const graph = join(tmp, 'cgan.json');
    writeFileSync(graph, JSON.stringify(smallCgan()));
    const out = join(tmp, 'cgan-out');
    const r = await cli([graph, '--steps', '2', '--out', out]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(0);
    const q = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).quality;
    const record = await classifierRecord('mnist');
    expect(q).toMatchObject({ dataset: 'mnist', samples: 1000 });
    expect(q.agreement).toBeGreaterThanOrEqual(0);
    expect(q.agreement).toBeLessThanOrEqual(1);
    // Real test digits asked for their own labels agree as often as the classifier is right.
    expect(q.realDataFloor.agreement).toBe(record.testAccuracy);
    expect(q.balance.labels).toHaveLength(10);
    expect(q.balance.samples.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 6);
    expect(q.balance.realData).toEqual(record.floor.balance);
    expect(r.stdout).toContain(`(real data ${(100 * record.testAccuracy).toFixed(1)}%)`);
    expect(r.stdout).toMatch(/samples the classifier puts in the class asked for: \d+\.\d% \(real data/);
  });

  it('trains on two wasm threads to the same result as on one, and exits', async () => {
    const graph = join(tmp, 'ring-threads.json');
    writeFileSync(graph, JSON.stringify(smallRingGan()));
    const run = async (threads: number) => {
      const out = join(tmp, `ring-threads-${threads}`);
      const r = await cli([graph, '--steps', '4', '--batch', '64', '--threads', String(threads), '--samples', '100', '--out', out]);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code).toBe(0);
      return { stderr: r.stderr, samples: readFileSync(join(out, 'samples.json'), 'utf8') };
    };
    const one = await run(1);
    const two = await run(2);
    expect(two.stderr).toContain('backend wasm (2 threads)');
    expect(one.stderr).not.toContain('threads)');
    // XNNPACK splits work by output tiles, so the sums are the same and so is every sample.
    expect(two.samples).toBe(one.samples);
  }, 120_000);

  it('refuses a graph that does not compile, naming the node, without a stack trace', async () => {
    const graph = join(tmp, 'broken.json');
    writeFileSync(graph, JSON.stringify(brokenRingGan()));
    const r = await cli([graph, '--steps', '1', '--backend', 'cpu', '--out', join(tmp, 'broken-out')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error: .*"g2"/m);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(join(tmp, 'broken-out'))).toBe(false);
  });

  it('refuses a file that is not a graph, one problem a line', async () => {
    const graph = join(tmp, 'bad-node.json');
    const doc = smallRingGan();
    doc.nodes.find((n) => n.id === 'g1')!.type = 'dence';
    doc.nodes.find((n) => n.id === 'g3')!.params.units = -1;
    writeFileSync(graph, JSON.stringify(doc));
    const r = await cli([graph]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(lines.some((l) => l.includes('"g1"') && l.includes('dense'))).toBe(true);
    expect(lines.some((l) => l.includes('"g3"'))).toBe(true);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('rejects bad arguments with the usage', async () => {
    const r = await cli(['examples/gan-ring.json', '--steps', 'many', '--backend', 'gpu', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--steps expects a number, got "many"');
    expect(r.stderr).toContain('--backend expects one of wasm, cpu, got "gpu"');
    expect(r.stderr).toContain('unknown option --frobnicate');
    expect(r.stderr).toContain('usage: npm run train');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('reports a missing graph file and prints help', async () => {
    const missing = await cli([join(tmp, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the graph file .*nope\.json: no such file/);
    expect(missing.stderr).not.toMatch(STACK_FRAME);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--init-weights');
  });
});
