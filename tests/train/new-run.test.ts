// A run begun from imported weights (the CLI's --init-weights) trains the graph's full length again,
// so its decaying learning rate must start again too: counted from the absolute step, a cosine
// schedule that ended at step N would train every step after N at a rate of 0 and change nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../runtime/graph/document';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { compile } from '../../runtime/compiler/compile';
import { parseArgs } from '../../runtime/cli/args';
import { stepsPastSchedule } from '../../runtime/cli/checks';
import { bundleFromJSON } from '../../runtime/cli/model-files';
import { runTrain } from '../../runtime/cli/run';
import { parseCheckpoint } from '../../runtime/train/checkpoint';
import { Trainer } from '../../runtime/train/trainer';
import { nodeAssets } from '../../runtime/data/assets-node';
import { smallRingGan } from '../cli/fixtures';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function decaying(steps: number, calibrationSteps = 0): GraphDocument {
  const doc = smallRingGan();
  doc.training = { ...doc.training, steps, lrSchedule: 'cosine', warmupSteps: 0 };
  for (const n of doc.nodes) if (n.type === 'adversarial') n.params = { ...n.params, calibrationSteps, calibrationLr: 1e-3 };
  return doc;
}

const weightsOf = (trainer: Trainer): number[] =>
  trainer.compiled!.networks.flatMap((n) => n.model.getWeights().flatMap((w) => Array.from(w.dataSync())));

async function loaded(doc: GraphDocument): Promise<Trainer> {
  const trainer = new Trainer({ reader: nodeAssets });
  expect((await trainer.load(doc)).ok).toBe(true);
  return trainer;
}

describe('a new run from imported weights', () => {
  it('trains its full length with the schedule begun again; continuing keeps the spent one', async () => {
    const doc = decaying(4);
    const base = await loaded(doc);
    await base.train();
    const bundle = await base.exportWeights();
    const trained = weightsOf(base);
    base.dispose();

    const fresh = await loaded(doc);
    await fresh.importWeights(bundle, { newRun: true });
    expect(fresh.runLength).toBe(8);
    await fresh.train(5);
    // The schedule's first step, at the full rate: the weights move.
    expect(weightsOf(fresh)).not.toEqual(trained);
    await fresh.train();
    expect(fresh.status).toMatchObject({ step: 8, state: 'done' });
    fresh.dispose();

    const continued = await loaded(doc);
    await continued.importWeights(bundle);
    expect(continued.runLength).toBe(4);
    await continued.train();
    expect(continued.status.step).toBe(4);
    expect(weightsOf(continued)).toEqual(trained);
    continued.dispose();
  });

  it('a checkpoint keeps where the schedule began, so resuming it lands on the same weights', async () => {
    const doc = decaying(4);
    const base = await loaded(doc);
    await base.train();
    const bundle = await base.exportWeights();
    base.dispose();

    const run = await loaded(doc);
    await run.importWeights(bundle, { newRun: true });
    await run.train(6);
    const ck = parseCheckpoint(JSON.stringify(await run.checkpoint()));
    expect(ck).toMatchObject({ step: 6, origin: 4 });
    await run.train();
    const straight = weightsOf(run);
    run.dispose();

    const resumed = await loaded(doc);
    await resumed.resume(ck);
    expect(resumed.runLength).toBe(8);
    await resumed.train();
    expect(weightsOf(resumed)).toEqual(straight);
    resumed.dispose();
  });

  it('refuses a checkpoint whose schedule would begin after its step', () => {
    const text = JSON.stringify({ format: 'genloom.checkpoint', version: 1, id: 'x', graphHash: 'h', step: 3, origin: 5, networks: {}, optimizers: [], data: {} });
    expect(() => parseCheckpoint(text)).toThrow(/origin is 5, expected a whole number from 0 to its step 3/);
  });
});

describe('steps past a decayed schedule', () => {
  it('are flagged with the step where the rate reached 0, unless the rate is constant or calibration trains them', () => {
    const cosine = compile(decaying(4)).compiled!;
    expect(stepsPastSchedule(cosine, 4, 4)).toBeNull();
    expect(stepsPastSchedule(cosine, 6, 4)).toMatch(/the learning rate's cosine decay reaches 0 at step 4, so the steps after it, up to 6, will not change the model.*--init-weights/);
    cosine.dispose();
    const constant = decaying(4);
    constant.training.lrSchedule = 'constant';
    const flat = compile(constant).compiled!;
    expect(stepsPastSchedule(flat, 6, 4)).toBeNull();
    flat.dispose();
    const calibrating = compile(decaying(4, 3)).compiled!;
    expect(stepsPastSchedule(calibrating, 9, 7)).toBeNull();
    calibrating.dispose();
  });
});

describe('the CLI', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'genloom-new-run-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function cli(doc: GraphDocument, out: string, extra: string[]): Promise<string> {
    const graph = join(tmp, 'graph.json');
    writeFileSync(graph, JSON.stringify(doc));
    const parsed = parseArgs([graph, '--backend', 'cpu', '--out', join(tmp, out), ...extra]);
    if (!('args' in parsed)) throw new Error(JSON.stringify(parsed));
    let stderr = '';
    const result = await runTrain({ ...parsed.args, quiet: false }, { stdout: { write: () => true }, stderr: { write: (s: string) => ((stderr += s), true) } });
    expect(result.exitCode).toBe(0);
    return stderr;
  }
  const weightsAt = (out: string) => bundleFromJSON(readFileSync(join(tmp, out, 'weights.json'), 'utf8'));

  it('--init-weights trains the full count again from the weights, and moves them', async () => {
    const doc = decaying(4);
    await cli(doc, 'base', []);
    const stderr = await cli(doc, 'again', ['--init-weights', join(tmp, 'base', 'weights.json')]);
    expect(stderr).toMatch(/training 4 steps from step 4/);
    expect(stderr).not.toMatch(/warning/);
    const [before, after] = [weightsAt('base'), weightsAt('again')];
    expect(after.step).toBe(8);
    expect(Buffer.from(after.networks.generator.weightData).equals(Buffer.from(before.networks.generator.weightData))).toBe(false);
  });

  it('warns before training steps past the end of a decay', async () => {
    const doc = decaying(4);
    expect(await cli(doc, 'long', ['--steps', '6'])).toMatch(/warning: the learning rate's cosine decay reaches 0 at step 4, so the steps after it, up to 6,/);
  });
});
