// Category colours, shared by the canvas, the minimap, the palette and the example previews.
import type { Category } from '../nodes/types';

export const CATEGORY_COLORS: Record<Category, string> = {
  data: '#4a7fb5',
  layers: '#4f9a86',
  generative: '#8e6bb3',
  losses: '#c0794a',
};

export const CATEGORY_LABELS: Record<Category, string> = {
  data: 'Data',
  layers: 'Layers',
  generative: 'Generative',
  losses: 'Losses',
};

export const CATEGORIES: Category[] = ['data', 'layers', 'generative', 'losses'];
