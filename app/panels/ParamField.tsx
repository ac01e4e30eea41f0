// One inspector widget for one param, chosen by its spec; a value that does not fit is refused inline.
import { useState } from 'react';
import type { ParamSpec } from '../../nodes/types';
import { checkParam } from '../../nodes/params';

function toText(v: unknown): string {
  return Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v);
}

function fromText(spec: ParamSpec, text: string): unknown {
  if (spec.kind === 'int' || spec.kind === 'float') return text.trim() === '' ? undefined : Number(text);
  if (spec.kind === 'shape') return text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  return text;
}

export function ParamField({
  name,
  spec,
  value,
  onCommit,
  idPrefix = 'param',
}: {
  name: string;
  spec: ParamSpec;
  value: unknown;
  onCommit: (v: unknown) => string | null;
  /** The input's id is `${idPrefix}-${name}`; the graph's training settings use "train". */
  idPrefix?: string;
}) {
  const [text, setText] = useState(toText(value));
  const [error, setError] = useState<string | null>(null);
  // A new value from outside (undo, another node selected) replaces what is being typed.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(toText(value));
    setError(null);
  }

  const id = `${idPrefix}-${name}`;
  const submit = (v: unknown) => {
    const problem = checkParam(spec, v) ?? onCommit(v);
    setError(problem);
  };
  const label = (
    <label htmlFor={id} className="gl-field__label" title={spec.doc}>
      {spec.label ?? name}
    </label>
  );

  let control;
  if (spec.kind === 'bool') {
    control = <input id={id} type="checkbox" checked={value === true} onChange={(e) => submit(e.target.checked)} />;
  } else if (spec.kind === 'enum') {
    control = (
      <select id={id} className="gl-input" value={String(value)} onChange={(e) => submit(e.target.value)}>
        {spec.options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  } else {
    const numeric = spec.kind === 'int' || spec.kind === 'float';
    const commitText = () => {
      if (text !== toText(value)) submit(fromText(spec, text));
    };
    control = (
      <input
        id={id}
        className={`gl-input${error ? ' is-invalid' : ''}`}
        type={numeric ? 'number' : 'text'}
        min={numeric ? spec.min : undefined}
        max={numeric ? spec.max : undefined}
        step={spec.kind === 'float' ? (spec.step ?? 'any') : spec.kind === 'int' ? 1 : undefined}
        placeholder={spec.kind === 'shape' ? 'e.g. 28, 28, 1' : undefined}
        value={text}
        aria-invalid={!!error}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onBlur={commitText}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commitText();
          if (e.key === 'Escape') {
            setText(toText(value));
            setError(null);
          }
        }}
      />
    );
  }
  return (
    <div className={`gl-field gl-field--${spec.kind}`}>
      {label}
      {control}
      {error ? <div className="gl-field__error" role="alert">{error}</div> : spec.doc ? <div className="gl-field__doc">{spec.doc}</div> : null}
    </div>
  );
}
