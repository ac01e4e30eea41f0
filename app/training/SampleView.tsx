// The sample gallery: an image grid, a scatter of generated over real 2-D points, or streamed text.
import { useEffect, useRef } from 'react';
import type { SampleBatch } from '../../runtime/train/events';

type ImageBatch = Extract<SampleBatch, { kind: 'images' }>;
type PointBatch = Extract<SampleBatch, { kind: 'points' }>;

/** Images in [-1, 1] tiled into a square grid at one canvas pixel per image pixel (CSS scales it up). */
export function ImageGrid({ batch, className = 'gl-samples__images' }: { batch: ImageBatch; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const { count, height: h, width: w, channels: c, data } = batch;
    const cols = Math.ceil(Math.sqrt(count));
    const rows = Math.ceil(count / cols);
    const gap = 1;
    canvas.width = cols * (w + gap) - gap;
    canvas.height = rows * (h + gap) - gap;
    const ctx = canvas.getContext('2d')!;
    const img = ctx.createImageData(canvas.width, canvas.height);
    img.data.fill(255);
    const byte = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
    for (let n = 0; n < count; n++) {
      const ox = (n % cols) * (w + gap);
      const oy = Math.floor(n / cols) * (h + gap);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const src = ((n * h + y) * w + x) * c;
          const dst = ((oy + y) * canvas.width + ox + x) * 4;
          const r = byte(data[src]);
          img.data[dst] = r;
          img.data[dst + 1] = c >= 3 ? byte(data[src + 1]) : r;
          img.data[dst + 2] = c >= 3 ? byte(data[src + 2]) : r;
        }
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [batch]);
  return <canvas ref={ref} className={className} aria-label={`${batch.count} generated images`} />;
}

export interface Extent {
  lo: number;
  hi: number;
}

export function extent(a: Float32Array, b: Float32Array): Extent {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of [a, b]) for (const v of arr) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) return { lo: -1, hi: 1 };
  const pad = (hi - lo) * 0.08 || 1;
  return { lo: lo - pad, hi: hi + pad };
}

/** Generated points (blue) over held-out real points (grey), on one square scale fitted to both. */
export function PointScatter({ batch, frame, small = false, className = 'gl-samples__scatter' }: { batch: PointBatch; frame?: Extent; small?: boolean; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const css = canvas.clientHeight || 120;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = canvas.height = Math.round(css * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, css, css);
    // Real points fix the frame so that a collapsing generator does not zoom the view in on itself.
    const { lo, hi } = frame ?? (batch.real.length ? extent(batch.real, new Float32Array()) : extent(batch.data, new Float32Array()));
    const px = (v: number) => ((v - lo) / (hi - lo)) * css;
    const dot = (pts: Float32Array, color: string, r: number) => {
      ctx.fillStyle = color;
      for (let i = 0; i + 1 < pts.length; i += 2) {
        const x = px(pts[i]);
        const y = css - px(pts[i + 1]);
        if (x < -r || y < -r || x > css + r || y > css + r) continue;
        ctx.beginPath();
        ctx.arc(x, y, r, 0, Math.PI * 2);
        ctx.fill();
      }
    };
    dot(batch.real, small ? 'rgba(102, 115, 127, 0.5)' : 'rgba(102, 115, 127, 0.35)', small ? 1.2 : 1.5);
    dot(batch.data, small ? 'rgba(59, 111, 216, 0.6)' : 'rgba(59, 111, 216, 0.85)', small ? 1.3 : 2);
  }, [batch, frame, small]);
  return <canvas ref={ref} className={className} aria-label={`${batch.count} generated points over the real data`} />;
}
