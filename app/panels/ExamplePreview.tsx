// A mini drawing of a graph: its top-level node boxes in category colours and the wires between them.
import type { GraphDocument } from '../../runtime/graph/document';
import { getNodeDef } from '../../nodes/registry';
import { absolutePosition } from '../store/graph';
import { CATEGORY_COLORS } from '../theme';

const W = 180;
const H = 70;

export function ExamplePreview({ doc }: { doc: GraphDocument }) {
  const shown = doc.nodes.filter((n) => !n.parentId || !doc.nodes.find((p) => p.id === n.parentId)?.collapsed);
  if (shown.length === 0) return <svg className="gl-preview" viewBox={`0 0 ${W} ${H}`} />;
  const boxes = new Map(
    shown.map((n) => {
      const p = absolutePosition(doc, n);
      const group = getNodeDef(n.type)?.role === 'group' && !n.collapsed;
      return [n.id, { x: p.x, y: p.y, w: group ? (n.width ?? 520) : 190, h: group ? (n.height ?? 260) : 100, group, n }];
    }),
  );
  const all = [...boxes.values()];
  const minX = Math.min(...all.map((b) => b.x));
  const minY = Math.min(...all.map((b) => b.y));
  const maxX = Math.max(...all.map((b) => b.x + b.w));
  const maxY = Math.max(...all.map((b) => b.y + b.h));
  const pad = 30;
  const viewBox = `${minX - pad} ${minY - pad} ${maxX - minX + 2 * pad} ${maxY - minY + 2 * pad}`;
  return (
    <svg className="gl-preview" viewBox={viewBox} preserveAspectRatio="xMidYMid meet" aria-hidden>
      {all.filter((b) => b.group).map((b) => (
        <rect key={b.n.id} x={b.x} y={b.y} width={b.w} height={b.h} rx={16} fill="none" stroke={CATEGORY_COLORS.generative} strokeWidth={6} strokeDasharray="18 10" />
      ))}
      {doc.edges.map((e) => {
        const s = boxes.get(e.source);
        const t = boxes.get(e.target);
        if (!s || !t) return null;
        const x1 = s.group ? s.x + 40 : s.x + s.w;
        const x2 = t.group ? t.x + t.w - 40 : t.x;
        const y1 = s.y + Math.min(s.h / 2, 60);
        const y2 = t.y + Math.min(t.h / 2, 60);
        const mid = (x1 + x2) / 2;
        return <path key={e.id} d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`} fill="none" stroke="#94a3b8" strokeWidth={6} />;
      })}
      {all.filter((b) => !b.group).map((b) => (
        <rect key={b.n.id} x={b.x} y={b.y} width={b.w} height={b.h} rx={14} fill={CATEGORY_COLORS[getNodeDef(b.n.type)?.category ?? 'layers']} />
      ))}
    </svg>
  );
}
