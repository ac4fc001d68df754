import { describe, expect, it } from 'vitest';
import type { Doc, Line, Page, TableGrid } from '../src/model/doc.js';
import { SCHEMA_VERSION } from '../src/model/doc.js';
import { structure } from '../src/stages/structure/index.js';

// A printed line as Tesseract gives it: words with boxes, read straight across the columns.
function line(y: number, pieces: Array<[number, string]>): Line {
  const words = pieces.flatMap(([x, text]) => {
    let left = x;
    return text.split(' ').map((w) => {
      const box = { x0: left, y0: y, x1: left + 18 * w.length, y1: y + 30 };
      left = box.x1 + 12;
      return { text: w, bbox: box, confidence: 90 };
    });
  });
  return {
    text: words.map((w) => w.text).join(' '),
    bbox: { x0: words[0].bbox.x0, y0: y, x1: words[words.length - 1].bbox.x1, y1: y + 30 },
    words,
  };
}

function page(number: number, lines: Line[], rows: number[]): Page {
  const grid: TableGrid = { bbox: { x0: 100, y0: rows[0], x1: 1900, y1: rows[rows.length - 1] }, rows, columns: [100, 300, 1200, 1900] };
  return { number, origin: 'ocr', width: 2000, height: 2800, dpi: 300, confidence: 90, lines, tables: [grid], status: 'ok' };
}

describe('phụ lục on scanned pages', () => {
  it('builds the table from the rebuilt rows: header kept once, a row cut by the page break merged', async () => {
    const p1 = page(
      1,
      [
        line(100, [[800, 'PHỤ LỤC']]),
        line(140, [[300, '(Kèm theo Kế hoạch số 12/KH-UBND ngày 02/01/2026 của UBND tỉnh)']]),
        line(230, [[120, 'TT'], [320, 'Nhiệm vụ'], [1220, 'Thời gian']]),
        line(330, [[120, '1'], [320, 'Tuyên truyền trên báo'], [1220, 'Quý I']]),
        line(530, [[120, '2'], [320, 'Tổ chức hội nghị'], [1220, 'Quý II']]),
      ],
      [200, 300, 500, 800],
    );
    const p2 = page(
      2,
      [line(230, [[120, 'TT'], [320, 'Nhiệm vụ'], [1220, 'Thời gian']]), line(330, [[320, 'tập huấn cho cán bộ']])],
      [200, 300, 500],
    );
    const doc: Doc = {
      schemaVersion: SCHEMA_VERSION,
      generator: { name: 'vnplan', version: '0.0.0-test' },
      source: { fileName: 'scan.pdf', sha256: '0'.repeat(64), kind: 'pdf', pageCount: 2, dpi: 300 },
      pages: [p1, p2],
      corrections: [],
      structure: null,
      notices: [],
    };
    const out = await structure()(doc);
    // The output pages carry the rebuilt rows, so the text outputs print one row per line.
    expect(out.pages[0].lines.filter((l) => l.kind === 'table-row').map((l) => l.cells)).toContainEqual(['1', 'Tuyên truyền trên báo', 'Quý I']);
    const [appendix] = out.structure?.appendices ?? [];
    expect(appendix.note).toBe('(Kèm theo Kế hoạch số 12/KH-UBND ngày 02/01/2026 của UBND tỉnh)');
    const [table] = appendix.tables;
    expect(table.source).toBe('scan');
    expect(table.columns).toEqual(['TT', 'Nhiệm vụ', 'Thời gian']);
    expect(table.rows).toEqual([
      ['1', 'Tuyên truyền trên báo', 'Quý I'],
      ['2', 'Tổ chức hội nghị tập huấn cho cán bộ', 'Quý II'],
    ]);
    expect(table.pages).toEqual({ from: 1, to: 2 });
    expect(out.structure?.references.map((r) => r.number)).toEqual(['12/KH-UBND']);
  });
});
