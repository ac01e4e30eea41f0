// One sample drawn small, the way the gallery draws its kind: an image, a point on the real data, or a text.
// The rating cards and the list of kept pairs both use it.
import { useEffect, useMemo, useRef } from 'react';
import { extent, ImageGrid } from '../training/SampleView';
import { batchOf, type CandidateKind, type Sample } from './candidates';

/** A point as a ring over the real data (grey), on the real data's frame, so where it falls is what shows. */
function PointThumb({ point, real, size }: { point: number[]; real?: Float32Array; size: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = canvas.height = Math.round(size * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    const { lo, hi } = extent(real && real.length ? real : new Float32Array(point), new Float32Array(point));
    const px = (v: number) => ((v - lo) / (hi - lo)) * size;
    ctx.fillStyle = 'rgba(102, 115, 127, 0.3)';
    for (let i = 0; real && i + 1 < real.length; i += 2) ctx.fillRect(px(real[i]) - 0.75, size - px(real[i + 1]) - 0.75, 1.5, 1.5);
    ctx.strokeStyle = 'rgb(59, 111, 216)';
    ctx.fillStyle = 'rgba(59, 111, 216, 0.35)';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(Math.min(size - 3, Math.max(3, px(point[0]))), Math.min(size - 3, Math.max(3, size - px(point[1]))), Math.max(3, size / 18), 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }, [point, real, size]);
  return <canvas ref={ref} className="gl-cand__canvas" style={{ width: size, height: size }} aria-label={`the point (${point[0]}, ${point[1]})`} />;
}

export function CandidateView({ kind, sample, shape, real, size }: { kind: CandidateKind; sample: Sample; shape?: number[]; real?: Float32Array; size: number }) {
  const batch = useMemo(() => (kind === 'image' ? batchOf(kind, [sample], shape) : null), [kind, sample, shape]);
  if (typeof sample === 'string') return <span className="gl-cand__text" title={sample}>{sample || '(empty)'}</span>;
  if (kind === 'points') return <PointThumb point={sample} real={real} size={size} />;
  if (batch?.kind !== 'images') return null;
  return (
    <span style={{ width: size, height: size }} className="gl-cand__image">
      <ImageGrid batch={batch} className="gl-cand__canvas gl-cand__canvas--pixels" />
    </span>
  );
}
