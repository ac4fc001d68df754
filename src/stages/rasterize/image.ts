import sharp, { type Metadata } from 'sharp';
import { VnplanError } from '../../errors.js';
import type { PageReader, PageSource } from './sources.js';

/** Options for reading an image file. */
export interface ImageReadOptions {
  /** Refuse images with more pixels than this (checked from the header, before decoding). */
  maxInputPixels: number;
  /** Resolution to assume when the file has none or an implausible one. */
  fallbackDpi: number;
  /** Input path, for messages. */
  path: string;
}

/**
 * Open a PNG, JPEG or TIFF. Every page of a multi-page TIFF is read (sharp
 * reads only the first unless asked). Sizes are checked from the headers
 * before any pixel is decoded.
 *
 * @throws {VnplanError} `INPUT_TOO_LARGE` when a page exceeds `maxInputPixels`;
 *   `INPUT_CORRUPT` when the header cannot be read.
 */
export async function openImage(bytes: Uint8Array, options: ImageReadOptions): Promise<PageReader> {
  const { path } = options;
  const first = await readMetadata(bytes, 0, options);
  const pageCount = Math.max(1, first.pages ?? 1);
  return {
    pageCount,
    async *pages() {
      for (let index = 0; index < pageCount; index++) {
        const number = index + 1;
        let source: PageSource;
        try {
          const meta = index === 0 ? first : await readMetadata(bytes, index, options);
          const density = meta.density;
          const plausible = typeof density === 'number' && density >= 70 && density <= 1200;
          source = {
            kind: 'image',
            number,
            image: { kind: 'encoded', data: bytes, page: index, width: meta.width, height: meta.height },
            dpi: plausible ? density : options.fallbackDpi,
            dpiAssumed: !plausible,
          };
        } catch (error) {
          const failure =
            error instanceof VnplanError
              ? new VnplanError(error.code, error.message, { path, page: number, cause: error.cause })
              : new VnplanError('INPUT_CORRUPT', `the page cannot be read (${String(error)})`, { path, page: number, cause: error });
          if (index === 0) throw failure;
          source = { kind: 'failed', number, error: failure };
        }
        yield source;
      }
    },
    async close() {},
  };
}

async function readMetadata(
  bytes: Uint8Array,
  page: number,
  options: ImageReadOptions,
): Promise<{ width: number; height: number; density?: number; pages?: number }> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { page, limitInputPixels: false }).metadata();
  } catch (error) {
    throw new VnplanError('INPUT_CORRUPT', `the image is damaged and cannot be read (${(error as Error).message})`, {
      path: options.path,
      cause: error,
    });
  }
  const { width, height } = meta;
  if (!width || !height) {
    throw new VnplanError('INPUT_CORRUPT', 'the image header has no size', { path: options.path });
  }
  if (width * height > options.maxInputPixels) {
    throw new VnplanError(
      'INPUT_TOO_LARGE',
      `the image is too large: ${width}×${height} px (${Math.round((width * height) / 1e6)} MP); the limit is ${Math.round(options.maxInputPixels / 1e6)} MP`,
      { path: options.path, page: page + 1 },
    );
  }
  return { width, height, density: meta.density, pages: meta.pages };
}
