// What a language model predicts after one position of the text it reads: the most likely next
// characters as bars, beside its attention maps (pointing at a row of a map picks the position).
import type { AttentionView } from '../../runtime/worker/protocol';

const SHOWN = 10;

/** The `count` most likely next tokens after `position`, most likely first. */
export function topNext(view: AttentionView, position: number, count = SHOWN): { id: number; char: string; p: number }[] {
  const V = view.next.chars.length;
  const row = view.next.probs.subarray(position * V, (position + 1) * V);
  return Array.from(row, (p, id) => ({ id, char: view.next.chars[id], p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, count);
}

const shown = (c: string) => (c === ' ' ? '␣' : c === '\n' ? '↵' : c);

export function NextCharBars({ view, position }: { view: AttentionView; position: number }) {
  const top = topNext(view, position);
  const actual = view.ids[position + 1];
  const probe = JSON.stringify({ position, ids: view.ids.slice(0, position + 1), top: top.map((t) => [t.id, t.p]) });
  return (
    <figure className="gl-next" data-testid="next-chars" data-next={probe}>
      <figcaption>
        After “{view.tokens.slice(Math.max(0, position - 11), position + 1).map(shown).join('')}” (position {position + 1}), the next character:
      </figcaption>
      <ol className="gl-next__bars">
        {top.map((t) => (
          <li key={t.id} className={t.id === actual ? 'is-actual' : undefined} title={t.id === actual ? 'the character that follows in this text' : undefined}>
            <span className="gl-next__char">{shown(t.char)}</span>
            <span className="gl-next__bar" style={{ width: `${Math.max(1, t.p * 100)}%` }} />
            <span className="gl-next__p">{(t.p * 100).toFixed(1)}%</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
