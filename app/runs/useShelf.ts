// A stored list (runs or checkpoints) as React state, read again whenever the shelf changes.
import { useEffect, useState } from 'react';
import type { Listeners } from './shelf';

export function useShelf<T>(shelf: { list(): Promise<T[]>; changes: Listeners }): T[] | null {
  const [items, setItems] = useState<T[] | null>(null);
  useEffect(() => {
    let live = true;
    const read = () =>
      void shelf.list().then(
        (v) => live && setItems(v),
        () => live && setItems([]),
      );
    read();
    const off = shelf.changes.subscribe(read);
    return () => {
      live = false;
      off();
    };
  }, [shelf]);
  return items;
}
