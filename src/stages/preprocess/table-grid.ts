import type { TableGrid } from '../../model/doc.js';

/** A grayscale page image: one byte per pixel, row-major. */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Find ruled tables on a page image.
 * To do: placeholder until the table-grid detector lands (returns no tables).
 */
export function findTableGrids(_image: GrayImage): TableGrid[] {
  return [];
}
