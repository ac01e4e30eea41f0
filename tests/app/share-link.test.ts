// Share links are bounded: too long a link, a graph too large once expanded, or a damaged link is
// refused with a reason, and a good one round-trips.
import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { MAX_GRAPH_CHARS, MAX_LINK_CHARS, parseSharedHash, shareUrl } from '../../app/files/shareLink';
import { example } from '../cli/fixtures';

describe('share links', () => {
  it('round-trips a graph', () => {
    const doc = example('gan-ring');
    const url = shareUrl(doc, 'http://x/');
    const { doc: back } = parseSharedHash(url.slice(url.indexOf('#')));
    expect(back?.nodes.map((n) => n.id)).toEqual(doc.nodes.map((n) => n.id));
  });

  it('refuses a link longer than the limit without decompressing it', () => {
    const t0 = performance.now();
    const r = parseSharedHash('#graph=' + 'A'.repeat(MAX_LINK_CHARS + 1));
    expect(performance.now() - t0).toBeLessThan(100);
    expect(r.doc).toBeNull();
    expect(r.diagnostics[0].message).toMatch(/links of up to 200,000 are opened/);
  });

  it('refuses a short link that expands past the graph limit', () => {
    const bomb = compressToEncodedURIComponent(JSON.stringify({ format: 'genloom.graph', pad: 'x'.repeat(MAX_GRAPH_CHARS) }));
    expect(bomb.length).toBeLessThan(MAX_LINK_CHARS);
    const r = parseSharedHash('#graph=' + bomb);
    expect(r.doc).toBeNull();
    expect(r.diagnostics[0].message).toMatch(/expands to 2,000,\d{3} characters/);
  });

  it('says a damaged link is damaged', () => {
    expect(parseSharedHash('#graph=%%%').diagnostics[0].message).toMatch(/damaged|not valid|JSON/);
  });
});
