// `npm run train -- <graph.json> [options]`: trains a graph headless in Node. Exit codes: 0 done,
// 1 the graph or a file is at fault, 2 the command line is.
import { parseArgs, USAGE } from './args';

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
  try {
    await runTrain(parsed.args, { stdout: process.stdout, stderr: process.stderr });
    return 0;
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
