// Samples and the Feedback view share the panel's sample column: a graph with a preferences node rated
// by you shows both as tabs; any other graph shows the samples alone.
import { useState, type ReactNode } from 'react';
import type { GraphDocument } from '../../runtime/graph/document';
import { FeedbackView } from './FeedbackView';
import { feedbackTarget } from './target';

export function FeedbackTabs({ doc, children }: { doc: GraphDocument; children: ReactNode }) {
  const [tab, setTab] = useState<'samples' | 'feedback'>('samples');
  if (!feedbackTarget(doc)) return children;
  return (
    <div className="gl-tabs">
      <div className="gl-tabs__bar" role="tablist" aria-label="Samples or feedback">
        <button role="tab" aria-selected={tab === 'samples'} className={`gl-tabs__tab${tab === 'samples' ? ' is-on' : ''}`} onClick={() => setTab('samples')}>Samples</button>
        <button role="tab" aria-selected={tab === 'feedback'} className={`gl-tabs__tab${tab === 'feedback' ? ' is-on' : ''}`} onClick={() => setTab('feedback')} title="Rate samples from the current model: the pairs train the reward model">Feedback</button>
      </div>
      <div className="gl-tabs__panel" role="tabpanel">{tab === 'feedback' ? <FeedbackView doc={doc} /> : children}</div>
    </div>
  );
}
