/**
 * Rows of cells → a table: header kept once, rows printed across a page break
 * merged, cell markup of born-digital exports turned into text.
 */
import type { Table } from '../../model/structure.js';
import { similarity } from './fold.js';
import { isBareMarker, isBlank, type SourceLine } from './lines.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Text of one cell: `<p>` and `<li>` become line breaks, other tags
 * (`<i>`, `<ul style=…>`) are dropped, and in a list cell the items run
 * together on one line (`- Kế hoạch - Văn bản triển khai`) are put on lines
 * of their own. Lines are joined by `\n`.
 *
 * @param raw Cell as found in the source.
 */
export function cellText(raw: string): string {
  let s = raw.replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => ENTITIES[e]);
  const markedList = /<(ul|ol|li)\b/i.test(s);
  s = s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(p|div|li|ul|ol)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '');
  let lines = s
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');
  const list = markedList || lines.some((l) => /^[-–+•]\s/.test(l));
  if (list) {
    // An item starts at a dash that follows a word and precedes a capital: `… cụ thể - Hội nghị`.
    // A dash before a lowercase word is a hyphen (`chính trị - xã hội`).
    lines = lines.flatMap((l) => l.split(/\s+(?=[-–+•]\s+[\p{Lu}\d“"(])/u)).map((l) => l.trim());
  }
  return lines.join('\n');
}

/** One row of cells with where it was read. */
export interface RawRow {
  cells: string[];
  page: number;
  line: number;
}

/** A table and, for each of its rows, the first line it was read from. */
export interface AssembledTable {
  table: Table;
  rowLines: SourceLine[];
}

function isSeparator(cells: readonly string[]): boolean {
  return cells.every((c) => /^[\s:|-]*$/.test(c)) && cells.some((c) => c.includes('-'));
}

function isColumnNumbers(cells: readonly string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== '');
  return filled.length >= 2 && filled.every((c, i) => c.replace(/[()\s]/g, '') === String(i + 1));
}

/**
 * True when two rows read alike (≥ 80 % of cells at least 80 % similar): a header repeated on a new page.
 *
 * @param a Cells of one row.
 * @param b Cells of the other.
 */
export function sameRow(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.max(a.length, b.length);
  let same = 0;
  for (let i = 0; i < n; i++) if (similarity(a[i] ?? '', b[i] ?? '') >= 0.8) same++;
  return same / n >= 0.8;
}

/**
 * Merge the part of a cell printed after a page break into the cell: a new
 * list item goes on a new line, anything else continues the last line.
 *
 * @param a Cell text so far.
 * @param b Continuation.
 */
export function mergeCell(a: string, b: string): string {
  if (b === '') return a;
  if (a === '') return b;
  if (/^[-–+•]\s/.test(b)) return `${a}\n${b}`;
  const [first, ...rest] = b.split('\n');
  return [`${a} ${first}`, ...rest].join('\n');
}

/**
 * Build a table from rows of cells in reading order.
 *
 * @param rows Rows as read (one per source line), header first when printed.
 * @param lines Source line of each row (same length as `rows`).
 * @param source How the cells were read.
 * @param clean Turn cell markup into text (born-digital exports).
 */
export function assembleTable(
  rows: readonly string[][],
  lines: readonly SourceLine[],
  source: Table['source'],
  clean: (cell: string) => string = cellText,
): AssembledTable {
  const cleaned = rows.map((r) => r.map(clean));
  let columns: string[] = [];
  const headerRows: string[][] = [];
  const body: string[][] = [];
  const rowLines: SourceLine[] = [];
  const marks: Table['reliability'] = [];
  let lastPage = -1;
  let lastRowPage = -1;
  cleaned.forEach((cells, i) => {
    const line = lines[i];
    if (isSeparator(cells) || isColumnNumbers(cells) || cells.every((c) => c === '')) return;
    if (columns.length === 0 && body.length === 0 && !/^\d+\.?$/.test(cells[0].trim()) && cells[0].trim() !== '') {
      columns = cells;
      headerRows.push(cells);
      lastPage = line.page;
      return;
    }
    if (headerRows.some((h) => sameRow(cells, h))) return; // header repeated on a new page
    const headerLike = cells.every((c) => c.length <= 30 && !/[\n;:]|[.]$/.test(c));
    if (columns.length > 0 && body.length === 0 && cells[0].trim() === '' && headerLike) {
      headerRows.push(cells);
      // A header printed on two rows (`Thời gian` over `Bắt đầu | Kết thúc`): one header.
      columns = columns.map((c, k) => [c, cells[k] ?? ''].filter((x) => x.trim() !== '').join(' '));
      for (let k = columns.length; k < cells.length; k++) columns.push(cells[k]);
      return;
    }
    const previous = body[body.length - 1];
    // A row with an empty first cell continues the row above when it was printed across a page
    // break. On a scan, an empty first cell further down a page is a row number the OCR lost
    // (numbers are short and faint): a new row, numbered in sequence and marked `medium`.
    const continues = previous && cells[0].trim() === '' && (source === 'text' || line.page !== lastRowPage);
    if (continues) {
      for (let c = 0; c < Math.max(previous.length, cells.length); c++) previous[c] = mergeCell(previous[c] ?? '', cells[c] ?? '');
    } else {
      const row = [...cells];
      // `3.` or `4 ˆ` in the number column is the number (a dot printed, or a speck read, after it).
      const numbered = /^(\d{1,3})[^\p{Lu}\p{Ll}\d]+$/u.exec(row[0].trim());
      if (numbered) row[0] = numbered[1];
      let mark: Table['reliability'][number] = 'high';
      if (previous && row[0].trim() === '' && /^\d+$/.test(previous[0].trim())) {
        row[0] = String(Number(previous[0].trim()) + 1);
        mark = 'medium';
      }
      body.push(row);
      marks.push(mark);
      rowLines.push(line);
    }
    lastPage = line.page;
    lastRowPage = line.page;
  });
  const width = columns.length;
  if (width > 0) {
    for (const row of body) {
      while (row.length < width) row.push('');
      while (row.length > width && row[row.length - 1] === '') row.pop();
    }
  }
  const pages = lines.map((l) => l.page);
  return {
    table: {
      columns,
      rows: body,
      reliability: marks,
      source,
      pages: { from: Math.min(...pages), to: Math.max(...pages, lastPage) },
    },
    rowLines,
  };
}

/** A run of table lines, or of other lines, in reading order. */
export type Segment = { kind: 'table'; lines: SourceLine[] } | { kind: 'text'; lines: SourceLine[] };

/**
 * Split lines into runs of table rows and runs of other lines. A table run
 * goes on across blank lines and page numbers printed between its rows.
 *
 * @param lines Lines in reading order.
 */
export function segment(lines: readonly SourceLine[]): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].cells) {
      const run: SourceLine[] = [];
      let j = i;
      while (j < lines.length) {
        const l = lines[j];
        if (l.cells) {
          run.push(l);
          j++;
          continue;
        }
        // Look past blank lines, page numbers and specks for the next row.
        let k = j;
        while (k < lines.length && (isBlank(lines[k]) || isBareMarker(lines[k].text.trim()))) k++;
        if (k < lines.length && lines[k].cells && k > j) {
          j = k;
          continue;
        }
        break;
      }
      out.push({ kind: 'table', lines: run });
      i = j;
    } else {
      const run: SourceLine[] = [];
      while (i < lines.length && !lines[i].cells) run.push(lines[i++]);
      out.push({ kind: 'text', lines: run });
    }
  }
  return out;
}

/**
 * Table from a run of table lines (tab-separated text, or `table-row` lines of a scan).
 *
 * @param run Lines that all carry `cells`.
 */
export function tableFromRun(run: readonly SourceLine[]): AssembledTable {
  const scanned = run.every((l) => l.scanned);
  return assembleTable(
    run.map((l) => l.cells ?? []),
    run,
    scanned ? 'scan' : 'text',
    scanned ? (c) => c.split('\n').map((x) => x.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n') : cellText,
  );
}
