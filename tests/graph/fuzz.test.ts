// Fuzzing the loader and the compiler's fast passes with mutated documents from a seeded generator:
// bad values, dropped fields, cycles, dangling edges, duplicate ids, unknown types, prototype keys,
// huge shapes, truncated files and reserved characters in ids. Every document must end in
// diagnostics (or a graph that compiles): never an exception, and Object.prototype stays untouched.
// Set FUZZ_SEED to explore other documents; a failure names the seed and the document's number.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getNodeDef } from '../../nodes/registry';
import { analyze } from '../../runtime/compiler/analyze';
import { compile } from '../../runtime/compiler/compile';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import type { GraphDocument } from '../../runtime/graph/document';
import { parseGraph, serializeGraph } from '../../runtime/graph/load';
import { canConnect } from '../../runtime/graph/wiring';
import { diffusionDoc, ganDoc, vaeDoc } from '../compiler/docs';

const DOCS = 500;
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
/** Networks up to this many weights are built as tf models too; larger ones stop after shape inference. */
const BUILD_LIMIT = 50_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** mulberry32: small, fast and the same everywhere. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const EXAMPLES_DIR = join(import.meta.dirname, '../../examples');
/** The shipped examples, and the compiler tests' tiny graphs (small enough to build as tf models). */
const BASES: Obj[] = [
  ...readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8')) as Obj),
  ...[ganDoc(), vaeDoc(), diffusionDoc()].map((d) => JSON.parse(JSON.stringify(d)) as Obj),
];

const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const RESERVED_IDS = ['D#out', '#out', 'x\u0000inner-in', '\u0000', 'a.b', 'a/b', ' ', 'naïve ✓', '__proto__', 'constructor', 'in', 'out', 'x'.repeat(129)];

function hostileValue(r: Rng): Json {
  return r.pick<() => Json>([
    () => null,
    () => true,
    () => -1,
    () => 0,
    () => 2.5,
    () => 1e300,
    () => -1e300,
    () => 2 ** 31,
    () => '',
    () => 'x',
    () => 'y'.repeat(2000 + r.int(3000)),
    () => [],
    () => ({}),
    () => [1e9, 1e9],
    () => [r.int(5) + 1, -3],
    () => JSON.parse('{"__proto__": {"polluted": true}}') as Json,
  ])();
}

/** Every (container, key) inside `v`, for picking a place to change. */
function places(v: Json, out: [Obj | Json[], string | number][] = [], depth = 0): [Obj | Json[], string | number][] {
  if (depth > 5 || v === null || typeof v !== 'object') return out;
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  for (const k of keys) {
    out.push([v, k]);
    places((v as Record<string | number, Json>)[k], out, depth + 1);
  }
  return out;
}

const nodesOf = (d: Obj) => (Array.isArray(d.nodes) ? (d.nodes as Obj[]).filter((n) => n && typeof n === 'object') : []);
const edgesOf = (d: Obj) => (Array.isArray(d.edges) ? (d.edges as Obj[]) : []);

const MUTATIONS: Record<string, (d: Obj, r: Rng) => void> = {
  badValue(d, r) {
    const ps = places(d);
    if (!ps.length) return;
    const [parent, key] = r.pick(ps);
    (parent as Record<string | number, Json>)[key] = hostileValue(r);
  },
  badParam(d, r) {
    const n = r.pick(nodesOf(d));
    if (!n) return;
    const params = (n.params && typeof n.params === 'object' && !Array.isArray(n.params) ? n.params : (n.params = {})) as Obj;
    const keys = Object.keys(params);
    params[keys.length && r.next() < 0.7 ? r.pick(keys) : 'units'] = hostileValue(r);
  },
  dropField(d, r) {
    const ps = places(d).filter(([p]) => !Array.isArray(p));
    if (!ps.length) return;
    const [parent, key] = r.pick(ps);
    delete (parent as Obj)[key as string];
  },
  cycle(d, r) {
    const es = edgesOf(d);
    const e = r.pick(es);
    if (!e) return;
    // From the edge's target back into its source: a loop, or a second wire into a taken input.
    const src = nodesOf(d).find((n) => n.id === e.target);
    const tgt = nodesOf(d).find((n) => n.id === e.source);
    const out = src && getNodeDef(String(src.type))?.outputs[0]?.id;
    const inp = tgt && getNodeDef(String(tgt.type))?.inputs[0]?.id;
    es.push({ id: `cyc${r.int(1e6)}`, source: e.target, sourceHandle: out ?? 'out', target: e.source, targetHandle: inp ?? 'in' });
  },
  danglingEdge(d, r) {
    const e = r.pick(edgesOf(d));
    if (!e) return;
    edgesOf(d).push({ ...e, id: `dang${r.int(1e6)}`, [r.pick(['source', 'target', 'sourceHandle', 'targetHandle'])]: `ghost${r.int(100)}` });
  },
  duplicateId(d, r) {
    if (r.next() < 0.5) {
      const n = r.pick(nodesOf(d));
      if (n) (d.nodes as Json[]).push(structuredClone(n));
    } else {
      const e = r.pick(edgesOf(d));
      if (e) edgesOf(d).push({ ...e });
    }
  },
  unknownType(d, r) {
    const n = r.pick(nodesOf(d));
    if (n) n.type = r.pick([`${String(n.type)}x`, 'warpDrive', '', 'Dense', 'z'.repeat(50_000), '__proto__', 'constructor']);
  },
  prototypeKey(d, r) {
    const key = r.pick(PROTO_KEYS);
    const n = r.pick(nodesOf(d));
    const where = r.pick<Obj | undefined>([d, n, n?.params as Obj | undefined, d.training as Obj | undefined, r.pick(edgesOf(d))]);
    if (where && typeof where === 'object' && !Array.isArray(where)) {
      Object.defineProperty(where, key, { value: hostileValue(r), enumerable: true, writable: true, configurable: true });
    }
  },
  hugeShape(d, r) {
    const n = r.pick(nodesOf(d));
    if (!n) return;
    const params = (n.params && typeof n.params === 'object' && !Array.isArray(n.params) ? n.params : (n.params = {})) as Obj;
    const key = r.pick(['units', 'filters', 'shape', 'targetShape', 'dModel', 'contextLength', 'vocabSize', 'T', 'kernelSize']);
    params[key] = key.toLowerCase().includes('shape') ? [r.pick([1e5, 1e9, 2 ** 31]), r.pick([1e5, 3])] : r.pick([1e5, 1e9, 2 ** 31, 2 ** 53]);
  },
  reservedId(d, r) {
    const n = r.pick(nodesOf(d));
    if (!n) return;
    const from = n.id;
    const to = r.pick(RESERVED_IDS);
    for (const m of nodesOf(d)) {
      if (m.id === from) m.id = to;
      if (m.parentId === from) m.parentId = to;
    }
    for (const e of edgesOf(d)) {
      if (e.source === from) e.source = to;
      if (e.target === from) e.target = to;
    }
  },
};
const KINDS = [...Object.keys(MUTATIONS), 'truncate'];

interface Outcome {
  loaded: boolean;
  compiled: boolean;
}

const protoSnapshot = () => [Object.prototype, Array.prototype, Function.prototype].map((p) => Reflect.ownKeys(p).map(String).sort().join(','));

function checkDiagnostics(ds: readonly Diagnostic[]) {
  for (const d of ds) {
    expect(typeof d.message).toBe('string');
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message.length).toBeLessThan(5000);
  }
}

/** Loads, and when the document loads, runs the fast passes, tries a wire and compiles small graphs. */
function exercise(input: unknown, r: Rng): Outcome {
  const { doc, diagnostics } = parseGraph(input);
  checkDiagnostics(diagnostics);
  if (!doc) {
    expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
    return { loaded: false, compiled: false };
  }
  const analysis = analyze(doc);
  checkDiagnostics(analysis.diagnostics);
  const a = r.pick(doc.nodes);
  const b = r.pick(doc.nodes);
  if (a && b) canConnect(doc, { source: a.id, sourceHandle: 'out', target: b.id, targetHandle: 'in' });
  const weights = Object.values(analysis.paramCounts).reduce((s, x) => s + x, 0);
  const small = Object.values(analysis.shapes).every((m) => Object.values(m).every((s) => s.every((x) => x === null || x <= 4096)));
  if (analysis.diagnostics.some((d) => d.severity === 'error') || weights > BUILD_LIMIT || !small) return { loaded: true, compiled: false };
  const { compiled, diagnostics: cds } = compile(doc as GraphDocument);
  checkDiagnostics(cds);
  compiled?.dispose();
  return { loaded: true, compiled: compiled !== null };
}

describe('fuzz: mutated graph documents end in diagnostics, never an exception', () => {
  it(`${DOCS} documents from seed ${SEED}`, () => {
    const r = rng(SEED);
    const before = protoSnapshot();
    const seen = { loaded: 0, compiled: 0, refused: 0 };
    const kinds = new Map<string, number>();
    for (let i = 0; i < DOCS; i++) {
      const doc = structuredClone(r.pick(BASES));
      const applied = Array.from({ length: 1 + r.int(3) }, () => r.pick(KINDS));
      for (const k of applied) {
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
        if (k !== 'truncate') MUTATIONS[k](doc, r);
      }
      let input: unknown = doc;
      if (applied.includes('truncate')) {
        const text = JSON.stringify(doc);
        input = text.slice(0, r.int(text.length));
      } else if (r.next() < 0.5) input = JSON.stringify(doc);
      let outcome: Outcome;
      try {
        outcome = exercise(input, r);
      } catch (err) {
        throw new Error(`document ${i} (seed ${SEED}, mutations ${applied.join(', ')}) threw: ${(err as Error).stack ?? String(err)}`);
      }
      if (outcome.compiled) seen.compiled++;
      if (outcome.loaded) seen.loaded++;
      else seen.refused++;
      expect(protoSnapshot(), `document ${i} changed a prototype`).toEqual(before);
      expect(({} as Record<string, unknown>).polluted, `document ${i}`).toBeUndefined();
    }
    // The generator reaches every kind of fault, and some documents survive to a built model.
    for (const k of KINDS) expect(kinds.get(k) ?? 0, k).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(DOCS / 2);
    expect(seen.compiled).toBeGreaterThan(0);
  }, 240_000);

  it('an unmutated example survives the same path, so the harness itself is sound', () => {
    const r = rng(1);
    for (const base of BASES) {
      expect(exercise(serializeGraph(base as unknown as GraphDocument), r).loaded).toBe(true);
    }
  });
});
