import type { GrayImage } from './table-grid.js';

/**
 * Stretch contrast so that paper is pure white and the darkest ink black,
 * with noise in the paper clipped away. Most pixels of a page are paper, so
 * the median is the paper tone and the distance to the 16th percentile one
 * standard deviation of its noise (for a normal spread); everything lighter
 * than `paper − 2.5σ` becomes white. Ink keeps its anti-aliased edges
 * (no hard threshold: Tesseract binarizes better from gray).
 *
 * @returns A new image; an almost blank page is returned unchanged.
 */
export function levels(image: GrayImage): GrayImage {
  const histogram = new Float64Array(256);
  for (const value of image.data) histogram[value]++;
  const total = image.data.length;
  const percentile = (fraction: number) => {
    let seen = 0;
    for (let value = 0; value < 256; value++) {
      seen += histogram[value];
      if (seen >= fraction * total) return value;
    }
    return 255;
  };
  const paper = percentile(0.5);
  const sigma = Math.max(1, paper - percentile(0.16));
  const white = Math.min(255, paper - 2.5 * sigma);
  const black = percentile(0.002);
  if (white - black < 32) return image;
  const scale = 255 / (white - black);
  const table = new Uint8Array(256);
  for (let value = 0; value < 256; value++) table[value] = Math.max(0, Math.min(255, Math.round((value - black) * scale)));
  const out = new Uint8Array(image.data.length);
  for (let index = 0; index < out.length; index++) out[index] = table[image.data[index]];
  return { data: out, width: image.width, height: image.height };
}
