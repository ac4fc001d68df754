import type { GrayImage } from './table-grid.js';

/** Options of `binarizeSauvola`. */
export interface SauvolaOptions {
  /** Side of the square window for local statistics, px (odd). @default 51 */
  readonly window?: number;
  /** Sensitivity: higher keeps less faint ink. @default 0.2 */
  readonly k?: number;
}

/**
 * Adaptive threshold (Sauvola & Pietikäinen, 2000): a pixel is ink when it
 * is darker than `mean × (1 + k × (std / 128 − 1))` of its neighbourhood.
 * Unlike one global (Otsu) threshold it follows uneven lighting and keeps
 * faint strokes where the paper around them is plain, while flat noisy
 * paper (low local contrast) stays white. Local sums come from integral
 * images, so the cost does not depend on the window.
 *
 * @returns A new image of 0 (ink) and 255 (paper).
 */
export function binarizeSauvola(image: GrayImage, options: Readonly<SauvolaOptions> = {}): GrayImage {
  const { width, height, data } = image;
  const half = Math.floor((options.window ?? 51) / 2);
  const k = options.k ?? 0.2;
  const stride = width + 1;
  // Integral images with a zero row and column in front.
  const sum = new Float64Array(stride * (height + 1));
  const squares = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    let rowSquares = 0;
    const row = y * width;
    const above = y * stride;
    const here = (y + 1) * stride;
    for (let x = 0; x < width; x++) {
      const value = data[row + x];
      rowSum += value;
      rowSquares += value * value;
      sum[here + x + 1] = sum[above + x + 1] + rowSum;
      squares[here + x + 1] = squares[above + x + 1] + rowSquares;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const top = Math.max(0, y - half);
    const bottom = Math.min(height, y + half + 1);
    for (let x = 0; x < width; x++) {
      const left = Math.max(0, x - half);
      const right = Math.min(width, x + half + 1);
      const count = (bottom - top) * (right - left);
      const a = top * stride + left;
      const b = top * stride + right;
      const c = bottom * stride + left;
      const d = bottom * stride + right;
      const mean = (sum[d] - sum[b] - sum[c] + sum[a]) / count;
      const variance = (squares[d] - squares[b] - squares[c] + squares[a]) / count - mean * mean;
      const std = variance > 0 ? Math.sqrt(variance) : 0;
      const threshold = mean * (1 + k * (std / 128 - 1));
      out[y * width + x] = data[y * width + x] < threshold ? 0 : 255;
    }
  }
  return { data: out, width, height };
}
