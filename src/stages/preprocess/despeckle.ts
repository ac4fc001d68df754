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
  // Ink integral image, to count ink around a component quickly.
  const stride = width + 1;
  const integral = new Int32Array(stride * (height + 1));
  let inkTotal = 0;
  for (let y = 0; y < height; y++) {
    let row = 0;
    const source = y * width;
    const above = y * stride + 1;
    const here = (y + 1) * stride + 1;
    for (let x = 0; x < width; x++) {
      if (data[source + x] === 0) row++;
      integral[here + x] = integral[above + x] + row;
    }
    inkTotal += row;
  }
  const inkIn = (x0: number, y0: number, x1: number, y1: number) => {
    const left = Math.max(0, x0);
    const top = Math.max(0, y0);
    const right = Math.min(width, x1);
    const bottom = Math.min(height, y1);
    return integral[bottom * stride + right] - integral[top * stride + right] - integral[bottom * stride + left] + integral[top * stride + left];
  };
  // Pages keep text at least 15 mm (7 %) from the paper edge.
  const bandX = Math.round(width * 0.03);
  const bandY = Math.round(height * 0.03);

  // Flood each component once to measure it; components to remove are
  // remembered by a seed pixel and flooded again to erase them. A visited
  // byte per pixel and a stack the size of the ink keep memory small.
  const visited = new Uint8Array(width * height);
  const stack = new Int32Array(Math.max(1, inkTotal));
  const doomed: number[] = [];
  const flood = (start: number, erase: boolean) => {
    let top = 0;
    stack[top++] = start;
    if (erase) data[start] = 255;
    else visited[start] = 1;
    let area = 0;
    let minX = width;
    let minY = height;
    let maxX = 0;
    let maxY = 0;
    while (top > 0) {
      const index = stack[--top];
      area++;
      const y = (index / width) | 0;
      const x = index - y * width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const y0 = y > 0 ? y - 1 : 0;
      const y1 = y < height - 1 ? y + 1 : y;
      const x0 = x > 0 ? x - 1 : 0;
      const x1 = x < width - 1 ? x + 1 : x;
      for (let yy = y0; yy <= y1; yy++) {
        for (let xx = x0; xx <= x1; xx++) {
          const next = yy * width + xx;
          if (data[next] !== 0) continue;
          if (erase) {
            data[next] = 255;
            stack[top++] = next;
          } else if (visited[next] === 0) {
            visited[next] = 1;
            stack[top++] = next;
          }
        }
      }
    }
    return { area, minX, minY, maxX, maxY };
  };
  for (let start = 0; start < data.length; start++) {
    if (data[start] !== 0 || visited[start] !== 0) continue;
    const { area, minX, minY, maxX, maxY } = flood(start, false);
    const atEdge =
      minX === 0 || minY === 0 || maxX === width - 1 || maxY === height - 1 ||
      maxX < bandX || minX > width - bandX || maxY < bandY || minY > height - bandY;
    if (atEdge) {
      doomed.push(start);
      continue;
    }
    if (area > maxArea) continue;
    const around = inkIn(minX - reach, minY - reach, maxX + 1 + reach, maxY + 1 + reach);
    const own = inkIn(minX, minY, maxX + 1, maxY + 1);
    if (around === own) doomed.push(start);
  }
  for (const start of doomed) if (data[start] === 0) flood(start, true);
  return { data, width, height };
}
