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
  const data = Uint8Array.from(image.data);
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  // Ink integral image, to count ink around a component quickly.
  const stride = width + 1;
  const integral = new Int32Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] === 0) row++;
      integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row;
    }
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

  // Pass 1: label components and decide which go; pass 2 erases them.
  let remove = new Uint8Array(1024);
  let label = 0;
  for (let start = 0; start < data.length; start++) {
    if (data[start] !== 0 || labels[start] !== 0) continue;
    label++;
    if (label >= remove.length) {
      const grown = new Uint8Array(remove.length * 2);
      grown.set(remove);
      remove = grown;
    }
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    let area = 0;
    let minX = width;
    let minY = height;
    let maxX = 0;
    let maxY = 0;
    while (top > 0) {
      const index = stack[--top];
      area++;
      const x = index % width;
      const y = (index - x) / width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const next = yy * width + xx;
          if (data[next] === 0 && labels[next] === 0) {
            labels[next] = label;
            stack[top++] = next;
          }
        }
      }
    }
    const atEdge =
      minX === 0 || minY === 0 || maxX === width - 1 || maxY === height - 1 ||
      maxX < bandX || minX > width - bandX || maxY < bandY || minY > height - bandY;
    if (atEdge) {
      remove[label] = 1;
      continue;
    }
    if (area > maxArea) continue;
    const around = inkIn(minX - reach, minY - reach, maxX + 1 + reach, maxY + 1 + reach);
    const own = inkIn(minX, minY, maxX + 1, maxY + 1);
    if (around === own) remove[label] = 1;
  }
  for (let index = 0; index < data.length; index++) if (remove[labels[index]] === 1 && data[index] === 0) data[index] = 255;
  return { data, width, height };
}
