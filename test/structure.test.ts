import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Doc } from '../src/model/doc.js';
import {
  assembleTable,
  buildSectionTree,
  cellText,
  cutMotto,
  findCitations,
  linesFromText,
  parseAppendices,
  parseMarker,
  parseStructure,
  readPlaceDate,
  structure,
  typeLine,
} from '../src/stages/structure/index.js';
import { fixtureDoc, fixtureNames, fixturesRoot } from './structure-fixtures.js';

describe('structure fixtures', () => {
  for (const name of fixtureNames()) {
    it(name, async () => {
      const input = fixtureDoc(name);
      const frozen = JSON.stringify(input);
      const out = await structure()(input);
      expect(JSON.stringify(input)).toBe(frozen); // the stage returns a new Doc
      const file = `${fixturesRoot}${name}/expected.json`;
      if (!existsSync(file) || 'UPDATE' in process.env) {
        writeFileSync(file, `${JSON.stringify(out.structure, null, 2)}\n`);
      }
      expect(out.structure).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});

describe('damaged markers', () => {
  it('puts OCR-damaged roman markers back in sequence and keeps what was printed', () => {
    const body = buildSectionTree(linesFromText(['I. MỤC TIÊU', 'I1. NỘI DUNG', 'm. HÌNH THỨC', 'rv. TRÁCH NHIỆM', 'V. KINH PHÍ', 'V. TỔ CHỨC THỰC HIỆN'].join('\n')));
    expect(body.sections.map((s) => [s.marker, s.number, s.recovered])).toEqual([
      ['I.', 'I', false],
      ['I1.', 'II', true],
      ['m.', 'III', true],
      ['rv.', 'IV', true],
      ['V.', 'V', false],
      ['V.', 'VI', true],
    ]);
  });

  it('takes a short line with an unreadable marker before a list restarting at 1. for the next roman section', () => {
    // What the repair made of `rv. TRÁCH NHIỆM TRIỂN KHAI` in the style-A seed.
    const body = buildSectionTree(
      linesFromText('I. MỤC TIÊU\n1. Mục tiêu\n2. Yêu cầu\nII. NỘI DUNG\nNội dung tuyên truyền.\nvị. TRÁCH nhiệm Trên Khi\n1. Sở Nội vụ:\n- Chủ trì.'),
    );
    expect(body.sections.map((s) => [s.marker, s.number, s.recovered, s.children.length])).toEqual([
      ['I.', 'I', false, 2],
      ['II.', 'II', false, 0],
      ['vị.', 'III', true, 1],
    ]);
  });

  it('reads a lost I in front of V as the missing IV', () => {
    const body = buildSectionTree(linesFromText('I. A\nII. B\nIII. C\nV. KINH PHÍ'));
    expect(body.sections.map((s) => s.number)).toEqual(['I', 'II', 'III', 'IV']);
  });

  it('tells a damaged roman heading (capitals) from an arabic one', () => {
    expect(parseMarker('l. Sở Nội vụ chủ trì')).toMatchObject({ kind: 'arabic', value: '1' });
    expect(parseMarker('I1. NOI DUNG TUYEN TRUYEN')).toMatchObject({ kind: 'roman', value: '2' });
    expect(parseMarker('11. Bưu điện tỉnh:')).toMatchObject({ kind: 'arabic', value: '11' });
    expect(parseMarker('vi, dia phuong')).toBeNull();
    expect(parseMarker('2023 gửi cơ quan tài chính')).toBeNull();
  });

  it('joins a marker printed alone on its line to the text after it, and skips specks and page numbers', () => {
    const body = buildSectionTree(linesFromText('I.\nMỤC TIÊU\n1.\nMục tiêu\n-\nNâng cao nhận thức\n\\\n- 2 -\nR\nII. NỘI DUNG'));
    expect(body.sections.map((s) => [s.marker, s.heading])).toEqual([
      ['I.', 'MỤC TIÊU'],
      ['II.', 'NỘI DUNG'],
    ]);
    expect(body.sections[0].children[0]).toMatchObject({ marker: '1.', heading: 'Mục tiêu', items: [{ bullet: '-', text: 'Nâng cao nhận thức', after: 0 }] });
  });

  it('nests decimal and letter markers and keeps - and + as list items', () => {
    const body = buildSectionTree(
      linesFromText('3. Hình thức\n3.1. Qua báo chí\n- Đăng tin\n+ Tin ngắn\n3.2. Qua mạng xã hội\na) Facebook\nđ) Zalo'),
    );
    const [three] = body.sections;
    expect(three.children.map((c) => [c.number, c.level])).toEqual([
      ['3.1', 2],
      ['3.2', 2],
    ]);
    expect(three.children[0].items).toEqual([
      { bullet: '-', text: 'Đăng tin', after: 0 },
      { bullet: '+', text: 'Tin ngắn', after: 0 },
    ]);
    expect(three.children[1].children.map((c) => c.marker)).toEqual(['a)', 'đ)']);
  });
});

describe('references', () => {
  it('reads every citation form with ISO dates and issuers', () => {
    const found = findCitations(
      'Căn cứ Quyết định số 4831/QĐ-UBND ngày 24 tháng 12 năm 2021 của Ủy ban nhân dân tỉnh Khánh Hòa ban hành Chương trình; Nghị quyết số 76/NQ-CP ngày 15/7/2021; Kết luận số 91-KL/TU của Ban Thường vụ Tỉnh ủy về tiếp tục; Nghị định 61/2018/NĐ-CP ngày 23/4/2018; Chỉ thị số 23/CT- TTg ngày 02/9/2021 của Thủ tướng Chính phủ về đẩy mạnh',
    );
    expect(found.map(({ type, number, date, issuer }) => ({ type, number, date, issuer }))).toEqual([
      { type: 'Quyết định', number: '4831/QĐ-UBND', date: '2021-12-24', issuer: 'Ủy ban nhân dân tỉnh Khánh Hòa' },
      { type: 'Nghị quyết', number: '76/NQ-CP', date: '2021-07-15', issuer: null },
      { type: 'Kết luận', number: '91-KL/TU', date: null, issuer: 'Ban Thường vụ Tỉnh ủy' },
      { type: 'Nghị định', number: '61/2018/NĐ-CP', date: '2018-04-23', issuer: null },
      { type: 'Chỉ thị', number: '23/CT-TTg', date: '2021-09-02', issuer: 'Thủ tướng Chính phủ' },
    ]);
  });

  it('reads OCR-stripped citations on the diacritic fold', () => {
    const [c] = findCitations('Thuc hién Ké hoach sé 4344/KH-UBND ngay 20 thang 12 nam 2022 cua Uy ban nhan dan tinh vé cai cach');
    expect(c).toMatchObject({ type: 'Kế hoạch', number: '4344/KH-UBND', date: '2022-12-20', issuer: 'Uy ban nhan dan tinh' });
  });
});

describe('metadata pieces', () => {
  it('reads place and date into ISO', () => {
    expect(readPlaceDate('Khánh Hòa, ngày 13 tháng 02 năm 2026')).toEqual({ place: 'Khánh Hòa', date: '2026-02-13' });
  });

  it('cuts the motto out of a two-column OCR line', () => {
    expect(cutMotto(' TINH BINH THUAN Doc |ap - Tw do - Hanh phuc')).toEqual({ motto: 'Doc |ap - Tw do - Hanh phuc', rest: 'TINH BINH THUAN' });
  });

  it('recognises damaged type lines but not the operative word of a decision', () => {
    expect(typeLine('KE HOACH')).toBe('Kế hoạch');
    expect(typeLine('QUYẾT ĐỊNH')).toBe('Quyết định');
    expect(typeLine('QUYẾT ĐỊNH:')).toBeNull();
  });

  it('nests the plan a decision issues under it', () => {
    const s = parseStructure(
      linesFromText(
        'Số: 5/QĐ-UBND\nQUYẾT ĐỊNH\nBan hành Kế hoạch A\n\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch A.\n\nNơi nhận:\n- Như Điều 1;\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Văn Bình\n\nKẾ HOẠCH\nA\n(Ban hành kèm theo Quyết định số 5/QĐ-UBND ngày 02/01/2024 của UBND tỉnh)\n\nI. MỤC TIÊU\n',
      ),
    );
    expect(s.metadata.type).toBe('Quyết định');
    expect(s.metadata.signer).toEqual({ authority: 'KT. CHỦ TỊCH', mode: 'KT', position: 'PHÓ CHỦ TỊCH', name: 'Lê Văn Bình' });
    expect(s.attached).toHaveLength(1);
    expect(s.attached[0].metadata.attachedTo).toMatchObject({ type: 'Quyết định', number: '5/QĐ-UBND', date: '2024-01-02', issuer: 'UBND tỉnh' });
    expect(s.attached[0].sections.map((x) => x.heading)).toEqual(['MỤC TIÊU']);
  });
});

describe('cell text', () => {
  it('turns born-digital cell markup into lines, one list item per line', () => {
    expect(cellText('<ul style="list-style-type: none"> - Kế hoạch <i>(dự kiến)</i> - Văn bản triển khai - Hội nghị chính trị - xã hội </ul>')).toBe(
      '- Kế hoạch (dự kiến)\n- Văn bản triển khai\n- Hội nghị chính trị - xã hội',
    );
    expect(cellText('<p>Đẩy mạnh tuyên truyền:</p> <p>- Việc khai thác</p>')).toBe('Đẩy mạnh tuyên truyền:\n- Việc khai thác');
    expect(cellText('Chương trình “Cải cách hành chính hôm nay - PAR TODAY”')).toBe('Chương trình “Cải cách hành chính hôm nay - PAR TODAY”');
  });
});

describe('tables', () => {
  const at = (n: number) => Array.from({ length: n }, (_, i) => ({ text: '', page: i < 3 ? 1 : 2, line: i + 1 }));

  it('keeps a two-row header once, drops its OCR-varied repeat on the next page, merges a row cut by the break', () => {
    const rows = [
      ['TT', 'Nội dung', 'Thời gian', ''],
      ['', '', 'Bắt đầu', 'Kết thúc'],
      ['1', 'Tập huấn nghiệp vụ', '01/3', '30/3'],
      ['TT', 'Nội dumg', 'Thòi gian', ''],
      ['', '', 'Bắt đầu', 'Kết thúc'],
      ['', 'cho công chức', '', ''],
      ['2', 'Khảo sát', '01/4', '30/4'],
    ];
    const { table } = assembleTable(rows, at(rows.length), 'scan', (c) => c);
    expect(table.columns).toEqual(['TT', 'Nội dung', 'Thời gian Bắt đầu', 'Kết thúc']);
    expect(table.rows).toEqual([
      ['1', 'Tập huấn nghiệp vụ cho công chức', '01/3', '30/3'],
      ['2', 'Khảo sát', '01/4', '30/4'],
    ]);
    expect(table.pages).toEqual({ from: 1, to: 2 });
  });

  it('goes on with a table across a page footer when the next page repeats its header', () => {
    const { appendices } = parseAppendices(linesFromText('Phụ lục\nSTT\tNhiệm vụ\tThời gian\n1\tTập huấn cho\tQuý I\nTrang 1/2\n-\f\nSTT\tNhiệm vụ\tThời gian\n\tcông chức\t\n2\tKhảo sát\tQuý II'));
    expect(appendices[0].tables.map((t) => t.rows)).toEqual([
      [
        ['1', 'Tập huấn cho công chức', 'Quý I'],
        ['2', 'Khảo sát', 'Quý II'],
      ],
    ]);
  });

  it('reads numbered laws with the numbered documents and named laws by their name', () => {
    const found = findCitations('theo Luật số 80/2015/QH13 ngày 22/6/2015 của Quốc hội và Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015');
    expect(found.map(({ type, number, title, date }) => ({ type, number, title, date }))).toEqual([
      { type: 'Luật', number: '80/2015/QH13', title: null, date: '2015-06-22' },
      { type: 'Luật', number: null, title: 'Tổ chức chính quyền địa phương', date: '2015-06-19' },
    ]);
  });
});

describe('stage', () => {
  it('rejects a wrong option type before any document', () => {
    expect(() => structure({ rebuildTables: 'yes' as unknown as boolean })).toThrow(/Expected boolean for `rebuildTables` but received yes \(string\)/);
  });

  it('gives an empty structure for a document with no readable page', async () => {
    const doc = fixtureDoc('cong-van');
    const out = await structure()({ ...doc, pages: [{ ...doc.pages[0], status: 'failed', lines: [], error: { code: 'OCR_FAILED', message: 'x' } }] });
    expect(out.structure?.sections).toEqual([]);
    expect(out.structure?.metadata.number).toBeNull();
  });

  it('keeps a document without structure markers readable and leaves other fields alone', async () => {
    const doc: Doc = fixtureDoc('cong-van');
    const out = await structure({ rebuildTables: false })(doc);
    expect(out.pages).toBe(doc.pages);
    expect(out.structure?.metadata.type).toBe('Công văn');
  });
});
