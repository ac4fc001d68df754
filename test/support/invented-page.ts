import type { Line, Word } from '../../src/model/doc.js';

/** A printed line as Tesseract gives it, from words placed on an invented page: words joined by spaces, box around them. */
export function line(...words: Word[]): Line {
  const box = {
    x0: Math.min(...words.map((w) => w.bbox.x0)),
    y0: Math.min(...words.map((w) => w.bbox.y0)),
    x1: Math.max(...words.map((w) => w.bbox.x1)),
    y1: Math.max(...words.map((w) => w.bbox.y1)),
  };
  return { text: words.map((w) => w.text).join(' '), bbox: box, words };
}
