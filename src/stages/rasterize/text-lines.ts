import type { Line } from '../../model/doc.js';

/** A positioned run of text from pdf.js `getTextContent()` (the fields we use). */
export interface TextRun {
  str: string;
  /** Text matrix [a, b, c, d, e, f]; e/f = origin in PDF user space (y up). */
  transform: number[];
  width: number;
  height: number;
  hasEOL?: boolean;
}

interface Placed {
  text: string;
  x0: number;
  x1: number;
  baseline: number;
  size: number;
}

/**
 * Rebuild printed lines from pdf.js text runs: runs whose baselines lie
 * within a third of the font size form one row, read left to right. Runs
 * separated by a small gap are joined with one space; a gap wider than three
 * font sizes splits the row into separate lines (two-column header blocks
 * put the issuer and the national motto on the same baselines), read left
 * column first within the row. Whitespace runs and empty runs are only
 * separators. Text is NFC with runs of spaces collapsed.
 *
 * @param runs Text runs of one page.
 * @param pageHeight Page height in PDF units, to turn y-up into y-down boxes.
 * @param scale Pixels per PDF unit for the boxes (dpi / 72).
 */
export function runsToLines(runs: readonly TextRun[], pageHeight: number, scale: number): Line[] {
  const placed: Placed[] = [];
  for (const run of runs) {
    if (run.str.trim() === '') continue;
    const [a, b, , , e, f] = run.transform;
    // Rotated runs (stamps, margin notes) still get a row by their origin.
    const size = Math.max(Math.hypot(a, b), run.height, 1);
    placed.push({ text: run.str, x0: e, x1: e + Math.max(run.width, 0), baseline: f, size });
  }
  placed.sort((left, right) => right.baseline - left.baseline || left.x0 - right.x0);

  const rows: Placed[][] = [];
  for (const item of placed) {
    const row = rows.at(-1);
    const anchor = row?.[0];
    if (row && anchor && Math.abs(anchor.baseline - item.baseline) <= Math.min(anchor.size, item.size) / 3) row.push(item);
    else rows.push([item]);
  }

  const lines: Line[] = [];
  for (const row of rows) {
    row.sort((left, right) => left.x0 - right.x0);
    let segment: Placed[] = [];
    const flush = () => {
      if (segment.length > 0) lines.push(toLine(segment, pageHeight, scale));
      segment = [];
    };
    for (const item of row) {
      const previous = segment.at(-1);
      if (previous && item.x0 - previous.x1 > 3 * Math.max(previous.size, item.size)) flush();
      segment.push(item);
    }
    flush();
  }
  return lines.filter((line) => line.text !== '');
}

function toLine(segment: Placed[], pageHeight: number, scale: number): Line {
  let text = '';
  let previous: Placed | undefined;
  for (const item of segment) {
    if (previous) {
      const gap = item.x0 - previous.x1;
      const touching = /\s$/u.test(text) || /^\s/u.test(item.text);
      if (!touching && gap > 0.15 * Math.min(previous.size, item.size)) text += ' ';
    }
    text += item.text;
    previous = item;
  }
  const top = Math.max(...segment.map((item) => item.baseline + item.size * 0.8));
  const bottom = Math.min(...segment.map((item) => item.baseline - item.size * 0.25));
  const round = (value: number) => Math.round(value * scale);
  return {
    text: text.replace(/\s+/gu, ' ').trim().normalize('NFC'),
    bbox: {
      x0: round(segment[0].x0),
      y0: round(pageHeight - top),
      x1: round(Math.max(...segment.map((item) => item.x1))),
      y1: round(pageHeight - bottom),
    },
  };
}
