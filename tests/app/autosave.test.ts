// Autosave keeps the last two good versions; a corrupted newest one falls back to the one before.
import { describe, expect, it } from 'vitest';
import { loadAutosave, writeAutosave, type SaveStorage } from '../../app/files/autosave';
import { serializeGraph } from '../../runtime/graph/load';
import { example } from '../cli/fixtures';

function memory(): SaveStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: async (k) => data.get(k), set: async (k, v) => void data.set(k, v) };
}

const ring = serializeGraph(example('gan-ring'));
const vae = serializeGraph(example('vae-mnist-2d'));

describe('autosave', () => {
  it('restores the newest version', async () => {
    const s = memory();
    await writeAutosave({ graph: ring, viewport: null }, s);
    await writeAutosave({ graph: vae, viewport: { x: 1, y: 2, zoom: 1 } }, s);
    expect(await loadAutosave(s)).toMatchObject({ graph: vae, viewport: { x: 1, y: 2, zoom: 1 }, fellBack: false });
  });

  it('falls back to the previous version when the newest is cut short or altered', async () => {
    const s = memory();
    await writeAutosave({ graph: ring, viewport: null }, s);
    await writeAutosave({ graph: vae, viewport: null }, s);
    const newest = [...s.data.entries()].find(([, v]) => (v as { graph: string }).graph === vae)![0];
    // Cut short: no longer JSON.
    s.data.set(newest, { graph: vae.slice(0, vae.length / 2), viewport: null });
    expect(await loadAutosave(s)).toMatchObject({ graph: ring, fellBack: true });
    // Altered in a way that still parses: the checksum catches it.
    const altered = vae.replace('"steps": ', '"steps": 1');
    s.data.set(newest, { graph: altered, viewport: null, check: 1 });
    expect(await loadAutosave(s)).toMatchObject({ graph: ring, fellBack: true });
  });

  it('never rotates a corrupted version into the previous slot', async () => {
    const s = memory();
    await writeAutosave({ graph: ring, viewport: null }, s);
    const key = [...s.data.keys()][0];
    s.data.set(key, { graph: '{"format": "genl', viewport: null });
    await writeAutosave({ graph: vae, viewport: null }, s);
    await writeAutosave({ graph: ring, viewport: null }, s);
    // Newest ring, previous vae: the broken one is gone.
    expect((await loadAutosave(s))?.graph).toBe(ring);
    s.data.set(key, 'garbage');
    expect(await loadAutosave(s)).toMatchObject({ graph: vae, fellBack: true });
  });

  it('returns nothing when no version is intact', async () => {
    const s = memory();
    s.data.set('genloom.autosave.v1', { graph: 'nope', viewport: null });
    expect(await loadAutosave(s)).toBeNull();
  });
});
