// New preference pairs for a model that is already loaded: the preferences nodes reading that set
// take them at their next batch, so rating while a model trains needs no recompile (which would
// start the weights over). The pool keeps each pair's held-out split by index, so appending is safe.
import type { PreferenceSet } from '../../nodes/feedback/preferences';
import type { Trainer } from './trainer';

/** Puts `set` into every loaded preferences node that reads `name`; returns how many took it. */
export function replacePairs(trainer: Trainer, name: string, set: PreferenceSet): number {
  let taken = 0;
  if (!trainer.compiled) return taken;
  for (const [id, pool] of trainer.preferencePools) {
    const entry = trainer.compiled?.checked.nodes.get(id);
    if (entry?.def.data?.(entry.params).name !== name) continue;
    if (set.kind !== pool.set.kind) throw new Error(`preferences "${id}": the pairs "${name}" compare ${set.kind}, but the node compares ${pool.set.kind}`);
    if (set.kind === 'image' && set.shape?.join('×') !== pool.set.shape?.join('×'))
      throw new Error(`preferences "${id}": the pairs "${name}" hold ${set.shape?.join('×')} images, but the node's are ${pool.set.shape?.join('×')}`);
    pool.set = set;
    taken++;
  }
  return taken;
}
