// Learning from feedback (preference pairs, reward models, DPO) trains in stages the exported
// train.py does not run: a graph holding these nodes stops the export with a diagnostic naming one.
import { notExported } from '../torch-exporter';

const WHY = 'learning from feedback trains in stages that the PyTorch export does not run';
export const preferencesTorch = notExported('preferences', WHY);
export const rewardModelTorch = notExported('rewardModel', WHY);
export const bradleyTerryTorch = notExported('bradleyTerry', WHY);
export const dpoTorch = notExported('dpo', WHY);
export const rewardTuneTorch = notExported('rewardTune', WHY);
export const reinforceTorch = notExported('reinforce', WHY);
export const diffusionDpoTorch = notExported('diffusionDpo', WHY);
