// The group being rated: one card per sample with its key (1–4), and in A-vs-B mode a Tie between them.
import type { Candidates } from './candidates';
import { CandidateView } from './CandidateView';
import type { RateMode } from './feedbackStore';

const THUMB = 66;

export function RatingCards({ group, mode, disabled, onChoose }: { group: Candidates; mode: RateMode; disabled: boolean; onChoose: (choice: number | 'tie') => void }) {
  const label = (i: number) => (mode === 'ab' ? (i === 0 ? 'A' : 'B') : String(i + 1));
  return (
    <ol className={`gl-rate__cards gl-rate__cards--${group.kind}`} aria-label={mode === 'ab' ? 'Which is better?' : 'Pick the best'}>
      {group.items.map((sample, i) => (
        <li key={i} className="gl-rate__slot">
          {mode === 'ab' && i === 1 && (
            <button className="gl-btn gl-btn--outline gl-rate__tie" onClick={() => onChoose('tie')} disabled={disabled} title="Neither is better (key T)" data-testid="rate-tie">
              Tie <kbd>T</kbd>
            </button>
          )}
          <button className="gl-rate__card" onClick={() => onChoose(i)} disabled={disabled} title={`Choose this one (key ${i + 1})`} data-testid="rate-card">
            <CandidateView kind={group.kind} sample={sample} shape={group.shape} real={group.real} size={THUMB} />
            <kbd className="gl-rate__key">{label(i)}</kbd>
          </button>
        </li>
      ))}
    </ol>
  );
}
