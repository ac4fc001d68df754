import type { GrayImage } from './table-grid.js';

/** Options of `binarizeSauvola`. */
export interface SauvolaOptions {
  /** Side of the square window for local statistics, px. @default 49 */
  readonly window?: number;
  /** Sensitivity: higher keeps less faint ink. @default 0.2 */
  readonly k?: number;
}

/**
 * Adaptive threshold (Sauvola & Pietikäinen, 2000): a pixel is ink when it
 * is darker than `mean × (1 + k × (std / 128 − 1))` of its neighbourhood.
 * Unlike one global (Otsu) threshold it follows uneven lighting and keeps
 * faint strokes where the paper around them is plain, while flat noisy
 * paper (low local contrast) stays white.
 *
 * The statistics vary slowly across a page, so they are computed per tile
 * of a seventh of the window (mean and spread over the window around it)
 * and the threshold is interpolated bilinearly between tile centres: two
 * passes over the pixels whatever the window size.
 *
 * @returns A new image of 0 (ink) and 255 (paper).
 */
export function binarizeSauvola(image: GrayImage, options: Readonly<SauvolaOptions> = {}): GrayImage {
  const { width, height, data } = image;
  const k = options.k ?? 0.2;
  // Window = the tile and its neighbours within `reach` tiles.
  const reach = 3;
  const tile = Math.max(2, Math.round((options.window ?? 49) / (2 * reach + 1)));
  const columns = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const sums = new Float64Array(columns * rows);
  const squares = new Float64Array(columns * rows);
  const counts = new Float64Array(columns * rows);
  for (let y = 0; y < height; y++) {
    const base = Math.floor(y / tile) * columns;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const value = data[row + x];
      const cell = base + ((x / tile) | 0);
      sums[cell] += value;
      squares[cell] += value * value;
      counts[cell]++;
    }
  }
  const thresholds = new Float64Array(columns * rows);
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < columns; tx++) {
      let sum = 0;
      let square = 0;
      let count = 0;
      for (let dy = -reach; dy <= reach; dy++) {
        const yy = ty + dy;
        if (yy < 0 || yy >= rows) continue;
        for (let dx = -reach; dx <= reach; dx++) {
          const xx = tx + dx;
          if (xx < 0 || xx >= columns) continue;
          const cell = yy * columns + xx;
          sum += sums[cell];
          square += squares[cell];
          count += counts[cell];
        }
      }
      const mean = sum / count;
      const variance = square / count - mean * mean;
      const std = variance > 0 ? Math.sqrt(variance) : 0;
      thresholds[ty * columns + tx] = mean * (1 + k * (std / 128 - 1));
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    // Position between tile centres, clamped at the borders.
    const fy = Math.min(Math.max((y + 0.5) / tile - 0.5, 0), rows - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, rows - 1);
    const wy = fy - y0;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) / tile - 0.5, 0), columns - 1);
      const x0 = fx | 0;
      const x1 = x0 + 1 < columns ? x0 + 1 : x0;
      const wx = fx - x0;
      const top = thresholds[y0 * columns + x0] * (1 - wx) + thresholds[y0 * columns + x1] * wx;
      const bottom = thresholds[y1 * columns + x0] * (1 - wx) + thresholds[y1 * columns + x1] * wx;
      const threshold = top * (1 - wy) + bottom * wy;
      out[row + x] = data[row + x] < threshold ? 0 : 255;
    }
  }
  return { data: out, width, height };
}
