// Locking a layer node or a group for fine-tuning: its weights stay as loaded while the rest train.
import { getNodeDef } from '../../nodes/registry';
import { commit, type EditorState } from './history';

/** Only nodes that hold weights, or hold nodes that do, can be locked. */
export function canLock(type: string): boolean {
  const role = getNodeDef(type)?.role;
  return role === 'layer' || role === 'group';
}

export function setFrozen(state: EditorState, nodeId: string, frozen: boolean): EditorState {
  return commit(state, frozen ? 'Freeze weights' : 'Unfreeze weights', (d) => {
    const n = d.nodes.find((x) => x.id === nodeId);
    if (!n || !canLock(n.type)) return;
    // Written only when set, so unlocked graphs save exactly as before the lock existed.
    if (frozen) n.frozen = true;
    else delete n.frozen;
  });
}
