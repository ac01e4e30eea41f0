// How generated samples spread over the classes (by the fixed classifier) or the modes (within 3σ),
// beside real data's spread: a dropped mode is a missing bar.

interface Props {
  labels: string[];
  /** The samples' share per class or mode. */
  shares: number[];
  /** Real data's share per class or mode. */
  real: number[];
  step: number;
  /** Points are counted by mode, images by class. */
  unit: 'mode' | 'class';
}

const H = 44;

export function ClassBalance({ labels, shares, real, step, unit }: Props) {
  if (shares.length === 0) return null;
  // Wide bars for ten classes, narrow ones for twenty-five modes, in about the same width.
  const W = Math.max(6, Math.min(16, 160 / shares.length));
  const GAP = W / 3;
  const top = Math.max(1e-9, ...shares, ...real);
  const y = (v: number) => H - (H * v) / top;
  const width = shares.length * (W + GAP);
  // Class names of more than a couple of letters do not fit under a bar: number them, and name them in the tooltip.
  const short = labels.every((l) => l.length <= 2);
  return (
    <figure className="gl-quality__balance" data-testid="class-balance" data-step={step} data-shares={shares.map((s) => s.toFixed(4)).join(' ')}>
      <figcaption>
        samples per {unit} <span className="gl-muted">(grey: real)</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${H + 10}`} width="100%" height={H + 10} role="img" aria-label={`share of samples per ${unit}`}>
        {shares.map((s, i) => (
          <g key={i}>
            <title>{`${labels[i] ?? i}: ${(100 * s).toFixed(1)}% of samples, real data ${(100 * (real[i] ?? 0)).toFixed(1)}%`}</title>
            <rect x={i * (W + GAP)} y={y(real[i] ?? 0)} width={W} height={H - y(real[i] ?? 0)} fill="#e2e6ec" />
            <rect x={i * (W + GAP) + W / 4} y={y(s)} width={W / 2} height={H - y(s)} fill="#3b6fd8" />
            <text x={i * (W + GAP) + W / 2} y={H + 8} fontSize={Math.min(8, W)} textAnchor="middle" fill="#66737f">{short ? labels[i] : i + 1}</text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
