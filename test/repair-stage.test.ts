import { describe, expect, it } from 'vitest';
import type { Doc, Line } from '../src/model/doc.js';
import { SCHEMA_VERSION } from '../src/model/doc.js';
import { repair } from '../src/stages/repair/index.js';

function word(text: string, x: number): NonNullable<Line['words']>[number] {
  return { text, bbox: { x0: x, y0: 0, x1: x + 10 * text.length, y1: 20 }, confidence: 80 };
}

function ocrLine(text: string): Line {
  let x = 0;
  return {
    text,
    words: text.split(' ').map((w) => {
      const result = word(w, x);
      x += 10 * w.length + 10;
      return result;
    }),
  };
}

function doc(pages: Line[][]): Doc {
  return {
    schemaVersion: SCHEMA_VERSION,
    generator: { name: 'vnplan', version: '0.0.0' },
    source: { fileName: 'scan.pdf', sha256: '0'.repeat(64), kind: 'pdf', pageCount: pages.length, dpi: 300 },
    pages: pages.map((lines, index) => ({ number: index + 1, origin: 'ocr', confidence: 70, lines, status: 'ok' })),
    corrections: [],
    structure: null,
    notices: [],
  };
}

describe('repair stage', () => {
  const stage = repair();

  it('repairs every page, records corrections with their place, and keeps words in sync', async () => {
    const input = doc([
      [ocrLine('KE HOACH'), ocrLine('Thong tin, tuyén truyén cii cich hanh chinh nim 2023 (CCHC)')],
      [ocrLine('- Nang cao nhan thirc ciia ngudi dan vé cong tac CCHC nha nudc;')],
    ]);
    const frozen = structuredClone(input);
    const output = await stage(input);
    expect(input).toEqual(frozen); // the input Doc is not mutated
    expect(output.pages[0].lines[0].text).toBe('KẾ HOẠCH');
    expect(output.pages[0].lines[1].text).toBe('Thông tin, tuyên truyền cải cách hành chính năm 2023 (CCHC)');
    expect(output.pages[1].lines[0].text).toBe('- Nâng cao nhận thức của người dân về công tác CCHC nhà nước;');
    for (const page of output.pages) {
      for (const line of page.lines) {
        expect(line.words!.map((w) => w.text).join(' ')).toBe(line.text);
      }
    }
    expect(output.pages[1].lines[0].words![2].bbox).toEqual(input.pages[1].lines[0].words![2].bbox);
    expect(output.corrections.length).toBeGreaterThan(10);
    const first = output.corrections.find((c) => c.place.page === 2)!;
    expect(first.place).toEqual({ page: 2, line: 1, column: 3, endColumn: 7 });
    expect(first).toMatchObject({ actual: 'Nang', expected: 'Nâng' });
    for (const c of output.corrections) {
      const original = input.pages[c.place.page - 1].lines[c.place.line - 1].text;
      expect(original.slice(c.place.column - 1, c.place.endColumn - 1)).toBe(c.actual);
    }
  });

  it('keeps table cells in sync with a repaired table row', async () => {
    const row: Line = { text: 'Tuyén truyén\tSo Noi vu\t2023', kind: 'table-row', cells: ['Tuyén truyén', 'So Noi vu', '2023'] };
    const output = await stage(doc([[row]]));
    const line = output.pages[0].lines[0];
    expect(line.cells).toEqual(line.text.split('\t'));
    expect(line.cells![2]).toBe('2023');
    expect(line.cells![1]).toBe('Sở Nội vụ');
  });
});
