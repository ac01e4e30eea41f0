// Prints the node catalogue as a Markdown table, for the README (`npx tsx scripts/node-catalogue.ts`).
import { NODE_TYPES } from '../nodes/registry';

const rows = NODE_TYPES.map((d) => {
  const ports = (ps: { id: string }[]) => ps.map((p) => `\`${p.id}\``).join(', ') || '—';
  const params = Object.keys(d.params).map((k) => `\`${k}\``).join(', ') || '—';
  // A bar in a doc (q(z|x)) would end the table cell.
  return `| ${d.category} | \`${d.type}\` | ${d.doc.replaceAll('|', '\\|')} | ${ports(d.inputs)} | ${ports(d.outputs)} | ${params} |`;
});
console.log(['| category | type | what it does | inputs | outputs | params |', '|---|---|---|---|---|---|', ...rows].join('\n'));
