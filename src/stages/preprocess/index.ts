/**
 * Preprocess: turn a page image into what Tesseract reads best — one gray
 * channel, contrast stretched, straightened — and find its ruled tables.
 */
import sharp, { type Sharp } from 'sharp';
import type { TableGrid } from '../../model/doc.js';
import { VnplanError } from '../../errors.js';
import type { RasterInput } from '../rasterize/sources.js';
import { estimateSkew } from './deskew.js';
import { flattenBackground } from './flatten-background.js';
import { levels } from './levels.js';
import { despeckle } from './despeckle.js';
import { binarizeSauvola, type SauvolaOptions } from './binarize.js';
import { findTableGrids, type GrayImage } from './table-grid.js';

export { estimateSkew } from './deskew.js';
export { flattenBackground } from './flatten-background.js';
export { levels } from './levels.js';
export { despeckle } from './despeckle.js';
export type { DespeckleOptions } from './despeckle.js';
export { binarizeSauvola } from './binarize.js';
export type { SauvolaOptions } from './binarize.js';
export type { SkewOptions } from './deskew.js';
export { findTableGrids } from './table-grid.js';
export type { GrayImage } from './table-grid.js';

// One page at a time is decoded and never reused: libvips's operation cache
// would only hold memory.
sharp.cache(false);

/** Options of `preprocess`. Each step can be switched off (used by the benchmark). */
export interface PreprocessOptions {
  /** Decoded pages above this many pixels are scaled down first. @default 40_000_000 */
  readonly maxPixels?: number;
  /** Refuse encoded images above this many pixels before decoding. @default 150_000_000 */
  readonly maxInputPixels?: number;
  /**
   * How colour becomes gray. `'red'` keeps the red channel, in which red ink
   * (seals, signatures' stamps) is as light as paper and black text stays
   * black; `'luminance'` is the usual weighted mix. @default 'red'
   */
  readonly gray?: 'red' | 'luminance';
  /** Divide out the paper background (uneven light, yellowed paper). Measured: no gain over Sauvola. @default false */
  readonly flatten?: boolean;
  /** Stretch contrast: paper to white (its noise clipped), darkest ink to black. Measured: washes out faint ink. @default false */
  readonly normalize?: boolean;
  /** Estimate the skew and rotate it away. @default true */
  readonly deskew?: boolean;
  /** Median filter radius against speckle noise (0 = off). @default 0 */
  readonly median?: number;
  /** Gaussian blur sigma against grain noise, px (0 = off). @default 1 */
  readonly blur?: number;
  /** Binarize with this global threshold before OCR (0 = off, let Tesseract do it). @default 0 */
  readonly threshold?: number;
  /** Binarize with an adaptive (Sauvola) threshold before OCR. @default true */
  readonly sauvola?: boolean | Readonly<SauvolaOptions>;
  /** After binarizing, remove isolated specks of dust (scaled to the page's dpi). @default true */
  readonly despeckle?: boolean;
  /** Use the binarization only to whiten paper; ink keeps its gray levels. @default false */
  readonly grayInk?: boolean;
}

/** A page ready for OCR. */
export interface PreparedPage {
  /** The preprocessed gray image (what OCR sees and boxes refer to). */
  gray: GrayImage;
  /** Its resolution, dpi (lower than the input's if it was scaled down). */
  dpi: number;
  /** Skew found and removed, degrees (positive: the page was turned clockwise). */
  skewDegrees: number;
  /** Ruled tables found on the page. */
  tables: TableGrid[];
  /** The image encoded for Tesseract: a 1-bit G4 TIFF when binarized, else an 8-bit PNG. */
  encoded: Uint8Array;
}

/**
 * Preprocess one page image.
 *
 * @param input Raw pixels (a rendered PDF page) or an encoded image page.
 * @param dpi Resolution of the input.
 * @throws {VnplanError} `INPUT_TOO_LARGE` or `INPUT_CORRUPT`.
 */
export async function preprocess(input: RasterInput, dpi: number, options: Readonly<PreprocessOptions> = {}): Promise<PreparedPage> {
  const maxPixels = options.maxPixels ?? 40_000_000;
  const maxInputPixels = options.maxInputPixels ?? 150_000_000;
  if (input.width * input.height > maxInputPixels) {
    throw new VnplanError('INPUT_TOO_LARGE', `the page image is too large: ${input.width}×${input.height} px`);
  }
  let pipeline: Sharp =
    input.kind === 'raw'
      ? sharp(input.data, { raw: { width: input.width, height: input.height, channels: input.channels } })
      : sharp(input.data, { page: input.page, limitInputPixels: maxInputPixels });
  pipeline = pipeline.flatten({ background: '#ffffff' });
  let scale = 1;
  if (input.width * input.height > maxPixels) {
    scale = Math.sqrt(maxPixels / (input.width * input.height));
    pipeline = pipeline.resize(Math.floor(input.width * scale), Math.floor(input.height * scale), { fit: 'fill' });
  }
  pipeline = (options.gray ?? 'red') === 'red' ? pipeline.extractChannel(0) : pipeline.greyscale();
  if (options.median) pipeline = pipeline.median(options.median * 2 + 1);
  const blur = options.blur ?? 1;
  if (blur > 0) pipeline = pipeline.blur(blur);

  let gray: GrayImage;
  try {
    gray = await toGray(pipeline);
  } catch (error) {
    const message = (error as Error).message;
    if (/pixel limit/i.test(message)) {
      throw new VnplanError('INPUT_TOO_LARGE', `the image is too large (${message})`, { cause: error });
    }
    throw new VnplanError('INPUT_CORRUPT', `the image is damaged and cannot be decoded (${message})`, { cause: error });
  }

  if (options.flatten ?? false) gray = await flattenBackground(gray);
  if (options.normalize ?? false) gray = levels(gray);

  let skewDegrees = 0;
  if (options.deskew ?? true) {
    skewDegrees = estimateSkew(gray);
    if (Math.abs(skewDegrees) >= 0.1) gray = await rotate(gray, -skewDegrees);
  }
  const tables = findTableGrids(gray);

  const sauvola = options.sauvola ?? true;
  let ocrInput = sauvola ? binarizeSauvola(gray, sauvola === true ? {} : sauvola) : gray;
  if (sauvola && (options.despeckle ?? true)) {
    const ratio = (dpi * scale) / 300;
    ocrInput = despeckle(ocrInput, { maxArea: Math.round(250 * ratio * ratio), isolation: Math.round(30 * ratio) });
  }
  if (sauvola && options.grayInk) {
    const masked = new Uint8Array(gray.data.length);
    for (let index = 0; index < masked.length; index++) masked[index] = ocrInput.data[index] === 0 ? gray.data[index] : 255;
    ocrInput = { data: masked, width: gray.width, height: gray.height };
  }
  let forOcr = sharp(ocrInput.data, { raw: { width: gray.width, height: gray.height, channels: 1 } });
  if (options.threshold) forOcr = forOcr.threshold(options.threshold);
  // A binary page goes over as a 1-bit CCITT G4 TIFF: 40 kB instead of
  // 600 kB of 8-bit PNG, and measured 0.3 s a page less of OCR time
  // (Leptonica hands Tesseract a 1-bit image it need not threshold again).
  const binary = sauvola && !options.grayInk && !options.threshold;
  const encoded = binary
    ? await forOcr.toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1 }).toBuffer()
    : await forOcr.png({ compressionLevel: 1, adaptiveFiltering: false }).toBuffer();
  return { gray, dpi: Math.round(dpi * scale * 100) / 100, skewDegrees, tables, encoded };
}

async function toGray(pipeline: Sharp): Promise<GrayImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

// Rotate about the centre and crop back to the original size, so the page
// keeps its dimensions; uncovered corners become paper white.
async function rotate(image: GrayImage, degrees: number): Promise<GrayImage> {
  const rotated = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .rotate(degrees, { background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = rotated.info;
  const left = Math.floor((width - image.width) / 2);
  const top = Math.floor((height - image.height) / 2);
  return toGray(
    sharp(rotated.data, { raw: { width, height, channels } })
      .extract({ left, top, width: image.width, height: image.height })
      .extractChannel(0),
  );
}
