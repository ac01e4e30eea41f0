// A node's ports as rows: inputs on the left edge, outputs on the right, coloured by kind.
import { Handle, Position } from '@xyflow/react';
import type { PortDef } from '../../nodes/types';

function Port({ port, side }: { port: PortDef; side: 'in' | 'out' }) {
  const about = port.doc ?? `${port.kind} ${side === 'in' ? 'input' : 'output'}`;
  return (
    <div className={`gl-port gl-port--${side}`} title={port.optional ? `${about} (optional)` : about}>
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={side === 'in' ? Position.Left : Position.Right}
        id={port.id}
        className={`gl-handle gl-handle--${port.kind}`}
      />
      <span className="gl-port__label">
        {port.label ?? port.id}
        {port.optional ? <span className="gl-port__opt"> (optional)</span> : null}
      </span>
    </div>
  );
}

export function Ports({ inputs, outputs }: { inputs: PortDef[]; outputs: PortDef[] }) {
  if (inputs.length === 0 && outputs.length === 0) return null;
  return (
    <div className="gl-ports">
      <div className="gl-ports__col">{inputs.map((p) => <Port key={p.id} port={p} side="in" />)}</div>
      <div className="gl-ports__col gl-ports__col--out">{outputs.map((p) => <Port key={p.id} port={p} side="out" />)}</div>
    </div>
  );
}
