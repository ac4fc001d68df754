/**
 * Second reading, at a larger scale, of the recipients block (Nơi nhận).
 *
 * Nghị định 30/2020/NĐ-CP sets that block in small type (11 pt items under a
 * 12 pt label), and page OCR, which reads it at the page's resolution among
 * 13–14 pt body text, misreads its abbreviations (`NG` for `NC`, `LLI` for
 * `LT`) more than anything else on the page. Tesseract often reads small
 * print better when the glyphs are bigger, so the block's column is cropped,
 * enlarged (2× and 3×), thresholded again and read on its own. An enlarged
 * reading also makes new mistakes (`VT` read `VI` at confidence 93), so a page
 * line takes the new words only when both enlargements read it alike and
 * Tesseract is at least as sure of them as of the page reading.
 */
import sharp from 'sharp';
import type { Bbox, Line, Word } from '../../model/doc.js';
import { isVnplanError } from '../../errors.js';
import type { OcrContext, OcrImage, OcrPool } from './pool.js';
import type { GrayImage } from '../preprocess/table-grid.js';
import { meanTextConfidence, shift, withWords } from './table-cells.js';

/** Options of `rereadSmallPrint`. */
export interface SmallPrintOptions {
  /**
   * Whether a line's text is the block's label (`Nơi nhận:` read loosely). Given by the caller:
   * recognizing the layout of an administrative document is the structure stage's knowledge
   * (`isRecipientsLabel`), not OCR's.
   */
  readonly isLabel: (text: string) => boolean;
  /** Enlargements of the crop, each read once; a line changes only when all readings agree. @default [2, 3] */
  readonly scales?: readonly number[];
  /** Gaussian blur (sigma, px of the enlarged crop) before thresholding again; 0 for none. @default 0 */
  readonly blur?: number;
}

/** The recipients block found on a page: its box and the page lines that cross it. */
export interface SmallPrintBlock {
  /** px of the OCR image. */
  box: Bbox;
  /** Indexes into the page lines, top to bottom (the label's line first). */
  lines: number[];
}

// The label sits in the lower part of the page: a `Nơi nhận` quoted in the body is not a block.
const LOWER_PART = 0.35;

function height(b: Bbox): number {
  return b.y1 - b.y0;
}

/**
 * The words of a line left of its first wide gap: on the line of a
 * two-column footer (Nơi nhận | signer) page OCR reads both columns as one
 * line, and the gap between them is far wider than a word space.
 */
function leftWords(line: Line): Word[] {
  const words = line.words ?? [];
  if (words.length === 0) return [];
  const sorted = [...words].sort((a, b) => a.bbox.x0 - b.bbox.x0);
  const wide = 2.5 * Math.max(1, height(line.bbox ?? sorted[0].bbox));
  const out = [sorted[0]];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].bbox.x0 - sorted[i - 1].bbox.x1 > wide) break;
    out.push(sorted[i]);
  }
  return out;
}

function span(words: readonly Word[]): Bbox {
  return {
    x0: Math.min(...words.map((w) => w.bbox.x0)),
    y0: Math.min(...words.map((w) => w.bbox.y0)),
    x1: Math.max(...words.map((w) => w.bbox.x1)),
    y1: Math.max(...words.map((w) => w.bbox.y1)),
  };
}

/**
 * Find the recipients block: the line whose left column starts with the
 * `Nơi nhận` label (read loosely), in the lower part of the page and the left
 * half, and the lines below it that start in the same column, until a gap of
 * more than two line heights or the bottom of the page.
 *
 * @param lines Page OCR lines with word boxes.
 * @param width Width of the OCR image, px.
 * @param pageHeight Height of the OCR image, px.
 * @param isLabel Whether a text is the block's label (see `SmallPrintOptions.isLabel`).
 */
export function findSmallPrintBlock(
  lines: readonly Line[],
  width: number,
  pageHeight: number,
  isLabel: (text: string) => boolean,
): SmallPrintBlock | null {
  const order = lines
    .map((line, index) => ({ line, index, left: leftWords(line) }))
    .filter((l) => l.left.length > 0)
    .sort((a, b) => span(a.left).y0 - span(b.left).y0);
  const start = order.findIndex(
    (l) => isLabel(l.left.map((w) => w.text).join(' ')) && span(l.left).y0 > pageHeight * LOWER_PART && span(l.left).x0 < width / 2,
  );
  if (start < 0) return null;
  const label = span(order[start].left);
  const lineHeight = height(label);
  const taken = [order[start]];
  let bottom = label.y1;
  for (const next of order.slice(start + 1)) {
    const box = span(next.left);
    if (box.y0 - bottom > 2 * lineHeight) break;
    // A line of the same column starts near the label (items are indented a little at most).
    if (Math.abs(box.x0 - label.x0) > 4 * lineHeight || box.x0 > width / 2) continue;
    taken.push(next);
    bottom = Math.max(bottom, box.y1);
  }
  const left = taken.flatMap((l) => l.left);
  const box = span(left);
  // The crop stops short of the other column's words on the same lines (the signer block).
  const others = taken.flatMap((l) => (l.line.words ?? []).filter((w) => !l.left.includes(w)));
  const limit = Math.min(width, ...others.map((w) => w.bbox.x0));
  const pad = Math.round(lineHeight / 2);
  return {
    box: {
      x0: Math.max(0, Math.round(box.x0) - pad),
      y0: Math.max(0, Math.round(box.y0) - pad),
      x1: Math.min(Math.round(limit) - 1, Math.round(box.x1) + pad),
      y1: Math.min(pageHeight, Math.round(box.y1) + pad),
    },
    lines: taken.map((l) => l.index),
  };
}

/**
 * Read the recipients block again on its own enlarged crops (see the file's
 * comment) and put, line by line, the new words in place of the page-OCR words
 * of that column when every enlargement reads the line the same way and their
 * mean confidence is at least as high. Crops go through the shared pool in
 * page segmentation 6. A page without the block costs only a look at the
 * image's header. Lines outside
 * the block, and the other column of the block's lines, stay as they were. A
 * reading that fails (timeout, crash) leaves the page as read; only
 * `INTERRUPTED` (abort, pool terminated) is thrown.
 *
 * @param lines Page OCR lines (with word boxes) of the image.
 * @param image The OCR input image (what the boxes refer to).
 * @param pool The OCR pool the page was read with.
 * @param context Where the page comes from (messages, time limit, abort).
 */
export async function rereadSmallPrint(
  lines: readonly Line[],
  image: OcrImage,
  pool: OcrPool,
  context: OcrContext,
  options: Readonly<SmallPrintOptions>,
): Promise<Line[]> {
  if (lines.some((l) => !l.words)) return [...lines];
  // Most pages have no Nơi nhận block: the image's size (its header) is enough to look for one.
  const size = await sharp(image.data).metadata();
  const block = findSmallPrintBlock(lines, size.width ?? 0, size.height ?? 0, options.isLabel);
  if (!block || block.box.x1 - block.box.x0 < 8 || block.box.y1 - block.box.y0 < 8) return [...lines];
  const { data, info } = await sharp(image.data).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const page = { data, width: info.width, height: info.height };
  const scales = options.scales ?? [2, 3];
  const readings = await Promise.all(scales.map((scale) => readEnlarged(page, block, scale, options.blur ?? 0, image.dpi, pool, context)));
  if (readings.some((r) => r === null)) return [...lines];
  const byLine = readings.map((read) => assign(read!, lines, block));
  return lines.map((line, index) => {
    const fresh = byLine[0].get(index);
    if (!fresh) return line;
    // Enlarging trades old misreadings for new ones about as often as Tesseract's confidence can tell
    // (`VT` read `VI` at 93): a line changes only when every enlargement reads it the same way.
    const text = fresh.map((w) => w.text).join(' ');
    if (byLine.some((other) => other.get(index)?.map((w) => w.text).join(' ') !== text)) return line;
    const old = leftWords(line);
    if (old.map((w) => w.text).join(' ') === text) return line;
    const before = meanTextConfidence(old);
    const after = meanTextConfidence(fresh);
    if (after === null || (before !== null && after < before)) return line;
    const rest = (line.words ?? []).filter((w) => !old.includes(w));
    return withWords(line, [...fresh, ...rest].sort((a, b) => a.bbox.x0 - b.bbox.x0));
  });
}

/** The block's crop enlarged `scale` times, thresholded again and read as one block of text; its lines in page px, or null on failure. */
async function readEnlarged(
  page: GrayImage,
  block: SmallPrintBlock,
  scale: number,
  blur: number,
  dpi: number,
  pool: OcrPool,
  context: OcrContext,
): Promise<Line[] | null> {
  const { box } = block;
  const width = box.x1 - box.x0;
  const tall = box.y1 - box.y0;
  const pad = 16;
  const big = { width: Math.round(width * scale), height: Math.round(tall * scale), channels: 1 as const };
  let crop = sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } })
    .extract({ left: box.x0, top: box.y0, width, height: tall })
    .resize(big.width, big.height, { kernel: 'cubic' });
  // sharp gives a one-channel raw image back as three channels unless told otherwise.
  if (blur > 0) crop = sharp(await crop.extractChannel(0).raw().toBuffer(), { raw: big }).blur(blur);
  const png = await crop
    .threshold(128)
    .extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#ffffff' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  try {
    const pageShare = ((big.width + 2 * pad) * (big.height + 2 * pad)) / (page.width * page.height);
    const result = await pool.recognize({ data: png, dpi: Math.round(dpi * scale) }, { ...context, pageSegMode: '6', pageShare });
    return result.lines.map((line) => shift(line, box.x0 - pad / scale, box.y0 - pad / scale, scale)).filter((l) => (l.words ?? []).length > 0);
  } catch (error) {
    // The page is read already: a failed second reading keeps it; only a stop stops the page.
    if (isVnplanError(error) && error.code === 'INTERRUPTED') throw error;
    return null;
  }
}

/** Each line of a reading goes to the block line it overlaps most in height: its words by page line index. */
function assign(read: readonly Line[], lines: readonly Line[], block: SmallPrintBlock): Map<number, Word[]> {
  const byLine = new Map<number, Word[]>();
  for (const line of read) {
    const b = line.bbox ?? span(line.words!);
    let best = -1;
    let overlap = 0;
    for (const index of block.lines) {
      const own = span(leftWords(lines[index]));
      const o = Math.min(b.y1, own.y1) - Math.max(b.y0, own.y0);
      if (o > overlap) [best, overlap] = [index, o];
    }
    if (best >= 0) byLine.set(best, [...(byLine.get(best) ?? []), ...line.words!]);
  }
  return byLine;
}
