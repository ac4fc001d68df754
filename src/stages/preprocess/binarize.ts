import type { GrayImage } from './table-grid.js';
import { tileStatistics } from './tile-statistics.js';

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
  const { columns, rows, means, deviations } = tileStatistics(image, tile, reach, true);
  const thresholds = means.map((mean, index) => mean * (1 + k * (deviations![index] / 128 - 1)));
  // Horizontal interpolation weights are the same on every row.
  const left = new Int32Array(width);
  const right = new Int32Array(width);
  const weight = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(Math.max((x + 0.5) / tile - 0.5, 0), columns - 1);
    left[x] = fx | 0;
    right[x] = left[x] + 1 < columns ? left[x] + 1 : left[x];
    weight[x] = fx - left[x];
  }
  const out = new Uint8Array(width * height);
  const across = new Float64Array(columns);
  for (let y = 0; y < height; y++) {
    // Position between tile centres, clamped at the borders.
    const fy = Math.min(Math.max((y + 0.5) / tile - 0.5, 0), rows - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, rows - 1);
    const wy = fy - y0;
    for (let column = 0; column < columns; column++) {
      across[column] = thresholds[y0 * columns + column] * (1 - wy) + thresholds[y1 * columns + column] * wy;
    }
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const wx = weight[x];
      out[row + x] = data[row + x] < across[left[x]] * (1 - wx) + across[right[x]] * wx ? 0 : 255;
    }
  }
  return { data: out, width, height };
}
