// The Feedback view beside the samples: a group of samples from the current model to rate (best of
// four, or A against B with a tie), by click or key, and the preference pairs kept so far.
import { useCallback, useEffect, useState } from 'react';
import type { GraphDocument } from '../../runtime/graph/document';
import { useTraining } from '../training/trainingStore';
import { choose, currentGroup, drawCandidates, GROUP_SIZE, learnFromPairs, MIN_PAIRS, openPairs, setMode, skip, useFeedback, type RateMode } from './feedbackStore';
import { PairsDialog } from './PairsDialog';
import { RatingCards } from './RatingCards';
import { RewardSurface } from './RewardSurface';
import { feedbackTarget } from './target';
import { useRatingKeys } from './useRatingKeys';
import './feedback.css';

const MODES: { mode: RateMode; label: string; title: string }[] = [
  { mode: 'best', label: 'Best of 4', title: 'Pick the best of four samples: it is preferred over each of the other three' },
  { mode: 'ab', label: 'A vs B', title: 'Compare two samples; a tie says neither is better' },
];

function howTo(mode: RateMode): string {
  return mode === 'ab' ? 'Better one: click, 1 / 2, T tie' : 'Best one: click or 1–4';
}

export function FeedbackView({ doc }: { doc: GraphDocument }) {
  const s = useFeedback((x) => x);
  const loaded = useTraining((x) => x.loaded);
  const [listOpen, setListOpen] = useState(false);
  const target = feedbackTarget(doc);
  const targetKey = target ? `${target.nodeId}\u0000${target.name}\u0000${target.kind}` : '';
  // The pairs of this graph (a new name or kind is another set), read when the view opens.
  useEffect(() => {
    void openPairs(doc);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reread only when the set the graph names changes
  }, [targetKey]);
  // Samples from the model as loaded now: drawn when it is first loaded, again when it is recompiled.
  const current = s.pool !== null && s.drawnFor === loaded;
  useEffect(() => {
    if (loaded && !current) void drawCandidates();
  }, [loaded, current]);
  const group = currentGroup(s);
  const onKey = useCallback((action: number | 'tie' | 'skip') => (action === 'skip' ? skip() : void choose(action)), []);
  useRatingKeys(group !== null && !s.busy, onKey, GROUP_SIZE[s.mode]);
  const count = s.pairs?.pairs.length ?? 0;
  return (
    <div className="gl-rate" data-testid="feedback" data-pairs={count} data-rated={s.rated}>
      <div className="gl-rate__top">
        <div className="gl-rate__modes" role="group" aria-label="How to rate">
          {MODES.map((m) => (
            <button key={m.mode} className={`gl-btn gl-rate__mode${s.mode === m.mode ? ' is-on' : ''}`} aria-pressed={s.mode === m.mode} onClick={() => setMode(m.mode)} title={m.title}>
              {m.label}
            </button>
          ))}
        </div>
        {s.ordered && group && <span className="gl-rate__badge" title="Ordered by the reward model: the samples whose rewards are closest come first">least sure first</span>}
        <button className="gl-btn gl-btn--link gl-rate__pairs" onClick={() => setListOpen(true)} disabled={!s.pairs} data-testid="feedback-pairs">
          {count} pair{count === 1 ? '' : 's'}
        </button>
      </div>
      <div className="gl-rate__body">
        {group ? (
          <RatingCards group={group} mode={s.mode} disabled={s.busy !== null} onChoose={(c) => void choose(c)} />
        ) : (
          <p className="gl-muted gl-rate__empty">{s.busy ?? (loaded ? 'No samples to rate.' : 'Train or step the model first: the Feedback view rates what the current model makes.')}</p>
        )}
        {target?.kind === 'points' && loaded && <RewardSurface nodeId={target.nodeId} />}
      </div>
      <div className="gl-rate__foot">
        <span className="gl-muted">{group ? howTo(s.mode) : ''}</span>
        <button className="gl-btn gl-btn--outline" onClick={skip} disabled={!group || s.busy !== null} title="Rate nothing for this group (key S)">Skip <kbd>S</kbd></button>
        <button className="gl-btn gl-btn--link" onClick={() => void drawCandidates()} disabled={!loaded || s.busy !== null} title="Draw new samples from the model as it is now">New</button>
        <button
          className="gl-btn gl-btn--primary"
          onClick={() => void learnFromPairs()}
          disabled={!loaded || s.busy !== null || count < MIN_PAIRS}
          title={`Fit the reward model to the pairs (${target?.rewardSteps ?? 0} steps), then fine-tune the model toward it (${target?.tuneSteps ?? 0} steps), kept near where it started`}
          data-testid="learn-from-pairs"
        >
          Learn from pairs
        </button>
      </div>
      {s.message && <p className={s.message.error ? 'gl-error gl-rate__msg' : 'gl-train-notice gl-rate__msg'} role={s.message.error ? 'alert' : 'status'}>{s.message.text}</p>}
      {listOpen && <PairsDialog onClose={() => setListOpen(false)} />}
    </div>
  );
}
