import type { Line, Word } from '../../model/doc.js';

/** The parts of tesseract.js's `blocks` output we read. */
export interface TessBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
export interface TessWord {
  text: string;
  confidence: number;
  bbox: TessBbox;
}
export interface TessLine {
  words: TessWord[];
  bbox: TessBbox;
}
export interface TessBlock {
  paragraphs: Array<{ lines: TessLine[] }>;
}

const box = ({ x0, y0, x1, y1 }: TessBbox) => ({ x0, y0, x1, y1 });

/**
 * Turn Tesseract's block → paragraph → line → word tree into printed lines in
 * Tesseract's reading order. A line's text is its words joined by single
 * spaces (NFC); lines with no visible word are dropped.
 */
export function blocksToLines(blocks: readonly TessBlock[] | null | undefined): Line[] {
  const lines: Line[] = [];
  for (const block of blocks ?? []) {
    for (const paragraph of block.paragraphs ?? []) {
      for (const line of paragraph.lines ?? []) {
        const words: Word[] = [];
        for (const word of line.words ?? []) {
          const text = word.text.normalize('NFC').trim();
          if (text === '') continue;
          words.push({ text, bbox: box(word.bbox), confidence: clampConfidence(word.confidence) });
        }
        if (words.length === 0) continue;
        lines.push({ text: words.map((word) => word.text).join(' '), bbox: box(line.bbox), words });
      }
    }
  }
  return lines;
}

function clampConfidence(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, Math.round(value * 100) / 100)) : 0;
}

/** Mean word confidence of the lines (0–100), or null when there are no words. */
export function meanConfidence(lines: readonly Line[]): number | null {
  let sum = 0;
  let count = 0;
  for (const line of lines) {
    for (const word of line.words ?? []) {
      sum += word.confidence;
      count++;
    }
  }
  return count === 0 ? null : Math.round((sum / count) * 100) / 100;
}
