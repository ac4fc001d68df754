import type { Page } from '../../model/doc.js';
import type { VnplanError } from '../../errors.js';

/** Decoded page pixels (row-major, 8 bits per channel). */
export interface RawImage {
  kind: 'raw';
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** One page of an encoded image file (PNG, JPEG, TIFF), decoded later by sharp. */
export interface EncodedImage {
  kind: 'encoded';
  data: Uint8Array;
  /** 0-based page (TIFF directory). */
  page: number;
  width: number;
  height: number;
}

/** A page image waiting to be preprocessed. */
export type RasterInput = RawImage | EncodedImage;

/**
 * One page as rasterize hands it on: already text (a PDF text layer, a text
 * file), an image for preprocessing and OCR, or a page that could not be read.
 */
export type PageSource =
  | { kind: 'text'; number: number; page: Page }
  | { kind: 'image'; number: number; image: RasterInput; dpi: number; dpiAssumed: boolean }
  | { kind: 'failed'; number: number; error: VnplanError };

/** The pages of one input, produced one at a time. */
export interface PageReader {
  /** Number of pages in the input. */
  readonly pageCount: number;
  /** Pages in order; each is produced only when asked for (streaming). */
  pages(): AsyncGenerator<PageSource, void, undefined>;
  /** Release the document (pdf.js memory). Safe to call twice. */
  close(): Promise<void>;
}
