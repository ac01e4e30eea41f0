// Classes for labelled image uploads, as Teachable Machine takes them: one folder per class
// (`cats/01.png`), or, for loose files, the file name up to its first underscore (`cat_01.png`).
// Pure string work, so the page, the worker and the tests read labels the same way.

export interface UploadLabels {
  /** Class id of each file, in the order given. */
  labels: Uint8Array;
  /** Class names in id order (sorted, so the same files always give the same ids). */
  classes: string[];
}

/** The most classes a labelled upload may have (labels are stored as bytes). */
export const MAX_UPLOAD_CLASSES = 256;

/** The class of one file from its path relative to the chosen folder, or its name; null when it names none. */
export function classOfPath(path: string): string | null {
  const parts = path.split(/[\\/]/).filter((p) => p.length > 0);
  if (parts.length >= 2) return parts[parts.length - 2];
  const name = parts[0] ?? '';
  const cut = name.indexOf('_');
  return cut > 0 ? name.slice(0, cut) : null;
}

/** Labels for `paths`; a file that names no class, or fewer than two classes, is an error saying what was expected. */
export function labelUploads(paths: string[]): UploadLabels {
  const named = paths.map((p) => ({ path: p, cls: classOfPath(p) }));
  const unnamed = named.filter((x) => x.cls === null).map((x) => x.path);
  if (unnamed.length > 0) {
    const list = unnamed.slice(0, 5).join(', ') + (unnamed.length > 5 ? ` and ${unnamed.length - 5} more` : '');
    throw new Error(`${list}: no class: put each class's images in a folder of its own, or name each file class_anything.png`);
  }
  const classes = [...new Set(named.map((x) => x.cls!))].sort();
  if (classes.length < 2) throw new Error(`found only the class "${classes[0] ?? ''}": a classifier needs images of at least 2 classes`);
  if (classes.length > MAX_UPLOAD_CLASSES) throw new Error(`found ${classes.length} classes, at most ${MAX_UPLOAD_CLASSES} are supported`);
  const id = new Map(classes.map((c, i) => [c, i]));
  return { labels: Uint8Array.from(named, (x) => id.get(x.cls!)!), classes };
}

/** The class names a dataset node records (`uploadClasses`, read back by `splitClasses`); commas in names become spaces. */
export function joinClasses(classes: string[]): string {
  return classes.map((c) => c.replace(/,/g, ' ').trim() || '?').join(', ');
}
