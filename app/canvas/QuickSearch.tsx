// A small search box on the canvas: type, pick with arrows and Enter, the node lands here.
import { useState, type KeyboardEvent } from 'react';
import { searchNodes } from '../nodeSearch';
import { CATEGORY_COLORS } from '../theme';

export function QuickSearch({ at, onPick, onClose }: { at: { x: number; y: number }; onPick: (type: string) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const results = searchNodes(query).slice(0, 8);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onClose();
    else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter' && results[active]) onPick(results[active].type);
    else return;
    e.preventDefault();
  };
  return (
    <div className="gl-quick" style={{ left: at.x, top: at.y }} onDoubleClick={(e) => e.stopPropagation()}>
      <input
        autoFocus
        className="gl-input"
        placeholder="Add a node…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
        onBlur={() => setTimeout(onClose, 120)}
        aria-label="Search node types"
      />
      <ul className="gl-quick__list" role="listbox">
        {results.map((d, i) => (
          <li
            key={d.type}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'is-active' : ''}
            onMouseEnter={() => setActive(i)}
            onMouseDown={(e) => {
              e.preventDefault();
              onPick(d.type);
            }}
          >
            <span className="gl-dot" style={{ background: CATEGORY_COLORS[d.category] }} />
            <span className="gl-quick__label">{d.label}</span>
            <span className="gl-quick__cat">{d.category}</span>
          </li>
        ))}
        {results.length === 0 && <li className="gl-quick__none">No node matches “{query}”</li>}
      </ul>
    </div>
  );
}
