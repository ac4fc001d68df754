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
import { sameRow, segment, tableFromRun, type Segment } from './tables.js';

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

const ROW_START = /^\s*(\S{1,2})\s+(?=[\p{Lu}\d])/u;

/**
 * Number of the row a line starts, or null. Rows may be missing from a
 * legacy OCR text (a row lost in the scramble), so the next one or two
 * numbers are accepted too. OCR reads 1 as I/l/| and 3 as J, and a repair
 * may turn `l0` into a word (`lễ`): a damaged token of the right width is
 * read as the first number in range whose digits agree with the digits it
 * still shows.
 */
function rowNumber(token: string, expected: number): number | null {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= expected && n <= expected + 2 ? n : null;
  }
  if (!/[0-9IlJj|]/.test(token)) return null;
  for (let n = expected; n <= expected + 2; n++) {
    const digits = String(n);
    if (digits.length !== token.length) continue;
    if ([...token].every((c, i) => !/\d/.test(c) || c === digits[i])) return n;
  }
  return null;
}

/** Kinds of column a plan's phụ lục has, with the header words that name them. */
const COLUMN_KINDS = [
  { kind: 'task', header: /nhiem vu|noi dung|hoat dong|cong viec/ },
  { kind: 'product', header: /san pham|ket qua/ },
  { kind: 'agency', header: /phan cong|co quan|don vi|chu tri|trach nhiem|cach thuc/ },
  { kind: 'time', header: /tien do|thoi gian|thoi han/ },
  { kind: 'funding', header: /kinh phi|nguon/ },
] as const;
type ColumnKind = (typeof COLUMN_KINDS)[number]['kind'];

/**
 * The column a cell's first words point to: a new cell starts with a capital
 * or a dash, and cells of one kind start alike in every plan (`Kinh phí …`,
 * `Trong năm …`, `Sở …`/`UBND …`, `Kế hoạch`/`Hội nghị`). Null: no cue, the
 * text continues the cell before.
 */
function cue(chunk: string): ColumnKind | null {
  const text = chunk.replace(/^[-–+•.\s]+/, '');
  if (!/^[\p{Lu}\d]/u.test(text)) return null;
  const f = fold(text).toLowerCase();
  if (/^(kinh phi|nguon|ngan sach|khong phat sinh)/.test(f)) return 'funding';
  if (text.length <= 40 && /^(trong|thuong xuyen|quy|thang|nam \d|hang|dinh ky|theo tien do|truoc|tu thang|ca nam|\d{1,2}\/\d{4})/.test(f)) return 'time';
  if (/^(ke hoach|hoi nghi|van ban|tin, bai|tin bai|bao cao|chuong trinh|cac hinh thuc|phong su|to roi|an pham|chuyen muc|cuoc thi|tai lieu|video|pano|bang ron)/.test(f)) return 'product';
  if (/^(so|cac so|ubnd|uy ban|van phong|dai|bao|ban|tinh doan|cong an|truong|phong|hoi|trung tam|cac co quan|cac don vi|co quan|cac nganh|buu dien)\b/.test(f)) return 'agency';
  return null;
}

/** Columns named by the header text of a legacy table, in the order they are printed. */
function headerColumns(header: string): ColumnKind[] {
  const f = fold(header).toLowerCase();
  return COLUMN_KINDS.map((c) => ({ kind: c.kind, at: f.search(c.header) }))
    .filter((c) => c.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((c) => c.kind);
}

const COLUMN_NAMES: Record<ColumnKind, string> = {
  task: 'Nhiệm vụ',
  product: 'Sản phẩm',
  agency: 'Phân công thực hiện',
  time: 'Tiến độ',
  funding: 'Kinh phí',
};

/**
 * Put the chunks of one row (text runs between blank lines, in reading
 * order) into columns by their cues; chunks without a cue go on with the
 * column before.
 *
 * @returns Cells (after the row number) and whether every column got text in printed order.
 */
function placeChunks(chunks: readonly string[], kinds: readonly ColumnKind[]): { cells: string[]; orderly: boolean } {
  const cells = kinds.map(() => '');
  let column = 0;
  let orderly = true;
  for (const chunk of chunks) {
    const c = cue(chunk);
    const target = c === null ? -1 : kinds.indexOf(c);
    if (target >= 0 && cells[column] !== '') {
      if (target < column) orderly = false;
      column = target;
    } else if (target >= 0) {
      column = target;
    }
    cells[column] = cells[column] === '' ? chunk : /^[-–+•]\s/.test(chunk) ? `${cells[column]}\n${chunk}` : `${cells[column]} ${chunk}`;
  }
  return { cells, orderly: orderly && cells.every((x) => x !== '') };
}

/**
 * Recover rows of a table whose cells OCR read column by column: a row starts
 * at a line opening with the next row number. When the header names the
 * usual columns of a plan's phụ lục (nhiệm vụ, sản phẩm, phân công, tiến độ,
 * kinh phí), each run of text between blank lines is put in the column its
 * first words point to (`medium` when every column got text in printed order,
 * else `low`); otherwise the row's text is kept whole in reading order
 * (`low`).
 *
 * @param lines Lines of the phụ lục after its heading and note.
 */
export function recoverColumnText(lines: readonly SourceLine[]): { table: Table; rowLines: SourceLine[] } | null {
  const rows: string[][] = [];
  const rowLines: SourceLine[] = [];
  const header: string[] = [];
  let chunks: string[][] = [];
  let chunk = '';
  let gap = false;
  const flush = () => {
    if (chunk) chunks[chunks.length - 1].push(chunk);
    chunk = '';
  };
  for (const l of lines) {
    const m = ROW_START.exec(l.text);
    const next = rows.length === 0 ? 1 : Number(rows[rows.length - 1][0]) + 1;
    const n = m && letterCount(l.text) >= 3 ? rowNumber(m[1], next) : null;
    if (m && n !== null) {
      flush();
      rows.push([String(n)]);
      chunks.push([]);
      rowLines.push(l);
      chunk = l.text.slice(m[0].length).trim();
      gap = false;
      continue;
    }
    if (rows.length === 0) {
      if (!isBlank(l)) header.push(l.text.trim());
      continue;
    }
    if (isBlank(l) || /^[^\p{L}\d]*$/u.test(l.text)) {
      gap = true;
      continue;
    }
    // OCR debris (`::l: zL,i i,-''.'.`): mostly marks, few letters.
    const printed = l.text.replace(/\s/g, '');
    if ((printed.match(/[\p{L}\d]/gu) ?? []).length < printed.length / 2) continue;
    // A page break (a line starting with a space in legacy exports) also ends a run, and so
    // does a line that opens a funding or timing cell (`Kinh phí …` right under `2023`).
    const opens = cue(l.text);
    if (gap || /^\s/.test(l.text) || opens === 'funding' || opens === 'time') {
      flush();
      gap = false;
    }
    chunk = chunk ? joinText(chunk, l.text.trim()) : l.text.trim();
  }
  flush();
  if (rows.length < 2) return null;
  const kinds = headerColumns(header.join(' '));
  const pages = lines.map((l) => l.page);
  const reliability: Table['reliability'] = [];
  let columns: string[];
  if (kinds.length >= 3 && kinds[0] === 'task') {
    columns = ['STT', ...kinds.map((k) => COLUMN_NAMES[k])];
    rows.forEach((row, i) => {
      const placed = placeChunks(chunks[i], kinds);
      row.push(...placed.cells);
      reliability.push(placed.orderly ? 'medium' : 'low');
    });
  } else {
    columns = ['STT', 'Nội dung (các cột bị đọc lẫn)'];
    rows.forEach((row, i) => {
      row.push(chunks[i].join('\n'));
      reliability.push('low');
    });
  }
  return {
    table: { columns, rows, reliability, source: 'ocr-columns', pages: { from: Math.min(...pages), to: Math.max(...pages) } },
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
    // No table lines: a legacy OCR text of the table, if numbered rows can be found in it.
    const recovered = rest.some((l) => l.cells) ? null : recoverColumnText(rest);
    if (recovered) {
      const t = appendix.tables.length;
      appendix.tables.push(recovered.table);
      recovered.table.rows.forEach((cells, row) => out.rows.push({ appendix: index, table: t, row, line: recovered.rowLines[row], cells }));
      return;
    }
    // A table cut by a page break with a few short lines in between (a footer, specks) goes on
    // when the next run repeats its header; the lines between are page furniture.
    const segments: Segment[] = [];
    for (const seg of segment(rest)) {
      let at = segments.length - 1;
      while (at >= 0 && segments[at].kind !== 'table') at--;
      const furniture = segments.slice(at + 1).every((x) => toBlocks(x.lines).every((b) => b.text.length <= 80));
      if (seg.kind === 'table' && at >= 0 && furniture && sameRow(seg.lines[0].cells ?? [], segments[at].lines[0].cells ?? [])) {
        segments[at].lines.push(...seg.lines);
        segments.length = at + 1;
        continue;
      }
      segments.push(seg);
    }
    for (const seg of segments) {
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
