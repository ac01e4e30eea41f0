// What a data node asks the runtime to load before training, declared by its definition, so the
// runtime loads data without knowing which node types read it.

export interface DataNeed {
  /** Examples (images or points, with labels where the set has them) or a text corpus. */
  kind: 'examples' | 'text';
  /** A built-in dataset or corpus, or the name of an upload the user brought. */
  name: string;
  uploaded: boolean;
  /** Uploaded images: the example shape the node's params promise ([h, w, c]), and those params. */
  exampleShape?: number[];
  shapeParams?: string[];
  /** Text: tokens in one training window. */
  contextLength?: number;
}

/** Where a data node lets the user bring their own data (the inspector offers the upload). */
export interface UploadSpec {
  kind: 'images' | 'text';
  /** The param whose value 'upload' selects the upload; null when the upload is always offered. */
  choiceParam: string;
  /** The param that names the upload. */
  nameParam: string;
  /** Show the upload control only while `choiceParam` is 'upload'. */
  onlyWhenChosen: boolean;
}
