import type { GrayImage } from './table-grid.js';

/** Options of `despeckle`. */
export interface DespeckleOptions {
  /** Largest speck removed, pixels of ink. @default 250 (at 300 dpi) */
  readonly maxArea?: number;
  /** A speck is kept when other ink lies within this distance, px. @default 30 */
  readonly isolation?: number;
}

/**
 * Remove dust from a binary page: small ink components with no other ink
 * nearby, and ink that touches the image edge or lies wholly in the outer
 * 3 % of the page (scanner borders, the shadow of the page edge).
 * Diacritics (the dot of "ạ", the hook of "ả") and full stops sit next to
 * their letters, so they stay; a lone speck in a margin or between
 * paragraphs is what Tesseract would otherwise read as `.`, `,` or `'`.
 *
 * @param image Binary image: 0 ink, 255 paper.
 * @returns A new image with the removed ink turned to paper.
 */
export function despeckle(image: GrayImage, options: Readonly<DespeckleOptions> = {}): GrayImage {
  const { width, height } = image;
  const maxArea = options.maxArea ?? 250;
  const reach = options.isolation ?? 30;
  const data = new Uint8Array(image.data);
  // Pages keep text at least 15 mm (7 %) from the paper edge.
  const bandX = Math.round(width * 0.03);
  const bandY = Math.round(height * 0.03);

  // Components are found on runs of ink rather than pixel by pixel: a text
  // page has ~20 times fewer runs than ink pixels. Runs touching (8-connected)
  // runs of the row above are merged with union-find.
  const runs = inkRuns(data, width, height);
  const { count, y: runY, x0: runX0, x1: runX1 } = runs;
  // First run of each row, to count the ink in a rectangle from the runs.
  const rowStart = new Int32Array(height + 1);
  for (let index = 0; index < count; index++) rowStart[runY[index] + 1]++;
  for (let y = 0; y < height; y++) rowStart[y + 1] += rowStart[y];
  const inkIn = (x0: number, y0: number, x1: number, y1: number) => {
    let ink = 0;
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let index = rowStart[y]; index < rowStart[y + 1]; index++) {
        if (runX0[index] >= x1) break;
        const overlap = Math.min(x1, runX1[index]) - Math.max(x0, runX0[index]);
        if (overlap > 0) ink += overlap;
      }
    }
    return ink;
  };
  const parent = new Int32Array(count);
  for (let index = 0; index < count; index++) parent[index] = index;
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]];
      index = parent[index];
    }
    return index;
  };
  // Runs of a row are sorted left to right, so one cursor into the row
  // above serves the whole row.
  let previousStart = 0;
  let previousEnd = 0;
  for (let index = 0; index < count; ) {
    const y = runY[index];
    let rowEnd = index;
    while (rowEnd < count && runY[rowEnd] === y) rowEnd++;
    const touching = previousEnd > previousStart && runY[previousStart] === y - 1;
    let cursor = previousStart;
    for (let run = index; touching && run < rowEnd; run++) {
      while (cursor < previousEnd && runX1[cursor] < runX0[run]) cursor++;
      for (let other = cursor; other < previousEnd && runX0[other] <= runX1[run]; other++) {
        const left = find(other);
        const right = find(run);
        if (left !== right) parent[right] = left;
      }
    }
    previousStart = index;
    previousEnd = rowEnd;
    index = rowEnd;
  }

  const area = new Int32Array(count);
  const minX = new Int32Array(count).fill(width);
  const minY = new Int32Array(count).fill(height);
  const maxX = new Int32Array(count).fill(-1);
  const maxY = new Int32Array(count).fill(-1);
  const root = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    const r = (root[index] = find(index));
    area[r] += runX1[index] - runX0[index];
    if (runX0[index] < minX[r]) minX[r] = runX0[index];
    if (runX1[index] - 1 > maxX[r]) maxX[r] = runX1[index] - 1;
    if (runY[index] < minY[r]) minY[r] = runY[index];
    if (runY[index] > maxY[r]) maxY[r] = runY[index];
  }
  const doomed = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    if (root[r] !== r) continue;
    const atEdge =
      minX[r] === 0 || minY[r] === 0 || maxX[r] === width - 1 || maxY[r] === height - 1 ||
      maxX[r] < bandX || minX[r] > width - bandX || maxY[r] < bandY || minY[r] > height - bandY;
    if (atEdge) {
      doomed[r] = 1;
      continue;
    }
    if (area[r] > maxArea) continue;
    const around = inkIn(minX[r] - reach, minY[r] - reach, maxX[r] + 1 + reach, maxY[r] + 1 + reach);
    const own = inkIn(minX[r], minY[r], maxX[r] + 1, maxY[r] + 1);
    if (around === own) doomed[r] = 1;
  }
  for (let index = 0; index < count; index++) {
    if (doomed[root[index]]) data.fill(255, runY[index] * width + runX0[index], runY[index] * width + runX1[index]);
  }
  return { data, width, height };
}

interface InkRuns {
  count: number;
  y: Int32Array;
  x0: Int32Array;
  /** Exclusive end. */
  x1: Int32Array;
}

// Horizontal runs of ink (0) in row order, then left to right.
function inkRuns(data: Uint8Array, width: number, height: number): InkRuns {
  let capacity = 1 << 16;
  let y = new Int32Array(capacity);
  let x0 = new Int32Array(capacity);
  let x1 = new Int32Array(capacity);
  let count = 0;
  for (let row = 0; row < height; row++) {
    const base = row * width;
    let x = 0;
    while (x < width) {
      if (data[base + x] !== 0) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && data[base + x] === 0) x++;
      if (count === capacity) {
        capacity *= 2;
        const grow = (old: Int32Array) => {
          const next = new Int32Array(capacity);
          next.set(old);
          return next;
        };
        y = grow(y);
        x0 = grow(x0);
        x1 = grow(x1);
      }
      y[count] = row;
      x0[count] = start;
      x1[count] = x;
      count++;
    }
  }
  return { count, y, x0, x1 };
}
