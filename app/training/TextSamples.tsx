// Text generation for language models: a prompt, temperature, top-k and top-p; tokens stream in as they come.
// A finished batch can be opened in the attention view.
import { useEffect, useRef, useState } from 'react';
import type { TextVocabulary } from '../../runtime/worker/protocol';
import { AttentionDialog } from './AttentionDialog';
import { fitPrompt } from './prompt';
import { generate, training, useTraining } from './trainingStore';

interface Settings {
  prompt: string;
  temperature: number;
  topK: number;
  topP: number;
}

/** Running text has no start token: an empty prompt starts it the way the novel's sentences often do. */
const DEFAULT_RUNNING_PROMPT = 'The ';

function request(s: Settings, vocab: TextVocabulary | null) {
  const { prompt } = fitPrompt(s.prompt, vocab?.chars ?? null);
  const start = prompt === '' && vocab && !vocab.lines ? DEFAULT_RUNNING_PROMPT : prompt;
  return { count: 3, seed: Date.now() % 100_000, prompt: start, maxTokens: 80, temperature: s.temperature, topK: s.topK, topP: s.topP };
}

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
    void generate(request(latest.current, training.get().vocab));
  }, [phase, tick]);
}

export function TextSamples({ canGenerate, sampleEvery }: { canGenerate: boolean; sampleEvery: number }) {
  const text = useTraining((s) => s.text);
  const vocab = useTraining((s) => s.vocab);
  const [prompt, setPrompt] = useState('');
  const [temperature, setTemperature] = useState(0.8);
  const [topK, setTopK] = useState(0);
  const [topP, setTopP] = useState(1);
  const [attention, setAttention] = useState<string[] | null>(null);
  const busy = text !== null && !text.done;
  const note = fitPrompt(prompt, vocab?.chars ?? null).note;
  useSampleWhileTraining(sampleEvery, { prompt, temperature, topK, topP });
  const run = () => void generate(request({ prompt, temperature, topK, topP }, vocab));
  const finished = text?.done && text.texts.length > 0 ? text.texts.map((t) => text.prompt + t) : null;
  return (
    <div className="gl-text">
      <div className="gl-text__controls">
        <input className="gl-input" placeholder={vocab && !vocab.lines ? `Prompt (default “${DEFAULT_RUNNING_PROMPT.trim()}”)` : 'Prompt (optional)'} value={prompt} onChange={(e) => setPrompt(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && canGenerate && !busy && run()} aria-label="Prompt" />
        {note && <p className="gl-text__note" data-testid="prompt-note">{note}</p>}
        <label className="gl-text__num" title="Higher is more surprising; lower is safer">
          temp
          <input className="gl-input" type="number" min={0.1} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Math.max(0.05, Number(e.target.value) || 1))} aria-label="Temperature" />
        </label>
        <label className="gl-text__num" title="Sample only from the k likeliest characters (0: all)">
          top-k
          <input className="gl-input" type="number" min={0} max={100} step={1} value={topK} onChange={(e) => setTopK(Math.max(0, Math.round(Number(e.target.value) || 0)))} aria-label="Top-k" />
        </label>
        <label className="gl-text__num" title="Sample only from the likeliest characters holding this share of the probability (1: all)">
          top-p
          <input className="gl-input" type="number" min={0.05} max={1} step={0.05} value={topP} onChange={(e) => setTopP(Math.min(1, Math.max(0.05, Number(e.target.value) || 1)))} aria-label="Top-p" />
        </label>
        <button className="gl-btn gl-btn--primary" onClick={run} disabled={!canGenerate || busy}>Generate</button>
      </div>
      <div className="gl-text__out" aria-live="polite">
        {text && (
          <p className="gl-muted gl-text__meta">
            step {text.step.toLocaleString('en-US')}{text.done ? '' : ' · writing…'}
            {finished && <button className="gl-btn gl-btn--link gl-text__attn" onClick={() => setAttention(finished)} title="Show where each attention head looks while the model reads these samples">Attention</button>}
          </p>
        )}
        {text === null ? (
          <p className="gl-muted">{canGenerate ? 'Press Generate to write three samples with the model as trained so far; while it trains, new ones come every few steps.' : 'Train or step the model first, then generate text here.'}</p>
        ) : (
          text.texts.map((t, i) => <p key={i} className="gl-text__sample">{text.prompt}<span className="gl-text__gen">{t}</span>{!text.done && i === text.texts.length - 1 && <span className="gl-text__caret">▍</span>}</p>)
        )}
      </div>
      {attention && <AttentionDialog samples={attention} onClose={() => setAttention(null)} />}
    </div>
  );
}
