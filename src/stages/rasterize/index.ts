/**
 * Rasterize: turn an ingested file into a stream of pages, each either text
 * (a PDF page with a visible text layer, a text file) or an image for OCR.
 */
import { VnplanError } from '../../errors.js';
import type { IngestedFile } from '../ingest/index.js';
import { textToPages } from '../ingest/text-pages.js';
import { openImage } from './image.js';
import { openPdf } from './pdf.js';
import type { PageReader } from './sources.js';

export type { PageReader, PageSource, RasterInput, RawImage, EncodedImage } from './sources.js';
export { runsToLines } from './text-lines.js';
export { countTextDraws } from './text-visibility.js';

/** Options of `openPages`. */
export interface RasterizeOptions {
  /** Resolution for rasterizing image-only PDF pages, dpi. @default 300 */
  readonly dpi?: number;
  /** Largest page raster rendered from a PDF, pixels. @default 40_000_000 */
  readonly maxPagePixels?: number;
  /** Largest image file accepted, pixels (checked from its header). @default 150_000_000 */
  readonly maxInputPixels?: number;
  /** Resolution assumed for images without a plausible one. @default 300 */
  readonly fallbackDpi?: number;
}

/**
 * Open an ingested file as a stream of pages. Pages are produced one at a
 * time, so a caller that processes each before asking for the next never
 * holds more than one raster.
 *
 * @throws {VnplanError} `PDF_ENCRYPTED`, `INPUT_CORRUPT`, `INPUT_TOO_LARGE`.
 */
export async function openPages(file: IngestedFile, options: Readonly<RasterizeOptions> = {}): Promise<PageReader> {
  const dpi = options.dpi ?? 300;
  switch (file.kind) {
    case 'text': {
      if (file.text === undefined) throw new VnplanError('INTERNAL', 'text file was not decoded', { path: file.path });
      const pages = textToPages(file.text);
      return {
        pageCount: pages.length,
        async *pages() {
          for (const page of pages) yield { kind: 'text', number: page.number, page };
        },
        async close() {},
      };
    }
    case 'pdf':
      return openPdf(file.bytes, { dpi, maxPixels: options.maxPagePixels ?? 40_000_000, path: file.path });
    case 'png':
    case 'jpeg':
    case 'tiff':
      return openImage(file.bytes, {
        maxInputPixels: options.maxInputPixels ?? 150_000_000,
        fallbackDpi: options.fallbackDpi ?? 300,
        path: file.path,
      });
  }
}
