// train.py's held-out evaluation: every `evalEvery` steps (the graph's setting) the base objectives
// are computed on the test split, networks in inference mode, averaged over a few batches and over
// the processes; rank 0 prints them and writes held-out.csv. As Genloom's, objectives that declare
// `heldOut: false` (a fine-tune measured against its own samples) are left out.
import type { GraphParts } from './parts';
import { phaseFunctionName } from './objectives';

/** Batches averaged per evaluation, as Genloom's trainer. */
const EVAL_BATCHES = 4;

export interface HeldOut {
  constants: string[];
  function: string;
  /** main()'s statements before the loop (indented for main). */
  setup: string[];
  /** The loop's statements after a step (indented for the loop body). */
  step: string[];
}

export function heldOutPy(parts: GraphParts, dataNodes: string[]): HeldOut | null {
  const every = parts.doc.training.evalEvery;
  const base = parts.phases.filter((p) => p.stage === 'base');
  const keys = base.flatMap((p) => p.objectives.filter((o) => o.def.heldOut !== false).map((o) => JSON.stringify(o.key)));
  if (!(every > 0) || keys.length === 0) return null;
  const fn = [
    'def held_out_losses(run, world):',
    `    """The base objectives on EVAL_BATCHES held-out batches per process, in inference mode (no dropout, batch norm's running averages)."""`,
    '    for m in vars(run.nets).values():',
    '        m.eval()',
    '    total = torch.zeros(len(HELD_OUT_KEYS))',
    '    for _ in range(EVAL_BATCHES):',
    // A gradient penalty differentiates the critic, so gradients stay on; the values are detached.
    `        losses = ${base.length === 1 ? `${phaseFunctionName(base[0])}(run)` : `{${base.map((p) => `**${phaseFunctionName(p)}(run)`).join(', ')}}`}`,
    '        total += torch.stack([losses[k].detach().cpu() for k in HELD_OUT_KEYS])',
    '    for m in vars(run.nets).values():',
    '        m.train()',
    '    if world > 1:',
    '        dist.all_reduce(total)',
    '    return (total / (EVAL_BATCHES * world)).tolist()',
  ].join('\n');
  return {
    constants: [`EVAL_EVERY = ${every}  # steps between held-out losses`, `EVAL_BATCHES = ${EVAL_BATCHES}`, `HELD_OUT_KEYS = [${keys.join(', ')}]`],
    function: fn,
    setup: [
      '# The same objectives on the test split, through the plain modules (no DDP: nothing is trained there).',
      'held_out = Run(nets, nets, {',
      ...dataNodes.map((id) => `    ${JSON.stringify(id)}: data.endless(data.load(${JSON.stringify(id)}, "test"), per_process, rank, world, args.seed),`),
      '}, device, per_process)',
      'held_out_log = open(os.path.join(args.out, "held-out.csv"), "a" if args.resume else "w", newline="") if rank == 0 else None',
      'if held_out_log and not args.resume:',
      '    csv.writer(held_out_log).writerow(["step", *HELD_OUT_KEYS])',
    ],
    step: [
      'if (step + 1) % EVAL_EVERY == 0 or step + 1 == args.steps:',
      '    held_out.step = step  # a warm-up (the KL weight\'s) reads the step',
      '    values = held_out_losses(held_out, world)',
      '    if held_out_log:',
      '        csv.writer(held_out_log).writerow([step + 1, *[f"{v:.6g}" for v in values]])',
      '        held_out_log.flush()',
      '        print(f"step {step + 1}  held out  " + "  ".join(f"{k} {v:.4f}" for k, v in zip(HELD_OUT_KEYS, values)), flush=True)',
    ],
  };
}
