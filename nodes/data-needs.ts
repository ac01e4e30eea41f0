// What a data node asks the runtime to load before training, declared by its definition, so the
// runtime loads data without knowing which node types read it.

export interface DataNeed {
  /**
   * Examples (images or points, with labels where the set has them), a text corpus, or preference
   * pairs (nodes/feedback/preferences.ts).
   */
  kind: 'examples' | 'text' | 'preferences';
  /** A built-in dataset or corpus, or the name of an upload the user brought. */
  name: string;
  uploaded: boolean;
  /** Uploaded images: the example shape the node's params promise ([h, w, c]), and those params. */
  exampleShape?: number[];
  shapeParams?: string[];
  /** Uploaded labelled images: how many classes the node's params promise. */
  classes?: number;
  /** Text: tokens in one training window. */
  contextLength?: number;
  /** Text of lines: one line per example, padded, rather than windows of the stream. */
  perLine?: boolean;
  /** Text of lines: how many lines are held out (absent: a tenth). */
  heldOutLines?: number;
  /** Preferences: what the pairs compare, and the share of pairs held out. */
  preferenceKind?: 'text' | 'image' | 'points';
  testFraction?: number;
  /** Preferences rated by a scripted rule: the rule and how the headless feedback loop runs. */
  scripted?: ScriptedFeedback;
}

/** A scripted rater and the rounds of the feedback loop it drives (sample, rate, fit, fine-tune). */
export interface ScriptedFeedback {
  rule: string;
  tau: number;
  settings: { letter: string; digit: number; point: [number, number] };
  /** Pairs rated each round, then steps of the reward model and of the fine-tune. */
  roundPairs: number;
  rewardSteps: number;
  tuneSteps: number;
}

/** Where a data node lets the user bring their own data (the inspector offers the upload). */
export interface UploadSpec {
  kind: 'images' | 'text' | 'preferences';
  /** The param whose value `choiceValue` selects the upload. */
  choiceParam: string;
  /** The value of `choiceParam` that selects the upload; 'upload' when absent. */
  choiceValue?: string;
  /** The param that names the upload. */
  nameParam: string;
  /** Show the upload control only while `choiceParam` is 'upload'. */
  onlyWhenChosen: boolean;
}
