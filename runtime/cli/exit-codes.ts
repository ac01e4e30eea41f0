// The CLI's exit codes, one per way a run can end; the README's CLI section lists them.
export const EXIT = {
  /** Trained and wrote every output. */
  ok: 0,
  /** The graph or a file it needs cannot be read, loaded or compiled; nothing was trained. */
  graph: 1,
  /** The command line is wrong (an option, a value out of range, an output folder that cannot be written). */
  usage: 2,
  /** Training diverged (a loss or gradient became NaN or infinite); the last good step's outputs were written. */
  diverged: 3,
  /** The graph needs more memory than the budget (--memory-budget); nothing was allocated. */
  memory: 4,
  /** Trained and wrote the weights, but samples or plots could not be written. */
  writeFailed: 5,
  /** Ctrl-C: what had been trained was written. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
