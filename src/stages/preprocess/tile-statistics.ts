import type { GrayImage } from './table-grid.js';

/** Gray-level statistics of a page over the neighbourhood of each square tile. */
export interface TileStatistics {
  /** Side of a tile, px. */
  tile: number;
  /** Tiles across and down. */
  columns: number;
  rows: number;
  /** Per tile (row-major): mean gray level over the tile and its neighbours. */
  means: Float64Array;
  /** Per tile: standard deviation over the same neighbourhood (only when asked for). */
  deviations?: Float64Array;
}

/**
 * Mean (and spread) of the gray levels around each tile of `tile` px: over
 * the tile and its neighbours up to `reach` tiles away. Local thresholds
 * need these per pixel; they vary slowly across a page, so tiles plus
 * interpolation give them in two passes over the pixels, whatever the
 * neighbourhood's size.
 */
export function tileStatistics(image: GrayImage, tile: number, reach: number, withDeviation = false): TileStatistics {
  const { width, height, data } = image;
  const columns = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const sums = new Float64Array(columns * rows);
  const squares = new Float64Array(withDeviation ? columns * rows : 0);
  const counts = new Float64Array(columns * rows);
  // Per row, one tile at a time: no division per pixel.
  for (let y = 0; y < height; y++) {
    const base = Math.floor(y / tile) * columns;
    const row = y * width;
    for (let column = 0, x = 0; column < columns; column++) {
      const end = Math.min(width, x + tile);
      counts[base + column] += end - x;
      let sum = 0;
      let square = 0;
      if (withDeviation) {
        for (; x < end; x++) {
          const value = data[row + x];
          sum += value;
          square += value * value;
        }
        squares[base + column] += square;
      } else {
        for (; x < end; x++) sum += data[row + x];
      }
      sums[base + column] += sum;
    }
  }
  const means = new Float64Array(columns * rows);
  const deviations = withDeviation ? new Float64Array(columns * rows) : undefined;
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < columns; tx++) {
      let sum = 0;
      let square = 0;
      let count = 0;
      for (let yy = Math.max(0, ty - reach); yy <= Math.min(rows - 1, ty + reach); yy++) {
        for (let xx = Math.max(0, tx - reach); xx <= Math.min(columns - 1, tx + reach); xx++) {
          const cell = yy * columns + xx;
          sum += sums[cell];
          count += counts[cell];
          if (withDeviation) square += squares[cell];
        }
      }
      const mean = sum / count;
      means[ty * columns + tx] = mean;
      if (deviations) {
        const variance = square / count - mean * mean;
        deviations[ty * columns + tx] = variance > 0 ? Math.sqrt(variance) : 0;
      }
    }
  }
  return { tile, columns, rows, means, deviations };
}
