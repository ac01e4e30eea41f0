// With nothing selected, the inspector edits the graph itself: its name and its training settings.
import type { TrainingConfig } from '../../runtime/graph/document';
import { OPTIM_SETTING_SPECS, optimSettings } from '../../runtime/train/optim/settings';
import { ParamField } from './ParamField';
import { edit, useStore } from '../store/store';
import { setDocInfo, setTraining } from '../store/edits';

const FIELDS: { key: keyof TrainingConfig; label: string; min: number; int: boolean }[] = [
  { key: 'batchSize', label: 'Batch size', min: 1, int: true },
  { key: 'steps', label: 'Steps', min: 1, int: true },
  { key: 'learningRate', label: 'Learning rate', min: 0, int: false },
  { key: 'seed', label: 'Seed', min: 0, int: true },
  { key: 'sampleEvery', label: 'Sample every', min: 0, int: true },
];

export function GraphSettings() {
  const doc = useStore((s) => s.editor.doc);
  return (
    <div className="gl-inspector__body" key={`${doc.name}`}>
      <div className="gl-field">
        <label className="gl-field__label" htmlFor="graph-name">Graph name</label>
        <input id="graph-name" className="gl-input" defaultValue={doc.name} onBlur={(e) => edit((s) => setDocInfo(s, { name: e.target.value || 'Untitled model' }))} />
      </div>
      {doc.description && <p className="gl-muted gl-clamp" title={doc.description}>{doc.description}</p>}
      <div className="gl-inspector__section">
        <h3>Training</h3>
        <div className="gl-grid2">
          {FIELDS.map((f) => (
            <div className="gl-field" key={f.key}>
              <label className="gl-field__label" htmlFor={`train-${f.key}`}>{f.label}</label>
              <input
                id={`train-${f.key}`}
                key={String(doc.training[f.key])}
                className="gl-input"
                type="number"
                min={f.min}
                step={f.int ? 1 : 'any'}
                defaultValue={doc.training[f.key]}
                onBlur={(e) => {
                  const v = Number(e.target.value);
                  const ok = e.target.value !== '' && Number.isFinite(v) && v >= f.min && (!f.int || Number.isInteger(v));
                  if (ok) edit((s) => setTraining(s, { [f.key]: v }));
                  else e.target.value = String(doc.training[f.key]);
                }}
              />
            </div>
          ))}
        </div>
      </div>
      <div className="gl-inspector__section">
        <h3>Optimiser</h3>
        {Object.entries(OPTIM_SETTING_SPECS).map(([key, spec]) => (
          <ParamField
            key={key}
            name={`train-${key}`}
            spec={spec}
            value={optimSettings(doc.training)[key as keyof typeof OPTIM_SETTING_SPECS]}
            onCommit={(v) => {
              edit((s) => setTraining(s, { [key]: v }));
              return null;
            }}
          />
        ))}
      </div>
      <p className="gl-muted gl-hint">Select a node to edit its params. Double-click the canvas or press / to add a node.</p>
    </div>
  );
}
