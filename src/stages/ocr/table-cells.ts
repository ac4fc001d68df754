/**
 * Second reading of ruled table cells that page OCR read badly.
 *
 * Tesseract's page layout analysis drops short cells (a row number, a lone
 * word) and reads a printed line straight across the rules, so a cell can come
 * back empty, with low-confidence words, or with a word running into its
 * neighbour. Reading such a cell on its own crop (one block of text, no layout
 * analysis) gets it right far more often. Only those cells are read again:
 * most cells of a table page are read well the first time, and each extra
 * reading costs OCR time.
 */
import sharp from 'sharp';
import type { Bbox, Line, TableGrid, Word } from '../../model/doc.js';
import { isVnplanError } from '../../errors.js';
import { findSpans, type GrayImage } from '../preprocess/table-grid.js';
import type { OcrContext, OcrImage, OcrPool } from './pool.js';

/** Options of `rereadTableCells`. */
export interface TableCellOptions {
  /** A cell whose page-OCR words include one below this confidence (0–100) is read again. @default 40 */
  readonly minConfidence?: number;
  /**
   * The same for a short cell (a number, a date, a unit's name: at most three words), where page OCR
   * is weakest and a second reading is cheap. @default 80
   */
  readonly shortConfidence?: number;
}

/** One cell of a grid on the page, px of the OCR image. */
export interface GridCell {
  /** Grid index on the page. */
  table: number;
  /** 0-based row. */
  row: number;
  /** First and last column it covers (a cell spanning columns covers several). */
  from: number;
  to: number;
  box: Bbox;
}

/** Why a cell is read again: `empty` (ink but no word), `low-confidence`, `straddling` (a word crosses its rule). */
export type RereadReason = 'empty' | 'low-confidence' | 'straddling';

const HAS_TEXT = /[\p{L}\p{N}]/u;
/** Words in a short cell. */
const SHORT_CELL = 3;
// A rule read into a word (`|Ban`, `{CÔNG`, `Sở|`) lowers its confidence; the rows are rebuilt without the mark.
const RULE_MARK = /^[|¦[{]|[|¦\]}]$/u;

/** The cells of a grid, a cell spanning columns (its column rules not inked in that row) given whole. */
export function gridCells(image: GrayImage, grid: TableGrid, table = 0): GridCell[] {
  const spans = findSpans(image, grid);
  const cells: GridCell[] = [];
  for (let row = 0; row + 1 < grid.rows.length; row++) {
    for (let k = 0; k + 1 < grid.columns.length; k++) {
      if (spans.some((s) => s.row === row && k > s.from && k <= s.to)) continue;
      const to = spans.find((s) => s.row === row && s.from === k)?.to ?? k;
      cells.push({ table, row, from: k, to, box: { x0: grid.columns[k], y0: grid.rows[row], x1: grid.columns[to + 1], y1: grid.rows[row + 1] } });
    }
  }
  return cells;
}

function centre(b: Bbox): { x: number; y: number } {
  return { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 };
}

function holds(b: Bbox, p: { x: number; y: number }): boolean {
  return p.x >= b.x0 && p.x < b.x1 && p.y >= b.y0 && p.y < b.y1;
}

/** Inside a cell's rules, with room for a rule's thickness and a little tilt. */
function inset(cell: GridCell, image: GrayImage): Bbox {
  const d = Math.max(3, Math.round(Math.max(image.width, image.height) / 500));
  return {
    x0: Math.max(0, Math.round(cell.box.x0) + d),
    y0: Math.max(0, Math.round(cell.box.y0) + d),
    x1: Math.min(image.width, Math.round(cell.box.x1) - d),
    y1: Math.min(image.height, Math.round(cell.box.y1) - d),
  };
}

/** Dark pixels inside the box, enough for a printed character (a dot of dust is not). */
function hasInk(image: GrayImage, box: Bbox): boolean {
  const need = Math.max(12, Math.round((image.width / 2480) * (image.width / 2480) * 80));
  let dark = 0;
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * image.width;
    for (let x = box.x0; x < box.x1; x++) if (image.data[row + x] < 128 && ++dark >= need) return true;
  }
  return false;
}

/**
 * Which cells page OCR read badly: cells with ink but no word, with a word
 * under `minConfidence` (`shortConfidence` in a cell of at most three words), or touched by a word that crosses one of their
 * column rules (Tesseract read across the rule).
 *
 * @returns For each cell to read again, why.
 */
export function cellsToReread(
  lines: readonly Line[],
  cells: readonly GridCell[],
  image: GrayImage,
  minConfidence = 40,
  shortConfidence = 80,
): Map<GridCell, RereadReason> {
  const words = new Map<GridCell, Word[]>(cells.map((c) => [c, []]));
  const out = new Map<GridCell, RereadReason>();
  for (const line of lines) {
    for (const word of line.words ?? []) {
      const c = centre(word.bbox);
      const home = cells.find((cell) => holds(cell.box, c));
      if (!home) continue;
      words.get(home)!.push(word);
      // A word reaching well over a column rule of its row: both cells it touches are suspect.
      // (A rule read as `|` is no such word: it lies on the rule, and the rows are rebuilt without it.)
      if (!HAS_TEXT.test(word.text)) continue;
      const width = word.bbox.x1 - word.bbox.x0;
      const over = Math.max(4, width * 0.15);
      if (word.bbox.x0 < home.box.x0 - over || word.bbox.x1 > home.box.x1 + over) {
        out.set(home, 'straddling');
        for (const cell of cells) {
          if (cell !== home && cell.table === home.table && cell.row === home.row && word.bbox.x0 < cell.box.x1 - over && word.bbox.x1 > cell.box.x0 + over) out.set(cell, 'straddling');
        }
      }
    }
  }
  for (const cell of cells) {
    if (out.has(cell)) continue;
    const mine = words.get(cell)!.filter((w) => HAS_TEXT.test(w.text));
    if (mine.length === 0) {
      if (hasInk(image, inset(cell, image))) out.set(cell, 'empty');
    } else if (mine.some((w) => w.confidence < (mine.length <= SHORT_CELL ? shortConfidence : minConfidence) && !RULE_MARK.test(w.text))) {
      out.set(cell, 'low-confidence');
    }
  }
  return out;
}

/**
 * Read again, each on its own crop, the table cells that page OCR read badly
 * (see `cellsToReread`), and put their words in place of the page-OCR words
 * of those cells. Crops go through the shared pool with page segmentation 6
 * (one block of text), so a lone number is read too. A cell whose second
 * reading finds nothing, is less sure than the page's, or fails (timeout, crash) keeps its
 * page-OCR words; only `INTERRUPTED` (abort, pool terminated) is thrown.
 *
 * @param lines Page OCR lines (with word boxes) of the image.
 * @param image The OCR input image (what the boxes refer to).
 * @param tables Ruled tables found on that image.
 * @param pool The OCR pool the page was read with.
 * @param context Where the page comes from (messages, time limit, abort).
 * @returns The page's lines: lines outside the re-read cells as they were
 *   (less the words taken out), then one line per printed line of each re-read cell.
 */
export async function rereadTableCells(
  lines: readonly Line[],
  image: OcrImage,
  tables: readonly TableGrid[],
  pool: OcrPool,
  context: OcrContext = {},
  options: Readonly<TableCellOptions> = {},
): Promise<Line[]> {
  const grids = tables.filter((g) => g.rows.length >= 2 && g.columns.length >= 2);
  if (grids.length === 0 || lines.some((l) => l.bbox && !l.words)) return [...lines];
  const { data, info } = await sharp(image.data).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const gray: GrayImage = { data, width: info.width, height: info.height };
  const cells = grids.flatMap((grid, t) => gridCells(gray, grid, t));
  const chosen = [...cellsToReread(lines, cells, gray, options.minConfidence ?? 40, options.shortConfidence ?? 80).keys()];
  if (chosen.length === 0) return [...lines];

  const pad = 16;
  const readings = await Promise.all(
    chosen.map(async (cell) => {
      const box = inset(cell, gray);
      const width = box.x1 - box.x0;
      const height = box.y1 - box.y0;
      if (width < 8 || height < 8) return null;
      const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
        .extract({ left: box.x0, top: box.y0, width, height })
        .extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#ffffff' })
        .png({ compressionLevel: 1 })
        .toBuffer();
      let result;
      try {
        const pageShare = ((width + 2 * pad) * (height + 2 * pad)) / (gray.width * gray.height);
        result = await pool.recognize({ data: png, dpi: image.dpi }, { ...context, pageSegMode: '6', pageShare });
      } catch (error) {
        // The page is read already: a cell that fails keeps that reading; only a stop stops the page.
        if (isVnplanError(error) && error.code === 'INTERRUPTED') throw error;
        return null;
      }
      const dx = box.x0 - pad;
      const dy = box.y0 - pad;
      const moved = result.lines.map((line) => shift(line, dx, dy)).filter((line) => (line.words ?? []).some((w) => HAS_TEXT.test(w.text)));
      if (moved.length === 0) return null;
      // Neither reading is always the better one (page OCR sees more context on a faint scan):
      // the cell's own reading replaces the page's only when Tesseract is at least as sure of it.
      const before = meanTextConfidence(lines.flatMap((l) => l.words ?? []).filter((w) => holds(cell.box, centre(w.bbox))));
      const after = meanTextConfidence(moved.flatMap((l) => l.words ?? []));
      return before === null || (after ?? 0) >= before ? { cell, lines: moved } : null;
    }),
  );
  const replaced = readings.filter((r): r is { cell: GridCell; lines: Line[] } => r !== null);
  if (replaced.length === 0) return [...lines];

  const inReplaced = (w: Word) => replaced.some((r) => holds(r.cell.box, centre(w.bbox)));
  const out: Line[] = [];
  for (const line of lines) {
    const words = line.words ?? [];
    const kept = words.filter((w) => !inReplaced(w));
    if (kept.length === words.length) out.push(line);
    else if (kept.length > 0) out.push(withWords(line, kept));
  }
  for (const r of replaced) out.push(...r.lines);
  return out;
}

/** Mean confidence of the words with a letter or digit (rule marks and specks aside), or null. */
export function meanTextConfidence(words: readonly Word[]): number | null {
  const text = words.filter((w) => HAS_TEXT.test(w.text) && !RULE_MARK.test(w.text));
  return text.length === 0 ? null : text.reduce((sum, w) => sum + w.confidence, 0) / text.length;
}

/** A line read on a crop, in page coordinates: boxes divided by the crop's `scale`, then moved by (dx, dy). */
export function shift(line: Line, dx: number, dy: number, scale = 1): Line {
  const move = (b: Bbox): Bbox => ({ x0: b.x0 / scale + dx, y0: b.y0 / scale + dy, x1: b.x1 / scale + dx, y1: b.y1 / scale + dy });
  return { ...line, bbox: line.bbox && move(line.bbox), words: line.words?.map((w) => ({ ...w, bbox: move(w.bbox) })) };
}

/** The line with only these words: its text and box made from them. */
export function withWords(line: Line, words: Word[]): Line {
  return {
    ...line,
    text: words.map((w) => w.text).join(' '),
    bbox: {
      x0: Math.min(...words.map((w) => w.bbox.x0)),
      y0: Math.min(...words.map((w) => w.bbox.y0)),
      x1: Math.max(...words.map((w) => w.bbox.x1)),
      y1: Math.max(...words.map((w) => w.bbox.y1)),
    },
    words,
  };
}
