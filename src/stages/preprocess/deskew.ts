import type { GrayImage } from './table-grid.js';

/** Options of `estimateSkew`. */
export interface SkewOptions {
  /** Largest skew searched, degrees either way. @default 5 */
  readonly maxDegrees?: number;
  /** Final precision, degrees. @default 0.05 */
  readonly precision?: number;
}

/**
 * Estimate how far the text lines of a page are rotated, by projection
 * profiles: for each candidate angle, dark pixels are projected onto the
 * vertical axis along lines of that slope; when the slope matches the text
 * lines, the profile turns into sharp peaks (lines) and gaps (leading), which
 * maximises the sum of squared bin counts. A coarse search is refined twice.
 *
 * Sign: positive when text lines descend to the right (the page was
 * turned clockwise, as sharp's `rotate(angle)` turns it); `rotate(-angle)`
 * straightens it.
 *
 * @param image Grayscale page (dark text on light paper), any size; it is
 *   sampled down to about 1200 px wide internally.
 * @returns Angle in degrees, 0 when the page has too little ink to tell.
 */
export function estimateSkew(image: GrayImage, options: Readonly<SkewOptions> = {}): number {
  const maxDegrees = options.maxDegrees ?? 5;
  const precision = options.precision ?? 0.05;
  const points = inkPoints(image, 1200);
  if (points.count < 200) return 0;

  const score = (degrees: number) => profileScore(points, Math.tan((degrees * Math.PI) / 180));
  let best = 0;
  let bestScore = score(0);
  let step = 0.5;
  let low = -maxDegrees;
  let high = maxDegrees;
  while (true) {
    for (let angle = low; angle <= high + 1e-9; angle += step) {
      const value = score(angle);
      if (value > bestScore) [best, bestScore] = [angle, value];
    }
    if (step <= precision) break;
    low = best - step;
    high = best + step;
    step = Math.max(precision, step / 5);
  }
  return Math.round(best * 100) / 100;
}

interface InkPoints {
  xs: Float64Array;
  ys: Float64Array;
  count: number;
  height: number;
  width: number;
}

// Sample the page on a grid and keep dark pixels (below a threshold halfway
// between the paper and the darkest tone), as centered coordinates.
function inkPoints(image: GrayImage, targetWidth: number): InkPoints {
  const stride = Math.max(1, Math.round(image.width / targetWidth));
  const { data, width, height } = image;
  let darkest = 255;
  let sum = 0;
  let samples = 0;
  for (let y = 0; y < height; y += stride * 4) {
    for (let x = 0; x < width; x += stride * 4) {
      const value = data[y * width + x];
      if (value < darkest) darkest = value;
      sum += value;
      samples++;
    }
  }
  const paper = samples > 0 ? sum / samples : 255;
  const threshold = Math.min(160, (paper + darkest) / 2);
  const xs: number[] = [];
  const ys: number[] = [];
  // Skip a 3% margin: scanner borders and punch holes are not text lines.
  const marginX = Math.floor(width * 0.03);
  const marginY = Math.floor(height * 0.03);
  for (let y = marginY; y < height - marginY; y += stride) {
    const row = y * width;
    for (let x = marginX; x < width - marginX; x += stride) {
      if (data[row + x] < threshold) {
        xs.push((x - width / 2) / stride);
        ys.push((y - height / 2) / stride);
      }
    }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), count: xs.length, width: width / stride, height: height / stride };
}

function profileScore(points: InkPoints, slope: number): number {
  const span = Math.ceil(points.height + Math.abs(slope) * points.width) + 4;
  const bins = new Float64Array(span);
  const offset = span / 2;
  for (let index = 0; index < points.count; index++) {
    const bin = Math.floor(points.ys[index] - slope * points.xs[index] + offset);
    if (bin >= 0 && bin < span) bins[bin]++;
  }
  let total = 0;
  for (const count of bins) total += count * count;
  return total;
}
