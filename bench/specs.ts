// Per-example settings the bench needs beyond the graph: what to sample, and the PyTorch model.
import type { SampleRequest } from '../runtime/train/sample';
import type { CompiledRun } from './compiled';

export interface SampleTask {
  what: string;
  run(c: CompiledRun): Promise<void>;
}

/** A fixed amount of generation for each kind of model (smaller in quick mode). */
export function sampleTask(name: string, c: CompiledRun, quick: boolean): SampleTask {
  const plan = c.graph.sampling;
  const once = (req: SampleRequest) => async (r: CompiledRun) => void (await r.sample(req));
  if (plan?.features.includes('frames')) {
    if (plan.output === 'images') {
      const count = quick ? 8 : 64;
      const steps = quick ? 5 : 50;
      return { what: `${count} images, DDIM ${steps} steps`, run: once({ count, seed: 1, sampler: 'ddim', steps }) };
    }
    return { what: `1,000 points, ${name === 'ddpm-2d' ? 'DDPM 100 steps' : 'its sampler'}`, run: once({ count: 1000, seed: 1 }) };
  }
  if (!plan) {
    const batches = quick ? 2 : 16;
    return { what: `held-out loss, ${batches} batches`, run: async (r) => void r.evaluate(batches) };
  }
  if (plan.output === 'text') {
    const chars = quick ? 40 : 200;
    return {
      what: `${chars} characters`,
      async run(r) {
        // Line corpora stop each sample at its end token: draw samples until enough text.
        let total = 0;
        for (let seed = 1; total < chars; seed++) {
          const out = (await r.sample({ count: 1, seed, maxTokens: chars - total })) as { batch: { texts?: string[] } };
          total += (out.batch.texts?.[0]?.length ?? 0) + 1;
        }
      },
    };
  }
  return plan.output === 'points'
    ? { what: '1,000 points', run: once({ count: 1000, seed: 1 }) }
    : { what: '64 images', run: once({ count: 64, seed: 1 }) };
}

/** The PyTorch model of bench/torch/step.py for an example, or null when none is written. */
export function torchSpec(name: string, c: CompiledRun): Record<string, unknown> | null {
  const batch = c.graph.doc.training.batchSize;
  const base = { name, batch };
  switch (name) {
    case 'classifier-mnist':
    case 'gan-ring':
    case 'wgan-grid':
    case 'dcgan-mnist':
    case 'dcgan-large':
    case 'ddpm-2d':
    case 'ddpm-mnist':
      return { ...base, kind: name };
    case 'vae-mnist-2d':
      return { ...base, kind: 'vae-mnist', latent: 2 };
    case 'vae-mnist-16d':
      return { ...base, kind: 'vae-mnist', latent: 16 };
    case 'gpt-names':
    case 'gpt-moby-dick': {
      const vocab = c.data.tokenizer?.vocabSize;
      if (!vocab) return null;
      return { ...base, kind: 'gpt', vocab, T: name === 'gpt-names' ? 16 : 64, dim: 64, heads: 4, blocks: 2, lr: 0.003 };
    }
    default:
      return null;
  }
}
