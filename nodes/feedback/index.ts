// Learning from human feedback: preference data, the reward model and the fine-tuning losses.
import { preferences } from './preference-data';
import type { AnyNodeDefinition } from '../types';

export const feedbackNodes: AnyNodeDefinition[] = [preferences];
