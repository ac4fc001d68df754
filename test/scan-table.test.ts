import { readFileSync } from 'node:fs';
import levenshtein from 'fast-levenshtein';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Line, Page, TableGrid, Word } from '../src/model/doc.js';
import { findTableGrids } from '../src/stages/preprocess/table-grid.js';
import { rebuildTableRows } from '../src/stages/structure/scan-table.js';
import { cellsToReread, createOcrPool, gridCells, rereadTableCells } from '../src/stages/ocr/index.js';
import { line } from './support/invented-page.js';

/** A word box on an invented page: x from the left, y the top of its printed line, 40 px high. */
function word(text: string, x: number, y: number, width = text.length * 20): Word {
  return { text, bbox: { x0: x, y0: y, x1: x + width, y1: y + 40 }, confidence: 90 };
}


function page(lines: Line[], tables: TableGrid[]): Page {
  return { number: 1, origin: 'ocr', confidence: 90, lines, tables, status: 'ok' };
}

// Three columns (x 100–300–900–1300), a header row and two body rows.
const grid: TableGrid = {
  bbox: { x0: 100, y0: 400, x1: 1300, y1: 1000 },
  rows: [400, 500, 800, 1000],
  columns: [100, 300, 900, 1300],
};

describe('rebuildTableRows', () => {
  it('puts words into cells read straight across, keeps list items apart and lines outside in order', () => {
    const input = page(
      [
        line(word('PHỤ', 500, 200), word('LỤC', 600, 200)),
        // Tesseract reads across the whole table, one printed line at a time.
        line(word('STT', 150, 430), word('Nội', 400, 430), word('dung', 480, 430), word('Thời', 1000, 430), word('gian', 1100, 430)),
        line(word('1', 150, 520), word('Tổ', 320, 520), word('chức', 380, 520), word('lớp', 500, 520), word('học:', 580, 520), word('Tháng', 920, 520), word('4/2026', 1050, 520)),
        line(word('-', 320, 580), word('Lập', 350, 580), word('hồ', 420, 580), word('sơ;', 480, 580)),
        line(word('-', 320, 640), word('Ký', 350, 640), word('số', 410, 640), word('văn', 470, 640), word('bản', 560, 640)),
        line(word('điện', 320, 700), word('tử.', 420, 700)),
        line(word('2', 150, 820), word('Báo', 320, 820), word('cáo', 410, 820), word('kết.', 500, 820), word('Trước', 920, 820), word('ngày', 1060, 820)),
        line(word('quả', 320, 880), word('năm', 400, 880), word('30/11/2026', 920, 880)),
        line(word('Nơi', 100, 1100), word('nhận:', 180, 1100)),
      ],
      [grid],
    );
    const out = rebuildTableRows(input);
    expect(out.lines.map((l) => l.kind ?? 'text')).toEqual(['text', 'table-row', 'table-row', 'table-row', 'text']);
    expect(out.lines[0].text).toBe('PHỤ LỤC');
    expect(out.lines[4].text).toBe('Nơi nhận:');
    expect(out.lines.slice(1, 4).map((l) => l.cells)).toEqual([
      ['STT', 'Nội dung', 'Thời gian'],
      ['1', 'Tổ chức lớp học:\n- Lập hồ sơ;\n- Ký số văn bản điện tử.', 'Tháng 4/2026'],
      ['2', 'Báo cáo kết quả năm', 'Trước ngày 30/11/2026'],
    ]);
    expect(out.lines[2].text).toBe('1\tTổ chức lớp học: - Lập hồ sơ; - Ký số văn bản điện tử.\tTháng 4/2026');
    expect(out.lines[2].bbox).toEqual({ x0: 100, y0: 500, x1: 1300, y1: 800 });
    // Every word is kept, with its confidence, in cell order.
    expect(out.lines[2].words?.map((w) => w.text).join(' ')).toBe('1 Tổ chức lớp học: - Lập hồ sơ; - Ký số văn bản điện tử. Tháng 4/2026');
    // The input page is not changed.
    expect(input.lines).toHaveLength(9);
  });

  it('drops rule marks read as "|", keeps words of a line that lie outside the table, skips empty rows', () => {
    const out = rebuildTableRows(
      page(
        [
          // A line that starts above-left of the table and runs into the header band is split.
          line(word('Ghi', 20, 430, 60), word('|STT', 140, 430), word('|', 295, 430, 10), word('[Nội|', 400, 430), word('[a]', 600, 430)),
          line(word('Thời', 1000, 850), word('gian', 1100, 850)),
        ],
        [grid],
      ),
    );
    // Rows go where the table's first line was; the row band 500–800 has no word and is left out.
    expect(out.lines.map((l) => l.cells ?? l.text)).toEqual([['STT', 'Nội [a]', ''], ['', '', 'Thời gian'], 'Ghi']);
    expect(out.lines[2].words?.map((w) => w.text)).toEqual(['Ghi']);
  });

  it('drops marks that dust leaves in a cell but keeps list dashes and ranges', () => {
    const out = rebuildTableRows(
      page(
        [
          line(word('1', 150, 520), word('-', 320, 520, 15), word('Lập', 350, 520), word('hồ', 420, 520), word(':', 470, 520, 9), word('Ngày', 920, 520), word('21', 1010, 520), word('-', 1060, 520, 15), word('22/4', 1090, 520)),
          line(word('.', 200, 600, 9), word('-', 320, 600, 15), word('Ký', 350, 600), word('số.', 410, 600), word('=', 600, 600, 20), word('-', 1200, 600, 15)),
          line(word('-', 600, 850, 15)),
          // A flat smudge read as letters, lying across the rule at x 300: neither text nor a missing rule.
          line({ text: 'mu', bbox: { x0: 260, y0: 760, x1: 360, y1: 769 }, confidence: 20 }),
        ],
        [grid],
      ),
    );
    // A cell holding only "-" (none) keeps it.
    expect(out.lines.map((l) => l.cells)).toEqual([
      ['1', '- Lập hồ\n- Ký số.', 'Ngày 21 - 22/4'],
      ['', '-', ''],
    ]);
  });

  it('gives a group row whose title runs across the column rules as one cell', () => {
    const out = rebuildTableRows(
      page(
        [
          // Title words a word space apart on both sides of the rules at x 300 and 900.
          line(word('I', 190, 420, 20), word('CÔNG', 230, 420, 60), word('TÁC', 305, 420), word('CHỈ', 375, 420), word('ĐẠO', 445, 420), word('THEO', 840, 420, 50), word('DÕI', 905, 420)),
          // Body row: text of neighbouring cells two paddings apart, and a rule mark between two close words.
          line(word('1', 190, 520, 20), word('Ban', 330, 520), word('hành', 400, 520), word('văn', 860, 520, 30), word('|Sở', 915, 520), word('Quý', 1010, 520)),
        ],
        [grid],
      ),
    );
    expect(out.lines.map((l) => l.cells)).toEqual([
      ['I CÔNG TÁC CHỈ ĐẠO THEO DÕI', '', ''],
      ['1', 'Ban hành văn', 'Sở Quý'],
    ]);
  });

  it('returns the page unchanged when it has no table or no word boxes', () => {
    const plain = page([line(word('Căn', 100, 100), word('cứ', 200, 100))], []);
    expect(rebuildTableRows(plain)).toBe(plain);
    const noWords = page([{ text: 'STT Nội dung', bbox: { x0: 120, y0: 420, x1: 600, y1: 460 } }], [grid]);
    expect(rebuildTableRows(noWords).lines).toEqual(noWords.lines);
  });
});

describe('rebuildTableRows on a fixture page read by Tesseract', () => {
  // Words of page 1 of phuluc-bilevel-300.tiff as tesseract.js (vie) read them once
  // (scripts/fixtures/ocr-words.mjs); the grid comes from the page image.
  const scans = new URL('../fixtures/scans/', import.meta.url);
  const ocr = JSON.parse(readFileSync(new URL('phuluc-bilevel-300.p1.ocr.json', scans), 'utf8'));
  const truth = JSON.parse(readFileSync(new URL('phuluc-bilevel-300.truth.json', scans), 'utf8'));

  it('gives each printed table row one line with its cells in column order', async () => {
    const { data, info } = await sharp(readFileSync(new URL('phuluc-bilevel-300.tiff', scans)), { page: 0 })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const tables = findTableGrids({ data: new Uint8Array(data), width: info.width, height: info.height });
    const out = rebuildTableRows(page(ocr.lines, tables));

    const rows = out.lines.filter((l) => l.kind === 'table-row');
    const want: string[][] = truth.tables[0].cells;
    expect(rows).toHaveLength(want.length);
    // The title lines stay above the table, in order.
    expect(out.lines.slice(0, 4).map((l) => l.kind ?? 'text')).toEqual(['text', 'text', 'text', 'text']);
    expect(out.lines[0].text).toBe('Phụ lục');

    // Cell text against the truth (whitespace folded: how a cell wraps is not what is measured).
    const fold = (s: string) => s.replace(/\s+/g, ' ').trim();
    let errors = 0;
    let chars = 0;
    want.forEach((cells, r) => {
      expect(rows[r].cells).toHaveLength(cells.length);
      cells.forEach((cell, k) => {
        errors += levenshtein.get(fold(cell), fold(rows[r].cells![k]));
        chars += fold(cell).length;
      });
    });
    expect(errors / chars).toBeLessThan(0.03);
    // List items of a cell stay separate lines of the cell.
    expect(rows[1].cells![1].split('\n')).toHaveLength(4);
    expect(rows[1].cells![1].split('\n')[1]).toBe('- Quy trình lập hồ sơ điện tử;');
  });

  it('keeps the group rows of a table whose titles span the columns (words of a second page)', async () => {
    const words = JSON.parse(readFileSync(new URL('phuluc-nhom-300.p1.ocr.json', scans), 'utf8'));
    const want: string[][] = JSON.parse(readFileSync(new URL('phuluc-nhom-300.truth.json', scans), 'utf8')).tables[0].cells;
    const { data, info } = await sharp(readFileSync(new URL('phuluc-nhom-300.png', scans)))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const tables = findTableGrids({ data: new Uint8Array(data), width: info.width, height: info.height });
    const rows = rebuildTableRows(page(words.lines, tables)).lines.filter((l) => l.kind === 'table-row');
    // Tesseract lost the header line of this page: the rows are the truth's body rows, in order.
    expect(rows).toHaveLength(want.length - 1);
    const fold = (s: string) => s.replace(/\s+/g, ' ').trim();
    let edits = 0;
    let chars = 0;
    want.slice(1).forEach((cells, r) => {
      const got = rows[r].cells!;
      expect(got).toHaveLength(4);
      // Titles, task texts, units and dates (the STT column is left to OCR's mercy: it lost "II").
      for (let k = 1; k < 4; k++) {
        const e = levenshtein.get(fold(cells[k]), fold(got[k]));
        expect(e).toBeLessThanOrEqual(Math.max(2, fold(cells[k]).length * 0.2));
        edits += e;
        chars += fold(cells[k]).length;
      }
    });
    expect(edits / chars).toBeLessThan(0.04);
    expect(rows.filter((row) => row.cells![2] === '' && row.cells![3] === '')).toHaveLength(3);
  });
});

describe('second reading of table cells (rereadTableCells)', () => {
  // Page OCR words of phuluc-nhom-300.png as tesseract.js read them (see above): it lost the
  // header line and some of the STT column.
  const scans = new URL('../fixtures/scans/', import.meta.url);
  const words = JSON.parse(readFileSync(new URL('phuluc-nhom-300.p1.ocr.json', scans), 'utf8'));
  const want: string[][] = JSON.parse(readFileSync(new URL('phuluc-nhom-300.truth.json', scans), 'utf8')).tables[0].cells;
  const load = async () => {
    const png = readFileSync(new URL('phuluc-nhom-300.png', scans));
    const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const gray = { data: new Uint8Array(data), width: info.width, height: info.height };
    return { png: await sharp(png).extractChannel(0).png().toBuffer(), gray, tables: findTableGrids(gray) };
  };

  it('chooses the cells page OCR left empty or read unsure, and few of the others', async () => {
    const { gray, tables } = await load();
    const cells = gridCells(gray, tables[0]);
    // Group rows are one cell across the three text columns.
    expect(cells).toHaveLength(want.length * 4 - 3 * 2);
    const chosen = cellsToReread(words.lines, cells, gray);
    const at = (row: number, column: number) => chosen.get(cells.find((c) => c.row === row && c.from === column)!);
    // The lost header line: every header cell is read again.
    expect([0, 1, 2, 3].map((k) => at(0, k))).toEqual(['empty', 'empty', 'empty', 'empty']);
    // Blank cells of group rows are no cells of their own; nothing else is read again for being empty.
    expect([...chosen.values()].filter((why) => why === 'empty').length).toBeLessThanOrEqual(8);
    // The task and unit cells of body rows, read well by page OCR, are mostly left as read.
    const text = cells.filter((c) => c.row > 0 && c.from >= 1 && c.from <= 2 && c.to <= 2);
    expect(text.length).toBeGreaterThanOrEqual(10);
    expect(text.filter((c) => chosen.has(c)).length).toBeLessThanOrEqual(3);
  });

  it('reads the header and the row numbers that page OCR lost, through the pool', async () => {
    const { png, gray, tables } = await load();
    const pool = createOcrPool({ workers: 1 });
    try {
      const lines = await rereadTableCells(words.lines, { data: png, dpi: 300 }, tables, pool);
      const rows = rebuildTableRows(page(lines, tables)).lines.filter((l) => l.kind === 'table-row');
      expect(rows).toHaveLength(want.length);
      const fold = (s: string) => s.replace(/\s+/g, ' ').trim();
      // Header cells and the arabic row numbers come back exactly.
      expect(rows[0].cells!.slice(1)).toEqual(want[0].slice(1));
      const numbers = want.map((r) => r[0]).filter((x) => /^\d+$/.test(x));
      expect(rows.map((r) => r.cells![0]).filter((x) => /^\d+$/.test(x))).toEqual(numbers);
      let edits = 0;
      let chars = 0;
      want.forEach((cells, r) =>
        cells.forEach((cell, k) => {
          edits += levenshtein.get(fold(cell), fold(rows[r].cells![k]));
          chars += fold(cell).length;
        }),
      );
      expect(edits / chars).toBeLessThan(0.02);
      expect(gray.width).toBeGreaterThan(0);
    } finally {
      await pool.terminate();
    }
  }, 60_000);
});

describe('numbering column of a scanned table', () => {
  // Four columns (STT, task, unit, time); the first column read as OCR reads narrow roman numerals.
  const grid4: TableGrid = {
    bbox: { x0: 100, y0: 400, x1: 1500, y1: 1200 },
    rows: [400, 500, 600, 700, 800, 900, 1000, 1100, 1200],
    columns: [100, 250, 900, 1200, 1500],
  };
  const row = (y: number, stt: string, task: string, unit = '', time = '') =>
    line(...[word(stt, 120, y), word(task, 300, y), ...(unit ? [word(unit, 950, y)] : []), ...(time ? [word(time, 1250, y)] : [])]);

  it('reads damaged numbers back: roman in group rows, arabic in task rows, and the STT header', () => {
    const input = page(
      [
        row(430, 'SIT', 'Nhiệm', 'Đơn', 'Thời'),
        row(530, 'l', 'NHÓM'),
        row(630, '1', 'Ban', 'Sở', 'Quý'),
        row(730, 'l', 'Kiểm', 'Sở', 'Quý'),
        row(830, 'H', 'SỐ'),
        row(930, '3', 'Số', 'Sở', 'Năm'),
        row(1030, 'HI', 'KIỂM'),
        row(1130, '5', 'Tổng', 'Sở', 'Trước'),
      ],
      [grid4],
    );
    const rows = rebuildTableRows(input).lines.filter((l) => l.kind === 'table-row');
    expect(rows.map((r) => r.cells![0])).toEqual(['STT', 'I', '1', '1', 'II', '3', 'III', '5']);
    expect(rows[4].text).toBe('II\tSỐ\t\t');
    // The words keep what OCR read.
    expect(rows[4].words!.map((w) => w.text)).toContain('H');
  });

  it('leaves a first column that does not number the rows alone', () => {
    const input = page(
      [row(430, 'Hạng', 'Nhiệm', 'Đơn', 'Thời'), row(530, 'H', 'Ban', 'Sở', 'Quý'), row(630, 'l', 'Kiểm', 'Sở', 'Quý'), row(730, 'Mục', 'Số', 'Sở', 'Năm')],
      [{ ...grid4, rows: grid4.rows.slice(0, 5), bbox: { ...grid4.bbox, y1: 800 } }],
    );
    const rows = rebuildTableRows(input).lines.filter((l) => l.kind === 'table-row');
    expect(rows.map((r) => r.cells![0])).toEqual(['Hạng', 'H', 'l', 'Mục']);
  });
});
