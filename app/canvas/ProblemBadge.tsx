// The red (or amber) count on a node that has compile problems; hover lists them.
import type { Diagnostic } from '../../runtime/graph/diagnostics';

export function ProblemBadge({ problems }: { problems: Diagnostic[] }) {
  if (problems.length === 0) return null;
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <span className={`gl-badge ${errors ? 'gl-badge--error' : 'gl-badge--warn'}`} title={problems.map((p) => p.message).join('\n')}>
      {problems.length}
    </span>
  );
}
