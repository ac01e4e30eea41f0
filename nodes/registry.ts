// Every node type, in one array. The canvas palette, the validator and the compiler read only this.
import { dataNodes } from './data';
import { dense } from './layers/dense';
import type { AnyNodeDefinition } from './types';

export const NODE_TYPES: readonly AnyNodeDefinition[] = [
  ...dataNodes,
  dense,
];

const BY_TYPE = new Map(NODE_TYPES.map((d) => [d.type, d]));

export function getNodeDef(type: string): AnyNodeDefinition | undefined {
  return BY_TYPE.get(type);
}

export function nodeTypeNames(): string[] {
  return NODE_TYPES.map((d) => d.type);
}
