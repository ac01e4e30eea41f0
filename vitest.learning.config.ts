// The slow tier: the training runs of over a minute (*.long.test.ts), which `npm test` skips.
// Otherwise the unit tests' settings (vite.config.ts), with room for a loaded machine: the ring GAN's
// 3000 steps took 28 minutes at load 15–18 (1.8 steps/s; the bench measures 36 on a quiet one). Vitest
// cannot interrupt a synchronous tfjs step, so a timeout only reports, it never saves time.
import { defineConfig } from 'vitest/config';
import base, { LONG_TESTS } from './vite.config.ts';

export default defineConfig({
  ...base,
  // Two files at a time, as the unit tier (vite.config.ts): the exported projects' torchrun tests spend
  // most of their time starting Python, so they share the 2 cores well with a tfjs run (7.8 minutes for
  // the tier against 11.3 one at a time).
  test: { ...base.test, include: [LONG_TESTS], exclude: ['node_modules/**'], testTimeout: 3_600_000, hookTimeout: 3_600_000 },
});
