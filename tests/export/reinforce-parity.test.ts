// The exported REINFORCE advantages equal Genloom's on the same log-probabilities, masks and rewards:
// the leave-one-out baseline, the division by the rewards' spread and the KL summed to the end of
// each name. Runs Debian's python3-torch; without it (outside CI) the test is skipped with a message.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reinforceAdvantages } from '../../nodes/feedback/reinforce';
import { REINFORCE_ADVANTAGES } from '../../nodes/feedback/reinforce.torch';
import { Rng } from '../../nodes/rng';
import { hasTorch, PYTHON } from './harness';

interface Case {
  name: string;
  logp: number[];
  refLogp: number[];
  mask: number[];
  reward: number[];
  T: number;
  beta: number;
}

/** Names of different lengths (a mask of 1s then 0s per row), random log-probabilities. */
function makeCase(name: string, B: number, T: number, rewards: number[] | null, seed: number): Case {
  const rng = new Rng(seed);
  const logp: number[] = [];
  const refLogp: number[] = [];
  const mask: number[] = [];
  for (let i = 0; i < B; i++) {
    const length = 1 + Math.floor(rng.next() * T);
    for (let t = 0; t < T; t++) {
      const real = t < length;
      mask.push(real ? 1 : 0);
      logp.push(real ? -3 * rng.next() : 0);
      refLogp.push(real ? -3 * rng.next() : 0);
    }
  }
  return { name, logp, refLogp, mask, reward: rewards ?? Array.from({ length: B }, () => rng.next() * 4 - 2), T, beta: 0.3 };
}

const RUN = `import json, sys
import torch
${REINFORCE_ADVANTAGES}
out = []
for c in json.load(sys.stdin):
    B, T = len(c["reward"]), c["T"]
    a = reinforce_advantages(torch.tensor(c["logp"]).view(B, T), torch.tensor(c["refLogp"]).view(B, T), torch.tensor(c["mask"]).view(B, T) > 0, torch.tensor(c["reward"], dtype=torch.float), c["beta"])
    out.append(a.flatten().tolist())
print(json.dumps(out))
`;

describe.skipIf(!hasTorch)('REINFORCE in PyTorch', () => {
  it('computes the advantages Genloom computes, within 1e-5', async () => {
    const cases = [
      makeCase('eight names', 8, 6, null, 3),
      makeCase('equal rewards: only the KL term acts', 4, 5, [1, 1, 1, 1], 4),
      makeCase('one name: no baseline of others', 1, 5, [0.7], 5),
    ];
    const child = promisify(execFile)(PYTHON, ['-c', RUN], { env: { ...process.env, OMP_NUM_THREADS: '1' } });
    child.child.stdin!.end(JSON.stringify(cases));
    const got = JSON.parse((await child).stdout) as number[][];
    cases.forEach((c, k) => {
      const want = reinforceAdvantages(c.logp, c.refLogp, c.mask, c.reward, c.T, c.beta);
      expect(got[k]).toHaveLength(want.length);
      const worst = Math.max(...want.map((w, i) => Math.abs(w - got[k][i])));
      expect(worst, c.name).toBeLessThan(1e-5);
      // The case is not trivially zero: the advantages differ between tokens.
      expect(Math.max(...want) - Math.min(...want), c.name).toBeGreaterThan(0.1);
    });
  });
});
