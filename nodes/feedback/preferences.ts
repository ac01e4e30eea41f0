// The preference dataset: pairs of samples where a rater preferred one over the other. The app keeps
// them in IndexedDB and exports them as this JSON; the CLI's scripted raters produce the same shape.
// Plain data, checked strictly: an unknown field is refused, never silently dropped.

export const PREFERENCES_FORMAT = 'genloom-preferences';
export const PREFERENCES_VERSION = 1;
export const PREFERENCE_KINDS = ['text', 'image', 'points'] as const;
export type PreferenceKind = (typeof PREFERENCE_KINDS)[number];

/** A text sample is a string; an image a flat array in the model's data range; a point [x, y]. */
export type PreferenceSample = string | number[];

export interface PreferencePair {
  chosen: PreferenceSample;
  rejected: PreferenceSample;
  /** Neither was preferred: the pair pulls both rewards together instead of apart. */
  tie?: boolean;
  /** Who judged: 'you' in the app, or a scripted rule's name. */
  rater: string;
  /** When (ISO 8601). */
  at?: string;
}

export interface PreferenceSet {
  format: typeof PREFERENCES_FORMAT;
  version: typeof PREFERENCES_VERSION;
  kind: PreferenceKind;
  /** Images only: [height, width, channels] of every sample. */
  shape?: number[];
  pairs: PreferencePair[];
}

/** Limits that keep a pasted or imported file from exhausting memory. */
export const MAX_PAIRS = 100_000;
export const MAX_TEXT_LENGTH = 1000;
const MAX_IMAGE_VALUES = 256 * 256 * 4;
/** Images hold values in the data range the dataset nodes use. */
const IMAGE_RANGE: [number, number] = [-1, 1];

const TOP_FIELDS = new Set(['format', 'version', 'kind', 'shape', 'pairs']);
const PAIR_FIELDS = new Set(['chosen', 'rejected', 'tie', 'rater', 'at']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function refuseUnknown(obj: Record<string, unknown>, allowed: Set<string>, where: string): void {
  const extra = Object.keys(obj).filter((k) => !allowed.has(k));
  if (extra.length > 0)
    throw new Error(`${where}: unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} (allowed: ${[...allowed].join(', ')})`);
}

function checkShape(v: unknown): number[] {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((d) => Number.isInteger(d) && (d as number) >= 1))
    throw new Error(`shape: expected [height, width, channels] of positive integers for kind "image", got ${describe(v)}`);
  const size = (v as number[]).reduce((a, b) => a * b, 1);
  if (size > MAX_IMAGE_VALUES) throw new Error(`shape: ${v.join('×')} holds ${size} values, more than the ${MAX_IMAGE_VALUES} allowed`);
  return [...(v as number[])];
}

function checkSample(v: unknown, kind: PreferenceKind, shape: number[] | undefined, where: string): PreferenceSample {
  if (kind === 'text') {
    if (typeof v !== 'string') throw new Error(`${where}: expected a string for kind "text", got ${describe(v)}`);
    if (v.length > MAX_TEXT_LENGTH) throw new Error(`${where}: expected at most ${MAX_TEXT_LENGTH} characters, got ${v.length}`);
    return v;
  }
  const size = kind === 'points' ? 2 : shape!.reduce((a, b) => a * b, 1);
  const what = kind === 'points' ? 'a point [x, y]' : `an image of ${shape!.join('×')} = ${size} numbers`;
  if (!Array.isArray(v) || v.length !== size) throw new Error(`${where}: expected ${what} for kind "${kind}", got ${describe(v)}`);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${where}[${i}]: expected a finite number, got ${describe(x)}`);
    if (kind === 'image' && (x < IMAGE_RANGE[0] || x > IMAGE_RANGE[1]))
      throw new Error(`${where}[${i}]: expected a pixel in [${IMAGE_RANGE.join(', ')}], got ${x}`);
  }
  return [...(v as number[])];
}

function checkPair(v: unknown, kind: PreferenceKind, shape: number[] | undefined, i: number): PreferencePair {
  const where = `pairs[${i}]`;
  if (!isRecord(v)) throw new Error(`${where}: expected an object { chosen, rejected, rater }, got ${describe(v)}`);
  refuseUnknown(v, PAIR_FIELDS, where);
  const pair: PreferencePair = {
    chosen: checkSample(v.chosen, kind, shape, `${where}.chosen`),
    rejected: checkSample(v.rejected, kind, shape, `${where}.rejected`),
    rater: '',
  };
  if (typeof v.rater !== 'string' || v.rater.trim() === '' || v.rater.length > 128)
    throw new Error(`${where}.rater: expected a non-empty name of up to 128 characters ('you' or a rule), got ${describe(v.rater)}`);
  pair.rater = v.rater;
  if (v.tie !== undefined) {
    if (typeof v.tie !== 'boolean') throw new Error(`${where}.tie: expected true or false, got ${describe(v.tie)}`);
    pair.tie = v.tie;
  }
  if (v.at !== undefined) {
    if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at)))
      throw new Error(`${where}.at: expected an ISO 8601 date such as "2026-01-31T12:00:00Z", got ${describe(v.at)}`);
    pair.at = v.at;
  }
  return pair;
}

/** Checks a parsed JSON value and returns a clean copy; throws naming the first field at fault. */
export function parsePreferences(json: unknown): PreferenceSet {
  if (!isRecord(json)) throw new Error(`preferences: expected an object { format: "${PREFERENCES_FORMAT}", … }, got ${describe(json)}`);
  if (json.format !== PREFERENCES_FORMAT) throw new Error(`format: expected "${PREFERENCES_FORMAT}", got ${describe(json.format)}`);
  if (json.version !== PREFERENCES_VERSION) throw new Error(`version: expected ${PREFERENCES_VERSION}, got ${describe(json.version)}`);
  refuseUnknown(json, TOP_FIELDS, 'preferences');
  const kind = json.kind;
  if (typeof kind !== 'string' || !(PREFERENCE_KINDS as readonly string[]).includes(kind))
    throw new Error(`kind: expected one of ${PREFERENCE_KINDS.map((k) => `"${k}"`).join(', ')}, got ${describe(kind)}`);
  const k = kind as PreferenceKind;
  let shape: number[] | undefined;
  if (k === 'image') shape = checkShape(json.shape);
  else if (json.shape !== undefined) throw new Error(`shape: only kind "image" has a shape, got one for kind "${k}"`);
  if (!Array.isArray(json.pairs)) throw new Error(`pairs: expected an array of { chosen, rejected, rater }, got ${describe(json.pairs)}`);
  if (json.pairs.length > MAX_PAIRS) throw new Error(`pairs: expected at most ${MAX_PAIRS} pairs, got ${json.pairs.length}`);
  const pairs = json.pairs.map((p, i) => checkPair(p, k, shape, i));
  return shape ? { format: PREFERENCES_FORMAT, version: PREFERENCES_VERSION, kind: k, shape, pairs } : { format: PREFERENCES_FORMAT, version: PREFERENCES_VERSION, kind: k, pairs };
}

/** JSON text of a preference set, checked first so that what is written always parses back. */
export function serializePreferences(set: PreferenceSet): string {
  return JSON.stringify(parsePreferences(set));
}

/** An empty set of one kind (images need their shape). */
export function emptyPreferences(kind: PreferenceKind, shape?: number[]): PreferenceSet {
  return parsePreferences({ format: PREFERENCES_FORMAT, version: PREFERENCES_VERSION, kind, ...(shape ? { shape } : {}), pairs: [] });
}

/**
 * The pairs a pick-the-best choice implies: the best sample is preferred over each of the others
 * (best of four gives three pairs). Nothing is implied about the order of the others.
 */
export function pairsFromBest(samples: readonly PreferenceSample[], bestIndex: number, rater: string, at?: string): PreferencePair[] {
  if (samples.length < 2) throw new Error(`pairsFromBest: expected at least 2 samples to choose among, got ${samples.length}`);
  if (!Number.isInteger(bestIndex) || bestIndex < 0 || bestIndex >= samples.length)
    throw new Error(`pairsFromBest: bestIndex must be an integer in 0..${samples.length - 1}, got ${bestIndex}`);
  const best = samples[bestIndex];
  return samples
    .filter((_, i) => i !== bestIndex)
    .map((rejected) => ({ chosen: best, rejected, rater, ...(at ? { at } : {}) }));
}

/** The pair an A-versus-B choice implies; a tie keeps A as `chosen` and marks the pair. */
export function pairFromChoice(a: PreferenceSample, b: PreferenceSample, choice: 'a' | 'b' | 'tie', rater: string, at?: string): PreferencePair {
  const pair: PreferencePair = choice === 'b' ? { chosen: b, rejected: a, rater } : { chosen: a, rejected: b, rater };
  if (choice === 'tie') pair.tie = true;
  if (at) pair.at = at;
  return pair;
}
