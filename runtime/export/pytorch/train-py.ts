// train.py: the graph's objectives and sampler written out, with its settings, in a training loop that
// runs as one process (`python train.py`) or many (`torchrun`): DistributedSampler with set_epoch,
// DistributedDataParallel, rank 0 writing checkpoints and samples, destroy_process_group at the end.
import { pyFloat, py } from '../../../nodes/torch-exporter';
import type { Phase } from '../../compiler/plan';
import { joinHelpers, pyIdent } from './names';
import type { ModelPy } from './model-py';
import { phaseFunction, phaseFunctionName, phaseName, sampleFunction } from './objectives';
import { indent as indented } from './names';
import type { FeedbackTrain } from './feedback-py';
import { heldOutPy } from './held-out-py';
import type { GraphParts } from './parts';

/** How samples are written, per kind: images as one PNG grid, points as CSV, texts one a line. */
const SAVE_SAMPLES: Record<string, string> = {
  images: `def save_samples(samples, path):
    """An image grid as a PNG (no imaging library needed): samples (N, C, H, W) in [-1, 1]."""
    n, c, h, w = samples.shape
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    grid = torch.full((c, rows * h, cols * w), -1.0)
    for i, image in enumerate(samples.cpu()):
        grid[:, (i // cols) * h : (i // cols + 1) * h, (i % cols) * w : (i % cols + 1) * w] = image
    pixels = ((grid.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    pixels = pixels[0] if c == 1 else pixels.permute(1, 2, 0)
    raw = b"".join(b"\\x00" + bytes(row.flatten().tolist()) for row in pixels)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", cols * w, rows * h, 8, 0 if c == 1 else 2, 0, 0, 0)
    with open(path + ".png", "wb") as f:
        f.write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
`,
  points: `def save_samples(samples, path):
    """Points as CSV, one x,y a line."""
    with open(path + ".csv", "w") as f:
        f.writelines(f"{x:.6f},{y:.6f}\\n" for x, y in samples.cpu().tolist())
`,
  text: `def save_samples(samples, path):
    """Texts, one a line."""
    with open(path + ".txt", "w") as f:
        f.writelines(text + "\\n" for text in samples)
`,
};

const RUN = (feedback: boolean) => `class Run:
    """What the objectives read: the networks, the device, the batches and the step."""

    def __init__(self, nets, ddp, batches, device, batch):
        self.nets = nets  # the modules, by network name
        self.ddp = ddp  # the same, wrapped in DistributedDataParallel under torchrun
        self.batches = batches  # an endless iterator of batches per dataset node
        self.device = device
        self.batch = batch  # examples per process and step
        self.step = 0
        self.terms = {}  # what a loss averaged over, by objective, where not the batch's examples${feedback ? `
        self.pairs = preferences.pools()  # the preference pairs, by preferences node
        self.reference = None  # frozen copies of the networks being fine-tuned, made before the first round` : ''}

    def next_batch(self, node):
        return [t.to(self.device, non_blocking=True) for t in next(self.batches[node])]`;

const SETUP = `def setup():
    """Joins the process group when torchrun started this process: gloo on CPUs, nccl on GPUs."""
    cuda = torch.cuda.is_available()
    if "RANK" not in os.environ:
        return 0, 1, torch.device("cuda" if cuda else "cpu")
    dist.init_process_group("nccl" if cuda else "gloo")
    if cuda:
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
        return dist.get_rank(), dist.get_world_size(), torch.device("cuda", int(os.environ["LOCAL_RANK"]))
    return dist.get_rank(), dist.get_world_size(), torch.device("cpu")`;

const WEIGHT_DECAY_GROUPS = `def weight_decay_groups(params, weight_decay):
    """Weight matrices and filters decay; biases and norm scales do not (as Genloom and nanoGPT do)."""
    params = list(params)
    return [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay}, {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
`;

function optimizerFor(parts: GraphParts, phase: Phase): string {
  const nets = phase.networks.map((n) => `nets.${pyIdent(n)}.parameters()`);
  const params = nets.length === 1 ? nets[0] : `[${nets.map((p) => `*${p}`).join(', ')}]`;
  const { learningRate, beta1, beta2 } = phase.optimizer;
  const decay = parts.doc.training.weightDecay;
  const settings = `lr=${py(learningRate)}, betas=(${pyFloat(beta1)}, ${pyFloat(beta2)})`;
  if (decay > 0) return `torch.optim.AdamW(weight_decay_groups(${params}, ${pyFloat(decay)}), ${settings})`;
  return `torch.optim.Adam(${params}, ${settings})`;
}

function updateFunction(parts: GraphParts): string {
  const t = parts.doc.training;
  const lines = ['def update(optimizer, losses):', '    """One optimizer step on the sum of a phase\'s objectives."""', '    optimizer.zero_grad(set_to_none=True)', '    sum(losses.values()).backward()'];
  if (t.clipNorm > 0) lines.push(`    torch.nn.utils.clip_grad_norm_([p for g in optimizer.param_groups for p in g["params"]], ${pyFloat(t.clipNorm)})`);
  lines.push('    optimizer.step()');
  return lines.join('\n');
}

/**
 * The schedule shapes the base run's optimizers only: a feedback run's reward model and policy train
 * after it, where a decay has reached 0, so at their own constant rate (as Genloom trains them).
 */
function schedulerLine(parts: GraphParts): string {
  const base = parts.phases.flatMap((p, i) => (p.stage === 'base' ? [i] : []));
  if (base.length === parts.phases.length) return '    schedulers = [torch.optim.lr_scheduler.LambdaLR(o, lr_factor) for o in optimizers]';
  return `    schedulers = [torch.optim.lr_scheduler.LambdaLR(optimizers[i], lr_factor) for i in (${base.join(', ')},)]  # the base run's`;
}

/** The learning-rate factor at a step, when the graph's settings change it over time. */
function scheduleFunction(parts: GraphParts): string | null {
  const t = parts.doc.training;
  if (t.lrSchedule === 'constant' && t.warmupSteps === 0) return null;
  const lines = ['def lr_factor(step):', '    """The learning rate\'s factor at a step: a linear warm-up, then the graph\'s schedule."""'];
  if (t.warmupSteps > 0) lines.push(`    if step < ${t.warmupSteps}:`, `        return (step + 1) / ${t.warmupSteps}`);
  if (t.lrSchedule === 'constant') lines.push('    return 1.0');
  else {
    lines.push(`    progress = min(1.0, max(0.0, (step - ${t.warmupSteps}) / max(1, STEPS - ${t.warmupSteps})))`);
    lines.push(t.lrSchedule === 'linear' ? '    return 1 - progress' : '    return 0.5 * (1 + math.cos(math.pi * progress))');
  }
  return lines.join('\n');
}

/** The network whose moving average samples are drawn through (Genloom's "sample with EMA"). */
function emaNetwork(parts: GraphParts): string | null {
  if (!(parts.doc.training.ema > 0) || !parts.sampling) return null;
  const main = parts.phases.find((p) => p.name === 'main');
  const sampled = parts.networks.find((n) => n.role === 'generator' || n.role === 'decoder');
  return sampled && main?.networks.includes(sampled.name) ? sampled.name : null;
}

export function trainPy(parts: GraphParts, model: ModelPy, feedback: FeedbackTrain | null = null): string {
  const t = parts.doc.training;
  // Later stages (reward, policy) run in feedback rounds after the base training; see feedback-py.ts.
  const base = parts.phases.map((p, i) => ({ p, i })).filter(({ p }) => p.stage === 'base');
  const phases = parts.phases.map((p) => phaseFunction(parts, p));
  const sampler = sampleFunction(parts);
  const helpers = new Map<string, string>();
  for (const f of [...phases, ...(sampler ? [sampler] : [])]) for (const [k, v] of f.helpers) helpers.set(k, v);
  if (t.weightDecay > 0) helpers.set('weight_decay_groups', WEIGHT_DECAY_GROUPS);
  const schedule = scheduleFunction(parts);
  const ema = emaNetwork(parts);
  const dataNodes = [...parts.checked.nodes.entries()].filter(([, n]) => n.def.data && n.def.data(n.params)?.kind !== 'preferences').map(([id]) => id);
  const wrapped = parts.networks.filter((n) => parts.phases.some((p) => p.networks.includes(n.name)) && model.weights[n.name].length > 0);
  const hasBatchNorm = (name: string) => parts.networks.find((n) => n.name === name)!.nodeIds.some((id) => parts.checked.nodes.get(id)!.def.type === 'batchNorm');

  const ddpLines = parts.networks.map((n) => {
    const v = pyIdent(n.name);
    if (!wrapped.includes(n)) return `            ${v}=nets.${v},`;
    // A discriminator runs on real and generated data before one backward: DDP must not overwrite
    // its batch-norm statistics in between.
    const twice = n.group !== undefined && hasBatchNorm(n.name);
    return `            ${v}=DDP(nets.${v}, device_ids=ids${twice ? ', broadcast_buffers=False' : ''}),${twice ? '  # batch norm, two forwards (real, fake) per backward' : ''}`;
  });

  const heldOut = heldOutPy(parts, dataNodes);
  const loop: string[] = [];
  base.forEach(({ p, i }) => {
    const call = [`${phaseName(p)}_values = ${phaseFunctionName(p)}(run)`, `update(optimizers[${i}], ${phaseName(p)}_values)`];
    if (p.repeat > 1) loop.push(`        for _ in range(${p.repeat}):`, ...call.map((l) => `            ${l}`));
    else loop.push(...call.map((l) => `        ${l}`));
    if (ema && p.networks.includes(ema)) loop.push(`        ema_update(ema_nets.${pyIdent(ema)}, nets.${pyIdent(ema)}, ${pyFloat(t.ema)})`);
  });
  if (schedule) loop.push('        for s in schedulers:', '            s.step()');
  loop.push(`        losses = {${base.map(({ p }) => `**${phaseName(p)}_values`).join(', ')}}`);

  const sampleNets = ema ? 'ema_nets' : 'nets';
  const code = [
    `"""${parts.doc.name.replace(/"/g, "'")}, exported from Genloom.`,
    '',
    'Trains on one process with `python train.py`, or on several with',
    '`torchrun --standalone --nproc_per_node=2 train.py` (README.md has the commands).',
    '"""',
    'import argparse',
    '',
    'import torch',
    'import torch.distributed as dist',
    ...(/\bF\./.test(phases.map((f) => f.source).join() + (sampler?.source ?? '') + [...helpers.values()].join()) ? ['import torch.nn.functional as F'] : []),
    'from torch.nn.parallel import DistributedDataParallel as DDP',
    '',
    'import data',
    'import genloom_weights',
    ...(feedback ? ['import preferences'] : []),
    `from model import ${parts.networks.map((n) => model.classes[n.name].name).join(', ')}`,
    '',
    '# The graph\'s training settings.',
    `BATCH_SIZE = ${t.batchSize}  # examples per step, shared among the processes`,
    `STEPS = ${t.steps}`,
    `SEED = ${t.seed}`,
    ...(sampler ? [`SAMPLE_EVERY = ${t.sampleEvery}`] : []),
    ...(heldOut?.constants ?? []),
    ...(feedback?.constants ?? []),
    '',
    '',
    ...(helpers.size ? [joinHelpers(helpers), '', ''] : []),
    RUN(feedback !== null),
    '',
    '',
    phases.map((f) => f.source).join('\n\n\n'),
    ...(feedback ? ['', '', feedback.functions] : []),
    '',
    '',
    updateFunction(parts),
    ...(heldOut ? ['', '', heldOut.function] : []),
    '',
    '',
    ...(schedule ? [schedule, '', ''] : []),
    ...(ema
      ? [
          'def ema_update(average, model, decay):',
          '    """Moves the average weights a step towards the model\'s; batch-norm statistics stay live, as in Genloom."""',
          '    with torch.no_grad():',
          '        for a, p in zip(average.parameters(), model.parameters()):',
          '            a.mul_(decay).add_(p, alpha=1 - decay)',
          '        for a, b in zip(average.buffers(), model.buffers()):',
          '            a.copy_(b)',
          '',
          '',
        ]
      : []),
    ...(sampler ? [sampler.source, '', '', SAVE_SAMPLES[parts.sampling!.output], ''] : []),
    SETUP,
    '',
    '',
    'def parse_args():',
    '    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)',
    '    parser.add_argument("--steps", type=int, default=STEPS, help="training steps (default: the graph\'s)")',
    '    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="examples per step over all processes")',
    '    parser.add_argument("--seed", type=int, default=SEED)',
    '    parser.add_argument("--out", default="out", help="folder for the checkpoint, the weights, the losses and samples")',
    '    parser.add_argument("--log-every", type=int, default=10, help="steps between loss lines")',
    '    parser.add_argument("--init", help="start from a Genloom weights.json (exported from the app or the CLI)")',
    '    parser.add_argument("--resume", help="continue from a checkpoint.pt this script wrote")',
    ...(feedback?.args ?? []),
    '    return parser.parse_args()',
    '',
    '',
    'def main():',
    '    args = parse_args()',
    '    rank, world, device = setup()',
    '    if args.batch_size % world:',
    '        raise SystemExit(f"--batch-size {args.batch_size} does not split evenly among {world} processes")',
    '    torch.manual_seed(args.seed)  # every process builds the same initial weights',
    `    nets = types.SimpleNamespace(${parts.networks.map((n) => `${pyIdent(n.name)}=${model.classes[n.name].name}().to(device)`).join(', ')})`,
    '    if args.init:',
    '        genloom_weights.load(args.init, vars(nets))',
    ...(ema
      ? [
          '    ema_nets = types.SimpleNamespace(**vars(nets))',
          `    ema_nets.${pyIdent(ema)} = copy.deepcopy(nets.${pyIdent(ema)})`,
          '    if args.init:',
          `        genloom_weights.load_averages(args.init, {${JSON.stringify(ema)}: ema_nets.${pyIdent(ema)}})`,
        ]
      : []),
    '    if "RANK" in os.environ:',
    '        ids = [device.index] if device.type == "cuda" else None',
    '        ddp = types.SimpleNamespace(',
    ...ddpLines,
    '        )',
    '    else:',
    '        ddp = nets',
    ...(parts.phases.length === 1
      ? [`    optimizers = [${optimizerFor(parts, parts.phases[0])}]`]
      : ['    optimizers = [', ...parts.phases.map((p) => `        ${optimizerFor(parts, p)},  # ${phaseName(p)}`), '    ]']),
    ...(schedule ? [schedulerLine(parts)] : []),
    '    start = 0',
    '    if args.resume:',
    '        saved = torch.load(args.resume, map_location=device)',
    '        for name, module in vars(nets).items():',
    '            module.load_state_dict(saved["networks"][name])',
    '        for o, state in zip(optimizers, saved["optimizers"]):',
    '            o.load_state_dict(state)',
    ...(schedule ? ['        for s in schedulers:', '            s.last_epoch = saved["step"]'] : []),
    // A checkpoint from before it kept the average restarts it from the resumed weights.
    ...(ema ? [`        ema_nets.${pyIdent(ema)}.load_state_dict(saved["averages"][${JSON.stringify(ema)}] if "averages" in saved else nets.${pyIdent(ema)}.state_dict())`] : []),
    '        start = saved["step"]',
    '    # Noise, dropout and batch order differ between processes and between resumed runs.',
    '    torch.manual_seed(args.seed + 1000 * rank + start)',
    '    per_process = args.batch_size // world',
    '    batches = {',
    ...dataNodes.map((id) => `        ${JSON.stringify(id)}: data.endless(data.load(${JSON.stringify(id)}, "train"), per_process, rank, world, args.seed),`),
    '    }',
    '    run = Run(nets, ddp, batches, device, per_process)',
    '    os.makedirs(os.path.join(args.out, "samples"), exist_ok=True)',
    ...indented(heldOut?.setup ?? []),
    '    log = open(os.path.join(args.out, "losses.csv"), "a" if args.resume else "w", newline="") if rank == 0 else None',
    `    keys = [${base.flatMap(({ p }) => p.objectives.map((o) => JSON.stringify(o.key))).join(', ')}]`,
    '    if log and not args.resume:',
    '        csv.writer(log).writerow(["step", *keys])',
    '    started = time.perf_counter()',
    '    for step in range(start, args.steps):',
    '        run.step = step',
    ...loop,
    '        if (step + 1) % args.log_every == 0 or step + 1 == args.steps:',
    '            values = torch.stack([losses[k].detach() for k in keys])',
    '            if world > 1:',
    '                dist.all_reduce(values)',
    '                values /= world',
    '            if log:',
    '                csv.writer(log).writerow([step + 1, *[f"{v:.6g}" for v in values.tolist()]])',
    '                log.flush()',
    '                print(f"step {step + 1}  " + "  ".join(f"{k} {v:.4f}" for k, v in zip(keys, values.tolist())), flush=True)',
    ...indented(heldOut?.step ?? [], 2),
    ...(sampler
      ? [
          '        if rank == 0 and SAMPLE_EVERY and (step + 1) % SAMPLE_EVERY == 0:',
          `            write_samples(run, ${sampleNets}, os.path.join(args.out, "samples", f"step-{step + 1:06d}"))`,
        ]
      : []),
    '    if rank == 0 and args.steps > start:',
    '        seconds = time.perf_counter() - started',
    '        print(f"trained {args.steps - start} steps in {seconds:.1f} s ({(args.steps - start) / seconds:.2f} steps/s on {world} process{\'es\' if world > 1 else \'\'})", flush=True)',
    ...(feedback ? indented(feedback.rounds) : []),
    '    if rank == 0:',
    '        torch.save(',
    `            {"step": args.steps, "networks": {k: m.state_dict() for k, m in vars(nets).items()}, "optimizers": [o.state_dict() for o in optimizers]${ema ? `, "averages": {${JSON.stringify(ema)}: ema_nets.${pyIdent(ema)}.state_dict()}` : ''}},`,
    '            os.path.join(args.out, "checkpoint.pt"),',
    '        )',
    `        genloom_weights.save(os.path.join(args.out, "weights.json"), vars(nets), args.steps${ema ? `, averages={${JSON.stringify(ema)}: ema_nets.${pyIdent(ema)}}` : ''})`,
    ...(sampler ? [`        write_samples(run, ${sampleNets}, os.path.join(args.out, "samples", "final"))`] : []),
    '        print(f"wrote {args.out}/checkpoint.pt and {args.out}/weights.json (opens in Genloom: Import weights, or npm run train -- --init-weights)")',
    '    if world > 1:',
    '        # Each process reports a checksum of its weights: equal on every rank when DDP kept them in step.',
    '        checksum = sum(p.double().sum().item() for m in vars(nets).values() for p in m.parameters())',
    '        print(f"rank {rank} parameter checksum {checksum:.10e}", flush=True)',
    '    if "RANK" in os.environ:',
    '        # The ranks leave together: rank 0 writes its files and samples alone, and a gloo rank that tears',
    '        # down while its peer is still busy was seen left polling the closed connection after the peer exited.',
    '        dist.barrier()',
    '        dist.destroy_process_group()',
    '        # DDP\'s reducer still holds the gloo group; destroying it at interpreter exit joins gloo threads that',
    '        # can wait forever on a peer that has already gone (seen: ~ProcessGroupGloo < ~Reducer at exit).',
    '        # Every file is on disk by now (the logs flush each row), so leave without running destructors.',
    '        sys.stdout.flush()',
    '        sys.stderr.flush()',
    '        os._exit(0)',
    '',
    '',
    ...(sampler
      ? [
          'def write_samples(run, nets, path):',
          '    """Samples drawn in inference mode (batch norm on its running averages, no dropout)."""',
          '    for m in vars(nets).values():',
          '        m.eval()',
          '    save_samples(sample(run, nets, 64), path)',
          '    for m in vars(nets).values():',
          '        m.train()',
          '',
          '',
        ]
      : []),
    'if __name__ == "__main__":',
    '    main()',
    '',
  ];
  const body = code.join('\n');
  // Only the modules the code uses are imported.
  const used = (m: string) => new RegExp(`\\b${m}\\.`).test(body);
  return body.replace('import argparse\n', ['argparse', 'copy', 'csv', 'itertools', 'math', 'os', 'struct', 'sys', 'time', 'types', 'zlib'].filter((m) => m === 'argparse' || used(m)).map((m) => `import ${m}\n`).join(''));
}
