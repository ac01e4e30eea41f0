// The slow tier: only the tests tagged 'learning' (training runs of over a minute), which
// `npm test` skips. Same settings as the unit tests in vite.config.ts otherwise.
import { defineConfig } from 'vitest/config';
import base from './vite.config.ts';

export default defineConfig({
  ...base,
  test: { ...base.test, include: ['tests/learning/**/*.test.ts'], tagsFilter: ['learning'] },
});
