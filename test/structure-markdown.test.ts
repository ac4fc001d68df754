import { describe, expect, it } from 'vitest';
import { structure } from '../src/stages/structure/index.js';
import { renderMarkdown } from '../src/stages/write/markdown.js';
import { fixtureDoc } from './structure-fixtures.js';

describe('markdown from the structure', () => {
  it('prints sections as headings, items as lists and the phụ lục as one table row per line', async () => {
    const md = renderMarkdown(await structure()(fixtureDoc('kh2024-plan-end')));
    expect(md).toContain('## VI. TỔ CHỨC THỰC HIỆN');
    expect(md).toContain('#### a) Là cơ quan chủ trì triển khai, hướng dẫn, theo dõi việc triển khai Kế hoạch này.');
    expect(md).toContain('## Phụ lục');
    const header = md.split('\n').filter((l) => l.startsWith('| STT | Nhiệm vụ |'));
    expect(header).toHaveLength(1);
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.map((r) => Number(r.split('|')[1]))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Every row has its six cells; list items stay apart inside a cell.
    expect(rows.every((r) => r.split(/(?<!\\)\|/).length === 8)).toBe(true);
    expect(rows[0]).toContain('- Kế hoạch (chuyên đề hoặc lồng ghép, kết hợp)<br>- Văn bản triển khai cụ thể');
  });

  it('prints header, title, recipients and signer of a decision', async () => {
    const md = renderMarkdown(await structure()(fixtureDoc('kh2024-decision')));
    expect(md).toContain('Số: 271/QĐ-UBND  \nKhánh Hòa, ngày 29 tháng 01 năm 2024');
    expect(md).toContain('# QUYẾT ĐỊNH\n\n**Ban hành Kế hoạch tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2024**');
    expect(md).toContain('**TM. ỦY BAN NHÂN DÂN**  \n**CHỦ TỊCH**  \nNguyễn Tấn Tuấn');
    expect(md).toContain('\n\n---\n\n# KẾ HOẠCH');
  });

  it('falls back to page lines, with table-row lines as a table, when there is no structure', () => {
    const doc = fixtureDoc('scan-table');
    const md = renderMarkdown(doc);
    expect(doc.structure).toBeNull();
    expect(md).toContain('Phụ lục I');
    expect(md).toContain('| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |');
    expect(md).toContain('| 2 | Tổ chức hội nghị phổ biến Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ | - Phòng Đào tạo<br>- Các khoa | Quý III/2025 |');
  });
});
