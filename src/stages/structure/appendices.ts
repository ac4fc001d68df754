/**
 * Phụ lục: label, heading, `(Kèm theo …)` note and tables. Tables come from
 * tab-separated rows (born-digital), from `table-row` lines (scans, rebuilt
 * from the page's rules), or, as a last resort, from legacy OCR text that read
 * the table column by column: there each numbered row is recovered with its
 * text in reading order and marked `low`.
 */
import type { Appendix, Table } from '../../model/structure.js';
import { fold, letterCount, upperRatio } from './fold.js';
import { isBlank, joinText, toBlocks, type SourceLine } from './lines.js';
import { segment, tableFromRun } from './tables.js';

/**
 * Label of a phụ lục when the line is one (`Phụ lục`, `PHỤ LỤC II`, OCR'd `Phg lgc`); null otherwise.
 *
 * @param text One line.
 */
export function appendixLabel(text: string): { label: string; number: string | null } | null {
  const t = text.trim();
  const m = /^ph[uưgqy]\s*l[uưgq4y]c(?:\s+(s[o0]\s+)?([IVXLivxl]+|\d{1,2}|[A-Za-z]))?\s*[:.]?$/i.exec(fold(t));
  if (!m) return null;
  return { label: t.replace(/[:.]$/, ''), number: m[2] ?? null };
}

/** Where each appendix row came from, for placing citations. */
export interface AppendixRowSource {
  appendix: number;
  table: number;
  row: number;
  line: SourceLine;
  cells: string[];
}

/** Appendices and the paragraphs and rows to search for citations. */
export interface Appendices {
  appendices: Appendix[];
  rows: AppendixRowSource[];
  paragraphs: Array<{ appendix: number; text: string; line: SourceLine }>;
}

const ROW_START = /^\s*([0-9IlJj|]{1,2})\s+(?=\S)/;

function rowNumber(token: string, expected: number): boolean {
  if (/^\d+$/.test(token)) return Number(token) === expected;
  // OCR reads 1 as I/l/|; accept a damaged token of the right width in sequence.
  return token.length === String(expected).length;
}

/**
 * Recover rows of a table whose cells OCR read column by column: a row starts
 * at a line opening with the next row number; its text (all cells, scrambled)
 * is kept in reading order, chunks separated by blank lines put on lines of
 * their own. Every row is marked `low`.
 *
 * @param lines Lines after the table's header line.
 */
export function recoverColumnText(lines: readonly SourceLine[]): { table: Table; rowLines: SourceLine[] } | null {
  const rows: string[][] = [];
  const rowLines: SourceLine[] = [];
  let chunks: string[] = [];
  let chunk = '';
  let gap = false;
  const flush = () => {
    if (chunk) chunks.push(chunk);
    chunk = '';
  };
  for (const l of lines) {
    const m = ROW_START.exec(l.text);
    if (m && rowNumber(m[1], rows.length + 1)) {
      flush();
      if (rows.length > 0) rows[rows.length - 1].push(chunks.join('\n'));
      chunks = [];
      rows.push([String(rows.length + 1)]);
      rowLines.push(l);
      chunk = l.text.slice(m[0].length).trim();
      gap = false;
      continue;
    }
    if (rows.length === 0) continue;
    if (isBlank(l) || /^\s*\S?\s*$/.test(l.text)) {
      gap = true;
      continue;
    }
    if (gap) {
      flush();
      gap = false;
    }
    chunk = chunk ? joinText(chunk, l.text.trim()) : l.text.trim();
  }
  flush();
  if (rows.length === 0) return null;
  rows[rows.length - 1].push(chunks.join('\n'));
  const pages = lines.map((l) => l.page);
  return {
    table: {
      columns: ['STT', 'Nội dung (các cột bị đọc lẫn)'],
      rows,
      reliability: rows.map(() => 'low' as const),
      source: 'ocr-columns',
      pages: { from: Math.min(...pages), to: Math.max(...pages) },
    },
    rowLines,
  };
}

/**
 * Parse the phụ lục of a document.
 *
 * @param lines Lines from the first `Phụ lục` label to the end of the document.
 */
export function parseAppendices(lines: readonly SourceLine[]): Appendices {
  const out: Appendices = { appendices: [], rows: [], paragraphs: [] };
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (!l.cells && appendixLabel(l.text)) starts.push(i);
  });
  starts.forEach((start, k) => {
    const end = starts[k + 1] ?? lines.length;
    const label = appendixLabel(lines[start].text);
    if (!label) return;
    const index = out.appendices.length;
    const appendix: Appendix = {
      label: label.label,
      number: label.number,
      heading: null,
      note: null,
      paragraphs: [],
      tables: [],
      pages: { from: lines[start].page, to: lines[end - 1].page },
    };
    out.appendices.push(appendix);
    let i = start + 1;
    const heading: string[] = [];
    // Heading: the capitalised lines under the label; note: the bracketed `(Kèm theo …)`.
    for (; i < end; i++) {
      const l = lines[i];
      if (l.cells) break;
      const text = l.text.trim();
      if (text === '') continue;
      if (text.startsWith('(') && appendix.note === null) {
        let note = text;
        while (!note.includes(')') && i + 1 < end && !lines[i + 1].cells) note = joinText(note, lines[++i].text.trim());
        appendix.note = note;
        continue;
      }
      if (appendix.note === null && upperRatio(text) >= 0.7 && letterCount(text) >= 3 && !/^s?tt\b/i.test(fold(text))) {
        heading.push(text);
        continue;
      }
      break;
    }
    appendix.heading = heading.length > 0 ? heading.reduce((a, b) => joinText(a, b)) : null;
    const rest = lines.slice(i, end);
    const hasCells = rest.some((l) => l.cells);
    const headerAt = rest.findIndex((l) => !l.cells && /^\s*s?tt\b/i.test(fold(l.text)));
    if (!hasCells && headerAt >= 0) {
      const recovered = recoverColumnText(rest.slice(headerAt + 1));
      if (recovered) {
        const t = appendix.tables.length;
        appendix.tables.push(recovered.table);
        recovered.table.rows.forEach((cells, row) => out.rows.push({ appendix: index, table: t, row, line: recovered.rowLines[row], cells }));
      }
      for (const b of toBlocks(rest.slice(0, headerAt))) appendix.paragraphs.push(b.text);
      return;
    }
    for (const seg of segment(rest)) {
      if (seg.kind === 'text') {
        for (const b of toBlocks(seg.lines)) {
          appendix.paragraphs.push(b.text);
          out.paragraphs.push({ appendix: index, text: b.text, line: b.lines[0] });
        }
        continue;
      }
      const { table, rowLines } = tableFromRun(seg.lines);
      const t = appendix.tables.length;
      appendix.tables.push(table);
      table.rows.forEach((cells, row) => out.rows.push({ appendix: index, table: t, row, line: rowLines[row], cells }));
    }
  });
  return out;
}
