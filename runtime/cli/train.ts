// `npm run train -- <graph.json> [options]`: trains a graph headless in Node. Exit codes are in
// exit-codes.ts (and the README).
import { parseArgs, USAGE } from './args';
import { EXIT } from './exit-codes';

const SAME_PRESS_MS = 500;

/** Ctrl-C presses, counted from the start: the run decides what each one stops; the third quits. */
function sigintCounter(stderr: NodeJS.WriteStream) {
  const listeners = new Set<() => void>();
  const state = {
    count: 0,
    subscribe(l: () => void) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
  let last = -Infinity;
  process.on('SIGINT', () => {
    // One Ctrl-C can arrive more than once: the terminal signals the whole process group, and
    // launchers (npm, tsx) relay it to their child as well.
    const now = performance.now();
    if (now - last < SAME_PRESS_MS) return;
    last = now;
    state.count++;
    if (state.count >= 3) {
      stderr.write('\ninterrupted three times: quitting; files already written are complete\n');
      process.exit(EXIT.interrupted);
    }
    if (state.count === 2) stderr.write('\ninterrupted again: skipping what is not yet written (Ctrl-C once more quits)\n');
    listeners.forEach((l) => l());
  });
  return state;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if ('errors' in parsed) {
    process.stderr.write(parsed.errors.map((e) => `error: ${e}`).join('\n') + '\n\n' + USAGE + '\n');
    return 2;
  }
  // tfjs loads only once the arguments are known good, so --help and mistakes answer at once.
  const { CliError, runTrain } = await import('./run');
  const interrupts = sigintCounter(process.stderr);
  try {
    const { exitCode } = await runTrain(parsed.args, { stdout: process.stdout, stderr: process.stderr, interrupts });
    return exitCode;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(e.lines.join('\n') + '\n');
      return e.exitCode;
    }
    // Anything else is still reported as one line: a stack trace helps no one running a graph.
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.GENLOOM_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return 1;
  }
}

// An explicit exit: threaded wasm's worker pool would otherwise keep the process alive.
process.exit(await main(process.argv.slice(2)));
