// The training panel's place in the layout; it receives the current graph.
import type { GraphDocument } from '../../runtime/graph/document';

export function TrainingPanel({ doc }: { doc: GraphDocument }) {
  return (
    <section className="gl-training" aria-label="Training">
      <div className="gl-panel__head">Training</div>
      <div className="gl-training__empty">
        <p>Press Train to start</p>
        <p className="gl-muted">{doc.nodes.length === 0 ? 'Build a graph or open an example first.' : `${doc.training.steps.toLocaleString('en-US')} steps, batch ${doc.training.batchSize}`}</p>
      </div>
    </section>
  );
}
