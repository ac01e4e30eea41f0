// The editor's layout: top bar, palette, canvas, inspector and problems, training panel.
import type { ReactNode } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { Palette } from './panels/Palette';
import { Inspector } from './panels/Inspector';
import { ProblemsList } from './panels/ProblemsList';
import { TopBar } from './panels/TopBar';
import { ExamplesGallery } from './panels/ExamplesGallery';
import { ProblemsDialog } from './panels/ProblemsDialog';
import { Toast } from './panels/Toast';
import { TrainingPanel } from './training/TrainingPanel';
import { useStore } from './store/store';
import { useShortcuts } from './useShortcuts';

export function App({ backend }: { backend?: ReactNode }) {
  const doc = useStore((s) => s.editor.doc);
  useShortcuts();
  return (
    <ReactFlowProvider>
      <div className="gl-app">
        <TopBar backend={backend} />
        <Palette />
        <main className="gl-main">
          <Canvas />
          <Toast />
        </main>
        <aside className="gl-side">
          <Inspector />
          <ProblemsList />
        </aside>
        <div className="gl-bottom">
          <TrainingPanel doc={doc} />
        </div>
        <ExamplesGallery />
        <ProblemsDialog />
      </div>
    </ReactFlowProvider>
  );
}
