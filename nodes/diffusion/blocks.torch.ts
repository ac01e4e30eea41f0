// The U-Net blocks and classifier-free guidance's label dropout are not written in PyTorch yet: a
// graph holding one stops the export with a diagnostic naming it.
import { notExported } from '../torch-exporter';

export const resBlockTorch = notExported('resBlock', 'the residual block of the U-Net examples');
export const spatialAttentionTorch = notExported('spatialAttention', 'attention over pixels');
export const labelDropoutTorch = notExported('labelDropout', 'classifier-free guidance');
