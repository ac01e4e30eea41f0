// When to read a checkpoint back from the worker, and which worker failures mean it is gone.

/** A checkpoint at most this often while training: reading weights back costs a transfer. */
export const CHECKPOINT_EVERY_MS = 30_000;

export function checkpointDue(lastAt: number, now: number): boolean {
  return now - lastAt >= CHECKPOINT_EVERY_MS;
}

/**
 * Errors after which the worker's WebAssembly memory or tfjs state cannot be trusted: an abort,
 * memory exhausted, or the worker no longer answering.
 */
const FATAL = [/memory access out of bounds/i, /out of memory/i, /\babort(ed)?\b/i, /RuntimeError/, /unreachable/i, /Array buffer allocation failed/i, /Invalid typed array length/i];

export function isFatalWorkerError(message: string): boolean {
  return FATAL.some((r) => r.test(message));
}
