// The training settings are one table (runtime/graph/training-settings.ts): the loader, saving and the
// inspector's edit all follow it, so these tests walk the table rather than naming settings.
import { describe, expect, it } from 'vitest';
import { checkParam } from '../../nodes/params';
import type { ParamSpec } from '../../nodes/types';
import { DEFAULT_TRAINING } from '../../runtime/graph/document';
import { parseGraph, serializeGraph } from '../../runtime/graph/load';
import { TRAINING_SETTINGS } from '../../runtime/graph/training-settings';
import { createEditor } from '../../app/store/history';
import { setTrainingSetting } from '../../app/store/edits';
import { emptyDocument } from '../../app/store/graph';
import { fakeOpts, ganDoc } from './fixtures';

const entries = Object.entries(TRAINING_SETTINGS) as [string, ParamSpec][];
/** The numeric settings; a choice (the learning-rate schedule) is bounded by its options. */
const numeric = entries.filter((e): e is [string, ParamSpec & { kind: 'int' | 'float' }] => e[1].kind === 'int' || e[1].kind === 'float');
const withTraining = (training: Record<string, unknown>) => parseGraph({ ...ganDoc(), training }, fakeOpts);

/** A value just past each bound the spec declares. */
function outOfBounds(spec: ParamSpec & { kind: 'int' | 'float' }): number[] {
  const out: number[] = [1e300, -1e300];
  if (spec.min !== undefined) out.push(spec.min - 1);
  if (spec.max !== undefined) out.push(spec.max + 1);
  if (spec.kind === 'float' && spec.exclusiveMin !== undefined) out.push(spec.exclusiveMin);
  if (spec.kind === 'float' && spec.exclusiveMax !== undefined) out.push(spec.exclusiveMax);
  return out;
}

describe('training settings', () => {
  it('every setting has a default inside its own bounds, a label and a doc line', () => {
    for (const [key, spec] of entries) {
      expect(checkParam(spec, spec.default), key).toBeNull();
      expect(spec.label, key).toBeTruthy();
      expect(spec.doc, key).toBeTruthy();
      expect(DEFAULT_TRAINING[key as keyof typeof DEFAULT_TRAINING]).toBe(spec.default);
    }
  });

  it('every setting is bounded on both sides: 1e300 and -1e300 are refused', () => {
    for (const [key, spec] of numeric) {
      const hasLow = spec.min !== undefined || (spec.kind === 'float' && spec.exclusiveMin !== undefined);
      const hasHigh = spec.max !== undefined || (spec.kind === 'float' && spec.exclusiveMax !== undefined);
      expect(hasLow && hasHigh, key).toBe(true);
    }
  });

  it('the loader refuses each value past a bound with a message naming the setting', () => {
    for (const [key, spec] of numeric) {
      for (const bad of outOfBounds(spec)) {
        const r = withTraining({ [key]: bad });
        expect(r.doc, `${key} = ${bad}`).toBeNull();
        expect(r.diagnostics).toHaveLength(1);
        expect(r.diagnostics[0]).toMatchObject({ code: 'schema', field: `training.${key}` });
        expect(r.diagnostics[0].message).toMatch(new RegExp(`^training setting "${key}": must be`));
      }
    }
    const r = withTraining({ lrSchedule: 'step' });
    expect(r.doc).toBeNull();
    expect(r.diagnostics[0].message).toMatch(/^training setting "lrSchedule": expected one of constant, linear, cosine/);
  });

  it('the issue\'s examples: batchSize, steps, seed and learningRate of 1e300, a fractional batch, a 33-bit seed', () => {
    const r = withTraining({ batchSize: 1e300, steps: 1e300, seed: 2 ** 32, learningRate: 1e300 });
    expect(r.diagnostics.map((d) => d.field).sort()).toEqual(['training.batchSize', 'training.learningRate', 'training.seed', 'training.steps']);
    expect(r.diagnostics.find((d) => d.field === 'training.batchSize')!.message).toBe('training setting "batchSize": must be at most 4096, got 1e+300');
    expect(withTraining({ batchSize: 2.5 }).diagnostics[0].message).toBe('training setting "batchSize": expected a whole number, got 2.5');
    expect(withTraining({ learningRate: 0 }).diagnostics[0].message).toBe('training setting "learningRate": must be more than 0, got 0');
  });

  it('unknown settings, including prototype names, are refused by name and never dropped', () => {
    const raw = JSON.parse('{"stepz": 5, "constructor": 1, "__proto__": {"steps": 2}}') as Record<string, unknown>;
    const r = withTraining(raw);
    expect(r.doc).toBeNull();
    expect(r.diagnostics.map((d) => d.field).sort()).toEqual(['training.__proto__', 'training.constructor', 'training.stepz']);
    expect(r.diagnostics.find((d) => d.field === 'training.stepz')!.message).toBe('unknown training setting "stepz"; did you mean "steps"?');
  });

  it('missing settings take their defaults, and saving writes every setting in the table order', () => {
    const r = withTraining({ steps: 7 });
    expect(r.doc!.training).toEqual({ ...DEFAULT_TRAINING, steps: 7 });
    const saved = JSON.parse(serializeGraph(r.doc!)).training as Record<string, unknown>;
    expect(Object.keys(saved)).toEqual(entries.map(([k]) => k));
  });

  it("the inspector's edit checks the same bounds and leaves the graph alone on a bad value", () => {
    const s = createEditor(emptyDocument());
    for (const [key, spec] of numeric) {
      for (const bad of outOfBounds(spec)) {
        const r = setTrainingSetting(s, key, bad);
        expect(r.state).toBe(s);
        expect(r.error).toBe(checkParam(spec, bad));
      }
      const ok = setTrainingSetting(s, key, spec.default);
      expect(ok.error).toBeNull();
    }
    expect(setTrainingSetting(s, 'toString', 1).error).toBe('there is no training setting "toString"');
    expect(setTrainingSetting(s, 'batchSize', 32).state.doc.training.batchSize).toBe(32);
  });
});
