// Generating from a trained graph, following its sampling plan.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher, NoiseSchedule } from '../../nodes/types';
import type { CompiledGraph } from '../compiler/compile';
import { refKey } from '../compiler/partition';
import { labelOverride } from './conditional';
import { sampleReverse } from './diffusion-sampler';
import { Evaluator } from './evaluator';
import type { SampleBatch } from './events';
import { sampleText, type TextTokenizer } from './text-sampler';

export interface SampleRequest {
  count: number;
  seed: number;
  /** Diffusion: override the schedule node's sampler and step count. */
  sampler?: 'ddpm' | 'ddim';
  steps?: number;
  /** Diffusion: keep every k-th intermediate x_t (0: none). */
  frameEvery?: number;
  /** Conditional GAN: the class of each sample (default: one row of the sample grid per class). */
  classes?: number[];
  /** Text. */
  prompt?: string;
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  onText?: (index: number, text: string) => void;
}

export interface SampleEnv {
  graph: CompiledGraph;
  data: DataBatcher;
  realPoints?: Float32Array;
  tokenizer?: TextTokenizer;
  /** Text made of lines (names): every sample starts after and stops at the end token. */
  textLines?: boolean;
  step: number;
}

/** A tensor of samples → the batch the UI and CLI draw. */
export function toBatch(x: tf.Tensor, realPoints?: Float32Array): SampleBatch {
  const data = x.dataSync() as Float32Array;
  if (x.rank === 4) {
    const [count, height, width, channels] = x.shape;
    return { kind: 'images', count, height, width, channels, data: Float32Array.from(data) };
  }
  return { kind: 'points', count: x.shape[0], data: Float32Array.from(data), real: realPoints ?? new Float32Array() };
}

function evaluator(env: SampleEnv, count: number, seed: number, overrides?: Map<string, tf.Tensor>): Evaluator {
  return new Evaluator(env.graph, { mode: 'sample', batchSize: count, step: env.step, data: env.data, salt: 7, seed, overrides });
}

/** Half again the data's extent: predicted x0 outside it is error, not signal. */
function pointRange(real?: Float32Array): number {
  let m = 0;
  for (const v of real ?? []) m = Math.max(m, Math.abs(v));
  return m > 0 ? 1.5 * m : 4;
}

export async function generate(env: SampleEnv, req: SampleRequest): Promise<{ batch: SampleBatch; frames?: SampleBatch[] }> {
  const plan = env.graph.sampling;
  switch (plan.kind) {
    case 'generator':
    case 'prior': {
      const label = plan.kind === 'generator' ? labelOverride(env.graph, req.count, req.classes) : null;
      const overrides = label ? new Map([[label.key, label.value]]) : undefined;
      const x = tf.tidy(() => evaluator(env, req.count, req.seed, overrides).tensor(plan.target));
      label?.value.dispose();
      const batch = toBatch(x, env.realPoints);
      x.dispose();
      return { batch };
    }
    case 'diffusion': {
      // A schedule is plain data: computing it allocates no tensors.
      const schedule = evaluator(env, 1, req.seed).value(plan.schedule) as NoiseSchedule;
      const shape = [req.count, ...(plan.shape.slice(1) as number[])];
      const denoise = (xt: tf.Tensor, t: tf.Tensor) => {
        const overrides = new Map([
          [refKey({ node: plan.addNoise, port: 'xt' }), xt],
          [refKey({ node: plan.addNoise, port: 't' }), t],
        ]);
        const ev = new Evaluator(env.graph, { mode: 'sample', batchSize: req.count, step: env.step, data: env.data, salt: 9, seed: req.seed, overrides });
        return ev.tensor(plan.epsHat);
      };
      const xT = tf.randomNormal(shape, 0, 1, 'float32', req.seed);
      const images = shape.length === 4;
      const { x0, frames } = sampleReverse(denoise, schedule, xT, {
        sampler: req.sampler,
        steps: req.steps,
        clipX0: images ? true : pointRange(env.realPoints),
        seed: req.seed,
        frameEvery: req.frameEvery ?? 0,
      });
      xT.dispose();
      const batch = toBatch(x0, env.realPoints);
      x0.dispose();
      const frameBatches = frames.map((f) => {
        const t = tf.tensor(f.data, shape);
        const b = toBatch(t, env.realPoints);
        t.dispose();
        return b;
      });
      return { batch, frames: frameBatches };
    }
    case 'language': {
      if (!env.tokenizer) throw new Error('this language model has no tokenizer: its text dataset did not load');
      const texts: string[] = [];
      const tokens = refKey({ node: plan.text, port: 'tokens' });
      for (let i = 0; i < req.count; i++) {
        let so = '';
        const out = await sampleText({
          logitsFn: (ids) => {
            const ev = new Evaluator(env.graph, {
              mode: 'sample', batchSize: 1, step: env.step, data: env.data, salt: 11, seed: req.seed,
              overrides: new Map([[tokens, ids]]),
            });
            return ev.tensor(plan.logits);
          },
          tokenizer: env.tokenizer,
          contextLength: plan.contextLength,
          prompt: req.prompt ?? (env.textLines ? '' : 'The '),
          primeWithEnd: env.textLines ?? true,
          stopAtEnd: env.textLines ?? true,
          maxTokens: req.maxTokens ?? 40,
          temperature: req.temperature ?? 1,
          topK: req.topK ?? 0,
          seed: req.seed + i,
          onToken: (t) => {
            so += t;
            req.onText?.(i, so);
          },
        });
        texts.push(out.text);
      }
      return { batch: { kind: 'text', texts } };
    }
    default:
      throw new Error('this graph has nothing to sample from: it needs a generator, a VAE decoder, a denoiser or a language model');
  }
}
