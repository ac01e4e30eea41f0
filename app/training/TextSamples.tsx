// Text generation for language models: a prompt, temperature and top-k; tokens stream in as they come.
import { useEffect, useRef, useState } from 'react';
import { generate, training, useTraining } from './trainingStore';

interface Settings {
  prompt: string;
  temperature: number;
  topK: number;
}

const request = (s: Settings) => ({ count: 3, seed: Date.now() % 100_000, prompt: s.prompt, maxTokens: 80, temperature: s.temperature, topK: s.topK });

/** While training runs, writes new samples every `sampleEvery` steps with the current settings. */
function useSampleWhileTraining(sampleEvery: number, settings: Settings): void {
  const phase = useTraining((s) => s.phase);
  const tick = useTraining((s) => (sampleEvery > 0 ? Math.floor(s.step / sampleEvery) : 0));
  const latest = useRef(settings);
  useEffect(() => {
    latest.current = settings;
  });
  useEffect(() => {
    if (phase !== 'running' || tick === 0) return;
    const t = training.get().text;
    if (t && !t.done) return;
    void generate(request(latest.current));
  }, [phase, tick]);
}

export function TextSamples({ canGenerate, sampleEvery }: { canGenerate: boolean; sampleEvery: number }) {
  const text = useTraining((s) => s.text);
  const [prompt, setPrompt] = useState('');
  const [temperature, setTemperature] = useState(0.8);
  const [topK, setTopK] = useState(0);
  const busy = text !== null && !text.done;
  useSampleWhileTraining(sampleEvery, { prompt, temperature, topK });
  const run = () => void generate(request({ prompt, temperature, topK }));
  return (
    <div className="gl-text">
      <div className="gl-text__controls">
        <input className="gl-input" placeholder="Prompt (optional)" value={prompt} onChange={(e) => setPrompt(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && canGenerate && !busy && run()} aria-label="Prompt" />
        <label className="gl-text__num" title="Higher is more surprising; lower is safer">
          temp
          <input className="gl-input" type="number" min={0.1} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Math.max(0.05, Number(e.target.value) || 1))} aria-label="Temperature" />
        </label>
        <label className="gl-text__num" title="Sample only from the k likeliest characters (0: all)">
          top-k
          <input className="gl-input" type="number" min={0} max={100} step={1} value={topK} onChange={(e) => setTopK(Math.max(0, Math.round(Number(e.target.value) || 0)))} aria-label="Top-k" />
        </label>
        <button className="gl-btn gl-btn--primary" onClick={run} disabled={!canGenerate || busy}>Generate</button>
      </div>
      <div className="gl-text__out" aria-live="polite">
        {text === null ? (
          <p className="gl-muted">{canGenerate ? 'Press Generate to write three samples with the model as trained so far; while it trains, new ones come every few steps.' : 'Train or step the model first, then generate text here.'}</p>
        ) : (
          text.texts.map((t, i) => <p key={i} className="gl-text__sample">{prompt}<span className="gl-text__gen">{t}</span>{!text.done && i === text.texts.length - 1 && <span className="gl-text__caret">▍</span>}</p>)
        )}
        {text && <p className="gl-muted gl-text__meta">step {text.step.toLocaleString('en-US')}{text.done ? '' : ' · writing…'}</p>}
      </div>
    </div>
  );
}
