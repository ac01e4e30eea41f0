// Python names for what the graph calls by its own ids: node ids become attributes and variables,
// network roles become class names. Ids may hold any character; python identifiers may not.

const KEYWORDS = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if import in is ' +
    'lambda nonlocal not or pass raise return try while with yield').split(' '),
);
/** Names the exported files use themselves (modules, helpers, nn.Module's own attributes). */
const TAKEN = new Set(
  ('torch nn F math data np run count step x t ids self super print len range list dict sum min max type id input ' +
    'forward training parameters buffers modules children state_dict train eval to cuda cpu zero_grad apply register_buffer ' +
    'genloom_weights args main sample mix x_hat grad penalty real r1 beta binary alpha_bars seq ab ab_prev x0 eps sigma probs CONTEXT limit').split(' '),
);

/** A python identifier for a graph id, kept readable: `enc-1` → `enc_1`, `1x` → `n1x`, `eval` → `eval_`. */
export function pyIdent(id: string): string {
  let s = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `n${s}`;
  if (KEYWORDS.has(s) || TAKEN.has(s)) s = `${s}_`;
  return s;
}

/** A network's class name: `generator` → `Generator`, `decoder2` → `Decoder2`. */
export function className(network: string): string {
  const words = network.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(/\s+/);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Net${name}`;
}

/** Lines indented by `depth` levels of four spaces (blank lines stay blank). */
export function indent(lines: string[], depth = 1): string[] {
  const pad = '    '.repeat(depth);
  return lines.map((l) => (l === '' ? l : pad + l));
}

/** Python definitions joined once each, in the order first asked for, separated by two blank lines. */
export function joinHelpers(helpers: Map<string, string>): string {
  return [...helpers.values()].map((h) => h.trimEnd()).join('\n\n\n');
}
