// With nothing selected, the inspector edits the graph itself: its name and its training settings,
// one field per entry of the settings table (runtime/graph/training-settings.ts).
import type { ParamSchema } from '../../nodes/types';
import { TRAINING_SETTINGS } from '../../runtime/graph/training-settings';
import { MAX_NAME_LENGTH } from '../../runtime/graph/schema';
import { edit, store, useStore } from '../store/store';
import { setDocInfo, setTrainingSetting } from '../store/edits';
import { ParamField } from './ParamField';

const SETTINGS: ParamSchema = TRAINING_SETTINGS;

function commitSetting(key: string) {
  return (v: unknown): string | null => {
    const { state, error } = setTrainingSetting(store.get().editor, key, v);
    if (!error) store.set((s) => ({ ...s, editor: state }));
    return error;
  };
}

export function GraphSettings() {
  const doc = useStore((s) => s.editor.doc);
  const training = doc.training as unknown as Record<string, unknown>;
  return (
    <div className="gl-inspector__body" key={`${doc.name}`}>
      <div className="gl-field">
        <label className="gl-field__label" htmlFor="graph-name">Graph name</label>
        <input
          id="graph-name"
          className="gl-input"
          maxLength={MAX_NAME_LENGTH}
          defaultValue={doc.name}
          onBlur={(e) => edit((s) => setDocInfo(s, { name: e.target.value || 'Untitled model' }))}
        />
      </div>
      {doc.description && <p className="gl-muted gl-clamp" title={doc.description}>{doc.description}</p>}
      <div className="gl-inspector__section">
        <h3>Training</h3>
        {Object.entries(SETTINGS).map(([key, spec]) => (
          <ParamField key={key} idPrefix="train" name={key} spec={spec} value={training[key] ?? spec.default} onCommit={commitSetting(key)} />
        ))}
      </div>
      <p className="gl-muted gl-hint">Select a node to edit its params. Double-click the canvas or press / to add a node.</p>
    </div>
  );
}
