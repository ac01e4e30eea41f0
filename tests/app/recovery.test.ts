// Which worker failures mean the worker is gone (restart it, offer the checkpoint), and which are
// ordinary errors the panel just shows.
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_EVERY_MS, checkpointDue, isFatalWorkerError } from '../../app/training/recovery';

describe('worker recovery', () => {
  it('treats WebAssembly aborts and exhausted memory as fatal', () => {
    for (const m of ['RuntimeError: memory access out of bounds', 'Aborted(OOM)', 'RangeError: Array buffer allocation failed', 'RangeError: Invalid typed array length: 4000000000', 'RuntimeError: unreachable']) {
      expect(isFatalWorkerError(m), m).toBe(true);
    }
  });

  it('leaves graph and data errors to the panel', () => {
    for (const m of ['the graph does not compile', 'conv2d "c1" expects input [batch, h, w, c], got [batch, 784]', 'unknown characters "é"', 'training stopped at step 3: no data']) {
      expect(isFatalWorkerError(m), m).toBe(false);
    }
  });

  it('checkpoints at most every 30 s', () => {
    expect(checkpointDue(0, CHECKPOINT_EVERY_MS - 1)).toBe(false);
    expect(checkpointDue(0, CHECKPOINT_EVERY_MS)).toBe(true);
  });
});
