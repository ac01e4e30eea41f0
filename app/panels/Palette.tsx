// The palette: every node type, searchable, grouped by category; drag one onto the canvas or click to add.
import { useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { searchNodes } from '../nodeSearch';
import { CATEGORIES, CATEGORY_COLORS, CATEGORY_LABELS } from '../theme';
import { PALETTE_MIME } from '../canvas/Canvas';
import { edit, store } from '../store/store';
import { addNode } from '../store/edits';

export function Palette() {
  const [query, setQuery] = useState('');
  const rf = useReactFlow();
  const found = searchNodes(query);
  const addInView = (type: string) => {
    const el = document.querySelector('.gl-canvas')?.getBoundingClientRect();
    const p = el ? rf.screenToFlowPosition({ x: el.left + el.width / 2 - 100, y: el.top + el.height / 2 - 50 }) : { x: 0, y: 0 };
    const n = store.get().editor.doc.nodes.length;
    edit((s) => addNode(s, type, { x: Math.round(p.x + (n % 5) * 16), y: Math.round(p.y + (n % 5) * 16) }));
  };
  return (
    <aside className="gl-palette" aria-label="Node palette">
      <div className="gl-panel__head">Nodes</div>
      <input className="gl-input gl-palette__search" type="search" placeholder="Search nodes" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search nodes" />
      <div className="gl-palette__list">
        {CATEGORIES.map((cat) => {
          const defs = found.filter((d) => d.category === cat);
          if (defs.length === 0) return null;
          return (
            <section key={cat} className="gl-palette__group">
              <h3 className="gl-palette__cat">
                <span className="gl-dot" style={{ background: CATEGORY_COLORS[cat] }} />
                {CATEGORY_LABELS[cat]}
              </h3>
              {defs.map((d) => (
                <button
                  key={d.type}
                  className={`gl-palette__item cat-${d.category}`}
                  draggable
                  onDragStart={(e) => {
                    e.dataTransfer.setData(PALETTE_MIME, d.type);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onClick={() => addInView(d.type)}
                  title={`${d.doc}\nDrag onto the canvas, or click to add.`}
                >
                  <span className="gl-palette__label">{d.label}</span>
                  <span className="gl-palette__doc">{d.doc}</span>
                </button>
              ))}
            </section>
          );
        })}
        {found.length === 0 && <p className="gl-muted gl-pad">No node matches “{query}”. Try “conv”, “loss” or “noise”.</p>}
      </div>
    </aside>
  );
}
