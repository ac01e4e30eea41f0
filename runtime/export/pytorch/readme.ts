// The exported project's README.md and requirements.txt.
import type { GraphParts } from './parts';

export const REQUIREMENTS = 'torch>=1.13\nnumpy\n';

export function readme(parts: GraphParts, withWeights: boolean): string {
  const { doc } = parts;
  const t = doc.training;
  const sampled = parts.sampling ? `, samples in \`out/samples/\` every ${t.sampleEvery} steps` : '';
  return `# ${doc.name}

${doc.description ?? ''}

Exported from Genloom as a plain PyTorch project: \`model.py\` holds the networks (${parts.networks.map((n) => n.name).join(', ')}), \`train.py\`
the objectives and the training loop with the graph's settings (batch ${t.batchSize}, ${t.steps} steps, seed ${t.seed}), \`data.py\`
the datasets, read from \`data/\` (nothing is downloaded), and \`genloom_weights.py\` Genloom's weights format.

## Install

\`\`\`sh
pip install -r requirements.txt     # or on Debian/Ubuntu: apt-get install python3-torch
\`\`\`

## Train

\`\`\`sh
python train.py --steps 200                                        # one process
torchrun --standalone --nproc_per_node=2 train.py --steps 200      # two processes on this machine
\`\`\`

With several processes each takes its share of every batch (\`--batch-size\` is the total, ${t.batchSize} by default) and
DistributedDataParallel averages the gradients, so the run follows the same steps as one process would. On CPUs the
processes talk over gloo; on GPUs over nccl, one GPU a process. Debian bookworm's PyTorch 1.13 under Python 3.11 needs
\`--redirects 2 --tee 2\` after \`torchrun\` (its defaults for them fail to parse).

On several machines, start the same command on each, naming the machine that coordinates (its address and a free port):

\`\`\`sh
# on each of 2 machines with 4 GPUs each
torchrun --nnodes=2 --nproc_per_node=4 --rdzv_id=run1 --rdzv_backend=c10d --rdzv_endpoint=HOST:29400 train.py
\`\`\`

Each run writes \`out/losses.csv\`${sampled}, and at the end \`out/checkpoint.pt\` (continue with
\`--resume out/checkpoint.pt\`) and \`out/weights.json\`.${withWeights ? ' It starts from the weights exported with the project, `init-weights.json`.' : ''}

## Back to Genloom

\`out/weights.json\` is a Genloom weights file: open the graph in Genloom and load it with **Import weights** in the
training panel, or continue in Node with \`npm run train -- graph.json --init-weights out/weights.json\`.
Weights exported from Genloom load here with \`python train.py --init weights.json\`.
`;
}
