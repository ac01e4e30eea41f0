// The decision surface reads the discriminator through the graph (the group, its fake route, forced
// inputs); here it must agree with the discriminator's own tf.LayersModel called on the same points,
// and its gradients with central differences of that model.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, type CompiledGraph } from '../../runtime/compiler/compile';
import { cellCentre, decisionSurface } from '../../runtime/worker/decision-surface';
import { defaultSettingsGan } from '../fixtures/default-gan';
import type { GraphDocument } from '../../runtime/graph/document';

function ganWith(dParams: Record<string, unknown>[], groupParams: Record<string, unknown> = {}): GraphDocument {
  const doc = defaultSettingsGan();
  doc.nodes = doc.nodes.map((n) => {
    if (n.id === 'd1') return { ...n, params: dParams[0] };
    if (n.id === 'd2') return { ...n, params: dParams[1] };
    if (n.id === 'D') return { ...n, params: groupParams };
    return n;
  });
  return doc;
}

function mustCompile(doc: GraphDocument): CompiledGraph {
  const { compiled, diagnostics } = compile(doc);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compiled!;
}

/** The discriminator network's own prediction at points [[x, y], …]. */
function direct(graph: CompiledGraph, pts: number[][]): number[] {
  const net = graph.networks.find((n) => n.role === 'discriminator')!;
  return tf.tidy(() => Array.from((net.model.predict(tf.tensor2d(pts)) as tf.Tensor).dataSync()));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('decision surface', () => {
  it('scores each grid cell as the discriminator model does, and its gradients match finite differences', () => {
    const graph = mustCompile(ganWith([{ units: 16, activation: 'tanh' }, { units: 1 }]));
    try {
      const before = tf.memory().numTensors;
      const n = 7;
      const points = new Float32Array([0.3, -0.2, 1.1, 0.7, -1.4, 0.05]);
      const s = decisionSurface(graph, 0, { lo: -2, hi: 2 }, n, points);
      expect(tf.memory().numTensors).toBe(before);
      expect(s.scores.length).toBe(n * n);
      // Row 0 is the top of the plane: its y is the largest cell centre.
      const cells = [[0, 0], [3, 5], [6, 2]];
      const want = direct(graph, cells.map(([row, col]) => [cellCentre(col, n, -2, 2), cellCentre(n - 1 - row, n, -2, 2)]));
      cells.forEach(([row, col], i) => expect(s.scores[row * n + col]).toBeCloseTo(want[i], 5));
      // The scores vary over the plane (a constant surface would pass the check above trivially at one point).
      expect(Math.max(...s.scores) - Math.min(...s.scores)).toBeGreaterThan(1e-3);
      const h = 1e-2;
      for (let i = 0; i < 3; i++) {
        const [x, y] = [points[2 * i], points[2 * i + 1]];
        const [xp, xm, yp, ym] = direct(graph, [[x + h, y], [x - h, y], [x, y + h], [x, y - h]]);
        expect(s.gradients[2 * i]).toBeCloseTo((xp - xm) / (2 * h), 3);
        expect(s.gradients[2 * i + 1]).toBeCloseTo((yp - ym) / (2 * h), 3);
      }
    } finally {
      graph.dispose();
    }
  });

  it('is not offered for a discriminator that judges packs of points, and says why when asked', () => {
    const graph = mustCompile(ganWith([{ units: 8, activation: 'relu' }, { units: 1 }], { pack: 2 }));
    try {
      expect(graph.sampling?.features).not.toContain('critic');
      expect(() => decisionSurface(graph, 0, { lo: -1, hi: 1 }, 4, new Float32Array())).toThrow(/judges one point at a time/);
    } finally {
      graph.dispose();
    }
  });

  it('refuses a discriminator whose score is wider than one number, naming the count', () => {
    const graph = mustCompile(ganWith([{ units: 8, activation: 'relu' }, { units: 3 }]));
    try {
      expect(() => decisionSurface(graph, 0, { lo: -1, hi: 1 }, 4, new Float32Array())).toThrow(/gave 48 scores for 16 points/);
    } finally {
      graph.dispose();
    }
  });
});
