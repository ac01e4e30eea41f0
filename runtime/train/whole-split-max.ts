// Apart from whole-split.ts so that the PyTorch export, which runs beside the canvas, can read it
// without loading tfjs.

/**
 * The largest test split measured whole. A corpus of lines holds out a tenth or a count of them
 * (about 3,000 names); MNIST's 10,000 images would take minutes through a U-Net on a CPU, so those
 * stay with the drawn batches.
 */
export const WHOLE_SPLIT_MAX = 5_000;
