// Scripted raters: rules with a known true reward r*, so the whole feedback loop runs headless and
// in tests. A rater prefers A over B with probability σ((r*(A) − r*(B)) / τ): τ → 0 always picks the
// higher reward (equal rewards are a tie), a larger τ makes a noisier human.
import { Rng } from '../rng';
import type { PreferenceKind, PreferencePair, PreferenceSample } from './preferences';

/** What a rule may need besides the sample (which letter, which digit, which point). */
export interface RuleSettings {
  letter: string;
  digit: number;
  point: [number, number];
}

/** Judges beyond plain arithmetic, supplied by the runtime (nodes/ cannot load the fixed classifier). */
export interface RaterEnv {
  /** The fixed MNIST classifier: P(digit) of each image (count × h × w × c values in [-1, 1]). */
  digitProbability?(images: Float32Array, count: number, shape: number[], digit: number): Float32Array;
}

export interface RaterRule {
  name: string;
  kind: PreferenceKind;
  doc: string;
  /** r*(sample) for each sample. */
  reward(samples: readonly PreferenceSample[], settings: RuleSettings, env: RaterEnv, shape?: number[]): number[];
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

function texts(samples: readonly PreferenceSample[], rule: string): string[] {
  return samples.map((s, i) => {
    if (typeof s !== 'string') throw new Error(`rater "${rule}": sample ${i} is not text`);
    return s;
  });
}

function arrays(samples: readonly PreferenceSample[], rule: string, size: number): number[][] {
  return samples.map((s, i) => {
    if (typeof s === 'string' || s.length !== size) throw new Error(`rater "${rule}": sample ${i} is not ${size} numbers`);
    return s;
  });
}

/** Pixels brighter than the middle of [-1, 1] count as ink. */
const INK = 0;

export const RATER_RULES: readonly RaterRule[] = [
  {
    name: 'starts-with-vowel', kind: 'text', doc: 'Names that start with a vowel (a, e, i, o, u, y) score 1, others 0.',
    reward: (s) => texts(s, 'starts-with-vowel').map((t) => (VOWELS.has(t.charAt(0).toLowerCase()) ? 1 : 0)),
  },
  {
    name: 'ends-in-a', kind: 'text', doc: 'Names that end in "a" score 1, others 0.',
    reward: (s) => texts(s, 'ends-in-a').map((t) => (t.toLowerCase().endsWith('a') ? 1 : 0)),
  },
  {
    name: 'length', kind: 'text', doc: 'Longer names score higher: the reward is the number of characters.',
    reward: (s) => texts(s, 'length').map((t) => [...t].length),
  },
  {
    name: 'contains-letter', kind: 'text', doc: 'Names that contain the chosen letter score 1, others 0.',
    reward: (s, o) => texts(s, 'contains-letter').map((t) => (t.toLowerCase().includes(o.letter.toLowerCase()) ? 1 : 0)),
  },
  {
    name: 'digit-probability', kind: 'image', doc: "The fixed MNIST classifier's probability that the image is the chosen digit.",
    reward(s, o, env, shape) {
      if (!shape) throw new Error('rater "digit-probability": images need their shape');
      if (!env.digitProbability) throw new Error('rater "digit-probability": the fixed MNIST classifier is not available here');
      const size = shape.reduce((a, b) => a * b, 1);
      const flat = new Float32Array(s.length * size);
      arrays(s, 'digit-probability', size).forEach((a, i) => flat.set(a, i * size));
      return Array.from(env.digitProbability(flat, s.length, shape, o.digit));
    },
  },
  {
    name: 'stroke-thickness', kind: 'image', doc: 'Thicker strokes score higher: the share of pixels brighter than mid-grey.',
    reward(s, _o, _env, shape) {
      if (!shape) throw new Error('rater "stroke-thickness": images need their shape');
      const size = shape.reduce((a, b) => a * b, 1);
      return arrays(s, 'stroke-thickness', size).map((a) => a.filter((v) => v > INK).length / size);
    },
  },
  {
    name: 'x-coordinate', kind: 'points', doc: 'Points further right score higher: the reward is x.',
    reward: (s) => arrays(s, 'x-coordinate', 2).map((p) => p[0]),
  },
  {
    name: 'distance-to-point', kind: 'points', doc: 'Points closer to the chosen point score higher: the reward is minus the distance.',
    reward: (s, o) => arrays(s, 'distance-to-point', 2).map((p) => -Math.hypot(p[0] - o.point[0], p[1] - o.point[1])),
  },
];

export const RATER_NAMES: readonly string[] = RATER_RULES.map((r) => r.name);

export function raterRule(name: string): RaterRule {
  const rule = RATER_RULES.find((r) => r.name === name);
  if (!rule) throw new Error(`no rater rule "${name}" (rules: ${RATER_NAMES.join(', ')})`);
  return rule;
}

/** Below this τ a rater is deterministic: σ(Δ/τ) would round to 0 or 1 anyway. */
export const DETERMINISTIC_TAU = 1e-6;

/** P(A ≻ B) = σ((rA − rB) / τ); at τ → 0 a step function, ½ for equal rewards. */
export function preferenceProbability(rA: number, rB: number, tau: number): number {
  if (!(tau >= 0)) throw new Error(`rater τ must be ≥ 0, got ${tau}`);
  const d = rA - rB;
  if (tau < DETERMINISTIC_TAU) return d > 0 ? 1 : d < 0 ? 0 : 0.5;
  return 1 / (1 + Math.exp(-d / tau));
}

export interface RateOptions {
  rule: string;
  tau: number;
  settings: RuleSettings;
  env?: RaterEnv;
  /** Images: [h, w, c]. */
  shape?: number[];
  seed: number;
}

/**
 * Rates consecutive pairs (samples 0 and 1, 2 and 3, …) as a scripted rater would. At τ → 0 equal
 * rewards give a tie; otherwise the draw is seeded, so the same samples and seed give the same pairs.
 */
export function ratePairs(samples: readonly PreferenceSample[], opts: RateOptions): PreferencePair[] {
  const rule = raterRule(opts.rule);
  const r = rule.reward(samples, opts.settings, opts.env ?? {}, opts.shape);
  const rng = new Rng(opts.seed);
  const pairs: PreferencePair[] = [];
  for (let i = 0; i + 1 < samples.length; i += 2) {
    const p = preferenceProbability(r[i], r[i + 1], opts.tau);
    const a = samples[i];
    const b = samples[i + 1];
    if (opts.tau < DETERMINISTIC_TAU && p === 0.5) {
      pairs.push({ chosen: a, rejected: b, tie: true, rater: rule.name });
      continue;
    }
    const aWins = rng.next() < p;
    pairs.push(aWins ? { chosen: a, rejected: b, rater: rule.name } : { chosen: b, rejected: a, rater: rule.name });
  }
  return pairs;
}
