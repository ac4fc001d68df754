import { describe, expect, it } from 'vitest';
import type { Line, Word } from '../src/model/doc.js';
import { orderLines } from '../src/stages/ocr/index.js';

/** A line of words placed at [x0, x1] on the row at `y` (30 px tall). */
function line(y: number, ...words: Array<[string, number, number]>): Line {
  const placed: Word[] = words.map(([text, x0, x1]) => ({ text, bbox: { x0, y0: y, x1, y1: y + 30 }, confidence: 90 }));
  return {
    text: words.map(([text]) => text).join(' '),
    bbox: { x0: placed[0].bbox.x0, y0: y, x1: placed.at(-1)!.bbox.x1, y1: y + 30 },
    words: placed,
  };
}

describe('orderLines', () => {
  it('reads a two-block header left block first, however Tesseract split it', () => {
    const asOneLine = [
      line(100, ['ỦY', 200, 250], ['BAN', 260, 330], ['CỘNG', 1300, 1400], ['HÒA', 1410, 1480]),
      line(140, ['TỈNH', 220, 300], ['Độc', 1320, 1380], ['lập', 1390, 1450]),
      line(180, ['Số:', 230, 280], ['1/QĐ', 290, 380]),
      line(260, ['QUYẾT', 1000, 1150], ['ĐỊNH', 1160, 1280]),
    ];
    const asBlocks = [asOneLine[0], asOneLine[1]].flatMap((row) => [
      line(row.bbox!.y0, ...row.words!.filter((word) => word.bbox.x0 < 1000).map((word): [string, number, number] => [word.text, word.bbox.x0, word.bbox.x1])),
    ]);
    asBlocks.push(asOneLine[2]);
    asBlocks.push(line(100, ['CỘNG', 1300, 1400], ['HÒA', 1410, 1480]), line(140, ['Độc', 1320, 1380], ['lập', 1390, 1450]));
    asBlocks.push(asOneLine[3]);
    const expected = ['ỦY BAN', 'TỈNH', 'Số: 1/QĐ', 'CỘNG HÒA', 'Độc lập', 'QUYẾT ĐỊNH'];
    expect(orderLines(asOneLine, 2480).map((result) => result.text)).toEqual(expected);
    expect(orderLines(asBlocks, 2480).map((result) => result.text)).toEqual(expected);
  });

  it('leaves single-column text and justified lines alone', () => {
    const lines = [
      line(100, ['Căn', 200, 280], ['cứ', 330, 380], ['Luật', 430, 520]),
      line(140, ['Theo', 200, 290], ['đề', 300, 350], ['nghị', 360, 440]),
    ];
    expect(orderLines(lines, 2480).map((result) => result.text)).toEqual(['Căn cứ Luật', 'Theo đề nghị']);
  });
});
