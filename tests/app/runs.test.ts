// Runs and checkpoints kept in the browser (a Map stands in for IndexedDB): the index follows what is
// stored, automatic checkpoints are capped per graph, a damaged one is refused with the reason, runs
// are replaced by id and capped, and a stored run's curve overlays the current one step by step.
import { describe, expect, it } from 'vitest';
import { CheckpointShelf, MAX_AUTO_PER_GRAPH } from '../../app/runs/checkpoints';
import { childrenOf, compactCurve, lastValues, MAX_RUNS, RunShelf, type RunRecord } from '../../app/runs/runs';
import { comparedKey, overlay } from '../../app/runs/compare';
import { memoryShelf } from '../../app/runs/shelf';
import { appendRow, emptyHistory, EVAL_PREFIX } from '../../app/training/history';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint } from '../../runtime/train/checkpoint-file';

function ck(id: string, step: number, graphHash = 'aaaa0000'): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, id, parent: null, graphName: `graph ${graphHash}`, graphHash, step,
    losses: { 'loss.loss': 1 / (step + 1) }, networks: {}, optimizers: [], data: { cursor: step } as unknown as Checkpoint['data'],
  };
}

function run(id: string, startedAt: number, parentRun: string | null = null): RunRecord {
  return {
    id, name: id, graphName: 'g', graphHash: 'h', startedAt, updatedAt: startedAt, fromStep: 0, step: 10, finalLosses: {}, heldOut: {},
    parent: parentRun ? { checkpoint: `ck-${parentRun}`, run: parentRun, graphName: 'g', step: 10, how: 'fine-tune' } : null,
    curve: { steps: [], series: [] },
  };
}

describe('checkpoints kept in the browser', () => {
  it('lists, reads back and removes what was kept, telling listeners each time', async () => {
    const kv = memoryShelf();
    const shelf = new CheckpointShelf(kv);
    let told = 0;
    shelf.changes.subscribe(() => told++);
    await shelf.keep(ck('a', 5), { runId: 'run-1', auto: false });
    await shelf.keep(ck('b', 9), { runId: 'run-1', auto: true });
    expect((await shelf.list()).map((c) => [c.id, c.step, c.runId, c.auto])).toEqual([['a', 5, 'run-1', false], ['b', 9, 'run-1', true]]);
    expect((await shelf.read('b')).step).toBe(9);
    await shelf.remove('a');
    expect((await shelf.list()).map((c) => c.id)).toEqual(['b']);
    await expect(shelf.read('a')).rejects.toThrow(/no longer stored/);
    expect(told).toBe(3);
  });

  it(`keeps at most ${MAX_AUTO_PER_GRAPH} automatic checkpoints per graph, and every saved one`, async () => {
    const kv = memoryShelf();
    const shelf = new CheckpointShelf(kv);
    await shelf.keep(ck('saved', 1), { runId: null, auto: false });
    // Saved concurrently, as the worker's events arrive: the index must still see each of them.
    await Promise.all([2, 3, 4, 5, 6].map((s) => shelf.keep(ck(`auto${s}`, s), { runId: null, auto: true })));
    await shelf.keep(ck('other', 7, 'bbbb1111'), { runId: null, auto: true });
    const ids = (await shelf.list()).map((c) => c.id).sort();
    expect(ids).toEqual(['auto4', 'auto5', 'auto6', 'other', 'saved']);
    expect([...kv.map.keys()].filter((k) => k.startsWith('checkpoint:')).sort()).toEqual(ids.map((i) => `checkpoint:${i}`));
  });

  it('refuses a damaged stored checkpoint with the reason', async () => {
    const kv = memoryShelf();
    const shelf = new CheckpointShelf(kv);
    await shelf.keep(ck('a', 5), { runId: null, auto: false });
    const text = kv.map.get('checkpoint:a') as string;
    kv.map.set('checkpoint:a', text.slice(0, text.length / 2));
    await expect(shelf.read('a')).rejects.toThrow(/not valid JSON \(truncated or corrupted\?\)/);
  });
});

describe('runs kept in the browser', () => {
  it('replaces a run saved again under its id, and keeps the newest runs', async () => {
    const shelf = new RunShelf(memoryShelf());
    await shelf.save(run('r1', 1));
    await shelf.save({ ...run('r1', 1), step: 99 });
    expect((await shelf.list()).map((r) => [r.id, r.step])).toEqual([['r1', 99]]);
    for (let i = 2; i <= MAX_RUNS + 5; i++) await shelf.save(run(`r${i}`, i));
    const kept = await shelf.list();
    expect(kept.length).toBe(MAX_RUNS);
    expect(kept[0].id).toBe('r6');
  });

  it('links children to their parent run', () => {
    const all = [run('pre', 1), run('ft', 2, 'pre'), run('ft2', 3, 'pre'), run('other', 4)];
    expect(childrenOf(all, 'pre').map((r) => r.id)).toEqual(['ft', 'ft2']);
    expect(childrenOf(all, 'ft')).toEqual([]);
  });

  it('stores a long curve thinned evenly, keeping its first and last rows', () => {
    let h = emptyHistory();
    for (let s = 1; s <= 1000; s++) h = appendRow(h, s, { loss: 1000 / s });
    const c = compactCurve(h, 100);
    expect(c.steps.length).toBe(100);
    expect([c.steps[0], c.steps[99]]).toEqual([1, 1000]);
    expect(c.series[0][1][99]).toBe(1);
    expect(compactCurve(h, 5000).steps.length).toBe(1000);
  });

  it('reads the last training and held-out value of each series', () => {
    let h = appendRow(emptyHistory(), 1, { loss: 3 });
    h = appendRow(h, 2, { loss: 2 });
    h = appendRow(h, 2, { loss: 2.5 }, EVAL_PREFIX);
    h = appendRow(h, 3, { loss: 1 });
    expect(lastValues(h)).toEqual({ losses: { loss: 1 }, heldOut: { loss: 2.5 } });
  });
});

describe('two runs on one chart', () => {
  it('puts both on one step axis, the stored run under its own names, held-out series still held out', () => {
    let current = appendRow(emptyHistory(), 10, { loss: 2 });
    current = appendRow(current, 20, { loss: 1.5 });
    const other = { steps: [5, 20], series: [['loss', [3, 2.2]], [`${EVAL_PREFIX}loss`, [null, 2.4]]] as [string, (number | null)[]][] };
    const h = overlay(current, other, 'scratch');
    expect(h.steps).toEqual([5, 10, 20]);
    expect(h.series.get('loss')).toEqual([null, 2, 1.5]);
    expect(h.series.get('scratch · loss')).toEqual([3, null, 2.2]);
    expect(comparedKey('scratch', `${EVAL_PREFIX}loss`)).toBe(`${EVAL_PREFIX}scratch · loss`);
    expect(h.series.get(`${EVAL_PREFIX}scratch · loss`)).toEqual([null, null, 2.4]);
  });
});
