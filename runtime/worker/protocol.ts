// Shared by the training worker and its page-side client.

/** Samples in each periodic batch: a 10×10 image grid, or enough points to show a distribution's shape. */
export const SAMPLE_COUNT = 100;
