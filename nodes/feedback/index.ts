// Learning from human feedback: preference data, the reward model and the fine-tuning losses.
import { preferences } from './preference-data';
import { bradleyTerry, rewardModel } from './reward-model';
import { dpo } from './dpo';
import { diffusionDpo } from './diffusion-dpo';
import { reinforce } from './reinforce';
import { rewardTune } from './reward-tune';
import type { AnyNodeDefinition } from '../types';

export const feedbackNodes: AnyNodeDefinition[] = [preferences, rewardModel, bradleyTerry, dpo, rewardTune, reinforce, diffusionDpo];
